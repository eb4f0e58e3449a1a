# SPDX-License-Identifier: GPL-2.0-or-later
# Legacy mode, QEMU 7.2 (aw-bits 39): the context-entry and page-walk faults
# the first scenario leaves out, measured so that libvtd's translation
# engine can be held to them (vtd-sim --faults qemu).  Reserved bits are planted with
# setq, since the encoder refuses to write them.
QPROBE_ARGS=(--edu 00:03.0 --edu 00:04.0 --edu 00:05.0 --edu 00:06.0 --edu 00:07.0
	     --edu 00:08.0 --edu 00:09.0 --edu 00:0a.0)

ctx() { echo $((0x102000 + $1 * 16)); }	# legacy context table, 16-byte entries
img_init "$1" 0x100000 0x20000
put 0x101000 root-legacy P=1 CTP=0x102000
put "$(ctx 0x18)" context-legacy P=1 TT=0 AW=1 SSPTPTR=0x103000 DID=1
# 00:04.0: reserved bit 5 of the low word; 00:09.0: reserved bit 100.
put "$(ctx 0x20)" context-legacy P=1 TT=0 AW=1 SSPTPTR=0x103000 DID=2
put "$(ctx 0x48)" context-legacy P=1 TT=0 AW=1 SSPTPTR=0x103000 DID=9
# 00:05.0: a 4-level table the unit (SAGAW 39-bit only) does not support.
put "$(ctx 0x28)" context-legacy P=1 TT=0 AW=2 SSPTPTR=0x103000 DID=3
# 00:06.0: device-TLB type without ECAP.DT; 00:07.0: the reserved type (planted below).
put "$(ctx 0x30)" context-legacy P=1 TT=1 AW=1 SSPTPTR=0x103000 DID=4
# 00:08.0: the top table lies beyond the 256 MiB of RAM.
put "$(ctx 0x40)" context-legacy P=1 TT=0 AW=1 SSPTPTR=0x20000000 DID=6
# 00:0a.0: FPD set: the qualified faults of its walk are not recorded.
put "$(ctx 0x50)" context-legacy P=1 FPD=1 TT=0 AW=1 SSPTPTR=0x103000 DID=10

put 0x103000 ss-pdpe R=1 W=1 ADDR=0x104000
put $((0x103000 + 1 * 8)) ss-pdpe-1g R=1 W=1 PS=1 ADDR=0x0
put $((0x103000 + 2 * 8)) ss-pdpe R=1 W=1 ADDR=0x20000000
put $((0x104000 + 0 * 8)) ss-pde R=1 W=1 ADDR=0x105000
put $((0x104000 + 1 * 8)) ss-pde R=1 W=1 ADDR=0x20000000
put $((0x104000 + 2 * 8)) ss-pde-2m R=1 W=1 PS=1 ADDR=0xe00000
put $((0x104000 + 3 * 8)) ss-pde-2m R=1 W=1 PS=1 ADDR=0xfee00000
put $((0x105000 + 0 * 8)) ss-pte R=1 W=1 ADDR=0x300000
put $((0x105000 + 1 * 8)) ss-pte R=1 W=1 ADDR=0xfee00000
put $((0x105000 + 2 * 8)) ss-pte R=1 W=1 X=1 EMT=6 IPAT=1 A=1 D=1 ADDR=0x302000

op '{"op":"enable","rtaddr":"0x101000"}'
op '{"op":"inv","context":"global","iotlb":"global"}'
probe ok-4k 00:03.0 write 0x0 ok 0x300000
probe ok-ignored-bits 00:03.0 write 0x2000 ok 0x302000
probe ok-1g-page 00:03.0 write 0x40400000 ok 0x400000
probe ok-2m-page 00:03.0 write 0x400000 ok 0xe00000
probe lf-pde-table-beyond-ram 00:03.0 write 0x200000 0x07
probe lf-pdpe-table-beyond-ram 00:03.0 write 0x80000000 0x07
probe lf-pte-interrupt-window 00:03.0 write 0x1000 0x0e
probe lf-2m-interrupt-window 00:03.0 write 0x6ff000 0x0e
probe lf-2m-page-overlapping-window 00:03.0 write 0x7ff000 0x0e
probe lf-context-aw-unsupported 00:05.0 write 0x0 0x03
probe lf-context-tt-devtlb 00:06.0 write 0x0 0x03
probe lf-top-table-beyond-ram 00:08.0 write 0x0 0x03
probe lf-fpd-pte-not-present 00:0a.0 write 0x3000 suppressed

# The planted reserved bits (the entries above are otherwise valid).
setq $(ctx 0x20) $((0x103000 | 0x20 | 1))
setq $(($(ctx 0x48) + 8)) $((1 << 36 | 9 << 8 | 1))
setq $((0x104000 + 2 * 8)) $((0xe00000 | 0x1000 | 0x83))
setq $(ctx 0x38) $((0x103000 | 3 << 2 | 1))
setq $(($(ctx 0x38) + 8)) $((5 << 8 | 1))
op '{"op":"inv","context":"global","iotlb":"global"}'
probe lf-context-reserved-lo-planted 00:04.0 write 0x0 0x0b
probe lf-context-reserved-hi-planted 00:09.0 write 0x0 0x0b
probe lf-2m-reserved-planted 00:03.0 write 0x400000 0x0c
probe lf-context-tt-reserved 00:07.0 write 0x0 0x03
probe lf-fpd-reserved 00:0a.0 write 0x400000 suppressed

# Root entries: a reserved bit, a non-zero high word, a context table
# beyond RAM, and a root table beyond RAM.
setq 0x110000 $((0x102000 | 0x8 | 1))
setq 0x111000 $((0x102000 | 1))
setq 0x111008 1
setq 0x112000 $((0x20000000 | 1))
op '{"op":"enable","rtaddr":"0x110000"}'
op '{"op":"inv","context":"global","iotlb":"global"}'
probe lf-root-reserved-lo 00:03.0 write 0x0 0x0a
op '{"op":"enable","rtaddr":"0x111000"}'
op '{"op":"inv","context":"global","iotlb":"global"}'
probe lf-root-reserved-hi 00:03.0 write 0x0 0x0a
op '{"op":"enable","rtaddr":"0x112000"}'
op '{"op":"inv","context":"global","iotlb":"global"}'
probe lf-context-table-beyond-ram 00:03.0 write 0x0 0x09
op '{"op":"enable","rtaddr":"0x20000000"}'
op '{"op":"inv","context":"global","iotlb":"global"}'
probe lf-root-table-beyond-ram 00:03.0 write 0x0 0x08
