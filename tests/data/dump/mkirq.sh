#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Memory and register pages for vtd-dump's register, IRTE and invalidation-queue
# cases (tests/cli/dump/irq-*), every structure encoded by vtd-decode --encode:
#   DIR/irq.img   memory from 0x100000: an empty legacy root table (0x100000),
#                 a 16-entry IRT (0x101000), a 128-bit queue (0x102000), a
#                 256-bit queue (0x103000), posted-interrupt descriptors (0x104000)
#   DIR/q128.regs  register page: IRT, the 128-bit queue with 4 descriptors
#                  pending (head 6, tail 10), a pending DMA fault in FRCD[1]
#   DIR/q256.regs  register page: the 256-bit queue (head = tail = 5), a pending
#                  interrupt-remapping fault in FRCD[0]
# Usage: mkirq.sh DIR   (vtd-decode on PATH)
set -eu
dir=$1
enc() { vtd-decode --encode "$@"; }
# put FILE OFFSET WORD...: little-endian 64-bit words (32-bit registers: one word
# of which the low half is written when the offset ends in 4 or c) at OFFSET
put() {
	python3 - "$@" <<'PY'
import struct, sys
f, off, words = sys.argv[1], int(sys.argv[2], 0), [int(w, 0) for w in sys.argv[3:]]
with open(f, 'r+b') as h:
    h.seek(off)
    for w in words:
        h.write(struct.pack('<Q', w) if w >> 32 or off % 8 == 0 else struct.pack('<I', w))
PY
}
img=$dir/irq.img
truncate -s 0 "$img" && truncate -s $((0x5000)) "$img"
# ---- the IRT: remapped entries with each SVT/SQ, a posted one, one not present ----
irte() { put "$img" $((0x1000 + 16 * $1)) $(enc "${@:2}"); }
irte 0 irte-remapped p=1 v=0x30 dlm=fixed tm=edge dm=physical dst=0x100 sid=0x18 svt=sid sq=all
irte 1 irte-remapped p=1 v=0x31 dlm=lowest-priority tm=level dm=logical rh=1 dst=0x300 sid=0x18 \
	svt=sid sq=ignore-fn
irte 2 irte-remapped p=1 v=0x32 dlm=fixed dst=0x200 sid=0x0001 svt=bus-range
irte 3 irte-remapped p=1 v=0x33 dlm=fixed dst=0x100 svt=none
irte 4 irte-posted p=1 vv=0x40 pda_l=0x104040 pda_h=0 sid=0x20 svt=sid urg=1
irte 5 irte-remapped p=0 v=0x35 sid=0x18 svt=sid
# ---- the 128-bit queue: slots 0-9, head 6 (6-9 pending), tail 10 ----
q128() { put "$img" $((0x2000 + 16 * $1)) $(enc "${@:2}"); }
q128 0 inv-cc g=global
q128 1 inv-iotlb g=global dw=1 dr=1
q128 2 inv-wait sw=1 statdata=1 stataddr=0x104000
q128 3 inv-iec g=global
q128 4 inv-wait sw=1 statdata=1 stataddr=0x104004
q128 5 inv-iec g=index iidx=3 im=1
q128 6 inv-iotlb g=page did=1 am=1 addr=0x7000 dw=1 dr=1
q128 7 inv-iotlb g=page did=1 am=2 addr=0x8000 dw=1 dr=1 ih=1
q128 8 inv-devtlb sid=0x18 mip=0 addr=0x7000
q128 9 inv-wait sw=1 fn=1 statdata=1 stataddr=0x104008
# ---- the 256-bit queue: slots 0-4 done, head = tail = 5 ----
q256() { put "$img" $((0x3000 + 32 * $1)) $(enc "${@:2}"); }
q256 0 inv-pc g=pasid did=2 pasid=5
q256 1 inv-piotlb g=page did=2 pasid=5 am=1 addr=0x5000
q256 2 inv-wait sw=1 statdata=1 stataddr=0x104010
q256 3 inv-cc g=domain did=2
q256 4 inv-wait if=1 sw=1 statdata=1 stataddr=0x104014
# ---- register pages: CAP with NFR 3 (4 records at FRO 0x220) ----
regs() {
	local f=$dir/$1
	truncate -s 0 "$f" && truncate -s 4096 "$f"
	put "$f" 0x00 0x10
	put "$f" 0x08 0x00d2038c22260206 0x0000000000f00f4a
	put "$f" 0x1c "$(enc gsts tes=1 rtps=1 qies=1 ires=1 irtps=1)"
	put "$f" 0x20 0x100000
	put "$f" 0xb8 "$(enc irta irta=0x101000 s=16)"
}
regs q128.regs
put "$dir/q128.regs" 0x34 "$(enc fsts ppf=1 fri=1)"
put "$dir/q128.regs" 0x80 $((6 * 16)) $((10 * 16)) "$(enc iqa iqa=0x102000 qs=1)"
put "$dir/q128.regs" 0x220 $(enc frcd fi=0x200000 sid=0x20 fr=0x6 t=read)
put "$dir/q128.regs" 0x230 $(enc frcd f=1 fi=0x12345000 sid=0x18 fr=0x5 t=write)
regs q256.regs
put "$dir/q256.regs" 0x34 "$(enc fsts ppf=1 pfo=1)"
put "$dir/q256.regs" 0x80 $((5 * 32)) $((5 * 32)) "$(enc iqa iqa=0x103000 qs=1 dw=256-bit)"
put "$dir/q256.regs" 0x220 $(enc frcd f=1 fi=0x0005000000000000 sid=0x20 fr=0x25 t=write)
