# SPDX-License-Identifier: GPL-2.0-or-later
# Scalable-mode tables (root -> 256-bit context -> PASID directory -> PASID
# entry -> second stage) probed by edu DMA in QEMU 7.2's intel-iommu with
# x-scalable-mode=on.  Requests carry no PASID, so RID_PASID selects the
# entry.  QEMU 7.2 reports root/context/second-stage faults with the legacy
# codes and every PASID-structure fault as 0x58 (README.md lists each
# difference from the specification).
QPROBE_ARGS=(--scalable --edu 00:03.0 --edu 00:04.0 --edu 00:05.0 --edu 00:06.0
	     --edu 00:07.0 --edu 00:08.0 --edu 00:09.0)

ctx() { echo $((0x102000 + $1 * 32)); }	# lower context table, 32-byte entries
img_init "$1" 0x100000 0x10000
put 0x101000 root-sm LP=1 LCTP=0x102000
# 00:03.0: PASID dir 0x107000 -> table 0x108000 -> RID_PASID 0: second stage.
put "$(ctx 0x18)" context-sm P=1 PASIDDIRPTR=0x107000 RID_PASID=0
put 0x107000 pasid-dir P=1 SMPTBLPTR=0x108000
put 0x108000 pasid-entry P=1 PGTT=2 AW=1 SSPTPTR=0x103000 DID=1
# 00:04.0: no context entry.  00:05.0: PASID entry is pass-through.
put "$(ctx 0x28)" context-sm P=1 PASIDDIRPTR=0x109000 RID_PASID=0
put 0x109000 pasid-dir P=1 SMPTBLPTR=0x10a000
put 0x10a000 pasid-entry P=1 PGTT=4 AW=1 DID=2
# 00:09.0: pass-through with AW 0 (the specification ignores AW there).
put "$(ctx 0x48)" context-sm P=1 PASIDDIRPTR=0x10e000 RID_PASID=0
put 0x10e000 pasid-dir P=1 SMPTBLPTR=0x10f000
put 0x10f000 pasid-entry P=1 PGTT=4 DID=4
# 00:06.0: the directory entry is not present.
put "$(ctx 0x30)" context-sm P=1 PASIDDIRPTR=0x10b000 RID_PASID=0
# 00:07.0: a valid PASID entry with P clear; 00:08.0: an all-zero one.
put "$(ctx 0x38)" context-sm P=1 PASIDDIRPTR=0x10c000 RID_PASID=0
put 0x10c000 pasid-dir P=1 SMPTBLPTR=0x10d000
put 0x10d000 pasid-entry P=0 PGTT=2 AW=1 SSPTPTR=0x103000 DID=3
put "$(ctx 0x40)" context-sm P=1 PASIDDIRPTR=0x10c000 RID_PASID=1
# The same second-stage tables as the legacy scenario.
put 0x103000 ss-pdpe R=1 W=1 ADDR=0x104000
put $((0x104000 + 1 * 8)) ss-pde R=1 W=1 ADDR=0x105000
put $((0x104000 + 2 * 8)) ss-pde-2m R=1 W=1 PS=1 ADDR=0x600000
put $((0x105000 + 0 * 8)) ss-pte R=1 W=1 ADDR=0x300000
put $((0x105000 + 1 * 8)) ss-pte R=1 ADDR=0x301000
put $((0x105000 + 4 * 8)) ss-pte R=1 W=1 ADDR=0x200000304000
put $((0x105000 + 7 * 8)) ss-pte R=1 W=1 SNP=1 ADDR=0x307000

op '{"op":"enable","rtaddr":"0x100400"}'
probe root-not-present 00:03.0 write 0x200000 0x01
op '{"op":"enable","rtaddr":"0x101400"}'
op '{"op":"inv","context":"global","iotlb":"global"}'
fill 0x301000 a5a5a5a55a5a5a5a
probe sm-write-4k 00:03.0 write 0x200000 ok 0x300000
probe sm-write-readonly-pte 00:03.0 write 0x201000 0x05
probe sm-read-readonly-pte 00:03.0 read 0x201000 ok 0x301000
CACHE=1 probe sm-write-readonly-iotlb-hit-dropped 00:03.0 write 0x201000 dropped 0x301000
probe sm-read-pte-not-present 00:03.0 read 0x202000 0x06
probe sm-pte-addr-above-haw 00:03.0 write 0x204000 0x0c
probe sm-pte-snp-allowed 00:03.0 write 0x207000 ok 0x307000
probe sm-write-2m-page 00:03.0 write 0x400010 ok 0x600010
probe sm-iova-above-aw 00:03.0 write 0x8000000000 0x04
probe sm-context-not-present 00:04.0 write 0x200000 0x02
probe sm-pasid-pass-through 00:05.0 write 0x380000 ok 0x380000
probe sm-pass-through-aw0-qemu 00:09.0 write 0x390000 0x58
probe sm-pasid-dir-not-present-qemu 00:06.0 write 0x200000 0x58
probe sm-pasid-entry-not-present-qemu 00:07.0 write 0x200000 0x58
probe sm-pasid-entry-zero-pgtt-qemu 00:08.0 write 0x200000 0x58

# Queued invalidation (256-bit descriptors).  The specification says a
# PASID-based IOTLB invalidation of the page (PASID = RID_PASID) makes the
# changed PTE visible; QEMU 7.2 accepts the descriptor and does nothing, so
# the stale translation survives it.  A domain-selective IOTLB descriptor
# does work.
QI_WIDTH=256
setq $((0x105000)) $((0x330000 | 3))
CACHE=1 probe qi-stale-iotlb-hit 00:03.0 write 0x200000 ok 0x300000
qi inv-piotlb G=page DID=1 PASID=0 AM=1 ADDR=0x200000
CACHE=1 probe qi-piotlb-ignored-qemu 00:03.0 write 0x200000 ok 0x300000
setq $((0x105000)) $((0x340000 | 3))
qi inv-iotlb G=domain DID=1
probe qi-after-iotlb-domain 00:03.0 write 0x200000 ok 0x340000
