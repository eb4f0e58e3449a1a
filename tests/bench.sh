#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 'make bench': figures for libvtd and vtd-decode, each beside the obvious
# alternative measured in the same run.  Not a test: nothing fails on time.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-build}
bdir="$top/$B"
echo "== libvtd descriptor engine"
"$bdir/tests/bench-decode"

echo
echo "== libvtd translation engine"
"$bdir/tests/bench-walk"

echo
echo "== vtd-decode over a 16 MiB table image (1 M legacy context entries)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head -c $((16 << 20)) /dev/urandom > "$tmp/img"
t() { local s e; s=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc; }
dec=$(t "$bdir/vtd-decode" -1 context-legacy -f "$tmp/img" -n 1048576)
xxdt=$(t xxd -g 8 "$tmp/img")
cat=$(t cat "$tmp/img")
printf '  vtd-decode -1 (decode + validate + print)  %6.2f s  %6.2f M entries/s\n' "$dec" "$(echo "1.048576 / $dec" | bc -l)"
printf '  xxd -g 8 (hex dump of the same bytes)      %6.2f s\n' "$xxdt"
printf '  cat (reading the bytes)                    %6.2f s\n' "$cat"
