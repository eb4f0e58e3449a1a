# SPDX-License-Identifier: GPL-2.0-or-later
# Scalable mode, QEMU 7.2 (aw-bits 39): what its intel-iommu makes of
# context and PASID entries the specification treats differently, measured
# so that libvtd's translation engine (VTD_NUM_QEMU72) can be held to them.
# Every request is without PASID: the context's RID_PASID picks the entry.
QPROBE_ARGS=(--scalable --edu 00:03.0 --edu 00:04.0 --edu 00:05.0 --edu 00:06.0
	     --edu 00:07.0 --edu 00:08.0 --edu 00:09.0 --edu 00:10.0)

ctx() { echo $((0x102000 + $1 * 32)); }	# lower context table, 32-byte entries
pe() { echo $((0x108000 + $1 * 64)); }		# PASID table of directory 0x107000
img_init "$1" 0x100000 0x20000
put 0x101000 root-sm LP=1 LCTP=0x102000 UP=1 UCTP=0x10c000
put 0x107000 pasid-dir P=1 SMPTBLPTR=0x108000
# 00:03.0: a first-stage PGTT; 00:04.0: nested; QEMU 7.2 walks the second stage.
put "$(ctx 0x18)" context-sm P=1 PASIDDIRPTR=0x107000 RID_PASID=0
put "$(pe 0)" pasid-entry P=1 PGTT=1 AW=1 SSPTPTR=0x103000 DID=1
put "$(ctx 0x20)" context-sm P=1 PASIDDIRPTR=0x107000 RID_PASID=1
put "$(pe 1)" pasid-entry P=1 PGTT=3 AW=1 SSPTPTR=0x103000 DID=2
# 00:05.0: DTE set on a unit without device-TLBs.
put "$(ctx 0x28)" context-sm P=1 DTE=1 PASIDDIRPTR=0x107000 RID_PASID=2
put "$(pe 2)" pasid-entry P=1 PGTT=2 AW=1 SSPTPTR=0x103000 DID=3
# 00:06.0: FPD in the PASID entry.
put "$(ctx 0x30)" context-sm P=1 PASIDDIRPTR=0x107000 RID_PASID=3
put "$(pe 3)" pasid-entry P=1 FPD=1 PGTT=2 AW=1 SSPTPTR=0x103000 DID=4
# 00:07.0: a 4-level second stage on a 39-bit unit.
put "$(ctx 0x38)" context-sm P=1 PASIDDIRPTR=0x107000 RID_PASID=4
put "$(pe 4)" pasid-entry P=1 PGTT=2 AW=2 SSPTPTR=0x103000 DID=5
# 00:08.0: a valid entry that gets reserved bits planted, one at a time.
put "$(ctx 0x40)" context-sm P=1 PASIDDIRPTR=0x107000 RID_PASID=5
put "$(pe 5)" pasid-entry P=1 PGTT=2 AW=1 SSPTPTR=0x103000 DID=6
# 00:09.0: a directory entry that is not present but has FPD set.
put "$(ctx 0x48)" context-sm P=1 PASIDDIRPTR=0x109000 RID_PASID=0
put 0x109000 pasid-dir FPD=1 SMPTBLPTR=0x108000
# 00:10.0 (devfn 0x80): the upper context table of the root entry.
put 0x10c000 context-sm P=1 PASIDDIRPTR=0x107000 RID_PASID=6
put "$(pe 6)" pasid-entry P=1 PGTT=2 AW=1 SSPTPTR=0x103000 DID=7

put 0x103000 ss-pdpe R=1 W=1 ADDR=0x104000
put 0x104000 ss-pde R=1 W=1 ADDR=0x105000
put $((0x105000 + 0 * 8)) ss-pte R=1 W=1 ADDR=0x300000
put $((0x105000 + 1 * 8)) ss-pte R=1 W=1 ADDR=0x301000
put $((0x105000 + 5 * 8)) ss-pte R=1 W=1 TM=1 ADDR=0x305000
put $((0x105000 + 6 * 8)) ss-pte R=1 W=1 ADDR=0xfee00000

op '{"op":"enable","rtaddr":"0x101400"}'
op '{"op":"inv","context":"global","iotlb":"global"}'
probe sf-pgtt-first-stage-walks-ss-qemu 00:03.0 write 0x0 ok 0x300000
probe sf-pgtt-nested-walks-ss-qemu 00:04.0 write 0x0 ok 0x300000
probe sf-pte-tm-reserved 00:03.0 write 0x5000 0x0c
probe sf-pte-interrupt-window 00:03.0 write 0x6000 0x87
probe sf-dte-without-devtlb 00:05.0 write 0x1000 ok 0x301000
probe sf-pasid-fpd-pte-not-present 00:06.0 write 0x3000 suppressed
probe sf-pasid-aw-unsupported-qemu 00:07.0 write 0x0 0x58
probe sf-pasid-dir-fpd-not-present-qemu 00:09.0 write 0x0 0x58
probe sf-upper-context-table 00:10.0 write 0x1000 ok 0x301000
probe sf-valid 00:08.0 write 0x1000 ok 0x301000

# Reserved bits: QEMU 7.2 ignores the PASID entry's, but checks the context
# entry's (0x0B, its legacy code).
setq $(($(pe 5) + 8)) $((1 << 16 | 6))
setq $(($(pe 5) + 40)) 1
op '{"op":"inv","context":"global","iotlb":"global"}'
probe sf-pasid-entry-reserved-ignored-qemu 00:08.0 write 0x1000 ok 0x301000
setq $(ctx 0x40) $((0x107000 | 0x20 | 1))
op '{"op":"inv","context":"global","iotlb":"global"}'
probe sf-context-reserved-lo 00:08.0 write 0x1000 0x0b
setq $(ctx 0x40) $((0x107000 | 1))
setq $(($(ctx 0x40) + 8)) $((1 << 40 | 5))
op '{"op":"inv","context":"global","iotlb":"global"}'
probe sf-context-reserved-hi 00:08.0 write 0x1000 0x0b
setq $(($(ctx 0x40) + 8)) 5
setq $(($(ctx 0x40) + 16)) 1
op '{"op":"inv","context":"global","iotlb":"global"}'
probe sf-context-reserved-qw2 00:08.0 write 0x1000 0x0b
