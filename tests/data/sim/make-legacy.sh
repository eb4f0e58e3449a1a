#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Rebuilds legacy.bin (loaded at 0x100000, RTADDR 0x101000) with vtd-decode:
# 00:03.0 in domain 1 with a 3-level second-stage table, 00:05.0 pass-through,
# 00:04.0 without a context entry.
#   IOVA 0x200000 -> 0x300000 rw     0x201000 -> 0x301000 read-only
#   IOVA 0x203000 -> 0x303000 write-only   0x400000 (2M) -> 0x600000 rw
set -eu
dec=${VTD_DECODE:-vtd-decode}
out=${1:-legacy.bin}
base=$((0x100000))
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.e"' EXIT
head -c $((0x6000)) /dev/zero >"$tmp"
put() {
	local pa=$(($1)) l=$2
	shift 2
	"$dec" --encode "$l" "$@" -o "$tmp.e"
	dd if="$tmp.e" of="$tmp" bs=1 seek=$((pa - base)) conv=notrunc status=none
}
put 0x101000 root-legacy P=1 CTP=0x102000
put $((0x102000 + 0x18 * 16)) context-legacy P=1 TT=0 AW=1 SSPTPTR=0x103000 DID=1
put $((0x102000 + 0x28 * 16)) context-legacy P=1 TT=2 AW=1 DID=2
put 0x103000 ss-pdpe R=1 W=1 ADDR=0x104000
put $((0x104000 + 1 * 8)) ss-pde R=1 W=1 ADDR=0x105000
put $((0x104000 + 2 * 8)) ss-pde-2m R=1 W=1 PS=1 ADDR=0x600000
put $((0x105000 + 0 * 8)) ss-pte R=1 W=1 ADDR=0x300000
put $((0x105000 + 1 * 8)) ss-pte R=1 ADDR=0x301000
put $((0x105000 + 3 * 8)) ss-pte W=1 ADDR=0x303000
mv "$tmp" "$out"
