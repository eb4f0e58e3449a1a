# SPDX-License-Identifier: GPL-2.0-or-later
# Legacy-mode tables (root -> context -> 3-level second stage) probed by edu
# DMA in QEMU's intel-iommu (aw-bits 39).  Each expectation is what the VT-d
# specification says, in QEMU's numbering where it differs (README.md).
QPROBE_ARGS=(--edu 00:03.0 --edu 00:04.0 --edu 00:05.0 --edu 00:06.0)

img_init "$1" 0x100000 0x8000
# 0x100000 stays zero: an empty root table.
put 0x101000 root-legacy P=1 CTP=0x102000
put $((0x102000 + 0x18 * 16)) context-legacy P=1 TT=0 AW=1 SSPTPTR=0x103000 DID=1
# 00:04.0 has no context entry; 00:05.0 is pass-through.
put $((0x102000 + 0x28 * 16)) context-legacy P=1 TT=2 AW=1 DID=2
put 0x103000 ss-pdpe R=1 W=1 ADDR=0x104000
put $((0x104000 + 1 * 8)) ss-pde R=1 W=1 ADDR=0x105000
put $((0x104000 + 2 * 8)) ss-pde-2m R=1 W=1 PS=1 ADDR=0x600000
put $((0x104000 + 3 * 8)) ss-pde R=1 ADDR=0x106000
put $((0x105000 + 0 * 8)) ss-pte R=1 W=1 ADDR=0x300000
put $((0x105000 + 1 * 8)) ss-pte R=1 ADDR=0x301000
put $((0x105000 + 3 * 8)) ss-pte W=1 ADDR=0x303000
put $((0x105000 + 4 * 8)) ss-pte R=1 W=1 ADDR=0x200000304000
put $((0x105000 + 5 * 8)) ss-pte R=1 W=1 TM=1 ADDR=0x305000
put $((0x105000 + 6 * 8)) ss-pte R=1 W=1 ADDR=0x306000
put $((0x105000 + 7 * 8)) ss-pte R=1 W=1 SNP=1 ADDR=0x307000
put 0x106000 ss-pte R=1 W=1 ADDR=0x310000

op '{"op":"enable","rtaddr":"0x100000"}'
probe root-not-present 00:03.0 write 0x200000 0x01
op '{"op":"enable","rtaddr":"0x101000"}'
op '{"op":"inv","context":"global","iotlb":"global"}'
fill 0x300100 0123456789abcdeffedcba9876543210
fill 0x301000 a5a5a5a55a5a5a5a
fill 0x310000 0f1e2d3c4b5a6978
probe write-4k 00:03.0 write 0x200000 ok 0x300000
probe write-4k-offset 00:03.0 write 0x200abc ok 0x300abc 16
probe read-4k 00:03.0 read 0x200100 ok 0x300100 16
probe write-readonly-pte 00:03.0 write 0x201000 0x05
probe read-readonly-pte 00:03.0 read 0x201000 ok 0x301000
CACHE=1 probe write-readonly-iotlb-hit-dropped 00:03.0 write 0x201000 dropped 0x301000
probe write-pte-not-present 00:03.0 write 0x202000 0x05
probe read-pte-not-present 00:03.0 read 0x202000 0x06
probe read-writeonly-pte 00:03.0 read 0x203000 0x06
probe write-writeonly-pte 00:03.0 write 0x203000 ok 0x303000
probe pte-addr-above-haw 00:03.0 write 0x204000 0x0c
probe pte-tm-bit-qemu-reserved 00:03.0 write 0x205000 0x0c
probe pte-snp-bit-qemu-reserved 00:03.0 write 0x207000 0x0c
probe write-2m-page 00:03.0 write 0x401234 ok 0x601234
probe write-under-readonly-pde 00:03.0 write 0x600000 0x05
probe read-under-readonly-pde 00:03.0 read 0x600000 ok 0x310000
probe pdpe-not-present 00:03.0 write 0x40000000 0x05
probe iova-above-aw 00:03.0 write 0x8000000000 0x04
probe context-not-present 00:04.0 write 0x200000 0x02
probe pass-through 00:05.0 write 0x380000 ok 0x380000

# Caches: a changed PTE is not seen until the IOTLB is invalidated, and a
# cleared context entry is not seen until the context cache is.
setq $((0x105000)) $((0x320000 | 3))
CACHE=1 probe stale-iotlb-hit 00:03.0 write 0x200000 ok 0x300000
op '{"op":"inv","iotlb":"page","did":1,"addr":"0x200000","am":0}'
probe after-page-invalidation 00:03.0 write 0x200000 ok 0x320000
setq $((0x102000 + 0x18 * 16)) 0
setq $((0x102000 + 0x18 * 16 + 8)) 0
CACHE=1 probe stale-context-cache 00:03.0 write 0x206000 ok 0x306000
op '{"op":"inv","context":"device","bdf":"00:03.0","iotlb":"domain","did":1}'
probe after-context-invalidation 00:03.0 write 0x206000 0x02

# FPD: a not-present context entry with FPD set faults 0x02, a "qualified"
# reason, so nothing is recorded; QEMU's trace still shows it.
op '{"op":"inv","context":"global","iotlb":"global"}'
put $((0x102000 + 0x30 * 16)) context-legacy P=0 FPD=1
probe fpd-context-not-present 00:06.0 write 0x200000 suppressed 0x300000

# Queued invalidation (128-bit descriptors): restore the context entry of
# 00:03.0, invalidate it device-selectively, then change and invalidate a page.
setq $((0x102000 + 0x18 * 16)) $((0x103000 | 1))
setq $((0x102000 + 0x18 * 16 + 8)) $((1 << 8 | 1))
qi inv-cc G=device DID=1 SID=0x18
probe qi-after-cc-device 00:03.0 write 0x206000 ok 0x306000
setq $((0x105000 + 6 * 8)) $((0x350000 | 3))
CACHE=1 probe qi-stale-iotlb-hit 00:03.0 write 0x206000 ok 0x306000
qi inv-iotlb G=page DID=1 AM=1 ADDR=0x206000
probe qi-after-iotlb-page 00:03.0 write 0x206000 ok 0x350000
