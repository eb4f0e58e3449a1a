# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by tests/bench.sh (which sets top, bdir and tmp): vtd-top's
# interactive view in a real terminal (tmux), fed 256 MiB of the real trace
# through a pipe -- the live ingestion rate with the screen running,
# against grep -c reading the same pipe -- and the CPU it takes while
# nothing happens.

echo
echo "== vtd-top interactive: live ingestion with the screen running; CPU when idle"
if ! command -v tmux >/dev/null; then
	echo "  (tmux is not installed: skipped)"
	return 0
fi
{ cat "$top/tests/data/traces/legacy-strict.dmesg.txt"
  gzip -dc "$top/tests/data/traces/legacy-strict.ftrace.txt.gz"; } >"$tmp/tui-block"
: >"$tmp/tui-256m"
while [ "$(stat -c %s "$tmp/tui-256m")" -lt $((256 << 20)) ]; do
	cat "$tmp/tui-block" "$tmp/tui-block" "$tmp/tui-block" "$tmp/tui-block" >>"$tmp/tui-256m"
done
tui_bytes=$(stat -c %s "$tmp/tui-256m")
tui_events=$("$bdir/vtd-top" --report --json "$tmp/tui-256m" | grep -o '"events": *[0-9]*' |
	     head -1 | grep -o '[0-9]*$')
sock="$tmp/bench-tmux"
tmux -S "$sock" -f /dev/null new-session -d -x 120 -y 40 "sleep 3600"

# The writer times itself: cat ends when the view has taken all but a pipe's worth.
tui_run() { # tui_run NAME COMMAND-READING-STDIN: seconds for the pipe to drain
	rm -f "$tmp/tui.ns"
	tmux -S "$sock" new-window -d -n "$1" \
		"{ s=\$(date +%s%N); cat $tmp/tui-256m; e=\$(date +%s%N);
		   echo \$((e - s)) >$tmp/tui.ns; } | $2; sleep 3600"
	for _ in $(seq 600); do [ -s "$tmp/tui.ns" ] && break; sleep 0.2; done
	echo "scale=3; $(cat "$tmp/tui.ns" 2>/dev/null || echo 0) / 1000000000" | bc
}

tui_el=$(tui_run view "$bdir/vtd-top -")
# It took everything: the overview's Trace row counts every event.
shown=
for _ in $(seq 100); do
	shown=$(tmux -S "$sock" capture-pane -p -t view | grep -o "Trace .*, [0-9]* events" |
		grep -o '[0-9]* events' | grep -o '[0-9]*')
	[ "$shown" = "$tui_events" ] && break
	sleep 0.2
done
grep_el=$(tui_run grep "grep -c DMAR >$tmp/tui.grep")
printf '  vtd-top - (the view, 120x40)  %6.2f s  %9.0f events/s  %6.0f MB/s  (%s of %s events shown)\n' \
	"$tui_el" "$(echo "$tui_events / $tui_el" | bc -l)" \
	"$(echo "$tui_bytes / 1000000 / $tui_el" | bc -l)" "${shown:-?}" "$tui_events"
printf '  grep -c DMAR, same pipe       %6.2f s  %6.0f MB/s  (%s lines)\n' \
	"$grep_el" "$(echo "$tui_bytes / 1000000 / $grep_el" | bc -l)" "$(cat "$tmp/tui.grep")"

# Idle: the view of a followed file that does not grow, and of a pipe that stays quiet.
tui_cpu() { # tui_cpu PID SECS: percent of one CPU over SECS
	local a b
	a=$(awk '{ print $14 + $15 }' "/proc/$1/stat")
	sleep "$2"
	b=$(awk '{ print $14 + $15 }' "/proc/$1/stat")
	echo "scale=2; ($b - $a) * 100 / ($(getconf CLK_TCK) * $2)" | bc
}
mkfifo "$tmp/tui.fifo"
tmux -S "$sock" new-window -d -n idle1 "$bdir/vtd-top -f $tmp/tui-block; sleep 3600"
tmux -S "$sock" new-window -d -n idle2 "sleep 3600 >$tmp/tui.fifo & $bdir/vtd-top - <$tmp/tui.fifo; sleep 3600"
sleep 2
for w in "-f $tmp/tui-block" "-"; do
	pid=$(pgrep -f "^$bdir/vtd-top $w\$" | head -1)
	printf '  idle, vtd-top %-2s  %5.2f%% of a CPU over 10 s\n' "${w%% *}" "$(tui_cpu "$pid" 10)"
done
tmux -S "$sock" kill-server
rm -f "$tmp/tui-256m" "$tmp/tui-block" "$tmp/tui.fifo"
