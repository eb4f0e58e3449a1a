# SPDX-License-Identifier: GPL-2.0-or-later
# Legacy mode (aw-bits 39): QEMU 7.2's IOTLB and context cache against
# register-based and then queued (128-bit) invalidation.  A mapping is
# changed or removed after a probe cached it; a probe before the
# invalidation sees the stale entry (CACHE=1: only a cache model can
# predict it), one after it sees the tables (the engine's answer).
# Which invalidation reaches which entry, as QEMU 7.2 does it:
#   - its IOTLB is keyed by source-id, so a device of the same domain that
#     never used a page walks the changed tables at once;
#   - page-selective invalidation drops the 2^AM pages from ADDR aligned
#     down, and a large page when ADDR falls anywhere in it;
#   - a context-cache invalidation leaves the IOTLB alone, and the IOTLB is
#     looked up before the context entry, so a page survives its context
#     until the IOTLB is invalidated too;
#   - domain-selective context invalidation is done as a global one (QEMU:
#     the specification lets an implementation invalidate more than asked);
#   - a pass-through device's DMA bypasses the unit once it has been seen
#     (QEMU's fast path) until its context entry is invalidated.
QPROBE_ARGS=(--edu 00:03.0 --edu 00:04.0 --edu 00:05.0 --edu 00:06.0 --edu 00:07.0)

ctx() { echo $((0x102000 + $1 * 16)); }
img_init "$1" 0x100000 0x20000
put 0x101000 root-legacy P=1 CTP=0x102000
# Domain 1 (tables A): 00:03.0 and 00:04.0; domain 2 (tables B): 00:05.0;
# 00:06.0 pass-through (domain 3); 00:07.0: domain 4 on tables A.
put "$(ctx 0x18)" context-legacy P=1 AW=1 SSPTPTR=0x110000 DID=1
put "$(ctx 0x20)" context-legacy P=1 AW=1 SSPTPTR=0x110000 DID=1
put "$(ctx 0x28)" context-legacy P=1 AW=1 SSPTPTR=0x118000 DID=2
put "$(ctx 0x30)" context-legacy P=1 TT=2 AW=1 DID=3
put "$(ctx 0x38)" context-legacy P=1 AW=1 SSPTPTR=0x110000 DID=4
# Tables A: IOVA n * 4 KiB -> 0x300000 + n * 4 KiB (n < 16); PD [1] a 2 MiB
# page at 0x800000; PD [2] -> PT 0x113000: 0x400000 -> 0x500000, 0x401000 -> 0x501000.
put 0x110000 ss-pdpe R=1 W=1 ADDR=0x111000
put 0x111000 ss-pde R=1 W=1 ADDR=0x112000
put $((0x111000 + 8)) ss-pde-2m R=1 W=1 PS=1 ADDR=0x800000
put $((0x111000 + 16)) ss-pde R=1 W=1 ADDR=0x113000
for n in $(seq 0 15); do
	put $((0x112000 + n * 8)) ss-pte R=1 W=1 ADDR=$((0x300000 + n * 0x1000))
done
put 0x113000 ss-pte R=1 W=1 ADDR=0x500000
put $((0x113000 + 8)) ss-pte R=1 W=1 ADDR=0x501000
# Tables B: 0x0 -> 0x400000, 0x2000 -> 0x402000.
put 0x118000 ss-pdpe R=1 W=1 ADDR=0x119000
put 0x119000 ss-pde R=1 W=1 ADDR=0x11a000
put 0x11a000 ss-pte R=1 W=1 ADDR=0x400000
put $((0x11a000 + 16)) ss-pte R=1 W=1 ADDR=0x402000

# pte N PA: map page N of tables A to PA (read-write); 0 unmaps it.
pte() { setq $((0x112000 + $1 * 8)) $(($2 ? $2 | 3 : 0)); }
inv() { op "{\"op\":\"inv\",$1}"; }

op '{"op":"enable","rtaddr":"0x101000"}'
inv '"context":"global","iotlb":"global"'
for n in 0 1 2 3 4; do
	probe inv-warm-page$n 00:03.0 write $((n * 0x1000)) ok $((0x300000 + n * 0x1000))
done
probe inv-warm-domain2 00:05.0 write 0x0 ok 0x400000
for n in 0 1 2 3 4; do pte $n $((0x320000 + n * 0x1000)); done
setq 0x11a000 $((0x420000 | 3))

# Page-selective invalidation of 4 pages (AM 2).
CACHE=1 probe inv-stale-before-psi 00:03.0 write 0x1000 ok 0x301000
inv '"iotlb":"page","did":1,"addr":"0x0","am":2'
probe inv-psi-am2-first-page 00:03.0 write 0x0 ok 0x320000
probe inv-psi-am2-last-page 00:03.0 write 0x3000 ok 0x323000
CACHE=1 probe inv-psi-am2-next-page-stale 00:03.0 write 0x4000 ok 0x304000
inv '"iotlb":"page","did":2,"addr":"0x4000","am":0'
CACHE=1 probe inv-psi-other-domain-leaves-page 00:03.0 write 0x4000 ok 0x304000
probe inv-same-domain-other-device-walks 00:04.0 write 0x4000 ok 0x324000
# Domain-selective: domain 1 only.
inv '"iotlb":"domain","did":1'
probe inv-dsi-domain1 00:03.0 write 0x4000 ok 0x324000
CACHE=1 probe inv-dsi-other-domain-stale 00:05.0 write 0x0 ok 0x400000
inv '"iotlb":"global"'
probe inv-global-domain2 00:05.0 write 0x0 ok 0x420000

# A 2 MiB page is dropped by a page-selective invalidation of its last 4 KiB.
probe inv-2m-warm 00:03.0 write 0x201000 ok 0x801000
setq $((0x111000 + 8)) $((0xa00000 | 0x80 | 3))
CACHE=1 probe inv-2m-stale 00:03.0 write 0x202000 ok 0x802000
inv '"iotlb":"page","did":1,"addr":"0x3ff000","am":0'
probe inv-2m-psi-inside-page 00:03.0 write 0x203000 ok 0xa03000

# Unmapping a page: the stale window lasts until the page is invalidated.
probe inv-unmap-warm 00:03.0 write 0x6000 ok 0x306000
pte 6 0
CACHE=1 probe inv-unmap-stale-write 00:03.0 write 0x6000 ok 0x306000
CACHE=1 probe inv-unmap-stale-read 00:03.0 read 0x6000 ok 0x306000
inv '"iotlb":"page","did":1,"addr":"0x6000","am":0,"ih":1'
probe inv-unmap-after-psi-write 00:03.0 write 0x6000 0x05
probe inv-unmap-after-psi-read 00:03.0 read 0x6000 0x06
# Unmapping a page table (its PDE): the cached leaf still hits, a sibling
# that was never used does not.
probe inv-unmap-pde-warm 00:03.0 write 0x400000 ok 0x500000
setq $((0x111000 + 16)) 0
CACHE=1 probe inv-unmap-pde-stale 00:03.0 write 0x400000 ok 0x500000
probe inv-unmap-pde-uncached-sibling 00:03.0 write 0x401000 0x05
inv '"iotlb":"page","did":1,"addr":"0x400000","am":0'
probe inv-unmap-pde-after-psi 00:03.0 write 0x400000 0x05

# The context cache (00:07.0, domain 4 on tables A).
C7=$(ctx 0x38)
probe inv-cc-warm 00:07.0 write 0x7000 ok 0x307000
setq "$C7" 0
setq $((C7 + 8)) 0
CACHE=1 probe inv-cc-stale-context 00:07.0 write 0x8000 ok 0x308000
inv '"context":"device","bdf":"00:06.0"'
CACHE=1 probe inv-cc-other-device-leaves-context 00:07.0 write 0x9000 ok 0x309000
inv '"context":"device","bdf":"00:07.3","fm":3'
probe inv-cc-device-function-mask 00:07.0 write 0xa000 0x02
CACHE=1 probe inv-cc-iotlb-outlives-context 00:07.0 write 0x7000 ok 0x307000
inv '"iotlb":"domain","did":4'
probe inv-cc-after-iotlb-domain 00:07.0 write 0x7000 0x02
# Domain-selective context invalidation for an unused domain reaches 00:05.0.
C5=$(ctx 0x28)
setq "$C5" 0
setq $((C5 + 8)) 0
inv '"context":"domain","did":9'
probe inv-cc-domain-acts-globally-qemu 00:05.0 write 0x2000 0x02
CACHE=1 probe inv-cc-domain-iotlb-outlives-context 00:05.0 write 0x0 ok 0x420000

# Pass-through (00:06.0): QEMU's fast path outlives a changed context entry.
C6=$(ctx 0x30)
probe inv-pt-warm 00:06.0 write 0x390000 ok 0x390000
setq "$C6" $((0x118000 | 1))
setq $((C6 + 8)) $((3 << 8 | 1))
CACHE=1 probe inv-pt-fast-path-stale 00:06.0 write 0x391000 ok 0x391000
inv '"context":"device","bdf":"00:06.0"'
probe inv-pt-to-translated 00:06.0 write 0x391000 0x05
probe inv-pt-to-translated-mapped 00:06.0 write 0x2000 ok 0x402000
setq "$C6" $((1 | 2 << 2))
CACHE=1 probe inv-translated-to-pt-stale 00:06.0 write 0x2008 ok 0x402008
inv '"context":"device","bdf":"00:06.0"'
probe inv-translated-to-pt 00:06.0 write 0x392000 ok 0x392000

# 00:05.0's context entry back, then moved to tables A: a global context
# invalidation makes the move visible.
setq "$C5" $((0x118000 | 1))
setq $((C5 + 8)) $((2 << 8 | 1))
inv '"context":"device","bdf":"00:05.0"'
probe inv-cc-context-back 00:05.0 write 0x2008 ok 0x402008
setq "$C5" $((0x110000 | 1))
CACHE=1 probe inv-cc-stale-table-pointer 00:05.0 write 0x5000 0x05
inv '"context":"global"'
probe inv-cc-global 00:05.0 write 0x5008 ok 0x305008
setq "$C5" $((0x118000 | 1))
inv '"context":"global","iotlb":"domain","did":2'

# Queued invalidation (128-bit descriptors) from here on.
probe qi-warm-page8 00:03.0 write 0x8000 ok 0x308000
pte 8 0x338000
CACHE=1 probe qi-stale-before 00:03.0 write 0x8000 ok 0x308000
qi inv-iotlb G=page DID=1 AM=1 ADDR=0x8000 DR=1 DW=1
probe qi-iotlb-page 00:03.0 write 0x8000 ok 0x338000
for n in 9 10 11 12; do probe qi-warm-page$n 00:03.0 write $((n * 0x1000)) ok $((0x300000 + n * 0x1000)); done
for n in 9 10 11 12; do pte $n $((0x340000 + n * 0x1000)); done
qi inv-iotlb G=page DID=1 AM=4 ADDR=0x8000
probe qi-iotlb-page-am2-inside 00:03.0 write 0xb000 ok 0x34b000
CACHE=1 probe qi-iotlb-page-am2-outside-stale 00:03.0 write 0xc000 ok 0x30c000
qi inv-iotlb G=domain DID=1
probe qi-iotlb-domain 00:03.0 write 0xc000 ok 0x34c000
probe qi-warm-domain2 00:05.0 write 0x2000 ok 0x402000
setq $((0x11a000 + 16)) $((0x442000 | 3))
CACHE=1 probe qi-stale-domain2 00:05.0 write 0x2000 ok 0x402000
qi inv-iotlb G=global
probe qi-iotlb-global 00:05.0 write 0x2000 ok 0x442000
# Context cache: device (exact source-id), domain and global descriptors.
setq "$C7" $((0x110000 | 1))
setq $((C7 + 8)) $((4 << 8 | 1))
qi inv-cc G=device DID=4 SID=0x38
probe qi-cc-device 00:07.0 write 0xd000 ok 0x30d000
setq "$C7" 0
CACHE=1 probe qi-cc-stale 00:07.0 write 0xe000 ok 0x30e000
qi inv-cc G=domain DID=4
probe qi-cc-domain 00:07.0 write 0xf000 0x02
setq "$C7" $((0x110000 | 1))
qi inv-cc G=global
probe qi-cc-global 00:07.0 write 0xe000 ok 0x30e000

# Setting the root-table pointer again (GCMD.SRTP, as "enable" does) resets
# QEMU's context cache and IOTLB: the specification leaves that to software's
# global invalidations (QEMU 7.2 reports no CAP.ESRTPS), but invalidating
# more than asked is allowed.
probe srtp-warm 00:03.0 write 0x0 ok 0x320000
pte 0 0x350000
CACHE=1 probe srtp-stale-before 00:03.0 write 0x0 ok 0x320000
op '{"op":"enable","rtaddr":"0x101000"}'
probe srtp-resets-caches-qemu 00:03.0 write 0x0 ok 0x350000
