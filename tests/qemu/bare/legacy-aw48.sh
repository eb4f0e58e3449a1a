# SPDX-License-Identifier: GPL-2.0-or-later
# Legacy mode with aw-bits=48 (QEMU 7.2: SAGAW 39 and 48 bits, MGAW 48):
# 4-level second-stage tables with not-present, read-only, write-only and
# reserved entries at each level, the PML4 entry's own reserved bits (PS
# among them: no page size at level 4), a 3-level context beside them,
# and the address-width limits that move with the machine's width: bits
# 39-47 of table pointers and page frames are valid here (they are
# reserved on a 39-bit machine, legacy-rsvd.sh), bit 48 and up are not.
QPROBE_ARGS=(--aw-bits 48 --edu 00:03.0 --edu 00:04.0 --edu 00:05.0 --edu 00:06.0)

ctx() { echo $((0x102000 + $1 * 16)); }
# iova PML4 PDPT PD PT: the address those four indices select.
iova() { echo $(($1 << 39 | $2 << 30 | $3 << 21 | $4 << 12)); }
img_init "$1" 0x100000 0x10000
put 0x101000 root-legacy P=1 CTP=0x102000
put "$(ctx 0x18)" context-legacy P=1 TT=0 AW=2 SSPTPTR=0x103000 DID=1
# 00:04.0: 3 levels on the same PDPT; 00:06.0: 4 levels with FPD.
put "$(ctx 0x20)" context-legacy P=1 TT=0 AW=1 SSPTPTR=0x104000 DID=2
put "$(ctx 0x30)" context-legacy P=1 FPD=1 TT=0 AW=2 SSPTPTR=0x103000 DID=1
# 00:05.0: changed one field at a time below.
put "$(ctx 0x28)" context-legacy P=1 TT=0 AW=2 SSPTPTR=0x103000 DID=5

RW=3 PS=0x80 SNP=0x800 TM=$((1 << 62)) IGN=$((0xbff0000000000000))
B39=$((1 << 39)) B40=$((1 << 40)) B47=$((1 << 47)) B48=$((1 << 48))
plant() { setq $(($1 + $2 * 8)) $(($3)); }
# PML4 0x103000.
put 0x103000 ss-pml4e R=1 W=1 ADDR=0x104000
put $((0x103000 + 2 * 8)) ss-pml4e R=1 ADDR=0x104000
put $((0x103000 + 3 * 8)) ss-pml4e W=1 ADDR=0x104000
plant 0x103000 4 $((0x104000 | PS | RW))
plant 0x103000 5 $((0x104000 | SNP | RW))
plant 0x103000 6 $((0x104000 | B48 | RW))
plant 0x103000 7 $((0x104000 | TM | RW))
plant 0x103000 8 $((0x104000 | IGN | 0x77c | RW))
plant 0x103000 9 $((0x104000 | B47 | RW))
plant 0x103000 10 $((0x104000 | PS | 1))
put $((0x103000 + 11 * 8)) ss-pml4e X=1 ADDR=0x104000
put $((0x103000 + 511 * 8)) ss-pml4e R=1 W=1 ADDR=0x104000
# PDPT 0x104000.
put 0x104000 ss-pdpe R=1 W=1 ADDR=0x105000
put $((0x104000 + 2 * 8)) ss-pdpe-1g R=1 W=1 PS=1 ADDR=0x0
put $((0x104000 + 3 * 8)) ss-pdpe R=1 ADDR=0x105000
put $((0x104000 + 4 * 8)) ss-pdpe W=1 ADDR=0x105000
plant 0x104000 5 $((0x105000 | B40 | RW))
plant 0x104000 6 $((0x105000 | B48 | RW))
plant 0x104000 7 $((B47 | PS | RW))
# PD 0x105000 and PT 0x106000.
put 0x105000 ss-pde R=1 W=1 ADDR=0x106000
put $((0x105000 + 2 * 8)) ss-pde-2m R=1 W=1 PS=1 ADDR=0x800000
plant 0x105000 3 $((0x106000 | B48 | RW))
put 0x106000 ss-pte R=1 W=1 ADDR=0x300000
put $((0x106000 + 2 * 8)) ss-pte R=1 ADDR=0x302000
plant 0x106000 3 $((0x303000 | B47 | RW))
plant 0x106000 4 $((0x304000 | B48 | RW))
plant 0x106000 5 $((0x305000 | 1 << 51 | RW))
put $((0x106000 + 6 * 8)) ss-pte W=1 ADDR=0x306000

op '{"op":"enable","rtaddr":"0x101000"}'
op '{"op":"inv","context":"global","iotlb":"global"}'
fill 0x300100 0123456789abcdef
fill 0x302000 fedcba9876543210
fill 0x3c0000 00112233445566ff
probe w48l-4level-write 00:03.0 write "$(iova 0 0 0 0)" ok 0x300000
probe w48l-4level-read 00:03.0 read $(($(iova 0 0 0 0) + 0x100)) ok 0x300100
# Level 4: the PML4 entry.
probe w48l-pml4e-np-write 00:03.0 write "$(iova 1 0 0 0)" 0x05
probe w48l-pml4e-np-read 00:03.0 read "$(iova 1 0 0 0)" 0x06
probe w48l-pml4e-ro-write 00:03.0 write "$(iova 2 0 0 0)" 0x05
probe w48l-pml4e-ro-read 00:03.0 read $(($(iova 2 0 0 0) + 0x100)) ok 0x300100
probe w48l-pml4e-wo-read 00:03.0 read "$(iova 3 0 0 0)" 0x06
probe w48l-pml4e-wo-write 00:03.0 write "$(iova 3 0 0 0)" ok 0x300000
probe w48l-pml4e-ps-reserved 00:03.0 write "$(iova 4 0 0 0)" 0x0c
probe w48l-pml4e-snp-reserved 00:03.0 write "$(iova 5 0 0 0)" 0x0c
probe w48l-pml4e-addr-bit48-above-haw 00:03.0 write "$(iova 6 0 0 0)" 0x0c
probe w48l-pml4e-tm-reserved 00:03.0 write "$(iova 7 0 0 0)" 0x0c
probe w48l-pml4e-ignored-bits 00:03.0 write "$(iova 8 0 0 0)" ok 0x300000
probe w48l-pml4e-addr-bit47-beyond-ram 00:03.0 write "$(iova 9 0 0 0)" 0x07
probe w48l-pml4e-ro-ps-write-rights-first 00:03.0 write "$(iova 10 0 0 0)" 0x05
probe w48l-pml4e-ro-ps-read 00:03.0 read "$(iova 10 0 0 0)" 0x0c
probe w48l-pml4e-x-only-write 00:03.0 write "$(iova 11 0 0 0)" 0x05
probe w48l-pml4e-x-only-read 00:03.0 read "$(iova 11 0 0 0)" 0x06
probe w48l-last-pml4e 00:03.0 write "$(iova 511 0 0 0)" ok 0x300000
# Level 3 of 4: the PDP entry.
probe w48l-pdpe-np-write 00:03.0 write "$(iova 0 1 0 0)" 0x05
probe w48l-pdpe-np-read 00:03.0 read "$(iova 0 1 0 0)" 0x06
probe w48l-1g-page 00:03.0 write $(($(iova 0 2 0 0) + 0x3b0000)) ok 0x3b0000
probe w48l-1g-page-read 00:03.0 read $(($(iova 0 2 0 0) + 0x3c0000)) ok 0x3c0000
probe w48l-pdpe-ro-write 00:03.0 write "$(iova 0 3 0 0)" 0x05
probe w48l-pdpe-ro-read 00:03.0 read "$(iova 0 3 0 0)" ok 0x300000
probe w48l-pdpe-wo-read 00:03.0 read "$(iova 0 4 0 0)" 0x06
probe w48l-pdpe-wo-write 00:03.0 write "$(iova 0 4 0 0)" ok 0x300000
probe w48l-pdpe-addr-bit40-below-haw-beyond-ram 00:03.0 write "$(iova 0 5 0 0)" 0x07
probe w48l-pdpe-addr-bit48-above-haw 00:03.0 write "$(iova 0 6 0 0)" 0x0c
probe w48l-1g-addr-bit47-below-haw 00:03.0 write "$(iova 0 7 0 0)" ok
# Levels 2 and 1.
probe w48l-pde-np-write 00:03.0 write "$(iova 0 0 1 0)" 0x05
probe w48l-pde-np-read 00:03.0 read "$(iova 0 0 1 0)" 0x06
probe w48l-2m-page 00:03.0 write $(($(iova 0 0 2 0) + 0x1234)) ok 0x801234
probe w48l-pde-addr-bit48-above-haw 00:03.0 write "$(iova 0 0 3 0)" 0x0c
probe w48l-pte-np-write 00:03.0 write "$(iova 0 0 0 1)" 0x05
probe w48l-pte-np-read 00:03.0 read "$(iova 0 0 0 1)" 0x06
probe w48l-pte-ro-write 00:03.0 write "$(iova 0 0 0 2)" 0x05
probe w48l-pte-ro-read 00:03.0 read "$(iova 0 0 0 2)" ok 0x302000
probe w48l-pte-addr-bit47-below-haw 00:03.0 write "$(iova 0 0 0 3)" ok
probe w48l-pte-addr-bit48-above-haw 00:03.0 write "$(iova 0 0 0 4)" 0x0c
probe w48l-pte-addr-bit51-above-haw 00:03.0 write "$(iova 0 0 0 5)" 0x0c
probe w48l-pte-wo-read 00:03.0 read "$(iova 0 0 0 6)" 0x06
probe w48l-pte-wo-write 00:03.0 write "$(iova 0 0 0 6)" ok 0x306000
# The input address: 48 bits for a 4-level context, 39 for a 3-level one.
probe w48l-iova-2p48-beyond-aw 00:03.0 write 0x1000000000000 0x04
probe w48l-iova-bit63-beyond-aw 00:03.0 write 0x8000000000000000 0x04
probe w48l-3level-valid 00:04.0 write 0x0 ok 0x300000
probe w48l-3level-iova-2p39-beyond-aw 00:04.0 write 0x8000000000 0x04
probe w48l-3level-1g-page 00:04.0 write $((2 << 30 | 0x3d0000)) ok 0x3d0000
probe w48l-3level-pdpe-addr-bit40-below-haw-beyond-ram 00:04.0 write $((5 << 30)) 0x07
# FPD (00:06.0): the 4-level walk's faults are not recorded.
probe w48l-fpd-pml4e-np 00:06.0 write "$(iova 1 0 0 0)" suppressed
probe w48l-fpd-pml4e-ps-reserved 00:06.0 write "$(iova 4 0 0 0)" suppressed
probe w48l-fpd-iova-beyond-aw 00:06.0 write 0x1000000000000 suppressed
probe w48l-fpd-valid 00:06.0 write "$(iova 0 0 0 0)" ok 0x300000

# The context entry of 00:05.0, one change at a time.
C=$(ctx 0x28) LO=$((0x103000 | 1)) HI=$((5 << 8 | 2))
cround() {
	setq "$C" $(($2))
	setq $((C + 8)) $(($3))
	op '{"op":"inv","context":"global","iotlb":"global"}'
	probe "$1" 00:05.0 write 0x0 "$4" ${5:-}
}
cround w48l-ctx-aw2 $LO $HI ok 0x300000
cround w48l-ctx-aw1 $((0x104000 | 1)) $((5 << 8 | 1)) ok 0x300000
cround w48l-ctx-aw3-unsupported $LO $((5 << 8 | 3)) 0x03
cround w48l-ctx-aw0-unsupported $LO $((5 << 8 | 0)) 0x03
cround w48l-ctx-pt-aw1 $((1 | 2 << 2)) $((5 << 8 | 1)) ok 0x0
cround w48l-ctx-pt-aw2 $((1 | 2 << 2)) $HI ok 0x0
cround w48l-ctx-pt-aw3-unsupported $((1 | 2 << 2)) $((5 << 8 | 3)) 0x03
cround w48l-ctx-ssptptr-bit39-below-haw-beyond-ram $((B39 | 1)) $HI 0x03
cround w48l-ctx-ssptptr-bit48-above-haw $((0x103000 | B48 | 1)) $HI 0x0b
cround w48l-ctx-restored $LO $HI ok 0x300000

# The root entry of bus 0: a context table above 2^39 is no longer reserved.
rround() {
	setq 0x101000 $(($2))
	op '{"op":"inv","context":"global","iotlb":"global"}'
	probe "$1" 00:03.0 write 0x0 "$3" ${4:-}
}
rround w48l-root-ctp-bit39-below-haw-beyond-ram $((B39 | 1)) 0x09
rround w48l-root-ctp-bit48-above-haw $((0x102000 | B48 | 1)) 0x0a
rround w48l-root-restored $((0x102000 | 1)) ok 0x300000
