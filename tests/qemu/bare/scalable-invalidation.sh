# SPDX-License-Identifier: GPL-2.0-or-later
# Scalable mode (aw-bits 39): QEMU 7.2's IOTLB and context cache against
# queued invalidation with 256-bit descriptors.  As in invalidation.sh, a
# probe before the invalidation that sees a stale entry is CACHE=1, one
# after it sees the tables.  What differs from legacy mode in QEMU 7.2:
#   - PASID-based IOTLB descriptors (type 6) are accepted and ignored
#     (README.md, fact 5); IOTLB descriptors (type 2) work, by the DID of
#     the PASID entry;
#   - there is no PASID cache: a changed PASID entry is used by the next
#     walk without any invalidation (the specification lets it be cached
#     until a PASID-cache invalidation), and a PASID entry that turns to
#     pass-through does so at once;
#   - for requests without PASID the context entry (and RID_PASID's PASID
#     entry) is resolved before the IOTLB is looked up, and the IOTLB is
#     keyed by that PASID: a context invalidation alone stops a cached page.
QPROBE_ARGS=(--scalable --edu 00:03.0 --edu 00:04.0 --edu 00:05.0 --edu 00:06.0 --edu 00:07.0)
QI_WIDTH=256

ctx() { echo $((0x102000 + $1 * 32)); }
pe() { echo $((0x108000 + $1 * 64)); }
img_init "$1" 0x100000 0x20000
put 0x101000 root-sm LP=1 LCTP=0x102000
put 0x107000 pasid-dir P=1 SMPTBLPTR=0x108000
# 00:03.0 and 00:04.0: domain 1 (tables A), PASID entries 0 and 1; 00:05.0:
# domain 2 (tables B), entry 2; 00:06.0: domain 3 (B), entry 3; 00:07.0:
# RID_PASID 4 (domain 4, A), later 5 (domain 5, B).
put "$(ctx 0x18)" context-sm P=1 PASIDDIRPTR=0x107000 RID_PASID=0
put "$(ctx 0x20)" context-sm P=1 PASIDDIRPTR=0x107000 RID_PASID=1
put "$(ctx 0x28)" context-sm P=1 PASIDDIRPTR=0x107000 RID_PASID=2
put "$(ctx 0x30)" context-sm P=1 PASIDDIRPTR=0x107000 RID_PASID=3
put "$(ctx 0x38)" context-sm P=1 PASIDDIRPTR=0x107000 RID_PASID=4
put "$(pe 0)" pasid-entry P=1 PGTT=2 AW=1 SSPTPTR=0x110000 DID=1
put "$(pe 1)" pasid-entry P=1 PGTT=2 AW=1 SSPTPTR=0x110000 DID=1
put "$(pe 2)" pasid-entry P=1 PGTT=2 AW=1 SSPTPTR=0x118000 DID=2
put "$(pe 3)" pasid-entry P=1 PGTT=2 AW=1 SSPTPTR=0x118000 DID=3
put "$(pe 4)" pasid-entry P=1 PGTT=2 AW=1 SSPTPTR=0x110000 DID=4
put "$(pe 5)" pasid-entry P=1 PGTT=2 AW=1 SSPTPTR=0x118000 DID=5
# Tables A: n * 4 KiB -> 0x300000 + n * 4 KiB (n < 16).  B: 0x0 -> 0x400000,
# 0x2000 -> 0x402000, 0x3000 -> 0x403000.
put 0x110000 ss-pdpe R=1 W=1 ADDR=0x111000
put 0x111000 ss-pde R=1 W=1 ADDR=0x112000
for n in $(seq 0 15); do
	put $((0x112000 + n * 8)) ss-pte R=1 W=1 ADDR=$((0x300000 + n * 0x1000))
done
put 0x118000 ss-pdpe R=1 W=1 ADDR=0x119000
put 0x119000 ss-pde R=1 W=1 ADDR=0x11a000
put 0x11a000 ss-pte R=1 W=1 ADDR=0x400000
put $((0x11a000 + 16)) ss-pte R=1 W=1 ADDR=0x402000
put $((0x11a000 + 24)) ss-pte R=1 W=1 ADDR=0x403000

pte() { setq $((0x112000 + $1 * 8)) $(($2 ? $2 | 3 : 0)); }

op '{"op":"enable","rtaddr":"0x101400"}'
qi inv-cc G=global
qi inv-iotlb G=global
for n in 0 1 2 3 4; do
	probe smi-warm-page$n 00:03.0 write $((n * 0x1000)) ok $((0x300000 + n * 0x1000))
done
probe smi-warm-domain2 00:05.0 write 0x0 ok 0x400000
for n in 0 1 2 3 4; do pte $n $((0x320000 + n * 0x1000)); done
setq 0x11a000 $((0x420000 | 3))

CACHE=1 probe smi-stale-before 00:03.0 write 0x1000 ok 0x301000
qi inv-piotlb G=page DID=1 PASID=0 AM=4 ADDR=0x0
CACHE=1 probe smi-piotlb-page-ignored-qemu 00:03.0 write 0x1000 ok 0x301000
qi inv-piotlb G=pasid DID=1 PASID=0
CACHE=1 probe smi-piotlb-pasid-ignored-qemu 00:03.0 write 0x2000 ok 0x302000
qi inv-iotlb G=page DID=1 AM=4 ADDR=0x0
probe smi-iotlb-page-am2-first 00:03.0 write 0x0 ok 0x320000
probe smi-iotlb-page-am2-last 00:03.0 write 0x3000 ok 0x323000
CACHE=1 probe smi-iotlb-page-am2-next-stale 00:03.0 write 0x4000 ok 0x304000
probe smi-same-domain-other-device-walks 00:04.0 write 0x4000 ok 0x324000
qi inv-iotlb G=domain DID=2
CACHE=1 probe smi-iotlb-domain-other-did-stale 00:03.0 write 0x4000 ok 0x304000
probe smi-iotlb-domain2 00:05.0 write 0x0 ok 0x420000
qi inv-iotlb G=global
probe smi-iotlb-global 00:03.0 write 0x4000 ok 0x324000

# Unmapping a page: stale until the page is invalidated.
probe smi-unmap-warm 00:03.0 write 0x6000 ok 0x306000
pte 6 0
CACHE=1 probe smi-unmap-stale 00:03.0 write 0x6000 ok 0x306000
qi inv-iotlb G=page DID=1 AM=1 ADDR=0x6000
probe smi-unmap-after-iotlb-page 00:03.0 write 0x6000 0x05

# No PASID cache: PASID entry 0 moved to tables B is used at once by a
# page not in the IOTLB, while a cached page stays stale.
probe smi-pe-warm 00:03.0 write 0x7000 ok 0x307000
setq "$(pe 0)" $((0x118000 | 2 << 6 | 1 << 2 | 1))
probe smi-pe-change-no-pasid-cache-qemu 00:03.0 write 0x2000 ok 0x402000
CACHE=1 probe smi-pe-change-iotlb-stale 00:03.0 write 0x7000 ok 0x307000
# A PASID-cache descriptor (type 7) is accepted; it leaves the IOTLB alone.
qi inv-pc G=pasid DID=1 PASID=0
CACHE=1 probe smi-pc-leaves-iotlb 00:03.0 write 0x7008 ok 0x307008
qi inv-iotlb G=domain DID=1
probe smi-pe-change-after-iotlb 00:03.0 write 0x3000 ok 0x403000
setq "$(pe 0)" $((0x110000 | 2 << 6 | 1 << 2 | 1))
qi inv-iotlb G=domain DID=1

# The context cache (00:07.0): RID_PASID 4 -> 5.
C7=$(ctx 0x38)
probe smi-cc-warm 00:07.0 write 0x8000 ok 0x308000
setq $((C7 + 8)) 5
CACHE=1 probe smi-cc-stale-rid-pasid 00:07.0 write 0x9000 ok 0x309000
qi inv-cc G=device SID=0x38
probe smi-cc-device-new-rid-pasid 00:07.0 write 0x2000 ok 0x402000
probe smi-cc-cached-page-keyed-by-old-pasid-qemu 00:07.0 write 0x8000 0x05
setq "$C7" 0
CACHE=1 probe smi-cc-stale-context 00:07.0 write 0x3008 ok 0x403008
qi inv-cc G=domain DID=5
probe smi-cc-context-before-iotlb-qemu 00:07.0 write 0x2000 0x02

# A PASID entry that turns to pass-through (00:06.0) does so at once; back to
# second stage, QEMU's pass-through fast path stays until the context is
# invalidated.
probe smi-pt-warm 00:06.0 write 0x2000 ok 0x402000
setq "$(pe 3)" $((4 << 6 | 1 << 2 | 1))
probe smi-pgtt-pt-no-pasid-cache-qemu 00:06.0 write 0x391000 ok 0x391000
setq "$(pe 3)" $((0x118000 | 2 << 6 | 1 << 2 | 1))
CACHE=1 probe smi-pt-fast-path-stale 00:06.0 write 0x3000 ok 0x3000
qi inv-cc G=device SID=0x30
probe smi-pt-fast-path-after-cc 00:06.0 write 0x3010 ok 0x403010
