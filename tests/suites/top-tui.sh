#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vtd-top's interactive view in a real terminal: tmux runs it on the sample
# traces, send-keys drives it (views, grouping, sorting, drill-down, the
# filter, help, resizing, quitting) and each capture-pane frame must equal
# what --snapshot renders off-screen for the same keys and size: the
# terminal shows exactly the golden frames of tests/cli/top.  Then how it
# leaves the terminal: on q, on SIGTERM, on a crash signal; colours and
# NO_COLOR; a file that grows while it is shown.
# Prints "ok ..." / "not ok ..." lines for tests/run-tests.sh.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-build}
tool="$top/$B/vtd-top"
. "$top/tests/tap.sh"
data="$top/tests/data/traces"
S="$data/legacy-strict.dmesg.txt $data/legacy-strict.ftrace.txt.gz"

if ! command -v tmux >/dev/null; then
	skip "the interactive view in tmux" "tmux is not installed (the CI installs it)"
	exit 0
fi
if [ ! -x "$tool" ]; then
	not_ok "vtd-top is built" "no $tool"
	exit 1
fi

tmp=$(mktemp -d)
nsock=0
export LC_ALL=C NO_COLOR=1
tm() { tmux -S "$tmp/tmux.$nsock" "$@"; }
trap 'for s in "$tmp"/tmux.*; do tmux -S "$s" kill-server 2>/dev/null; done; rm -rf "$tmp"' EXIT

# start COLS ROWS COMMAND: a fresh session running COMMAND, then the shell
# writes its exit status where status() finds it.
start() {
	local cols=$1 rows=$2
	shift 2
	# A server of its own each time: a dying one must not take the new session along.
	tm kill-server >/dev/null 2>&1
	nsock=$((nsock + 1))
	rm -f "$tmp/status" "$tmp/stty"
	tm -f /dev/null new-session -d -x "$cols" -y "$rows" \
		"$*; echo \$? >$tmp/status; stty -a >$tmp/stty; sleep 600"
	tm set-option -g status off >/dev/null
}

# The pane as text, trailing blanks cut (as grid_write cuts them).
pane() { tm capture-pane -p | sed -e 's/ *$//'; }

# expect_frame NAME SNAPSHOT-ARGS...: the pane equals that snapshot, within 10 s.
expect_frame() {
	local what=$1
	shift
	"$tool" --snapshot "$@" | sed -e 's/ *$//' >"$tmp/want"
	for _ in $(seq 100); do
		pane >"$tmp/got"
		cmp -s "$tmp/want" "$tmp/got" && { ok "$what"; return; }
		sleep 0.1
	done
	not_ok "$what" "$(diff "$tmp/want" "$tmp/got" | head -8)"
}

# wait_for WHAT CONDITION...: poll for up to 10 s.
wait_for() {
	local what=$1
	shift
	for _ in $(seq 100); do
		if "$@"; then ok "$what"; return; fi
		sleep 0.1
	done
	not_ok "$what"
}

pane_has() { pane | grep -q -- "$1"; }
colours_on() { tm capture-pane -e -p | grep -qE $'\e\\[([0-9]+;)*[34][0-7](;[0-9]+)*m'; }
# The vtd-top the session runs (not the shell around it, whose command line names it too).
vtd_pid() { pgrep -f "^$tool " | head -1; }
status_is() { [ -f "$tmp/status" ] && [ "$(cat "$tmp/status")" = "$1" ]; }
alt_off() { [ "$(tm display -p '#{alternate_on}')" = 0 ]; }
keys() { tm send-keys "$@"; }

# ---- the views, as the golden frames show them --------------------------------------
start 100 30 "$tool" $S
expect_frame "overview at 100x30 equals the off-screen frame" --size 100x30 $S
keys 2
expect_frame "2: the faults view" --size 100x30 --keys '2' $S
keys g s
expect_frame "g s: grouped by device, sorted by last seen" --size 100x30 --keys '2 g s' $S
keys g g g Down Enter
expect_frame "Enter: drill-down to the events of a fault" --size 100x30 \
	--keys '2 g s g g g <Down> <Enter>' $S
keys Escape
sleep 0.2
keys 3 p p Down Enter
expect_frame "3 Down Enter: the invalidations of a domain" --size 100x30 \
	--keys '3 p p <Down> <Enter>' $S
keys Escape
sleep 0.2
keys / i o t l b Space p a g e Space d i d Space 4 Enter
expect_frame "/ filter typed in the log" --size 100x30 \
	--keys '/iotlb<Space>page<Space>did<Space>4<Enter>' $S
keys Home Down Down Enter
expect_frame "Home Down Down Enter: the detail pane decodes the descriptor" --size 100x30 \
	--keys '/iotlb<Space>page<Space>did<Space>4<Enter> <Home> <Down> <Down> <Enter>' $S
keys Escape
sleep 0.2
keys F1
expect_frame "F1: the help screen from the key table" --size 100x30 --keys '<F1>' $S
keys x 1
expect_frame "any key leaves the help; 1: the overview" --size 100x30 $S

# ---- size -------------------------------------------------------------------------
tm resize-window -x 132 -y 40
expect_frame "resized to 132x40: laid out again" --size 132x40 $S
tm resize-window -x 70 -y 20
wait_for "below 80x24: says what it needs" pane_has "needs 80x24; this is 70x20"
tm resize-window -x 100 -y 30
expect_frame "back to 100x30" --size 100x30 $S

# ---- leaving ------------------------------------------------------------------------
keys q
wait_for "q: exits with status 0" status_is 0
wait_for "q: the terminal is off the alternate screen" alt_off
start 100 30 "$tool" $S
expect_frame "started again" --size 100x30 $S
kill -TERM "$(vtd_pid)"
wait_for "SIGTERM: dies of it (status 143)" status_is 143
wait_for "SIGTERM: the terminal is off the alternate screen" alt_off
start 100 30 "$tool" $S
expect_frame "started a third time" --size 100x30 $S
kill -SEGV "$(vtd_pid)"
wait_for "SIGSEGV: dies of it (status 139)" status_is 139
wait_for "SIGSEGV: the terminal is off the alternate screen" alt_off
cooked() { [ -s "$tmp/stty" ] && grep -qw icanon "$tmp/stty" && grep -qw echo "$tmp/stty"; }
wait_for "after the crash the tty is in cooked mode again (icanon, echo)" cooked

# ---- colours ------------------------------------------------------------------------
start 100 30 env -u NO_COLOR "$tool" $S
wait_for "colours when NO_COLOR is not set" colours_on
keys q
start 100 30 "$tool" $S
expect_frame "NO_COLOR: started" --size 100x30 $S
if colours_on; then
	not_ok "no colours with NO_COLOR"
else
	ok "no colours with NO_COLOR"
fi
keys q

# ---- a file that grows ----------------------------------------------------------------
zcat "$data/legacy-strict.ftrace.txt.gz" | head -200 >"$tmp/grow.txt"
start 100 30 "$tool" -f "$tmp/grow.txt"
wait_for "-f: the file's events are shown" pane_has ' 188 events'
zcat "$data/legacy-strict.ftrace.txt.gz" | sed -n '201,400p' >>"$tmp/grow.txt"
wait_for "-f: lines appended later are read" pane_has ' 388 events'
keys 4
wait_for "-f: the title says LIVE" pane_has 'LIVE'
keys q
wait_for "-f: q exits with status 0" status_is 0

echo "# top-tui: $n checks, $nfail failed"
[ "$nfail" -eq 0 ]
