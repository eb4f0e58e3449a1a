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
echo "== libvtd cache model: IOTLB hits"
"$bdir/tests/bench-cache"

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

echo
echo "== vtd-sim: a stream of text requests (IOTLB hits and walks), answers counted, not printed"
# 4096 distinct requests over 2 MiB of mappings, repeated: the caches see
# hits and misses; memory must not grow with the number of requests.
VTD_DECODE="$bdir/vtd-decode" "$top/tests/data/sim/make-legacy.sh" "$tmp/legacy.bin"
# One million requests: pages 0x200000-0x203000 (0x202000 is not mapped, so
# it faults and is walked every time), every 8 bytes.
awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "00:03.0 read 0x%x\n", 2097152 + (i % 4) * 4096 + (i * 8) % 4096 }' >"$tmp/block"
for n in 1 10 ${VTD_BENCH_SIM_MILLIONS:-100}; do
	s=$(date +%s.%N)
	rss=$( { for ((k = 0; k < n; k++)); do cat "$tmp/block"; done |
		/usr/bin/time -f '%M' "$bdir/vtd-sim" -l "$tmp/legacy.bin@0x100000" -r 0x101000 \
			-q -f - >/dev/null; } 2>&1 | tail -1)
	e=$(date +%s.%N)
	el=$(echo "$e - $s" | bc)
	printf '  vtd-sim -q, %4d M requests  %7.2f s  %6.2f M requests/s  max RSS %s KiB\n' \
		"$n" "$el" "$(echo "$n / $el" | bc -l)" "$rss"
done
s=$(date +%s.%N)
for ((k = 0; k < 10; k++)); do cat "$tmp/block"; done | grep -c read >/dev/null
e=$(date +%s.%N)
printf '  grep -c over the same 10 M lines     %7.2f s\n' "$(echo "$e - $s" | bc)"

echo
echo "== vtd-compile: a layout of 1 M mappings (4 KiB each, 1 M pages of a 4 GiB guest)"
# The explicit form: one JSON object per mapping (the file a generator
# would write); the compact form says the same in one range member.
# (python3, as mawk's printf has no 64-bit %x.)
python3 - "$tmp/big.json" <<'PY'
import sys
n = 1 << 20
with open(sys.argv[1], "w") as f:
    f.write('{"vtd_layout": 1, "profile": "client", "placement": {"base": "0x1000000", "size": "64M"},\n')
    f.write(' "domains": {"guest": {"did": 1, "levels": 4, "map": [\n')
    for i in range(n):
        f.write('  {"iova": "0x%x", "pa": "0x%x", "size": "4K", "page": "4K"}%s\n'
                % (i * 4096, (1 << 32) + i * 8192, "," if i < n - 1 else ""))
    f.write(' ]}}, "devices": [{"bdf": "00:03.0", "domain": "guest"}]}\n')
PY
sed -e '/"iova": "0x[0-9a-f]*", "pa"/d' \
    -e 's|"map": \[|"map": [{"iova": "0x0", "pa": "0x100000000", "size": "4K", "page": "4K", "count": 1048576, "pa_stride": "8K"}|' \
    "$tmp/big.json" >"$tmp/compact.json"
for f in big compact; do
	s=$(date +%s.%N)
	/usr/bin/time -f '%M' -o "$tmp/rss" "$bdir/vtd-compile" -q --stats --time "$tmp/$f.json" \
		-o "$tmp/$f.bin" 2>"$tmp/$f.stats" || true
	rss=$(tail -1 "$tmp/rss")
	e=$(date +%s.%N)
	printf '  %-8s layout %5d MB: total %6.2f s, max RSS %s KiB\n' "$f" \
		$(( $(stat -c %s "$tmp/$f.json") >> 20 )) "$(echo "$e - $s" | bc)" "$rss"
	sed 's/^/    /' "$tmp/$f.stats"
done
cmp -s "$tmp/big.bin" "$tmp/compact.bin" && echo "  both forms build the same bytes" ||
	echo "  the two forms built different bytes!"
s=$(date +%s.%N)
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/big.json"
e=$(date +%s.%N)
printf '  python3 json.load of the same file (the alternative parse)  %6.2f s\n' "$(echo "$e - $s" | bc)"

echo
echo "== vtd-dump over the tables of the 1 M-mapping layout (2056 table pages, 1 M ranges)"
# The compact layout above, built at 16 MiB: the tree prints every range,
# --raw every entry; xxd over the same bytes is the obvious alternative.
"$bdir/vtd-compile" -q "$tmp/compact.json" -o "$tmp/dump.bin"
src="image:$tmp/dump.bin@0x1000000"
for what in tree raw json check reachable; do
	case $what in
	tree) args=() ;;
	raw) args=(--raw) ;;
	json) args=(--json) ;;
	check) args=(--check) ;;
	reachable) args=(--reachable) ;;
	esac
	s=$(date +%s.%N)
	/usr/bin/time -f '%M' -o "$tmp/rss" "$bdir/vtd-dump" "$src" --rtaddr 0x1000000 "${args[@]}" \
		>"$tmp/dump.out" 2>/dev/null || true
	e=$(date +%s.%N)
	printf '  vtd-dump %-10s %6.2f s  %9d lines  max RSS %s KiB\n' "$what" "$(echo "$e - $s" | bc)" \
		"$(wc -l <"$tmp/dump.out")" "$(tail -1 "$tmp/rss")"
done
printf '  xxd -g 8 over the same %d KiB     %6.2f s\n' $(( $(stat -c %s "$tmp/dump.bin") >> 10 )) \
	"$(t xxd -g 8 "$tmp/dump.bin")"

echo
echo "== vtd-dump --scan: root tables found by content in a 16 GiB sparse image (the tables at their 16 MiB, random data around)"
# Table pointers are physical addresses: the tables sit where they were
# built for; 8 MiB of random data before them and 64 MiB after.
head -c $((8 << 20)) /dev/urandom >"$tmp/hay.bin"
truncate -s $((16 << 20)) "$tmp/hay.bin"
cat "$tmp/dump.bin" >>"$tmp/hay.bin"
head -c $((64 << 20)) /dev/urandom >>"$tmp/hay.bin"
# Sparse beyond: a dump of a big machine is mostly holes (or zero pages).
truncate -s 16G "$tmp/hay.bin"
s=$(date +%s.%N)
"$bdir/vtd-dump" "image:$tmp/hay.bin@0" --scan --profile client >"$tmp/scan.out" 2>&1 || true
e=$(date +%s.%N)
printf '  vtd-dump --scan   %6.2f s   best: %s\n' "$(echo "$e - $s" | bc)" "$(head -1 "$tmp/scan.out" | cut -c1-60)"
printf '  cat (reading the 16 GiB) %6.2f s\n' "$(t cat "$tmp/hay.bin")"

echo
echo "== vtd-top: a >= 1 GB dmesg+ftrace text (the real legacy-strict trace, repeated)"
# The guest's dmesg and ftrace text, ~214 KiB, repeated to 64 MiB, then
# that 17 times: 1.09 GB.  Memory must not grow with the length.
{ cat "$top/tests/data/traces/legacy-strict.dmesg.txt"
  gzip -dc "$top/tests/data/traces/legacy-strict.ftrace.txt.gz"; } >"$tmp/trace-block"
: >"$tmp/trace-64m"
while [ "$(stat -c %s "$tmp/trace-64m")" -lt $((64 << 20)) ]; do cat "$tmp/trace-block" >>"$tmp/trace-64m"; done
: >"$tmp/trace-1g"
for ((k = 0; k < 17; k++)); do cat "$tmp/trace-64m" >>"$tmp/trace-1g"; done
ncpu=$(nproc)
for f in trace-64m trace-1g; do
	bytes=$(stat -c %s "$tmp/$f")
	# one thread, then one per CPU (the default)
	for th in 1 "$ncpu"; do
		s=$(date +%s.%N)
		rss=$( { /usr/bin/time -f '%M' "$bdir/vtd-top" --threads "$th" --report -q \
			--fail-if 'faults<0' "$tmp/$f"; } 2>&1 | tail -1)
		e=$(date +%s.%N)
		top_el=$(echo "$e - $s" | bc)
		printf '  vtd-top --report --threads %-2s %5d MB  %7.2f s  %7.1f MB/s  max RSS %s KiB\n' \
			"$th" "$((bytes / 1000000))" "$top_el" \
			"$(echo "$bytes / 1000000 / $top_el" | bc -l)" "$rss"
	done
	# the readers without the statistics, and the floor of reading lines at all
	"$bdir/tests/bench-trace" "$tmp/$f" 1 "$ncpu"
	s=$(date +%s.%N)
	n=$(grep -c DMAR "$tmp/$f" || true)
	e=$(date +%s.%N)
	el=$(echo "$e - $s" | bc)
	printf '  grep -c DMAR, same file  %7.2f s  %7.1f MB/s  (%s lines)\n' \
		"$el" "$(echo "$bytes / 1000000 / $el" | bc -l)" "$n"
	# the aim (issue 7): vtd-top at half grep's speed or better
	printf '  vtd-top speed / grep speed  %.2fx  (%s CPUs)\n' "$(echo "$el / $top_el" | bc -l)" "$ncpu"
done
rm -f "$tmp/trace-64m" "$tmp/trace-1g"

. "$top/tests/bench-tui.sh"
