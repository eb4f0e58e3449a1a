# SPDX-License-Identifier: GPL-2.0-or-later
# Scalable mode with aw-bits=48: the 4-level second stage level by level
# (not present, read-only, write-only, reserved bits of the PML4 entry), a
# 3-level PASID entry beside it, FPD in the PASID entry, and what the wider
# machine changes for PASID entries: pass-through with AW 2 is accepted
# (QEMU deviation, README.md fact 3: it still wants an AW the unit has),
# and bits 39-47 of table pointers and frames are valid.  Second-stage
# faults carry their legacy codes (QEMU deviation, fact 1).
QPROBE_ARGS=(--scalable --aw-bits 48 --edu 00:03.0 --edu 00:04.0 --edu 00:05.0 --edu 00:06.0)

ctx() { echo $((0x102000 + $1 * 32)); }
pe() { echo $((0x109000 + $1 * 64)); }
iova() { echo $(($1 << 39 | $2 << 30 | $3 << 21 | $4 << 12)); }
img_init "$1" 0x100000 0x10000
put 0x101000 root-sm LP=1 LCTP=0x102000
put 0x108000 pasid-dir P=1 SMPTBLPTR=0x109000
put "$(ctx 0x18)" context-sm P=1 PASIDDIRPTR=0x108000 RID_PASID=0
put "$(pe 0)" pasid-entry P=1 PGTT=2 AW=2 SSPTPTR=0x103000 DID=1
# 00:04.0: 3 levels on the PDPT; 00:05.0: FPD in the PASID entry;
# 00:06.0: pass-through with AW 2.
put "$(ctx 0x20)" context-sm P=1 PASIDDIRPTR=0x108000 RID_PASID=1
put "$(pe 1)" pasid-entry P=1 PGTT=2 AW=1 SSPTPTR=0x104000 DID=2
put "$(ctx 0x28)" context-sm P=1 PASIDDIRPTR=0x108000 RID_PASID=2
put "$(pe 2)" pasid-entry P=1 FPD=1 PGTT=2 AW=2 SSPTPTR=0x103000 DID=1
put "$(ctx 0x30)" context-sm P=1 PASIDDIRPTR=0x108000 RID_PASID=3
put "$(pe 3)" pasid-entry P=1 PGTT=4 AW=2 DID=4

RW=3 PS=0x80 SNP=0x800 TM=$((1 << 62)) B47=$((1 << 47)) B48=$((1 << 48))
plant() { setq $(($1 + $2 * 8)) $(($3)); }
put 0x103000 ss-pml4e R=1 W=1 ADDR=0x104000
put $((0x103000 + 2 * 8)) ss-pml4e R=1 ADDR=0x104000
put $((0x103000 + 3 * 8)) ss-pml4e W=1 ADDR=0x104000
plant 0x103000 4 $((0x104000 | SNP | RW))
plant 0x103000 5 $((0x104000 | TM | RW))
plant 0x103000 6 $((0x104000 | B48 | RW))
plant 0x103000 7 $((0x104000 | B47 | RW))
put 0x104000 ss-pdpe R=1 W=1 ADDR=0x105000
put $((0x104000 + 2 * 8)) ss-pdpe-1g R=1 PS=1 ADDR=0x0
plant 0x104000 3 $((B47 | PS | RW))
put 0x105000 ss-pde R=1 W=1 ADDR=0x106000
put $((0x105000 + 2 * 8)) ss-pde-2m W=1 PS=1 SNP=1 ADDR=0x800000
put 0x106000 ss-pte R=1 W=1 ADDR=0x300000
put $((0x106000 + 2 * 8)) ss-pte W=1 ADDR=0x302000

op '{"op":"enable","rtaddr":"0x101400"}'
fill 0x390000 5a5b5c5d5e5f6061
probe s48-valid 00:03.0 write 0x0 ok 0x300000
probe s48-pml4e-np-write 00:03.0 write "$(iova 1 0 0 0)" 0x05
probe s48-pml4e-np-read 00:03.0 read "$(iova 1 0 0 0)" 0x06
probe s48-pml4e-ro-write 00:03.0 write "$(iova 2 0 0 0)" 0x05
probe s48-pml4e-ro-read 00:03.0 read "$(iova 2 0 0 0)" ok 0x300000
probe s48-pml4e-wo-read 00:03.0 read "$(iova 3 0 0 0)" 0x06
probe s48-pml4e-wo-write 00:03.0 write "$(iova 3 0 0 0)" ok 0x300000
probe s48-pml4e-snp-reserved 00:03.0 write "$(iova 4 0 0 0)" 0x0c
probe s48-pml4e-tm-reserved 00:03.0 write "$(iova 5 0 0 0)" 0x0c
probe s48-pml4e-addr-bit48-above-haw 00:03.0 write "$(iova 6 0 0 0)" 0x0c
probe s48-pml4e-addr-bit47-beyond-ram 00:03.0 write "$(iova 7 0 0 0)" 0x07
probe s48-pdpe-np-write 00:03.0 write "$(iova 0 1 0 0)" 0x05
probe s48-1g-ro-write 00:03.0 write "$(iova 0 2 0 0)" 0x05
probe s48-1g-ro-read 00:03.0 read $(($(iova 0 2 0 0) + 0x390000)) ok 0x390000
probe s48-1g-addr-bit47-below-haw 00:03.0 write "$(iova 0 3 0 0)" ok
probe s48-pde-np-read 00:03.0 read "$(iova 0 0 1 0)" 0x06
probe s48-2m-wo-snp-read 00:03.0 read "$(iova 0 0 2 0)" 0x06
probe s48-2m-wo-snp-write 00:03.0 write $(($(iova 0 0 2 0) + 0x4560)) ok 0x804560
probe s48-pte-np-write 00:03.0 write "$(iova 0 0 0 1)" 0x05
probe s48-pte-wo-read 00:03.0 read "$(iova 0 0 0 2)" 0x06
probe s48-pte-wo-write 00:03.0 write "$(iova 0 0 0 2)" ok 0x302000
probe s48-iova-2p48-beyond-aw 00:03.0 write 0x1000000000000 0x04
probe s48-3level-valid 00:04.0 write 0x0 ok 0x300000
probe s48-3level-iova-2p39-beyond-aw 00:04.0 write 0x8000000000 0x04
probe s48-pe-fpd-pml4e-np 00:05.0 write "$(iova 1 0 0 0)" suppressed
probe s48-pe-fpd-pml4e-reserved 00:05.0 write "$(iova 4 0 0 0)" suppressed
probe s48-pe-fpd-beyond-aw 00:05.0 write 0x1000000000000 suppressed
probe s48-pass-through-aw2 00:06.0 write 0x3a0000 ok 0x3a0000

# PASID entry 1 (00:04.0): the AW field and a table pointer above 2^39.
P=$(pe 1)
pround() {
	setq "$P" $(($2))
	op '{"op":"inv","context":"global","iotlb":"global"}'
	probe "$1" 00:04.0 write 0x0 "$3" ${4:-}
}
pround s48-pe-aw2 $((0x103000 | 2 << 6 | 2 << 2 | 1)) ok 0x300000
pround s48-pe-aw3-unsupported-qemu $((0x103000 | 2 << 6 | 3 << 2 | 1)) 0x58
pround s48-pe-aw0-unsupported-qemu $((0x103000 | 2 << 6 | 1)) 0x58
pround s48-pe-ssptptr-bit47-beyond-ram $((B47 | 2 << 6 | 2 << 2 | 1)) 0x03
pround s48-pe-pt-aw1 $((4 << 6 | 1 << 2 | 1)) ok 0x0
pround s48-pe-pt-aw3-unsupported-qemu $((4 << 6 | 3 << 2 | 1)) 0x58
pround s48-pe-restored $((0x104000 | 2 << 6 | 1 << 2 | 1)) ok 0x300000
