#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# top-live: vtd-top's live sources, against a fake tracefs in a temporary
# directory (never the machine's own: $VTD_TOP_TRACEFS points nowhere).
#   - --trace-pipe --enable -b: frames from a FIFO fed with ftrace lines,
#     the same as from a file of those lines; the intel_iommu and iommu
#     events and tracing_on are 1 while it runs and hold exactly their old
#     contents after it
#   - the same ended by SIGTERM and SIGINT while the writer keeps the FIFO
#     open: the old contents are back and the status names the signal
#   - errors, exit 4 in one line: no trace_pipe, no events, an enable file
#     that cannot be written (the others are put back); as root that case
#     drops CAP_DAC_OVERRIDE with setpriv, or is skipped
#   - -f FILE: a file that grows while -b -n 2 runs gives its 2 frames
#   - '-': a trace from a pipe gives the frames of the same file
# Every wait is bounded: a hang fails its check, never the whole run.
# Prints "ok ..." / "not ok ..." lines for tests/run-tests.sh.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-build}
. "$top/tests/tap.sh"
tool="$top/$B/vtd-top"
trace="$top/tests/data/traces/legacy-strict.ftrace.txt.gz"
scratch=$(mktemp -d)
# At the end, our background jobs still running (and only those) are stopped.
cleanup() {
	local p
	for p in $(jobs -p); do kill "$p" 2>/dev/null; done
	rm -rf "$scratch"
}
trap cleanup EXIT
export LC_ALL=C NO_COLOR=1
# A slip in a test (or in vtd-top) must not reach the real tracefs.
export VTD_TOP_TRACEFS="$scratch/not-a-tracefs"
# Bounds, in seconds: generous, since ASan builds are slow.
LIMIT=60

# poll SECS CMD...: true as soon as CMD is, false after SECS.
poll() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.05
	done
}

# finish PID: rc is its exit status once it ended, or 999 (killed) after
# $LIMIT s.  Not in $(...): a subshell cannot wait for our children.
finish() {
	if ! poll $LIMIT eval "! kill -0 $1 2>/dev/null"; then
		kill -KILL "$1" 2>/dev/null
		wait "$1" 2>/dev/null
		rc=999
		return
	fi
	wait "$1"
	rc=$?
}

# mkfs DIR PIPE: a fake tracefs; PIPE is "fifo" or "file" (an empty trace_pipe).
mkfs() {
	local d=$1
	mkdir -p "$d"/events/intel_iommu/{qi_submit,prq_report} \
		"$d"/events/iommu/{map,unmap,io_page_fault}
	echo 0 >"$d/events/intel_iommu/qi_submit/enable"
	echo 1 >"$d/events/intel_iommu/prq_report/enable"
	echo 0 >"$d/events/intel_iommu/enable"
	echo 0 >"$d/events/iommu/map/enable"
	echo 1 >"$d/events/iommu/unmap/enable"
	echo 0 >"$d/events/iommu/io_page_fault/enable"
	echo 0 >"$d/events/iommu/enable"
	echo 0 >"$d/tracing_on"
	if [ "$2" = fifo ]; then mkfifo "$d/trace_pipe"; else : >"$d/trace_pipe"; fi
}

# snap DIR: every switch and its exact bytes.
snap() {
	(cd "$1" && for f in tracing_on events/*/enable events/*/*/enable; do
		printf '%s:%s\n' "$f" "$(od -An -c "$f" | tr -s ' ')"
	done)
}

# on DIR: the events and tracing_on all switched on.
on() {
	local f
	for f in "$1"/tracing_on "$1"/events/*/*/enable; do
		[ "$(head -c1 "$f")" = 1 ] || return 1
	done
}

# the ftrace lines as trace_pipe gives them: no header
zcat "$trace" | grep -v '^#' >"$scratch/pipe.txt"

# norm FILE: frames with their title lines cut to the trace's time: the
# title names the input and says LIVE for a live one, the rest must agree.
norm() {
	sed -E '/^vtd-top  /s/^.*   t /vtd-top  t /' "$1"
}
# nframes FILE
nframes() {
	grep -c '^vtd-top  ' "$1"
}
# same WANT OUT: the same frames
same() {
	cmp -s <(norm "$1") <(norm "$2")
}
# differ WANT OUT: the first differences, for a failure's detail
differ() {
	diff <(norm "$1") <(norm "$2") | head -8
}

# nok DESCRIPTION DETAIL...: not_ok with each detail's lines as lines, empty ones left out.
nok() {
	local desc=$1 a lines=()
	shift
	for a in "$@"; do
		[ -n "$a" ] && mapfile -t -O ${#lines[@]} lines <<<"$a"
	done
	not_ok "$desc" "${lines[@]}"
}

# One line on stderr naming what failed.
one_line() {
	[ "$(wc -l <"$1")" -eq 1 ] && grep -q "^vtd-top: .*$2" "$1"
}

if [ ! -x "$tool" ]; then
	nok "vtd-top is built" "no $tool (make B=$B)"
	exit 0
fi
help=$("$tool" --help 2>&1)
missing=
for o in --trace-pipe --enable --tracefs --follow; do
	grep -q -- "$o" <<<"$help" || missing="$missing $o"
done
if [ -n "$missing" ]; then
	nok "vtd-top has the live options" "--help lacks:$missing"
	exit 0
fi

# ---- --trace-pipe --enable, to the end of the pipe ------------------------------
fs="$scratch/fs1"
mkfs "$fs" fifo
snap "$fs" >"$scratch/before"
"$tool" -b "$scratch/pipe.txt" >"$scratch/want" 2>"$scratch/want.err"
# The writer opens the FIFO (that waits for vtd-top), notes the switches once
# they are on, then writes the trace and closes it.
(
	exec 3>"$fs/trace_pipe"
	poll $LIMIT on "$fs" && snap "$fs" >"$scratch/during"
	cat "$scratch/pipe.txt" >&3
) &
w=$!
"$tool" -b --trace-pipe --enable --tracefs "$fs" >"$scratch/out" 2>"$scratch/err" &
finish $!
kill "$w" 2>/dev/null
wait "$w" 2>/dev/null
nf=$(nframes "$scratch/out")
if [ "$rc" = 0 ] && [ "$nf" -gt 0 ] && [ ! -s "$scratch/err" ] &&
	same "$scratch/want" "$scratch/out"; then
	ok "--trace-pipe --enable -b: $nf frames, the same as from a file"
else
	nok "--trace-pipe --enable -b: the frames of the trace" "exit $rc, $nf frames" \
		"$(head -3 "$scratch/err")" "$(differ "$scratch/want" "$scratch/out")"
fi
# events/SYS/enable sum up their events in a kernel; here they are inert.
if [ -s "$scratch/during" ] && ! grep -v '^events/[^/]*/enable:' "$scratch/during" | grep -q ':  *0 ' &&
	[ "$(grep -c ':  *1 ' "$scratch/during")" -eq 6 ]; then
	ok "--enable: the events and tracing_on are 1 while it runs"
else
	nok "--enable: the events and tracing_on are 1 while it runs" \
		"$(cat "$scratch/during" 2>/dev/null || echo 'never all on')"
fi
if diff "$scratch/before" <(snap "$fs") >"$scratch/d"; then
	ok "--enable: every switch holds its old contents after the end"
else
	nok "--enable: every switch holds its old contents after the end" "$(head -5 "$scratch/d")"
fi

# ---- ended by a signal while the pipe stays open ------------------------------------
# kill_case SIG STATUS [LAUNCHER...]: started by LAUNCHER (so a SIGINT that
# '&' would make ignored is not), signalled once the switches are on.
kill_case() {
	local sig=$1 want=$2 fs="$scratch/fs-$1" rc w
	shift 2
	mkfs "$fs" fifo
	snap "$fs" >"$scratch/before"
	rm -f "$scratch/stop"
	(
		exec 3>"$fs/trace_pipe"
		head -300 "$scratch/pipe.txt" >&3
		poll $LIMIT test -e "$scratch/stop"
	) &
	w=$!
	"$@" "$tool" -b --trace-pipe --enable --tracefs "$fs" >"$scratch/out" 2>"$scratch/err" &
	local v=$!
	if poll $LIMIT on "$fs"; then
		kill -"$sig" "$v"
	fi
	finish $v
	touch "$scratch/stop"
	wait "$w" 2>/dev/null
	if [ "$rc" = "$want" ] && diff "$scratch/before" <(snap "$fs") >"$scratch/d"; then
		ok "--enable, SIG$sig mid-run: exit $rc, every switch back"
	else
		nok "--enable, SIG$sig mid-run: exit $want, every switch back" "exit $rc" \
			"$(head -3 "$scratch/err")" "$(diff "$scratch/before" <(snap "$fs") | head -5)"
	fi
}
kill_case TERM 143
if env --default-signal=INT true 2>/dev/null; then
	kill_case INT 130 env --default-signal=INT
else
	skip "--enable, SIGINT mid-run" "env has no --default-signal (coreutils < 8.31)"
fi

# ---- errors ----------------------------------------------------------------------------
mkdir -p "$scratch/empty"
timeout $LIMIT "$tool" -b --trace-pipe --tracefs "$scratch/empty" >"$scratch/out" 2>"$scratch/err"
rc=$?
if [ $rc = 4 ] && one_line "$scratch/err" "$scratch/empty" && [ ! -s "$scratch/out" ]; then
	ok "--tracefs without trace_pipe: exit 4, one line naming it"
else
	nok "--tracefs without trace_pipe: exit 4, one line naming it" "exit $rc" \
		"$(head -3 "$scratch/err")"
fi

fs="$scratch/fs-noevents"
mkdir -p "$fs" && : >"$fs/trace_pipe" && echo 0 >"$fs/tracing_on"
timeout $LIMIT "$tool" -b --trace-pipe --enable --tracefs "$fs" >"$scratch/out" 2>"$scratch/err"
rc=$?
if [ $rc = 4 ] && one_line "$scratch/err" "$fs" && [ "$(cat "$fs/tracing_on")" = 0 ]; then
	ok "--enable without events: exit 4, one line, tracing_on untouched"
else
	nok "--enable without events: exit 4, one line, tracing_on untouched" "exit $rc" \
		"$(head -3 "$scratch/err")" "tracing_on: $(cat "$fs/tracing_on")"
fi

fs="$scratch/fs-ro"
mkfs "$fs" file
chmod 0444 "$fs/events/iommu/map/enable"
snap "$fs" >"$scratch/before"
as=()
if [ "$(id -u)" = 0 ]; then
	# Root writes through 0444: without CAP_DAC_OVERRIDE it does not.
	as=(setpriv --bounding-set=-dac_override,-dac_read_search)
	"${as[@]}" true 2>/dev/null || as=(none)
fi
if [ "${as[0]:-}" = none ]; then
	skip "--enable, an enable file not writable: exit 4, the others back" \
		"running as root and setpriv cannot drop CAP_DAC_OVERRIDE"
else
	timeout $LIMIT "${as[@]}" "$tool" -b --trace-pipe --enable --tracefs "$fs" \
		>"$scratch/out" 2>"$scratch/err"
	rc=$?
	if [ $rc = 4 ] && one_line "$scratch/err" "iommu/map/enable" &&
		diff "$scratch/before" <(snap "$fs") >"$scratch/d"; then
		ok "--enable, an enable file not writable: exit 4, the others back"
	else
		nok "--enable, an enable file not writable: exit 4, the others back" "exit $rc" \
			"$(head -3 "$scratch/err")" "$(diff "$scratch/before" <(snap "$fs") | head -5)"
	fi
fi

# ---- -f: a file that grows ----------------------------------------------------------------
# It starts with the events of the first second only; the lines appended
# later (a second apart) end the frames.  The same file read whole must
# give the same two frames.
f="$scratch/grow.txt"
zcat "$trace" | awk '/^#/ || $4 + 0 < 1' >"$f"
n0=$(wc -l <"$f")
"$tool" -b -n 2 -d 1 -f "$f" >"$scratch/out" 2>"$scratch/err" &
v=$!
(
	sleep 0.3
	for i in $(seq 1 $((LIMIT * 5))); do
		kill -0 "$v" 2>/dev/null || break
		printf '            init-1       [000] d..1. %12.6f: qi_submit: iotlb_inv dmar0: 0xd2 0x0 0x0 0x0\n' \
			"$i.5" >>"$f"
		sleep 0.2
	done
) &
a=$!
finish $v
wait "$a" 2>/dev/null
nf=$(nframes "$scratch/out")
"$tool" -b -n 2 -d 1 "$f" >"$scratch/want" 2>/dev/null
if [ "$rc" = 0 ] && [ "$nf" = 2 ] && [ "$(wc -l <"$f")" -gt "$n0" ] &&
	same "$scratch/want" "$scratch/out"; then
	ok "-f FILE -b -n 2: the 2 frames of a growing file"
else
	nok "-f FILE -b -n 2: the 2 frames of a growing file" "exit $rc, $nf frames" \
		"$(head -3 "$scratch/err")" "$(differ "$scratch/want" "$scratch/out")"
fi

# ---- '-': standard input -------------------------------------------------------------------------
timeout $LIMIT "$tool" -b "$trace" >"$scratch/want" 2>"$scratch/want.err"
zcat "$trace" | timeout $LIMIT "$tool" -b - >"$scratch/out" 2>"$scratch/err"
rc=$?
nf=$(nframes "$scratch/out")
if [ $rc = 0 ] && [ "$nf" -gt 0 ] && [ ! -s "$scratch/err" ] && same "$scratch/want" "$scratch/out"; then
	ok "- from a pipe: the $nf frames of the same file"
else
	nok "- from a pipe: the frames of the same file" "exit $rc, $nf frames" \
		"$(head -3 "$scratch/err")" "$(differ "$scratch/want" "$scratch/out")"
fi
exit 0
