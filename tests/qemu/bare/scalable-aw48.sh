# SPDX-License-Identifier: GPL-2.0-or-later
# Scalable mode with aw-bits=48 (QEMU 7.2): 4-level second-stage tables,
# 3-level ones beside them (SAGAW has both), the 48-bit limits, and an
# unsupported 5-level entry.
QPROBE_ARGS=(--scalable --aw-bits 48 --edu 00:03.0 --edu 00:04.0 --edu 00:05.0 --edu 00:06.0)

ctx() { echo $((0x102000 + $1 * 32)); }
pe() { echo $((0x109000 + $1 * 64)); }
img_init "$1" 0x100000 0x10000
put 0x101000 root-sm LP=1 LCTP=0x102000
put 0x108000 pasid-dir P=1 SMPTBLPTR=0x109000
put "$(ctx 0x18)" context-sm P=1 PASIDDIRPTR=0x108000 RID_PASID=0
put "$(pe 0)" pasid-entry P=1 PGTT=2 AW=2 SSPTPTR=0x103000 DID=1
put "$(ctx 0x20)" context-sm P=1 PASIDDIRPTR=0x108000 RID_PASID=1
put "$(pe 1)" pasid-entry P=1 PGTT=2 AW=1 SSPTPTR=0x104000 DID=2
put "$(ctx 0x28)" context-sm P=1 PASIDDIRPTR=0x108000 RID_PASID=2
put "$(pe 2)" pasid-entry P=1 PGTT=2 AW=3 SSPTPTR=0x103000 DID=3
put "$(ctx 0x30)" context-sm P=1 PASIDDIRPTR=0x108000 RID_PASID=3
put "$(pe 3)" pasid-entry P=1 PGTT=4 AW=2 DID=4

# PML4 0x103000 -> PDPT 0x104000 -> PD 0x105000 -> PT 0x106000; PML4[1] -> PDPT 0x10a000.
put 0x103000 ss-pml4e R=1 W=1 ADDR=0x104000
put $((0x103000 + 1 * 8)) ss-pml4e R=1 W=1 ADDR=0x10a000
put 0x104000 ss-pdpe R=1 W=1 ADDR=0x105000
put 0x105000 ss-pde R=1 W=1 ADDR=0x106000
put $((0x106000 + 0 * 8)) ss-pte R=1 W=1 ADDR=0x300000
put $((0x106000 + 1 * 8)) ss-pte R=1 W=1 ADDR=0x800000301000
put $((0x106000 + 2 * 8)) ss-pte R=1 W=1 ADDR=0x1000000302000
put 0x10a000 ss-pdpe-1g R=1 W=1 PS=1 ADDR=0x0
# PML4[2]: PS is reserved at the top level.
setq $((0x103000 + 2 * 8)) $((0x104000 | 0x80 | 3))

op '{"op":"enable","rtaddr":"0x101400"}'
op '{"op":"inv","context":"global","iotlb":"global"}'
probe w48-4level 00:03.0 write 0x0 ok 0x300000
probe w48-1g-under-pml4 00:03.0 write 0x8000400000 ok 0x400000
probe w48-pte-bit47-allowed 00:03.0 write 0x1000 ok
probe w48-pte-bit48-reserved 00:03.0 write 0x2000 0x0c
probe w48-pml4-ps-reserved 00:03.0 write 0x10000000000 0x0c
probe w48-iova-2p48-beyond 00:03.0 write 0x1000000000000 0x04
probe w48-3level-entry 00:04.0 write 0x0 ok 0x300000
probe w48-3level-iova-2p39-beyond 00:04.0 write 0x8000000000 0x04
probe w48-5level-entry-qemu 00:05.0 write 0x0 0x58
probe w48-pass-through 00:06.0 write 0x380000 ok 0x380000
