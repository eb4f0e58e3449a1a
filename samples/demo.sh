#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# demo.sh -- the tools' main jobs on the bundled samples (run by 'make demo').
#
#   B=build bash samples/demo.sh
#
# Every step must end with the exit status it is expected to have: 0 for a
# clean decode, 1 where the step deliberately shows a finding.  Any other
# status stops the demo with a non-zero exit.

set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
B=${B:-build}
case $B in
/*) bdir=$B ;;
*) bdir=$top/$B ;;
esac
tool=$bdir/vtd-decode
for t in "$tool" "$bdir/vtd-sim" "$bdir/vtd-compile" "$bdir/vtd-top"; do
	if [ ! -x "$t" ]; then
		echo "demo: $t not found (run 'make B=$B' first)" >&2
		exit 2
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vtd-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

failed=0
heading() { printf '\n==== %s ====\n' "$*"; }

# step WANT CMD...: show and run CMD, check its exit status is WANT.
step() {
	local want=$1 rc
	shift
	local shown="$*"
	printf '$ %s\n' "${shown//$tmp\//}"
	"$@"
	rc=$?
	if [ "$rc" != "$want" ]; then
		echo "demo: FAILED (exit $rc, expected $want): $*" >&2
		failed=1
	fi
}

# step_to FILE WANT CMD...: the same, with CMD's stdout going to FILE.
step_to() {
	local out=$1 want=$2 rc
	shift 2
	local shown="$*"
	printf '$ %s > %s\n' "${shown//$tmp\//}" "${out##*/}"
	"$@" >"$out"
	rc=$?
	if [ "$rc" != "$want" ]; then
		echo "demo: FAILED (exit $rc, expected $want): $*" >&2
		failed=1
	fi
}

vtd-decode() { "$tool" "$@"; }
vtd-sim() { "$bdir/vtd-sim" "$@"; }
vtd-compile() { "$bdir/vtd-compile" "$@"; }
vtd-top() { "$bdir/vtd-top" "$@"; }

cd "$here" || exit 2

heading "The ACPI DMAR table QEMU 7.2 gives a q35 guest (intremap=on,device-iotlb=on)"
step 0 vtd-decode dmar dmar-qemu.dmar

heading "The IOMMU's register page, read after setting the root table and enabling DMA remapping"
step 0 vtd-decode regs regs-qemu.regs

heading "A capability register value on its own"
step 0 vtd-decode cap 0x00d2008c22260206

heading "Context entries from a 4 KiB legacy context table (bus 0, devfn 0x10..0x13 and 0xfb)"
step 0 vtd-decode -1 -f context-table.bin --offset 0x100 -n 4 context-legacy
step 0 vtd-decode -f context-table.bin --offset 0xfb0 context-legacy

heading "Encode a context entry, then decode the words again"
words=$(vtd-decode --encode context-legacy p=1 tt=multi-level aw=48-bit ssptptr=0x10b000 did=2)
rc=$?
printf '$ vtd-decode --encode context-legacy p=1 tt=multi-level aw=48-bit ssptptr=0x10b000 did=2\n%s\n' "$words"
[ "$rc" = 0 ] || { echo "demo: FAILED: encode exited $rc" >&2; failed=1; }
# shellcheck disable=SC2086 # the words are meant to split
step 0 vtd-decode -1 context-legacy $words

heading "The same through JSON: decode to JSON, encode from it, compare bytes"
step_to "$tmp/entry.json" 0 vtd-decode -j -f context-table.bin --offset 0xfb0 context-legacy
step 0 vtd-decode --encode context-legacy --from-json "$tmp/entry.json" -o "$tmp/entry.bin"
dd if=context-table.bin of="$tmp/orig.bin" bs=16 skip=$((0xfb)) count=1 status=none
if cmp -s "$tmp/orig.bin" "$tmp/entry.bin"; then
	echo "round trip: the 16 bytes at 0xfb0 came back identical"
else
	echo "demo: FAILED: JSON round trip changed the entry" >&2
	failed=1
fi

heading "A finding: a present context entry with a reserved translation type (exit 1)"
step 1 vtd-decode -1 context-legacy 0x10a00d 0x101

heading "The DMAR table through JSON and back"
step_to "$tmp/dmar.json" 0 vtd-decode -j dmar dmar-qemu.dmar
step 0 vtd-decode dmar --encode "$tmp/dmar.json" -o "$tmp/dmar.bin"
if cmp -s dmar-qemu.dmar "$tmp/dmar.bin"; then
	echo "round trip: dmar-qemu.dmar rebuilt byte for byte"
else
	echo "demo: FAILED: DMAR JSON round trip changed the table" >&2
	failed=1
fi

heading "vtd-sim: a page unmapped and invalidated late (a stale IOTLB hit), every walk explained"
step 0 vtd-sim --explain -f revoke-late.scenario

heading "The same under QEMU 7.2's caches: the write on a read-only IOTLB entry is dropped (exit 1)"
step 1 vtd-sim --faults qemu --tap -f revoke-late.scenario

heading "Three invalidation policies compared: IOTLB hits, walks and stale hits"
for p in strict-page strict-domain deferred; do
	echo "-- $p"
	step 0 vtd-sim -q --stats -f policies/$p.scenario
done

heading "vtd-compile: every sample layout built, checked by the engine, written as image, C, ELF and map"
for l in layouts/*.json; do
	n=$(basename "$l" .json)
	step 0 vtd-compile --verify --stats "$l" -o "$tmp/$n.bin" -o "$tmp/$n.c" -o "$tmp/$n.o" -o "$tmp/$n.json"
done
step 0 head -n 12 "$tmp/hypervisor-passthrough.h"

heading "The tables read back into a layout, and that layout builds the same bytes"
step 0 vtd-compile -q -d "$tmp/scalable-pasid.bin@0x7d000000" --rtaddr 0x7d000400 \
	--profile server --verify -o "$tmp/back.json"
step 0 vtd-compile -q "$tmp/back.json" -o "$tmp/again.bin"
if cmp -s "$tmp/scalable-pasid.bin" "$tmp/again.bin"; then
	echo "round trip: scalable-pasid.bin rebuilt byte for byte from its decompiled layout"
else
	echo "demo: FAILED: compile(decompile(x)) differs from x" >&2
	failed=1
fi

heading "A layout with mistakes: every problem, each with file:line:col and JSON pointer (exit 3)"
cat >"$tmp/bad.json" <<'JSON'
{
  "vtd_layout": 1,
  "placement": {"base": "0x100000", "size": "8K"},
  "domains": {
    "nic": {"did": 1, "map": [
      {"iova": "0x1000", "pa": "0x200800", "size": "4K"},
      {"iova": "0x8000", "pa": "0x300000", "size": "8K", "perm": "rw"}
    ]}
  },
  "devices": [
    {"bdf": "00:03.0", "domain": "nci"},
    {"bdf": "00:03.8", "blocked": true}
  ]
}
JSON
step 3 vtd-compile "$tmp/bad.json" -o "$tmp/bad.bin"

heading "Real traces of Linux's intel-iommu: strict and lazy invalidation, two provoked faults"
tr=traces
step 0 vtd-top --report "$tr/legacy-strict.dmesg.txt" "$tr/legacy-strict.ftrace.txt.gz"
step 0 vtd-top -b -d 4 -n 2 "$tr/scalable-lazy.ftrace.txt.zst"

heading "The same as a CI check: lazy mode leaves unmapped IOVAs valid for milliseconds (exit 1)"
step 1 vtd-top --report -q --fail-if 'unmap_to_inv.p99>1ms' --fail-if 'inv.domain_share>10%' \
	"$tr/scalable-lazy.dmesg.txt.gz" "$tr/scalable-lazy.ftrace.txt.zst"

heading "The interactive view's screen without a terminal: the faults, then the log drilled down to one"
step 0 vtd-top --snapshot --size 100x24 --keys 2 "$tr/legacy-strict.dmesg.txt" "$tr/legacy-strict.ftrace.txt.gz"
step 0 vtd-top --snapshot --size 100x24 --keys "2 <Enter> <Enter>" "$tr/legacy-strict.dmesg.txt"

heading "What changed from strict to lazy"
step 0 vtd-top --report --baseline "$tr/legacy-strict.ftrace.txt.gz" "$tr/scalable-lazy.ftrace.txt.zst"

echo
if [ "$failed" != 0 ]; then
	echo "demo: some steps failed" >&2
	exit 1
fi
echo "demo: all steps behaved as expected"
