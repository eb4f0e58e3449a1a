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
