# SPDX-License-Identifier: GPL-2.0-or-later
# Scalable mode, 3-level second stage (aw-bits 39), RID_PASID 0: entries
# not present, read-only and write-only at each level, 1 GiB and 2 MiB
# leaves, the reserved bits of leaf and non-leaf entries, the interrupt
# window under each page size, and FPD in each of the three structures
# that carry it (context entry, PASID-directory entry, PASID entry).
#
# QEMU deviation (README.md, fact 1): every second-stage fault here is
# reported with its legacy code (0x04, 0x05, 0x06, 0x0C); the specification
# has scalable-mode codes for them (0x79/0x85/0x86 for rights, 0x7A for
# reserved bits, 0x83 for the width).  SNP is a valid leaf bit in scalable
# mode (fact 6), but stays reserved in non-leaf entries, as in the
# specification.  Faulting accesses are probed before allowed ones on each
# page (fact 4: a cached translation drops what its rights forbid).
QPROBE_ARGS=(--scalable --edu 00:03.0 --edu 00:04.0 --edu 00:05.0 --edu 00:06.0)

ctx() { echo $((0x102000 + $1 * 32)); }
pe() { echo $((0x109000 + $1 * 64)); }
img_init "$1" 0x100000 0x10000
put 0x101000 root-sm LP=1 LCTP=0x102000
put 0x108000 pasid-dir P=1 SMPTBLPTR=0x109000
put "$(ctx 0x18)" context-sm P=1 PASIDDIRPTR=0x108000 RID_PASID=0
put "$(pe 0)" pasid-entry P=1 PGTT=2 AW=1 SSPTPTR=0x103000 DID=1
# 00:04.0: FPD in the context entry; 00:05.0: in a present PASID-directory
# entry; 00:06.0: in the PASID entry.  All three walk the same tables.
put "$(ctx 0x20)" context-sm P=1 FPD=1 PASIDDIRPTR=0x108000 RID_PASID=0
put "$(ctx 0x28)" context-sm P=1 PASIDDIRPTR=0x10a000 RID_PASID=0
put 0x10a000 pasid-dir P=1 FPD=1 SMPTBLPTR=0x109000
put "$(ctx 0x30)" context-sm P=1 PASIDDIRPTR=0x108000 RID_PASID=1
put "$(pe 1)" pasid-entry P=1 FPD=1 PGTT=2 AW=1 SSPTPTR=0x103000 DID=1

RW=3 PS=0x80 SNP=0x800 TM=$((1 << 62)) B39=$((1 << 39))
plant() { setq $(($1 + $2 * 8)) $(($3)); }
# PDPT 0x103000.
put 0x103000 ss-pdpe R=1 W=1 ADDR=0x104000
put $((0x103000 + 2 * 8)) ss-pdpe R=1 ADDR=0x105000
put $((0x103000 + 3 * 8)) ss-pdpe-1g R=1 W=1 PS=1 ADDR=0xc0000000
put $((0x103000 + 4 * 8)) ss-pdpe-1g R=1 W=1 PS=1 ADDR=0x0
put $((0x103000 + 5 * 8)) ss-pdpe-1g R=1 PS=1 ADDR=0x0
put $((0x103000 + 6 * 8)) ss-pdpe-1g W=1 PS=1 ADDR=0x0
plant 0x103000 7 $((0x104000 | SNP | RW))
put $((0x103000 + 8 * 8)) ss-pdpe-1g R=1 W=1 PS=1 SNP=1 ADDR=0x0
plant 0x103000 9 $((TM | PS | RW))
plant 0x103000 10 $((1 << 12 | PS | RW))
put $((0x103000 + 11 * 8)) ss-pdpe W=1 ADDR=0x106000
# PD 0x104000.
put 0x104000 ss-pde R=1 W=1 ADDR=0x107000
put $((0x104000 + 2 * 8)) ss-pde R=1 ADDR=0x107000
put $((0x104000 + 3 * 8)) ss-pde W=1 ADDR=0x107000
put $((0x104000 + 4 * 8)) ss-pde-2m R=1 W=1 PS=1 ADDR=0x800000
put $((0x104000 + 5 * 8)) ss-pde-2m R=1 PS=1 ADDR=0x800000
put $((0x104000 + 6 * 8)) ss-pde-2m W=1 PS=1 ADDR=0x800000
plant 0x104000 7 $((0x107000 | SNP | RW))
put $((0x104000 + 8 * 8)) ss-pde-2m R=1 W=1 PS=1 SNP=1 ADDR=0x800000
plant 0x104000 9 $((0x800000 | TM | PS | RW))
plant 0x104000 10 $((0x800000 | 1 << 20 | PS | RW))
put $((0x104000 + 11 * 8)) ss-pde-2m R=1 W=1 PS=1 ADDR=0xfee00000
plant 0x104000 12 $((0x107000 | TM | RW))
plant 0x104000 13 $((0x107000 | B39 | RW))
# PDs under the read-only and the write-only PDPE.
put 0x105000 ss-pde R=1 W=1 ADDR=0x107000
put 0x106000 ss-pde R=1 W=1 ADDR=0x107000
# PT 0x107000.
put 0x107000 ss-pte R=1 W=1 ADDR=0x300000
put $((0x107000 + 2 * 8)) ss-pte R=1 ADDR=0x302000
put $((0x107000 + 3 * 8)) ss-pte W=1 ADDR=0x303000
put $((0x107000 + 4 * 8)) ss-pte R=1 W=1 SNP=1 ADDR=0x304000
put $((0x107000 + 5 * 8)) ss-pte R=1 W=1 TM=1 ADDR=0x305000
put $((0x107000 + 6 * 8)) ss-pte R=1 W=1 ADDR=0xfee00000
plant 0x107000 7 $((0x307000 | B39 | RW))
put $((0x107000 + 8 * 8)) ss-pte R=1 W=1 X=1 EMT=6 IPAT=1 A=1 D=1 ADDR=0x308000
plant 0x107000 9 $((0x309000 | PS | RW))
put $((0x107000 + 10 * 8)) ss-pte X=1 ADDR=0x30a000

op '{"op":"enable","rtaddr":"0x101400"}'
op '{"op":"inv","context":"global","iotlb":"global"}'
fill 0x300100 0011223344556677
fill 0x302000 8899aabbccddeeff
fill 0x390000 0f0e0d0c0b0a0908
fill 0x812340 1f1e1d1c1b1a1918
G=0x40000000 M=0x200000
probe sml-valid 00:03.0 write 0x0 ok 0x300000
# Level 3: the PDP entry.
probe sml-pdpe-np-write 00:03.0 write $((1 * G)) 0x05
probe sml-pdpe-np-read 00:03.0 read $((1 * G)) 0x06
probe sml-pdpe-ro-write 00:03.0 write $((2 * G)) 0x05
probe sml-pdpe-ro-read 00:03.0 read $((2 * G + 0x100)) ok 0x300100
probe sml-pdpe-wo-read 00:03.0 read $((11 * G)) 0x06
probe sml-pdpe-wo-write 00:03.0 write $((11 * G)) ok 0x300000
probe sml-1g-write 00:03.0 write $((4 * G + 0x3b0000)) ok 0x3b0000
probe sml-1g-ro-write 00:03.0 write $((5 * G + 0x390000)) 0x05
probe sml-1g-ro-read 00:03.0 read $((5 * G + 0x390000)) ok 0x390000
probe sml-1g-wo-read 00:03.0 read $((6 * G + 0x390000)) 0x06
probe sml-1g-wo-write 00:03.0 write $((6 * G + 0x390000)) ok 0x390000
probe sml-pdpe-snp-reserved 00:03.0 write $((7 * G)) 0x0c
probe sml-1g-snp-allowed 00:03.0 write $((8 * G + 0x3c0000)) ok 0x3c0000
probe sml-1g-tm-reserved 00:03.0 write $((9 * G)) 0x0c
probe sml-1g-bit12-reserved 00:03.0 write $((10 * G)) 0x0c
probe sml-1g-page-over-interrupt-window 00:03.0 write $((3 * G + 0x100000)) 0x87
# Level 2: the page-directory entry.
probe sml-pde-np-write 00:03.0 write $((1 * M)) 0x05
probe sml-pde-np-read 00:03.0 read $((1 * M)) 0x06
probe sml-pde-ro-write 00:03.0 write $((2 * M)) 0x05
probe sml-pde-ro-read 00:03.0 read $((2 * M + 0x100)) ok 0x300100
probe sml-pde-wo-read 00:03.0 read $((3 * M)) 0x06
probe sml-pde-wo-write 00:03.0 write $((3 * M)) ok 0x300000
probe sml-2m-write 00:03.0 write $((4 * M + 0x1234)) ok 0x801234
probe sml-2m-ro-write 00:03.0 write $((5 * M + 0x12340)) 0x05
probe sml-2m-ro-read 00:03.0 read $((5 * M + 0x12340)) ok 0x812340
probe sml-2m-wo-read 00:03.0 read $((6 * M + 0x12340)) 0x06
probe sml-2m-wo-write 00:03.0 write $((6 * M + 0x12340)) ok 0x812340
probe sml-pde-snp-reserved 00:03.0 write $((7 * M)) 0x0c
probe sml-2m-snp-allowed 00:03.0 write $((8 * M + 0x5678)) ok 0x805678
probe sml-2m-tm-reserved 00:03.0 write $((9 * M)) 0x0c
probe sml-2m-bit20-reserved 00:03.0 write $((10 * M)) 0x0c
probe sml-2m-interrupt-window 00:03.0 write $((11 * M + 0x1000)) 0x87
probe sml-pde-tm-reserved 00:03.0 write $((12 * M)) 0x0c
probe sml-pde-addr-bit39-above-haw 00:03.0 write $((13 * M)) 0x0c
# Level 1: the page-table entry.
probe sml-pte-np-write 00:03.0 write 0x1000 0x05
probe sml-pte-np-read 00:03.0 read 0x1000 0x06
probe sml-pte-ro-write 00:03.0 write 0x2000 0x05
probe sml-pte-ro-read 00:03.0 read 0x2000 ok 0x302000
probe sml-pte-wo-read 00:03.0 read 0x3000 0x06
probe sml-pte-wo-write 00:03.0 write 0x3000 ok 0x303000
probe sml-pte-snp-allowed 00:03.0 write 0x4000 ok 0x304000
probe sml-pte-tm-reserved 00:03.0 write 0x5000 0x0c
probe sml-pte-addr-bit39-above-haw 00:03.0 write 0x7000 0x0c
probe sml-pte-attr-bits-ignored 00:03.0 write 0x8000 ok 0x308000
probe sml-pte-bit7-ignored 00:03.0 write 0x9000 ok 0x309000
probe sml-pte-x-only-write 00:03.0 write 0xa000 0x05
probe sml-pte-x-only-read 00:03.0 read 0xa000 0x06
probe sml-iova-above-aw 00:03.0 write 0x8000000000 0x04
# Rights ANDed across levels: read-only PDPE over an RW PDE and PTE.
probe sml-ro-pdpe-rw-below-write 00:03.0 write $((2 * G + 0x2000)) 0x05

# FPD in each structure suppresses the qualified walk faults.
probe sml-ctx-fpd-pte-np 00:04.0 write 0x1000 suppressed
probe sml-ctx-fpd-reserved 00:04.0 write 0x5000 suppressed
probe sml-ctx-fpd-interrupt-window 00:04.0 write 0x6000 suppressed
probe sml-ctx-fpd-beyond-aw 00:04.0 write 0x8000000000 suppressed
probe sml-ctx-fpd-valid 00:04.0 write 0x0 ok 0x300000
probe sml-dir-fpd-pde-np 00:05.0 write $((1 * M)) suppressed
probe sml-dir-fpd-1g-window 00:05.0 write $((3 * G)) suppressed
probe sml-dir-fpd-valid 00:05.0 write 0x0 ok 0x300000
probe sml-pe-fpd-pdpe-np-read 00:06.0 read $((1 * G)) suppressed
probe sml-pe-fpd-pde-reserved 00:06.0 write $((7 * M)) suppressed
probe sml-pe-fpd-valid 00:06.0 write 0x0 ok 0x300000
