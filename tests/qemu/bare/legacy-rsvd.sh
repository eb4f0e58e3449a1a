# SPDX-License-Identifier: GPL-2.0-or-later
# Legacy mode (aw-bits 39): reserved bits in each region of the root
# entry (0x0A), the context entry (0x0B) and the second-stage entries at
# each level, leaf and non-leaf (0x0C); the fields QEMU ignores; the order
# of the checks (presence and rights before reserved bits); unsupported
# AW values; and FPD against each qualified and non-qualified fault.
# Reserved bits are planted with setq, since the encoder refuses them.
QPROBE_ARGS=(--edu 00:03.0 --edu 00:04.0 --edu 00:05.0 --edu 00:06.0)

ctx() { echo $((0x102000 + $1 * 16)); }
img_init "$1" 0x100000 0x10000
put 0x101000 root-legacy P=1 CTP=0x102000
put "$(ctx 0x18)" context-legacy P=1 TT=0 AW=1 SSPTPTR=0x103000 DID=1
# 00:04.0: the same tables with FPD set; 00:06.0: FPD and a top table beyond RAM.
put "$(ctx 0x20)" context-legacy P=1 FPD=1 TT=0 AW=1 SSPTPTR=0x103000 DID=1
put "$(ctx 0x30)" context-legacy P=1 FPD=1 TT=0 AW=1 SSPTPTR=0x20000000 DID=6
# 00:05.0: a valid entry whose bits are changed one at a time below.
put "$(ctx 0x28)" context-legacy P=1 TT=0 AW=1 SSPTPTR=0x103000 DID=5

# PDPT 0x103000: [0] -> PD 0x104000; the planted entries below point to PD
# 0x105000 (a plain PD -> PT 0x106000 [0] -> 0x300000) or are 1 GiB pages.
put 0x103000 ss-pdpe R=1 W=1 ADDR=0x104000
put 0x105000 ss-pde R=1 W=1 ADDR=0x106000
put 0x104000 ss-pde R=1 W=1 ADDR=0x106000
put 0x106000 ss-pte R=1 W=1 ADDR=0x300000
# PD [12] -> a page table beyond RAM; PT [9] -> the interrupt window.
put $((0x104000 + 12 * 8)) ss-pde R=1 W=1 ADDR=0x20000000
put $((0x106000 + 9 * 8)) ss-pte R=1 W=1 ADDR=0xfee00000

# plant TABLE INDEX VALUE
plant() { setq $(($1 + $2 * 8)) $(($3)); }
RW=3 PS=0x80 SNP=0x800 TM=$((1 << 62)) B39=$((1 << 39)) B51=$((1 << 51))
IGN=$((0xbff0000000000000))	# bits 63 and 61:52, ignored at every level
# PDPT, non-leaf (IOVA n GiB): SNP, TM, address bits 39 and 51 are reserved.
plant 0x103000 1 $((0x105000 | SNP | RW))
plant 0x103000 2 $((0x105000 | TM | RW))
plant 0x103000 3 $((0x105000 | B39 | RW))
plant 0x103000 4 $((0x105000 | B51 | RW))
plant 0x103000 5 $((0x105000 | IGN | RW))
plant 0x103000 6 $((0x105000 | 0x77c | RW))	# X, bits 6:3, A, bits 10:9
# PDPT, 1 GiB leaf: bits 29:12, SNP (no ECAP.SC), TM and bits >= 39 reserved.
plant 0x103000 7 $((0x40000000 | 1 << 12 | PS | RW))
plant 0x103000 8 $((0x40000000 | 1 << 29 | PS | RW))
plant 0x103000 9 $((SNP | PS | RW))
plant 0x103000 10 $((TM | PS | RW))
plant 0x103000 11 $((B39 | PS | RW))
plant 0x103000 12 $((IGN | 0x77c | PS | RW))	# X, EMT, IPAT, A, D, bit 10
plant 0x103000 13 $((SNP | PS | 1))		# read-only, with a reserved bit
plant 0x103000 14 $((SNP | PS))		# not present, with a reserved bit
# PD (IOVA n * 2 MiB under PDPT [0]), non-leaf and 2 MiB leaf.
plant 0x104000 1 $((0x106000 | SNP | RW))
plant 0x104000 2 $((0x106000 | TM | RW))
plant 0x104000 3 $((0x106000 | B39 | RW))
plant 0x104000 4 $((0x106000 | IGN | 0x77c | RW))
plant 0x104000 5 $((0x800000 | 1 << 20 | PS | RW))
plant 0x104000 6 $((0x800000 | SNP | PS | RW))
plant 0x104000 7 $((0x800000 | TM | PS | RW))
plant 0x104000 8 $((0x800000 | B39 | PS | RW))
plant 0x104000 9 $((0x800000 | IGN | 0x77c | PS | RW))
plant 0x104000 11 $((0x800000 | 1 << 20 | PS | 1))	# read-only, bit 20 reserved
# PT (IOVA n * 4 KiB under PD [0]).
plant 0x106000 1 $((0x301000 | PS | RW))	# bit 7 is ignored in a PTE
plant 0x106000 2 $((0x302000 | IGN | RW))
plant 0x106000 3 $((0x303000 | B39 | RW))
plant 0x106000 4 $((0x304000 | B51 | RW))
plant 0x106000 5 $((0x305000 | 0x77c | RW))
plant 0x106000 7 $((0x307000 | SNP | 1))	# read-only, SNP reserved
plant 0x106000 8 $((0x308000 | TM | 2))		# write-only, TM reserved

op '{"op":"enable","rtaddr":"0x101000"}'
op '{"op":"inv","context":"global","iotlb":"global"}'
probe lr-valid 00:03.0 write 0x0 ok 0x300000
G=0x40000000
probe lr-pdpe-snp-reserved 00:03.0 write $((1 * G)) 0x0c
probe lr-pdpe-tm-reserved 00:03.0 write $((2 * G)) 0x0c
probe lr-pdpe-addr-bit39-above-haw 00:03.0 write $((3 * G)) 0x0c
probe lr-pdpe-addr-bit51-above-haw 00:03.0 write $((4 * G)) 0x0c
probe lr-pdpe-ignored-high-bits 00:03.0 write $((5 * G)) ok 0x300000
probe lr-pdpe-ignored-low-bits 00:03.0 write $((6 * G)) ok 0x300000
probe lr-1g-bit12-reserved 00:03.0 write $((7 * G)) 0x0c
probe lr-1g-bit29-reserved 00:03.0 write $((8 * G)) 0x0c
probe lr-1g-snp-reserved-without-sc 00:03.0 write $((9 * G)) 0x0c
probe lr-1g-tm-reserved-without-dt 00:03.0 write $((10 * G)) 0x0c
probe lr-1g-addr-bit39-above-haw 00:03.0 write $((11 * G)) 0x0c
probe lr-1g-ignored-and-attr-bits 00:03.0 write $((12 * G + 0x3b0000)) ok 0x3b0000
probe lr-1g-readonly-reserved-write-rights-first 00:03.0 write $((13 * G)) 0x05
probe lr-1g-readonly-reserved-read 00:03.0 read $((13 * G)) 0x0c
probe lr-1g-not-present-reserved-write 00:03.0 write $((14 * G)) 0x05
probe lr-1g-not-present-reserved-read 00:03.0 read $((14 * G)) 0x06
M=0x200000
probe lr-pde-snp-reserved 00:03.0 write $((1 * M)) 0x0c
probe lr-pde-tm-reserved 00:03.0 write $((2 * M)) 0x0c
probe lr-pde-addr-bit39-above-haw 00:03.0 write $((3 * M)) 0x0c
probe lr-pde-ignored-bits 00:03.0 write $((4 * M)) ok 0x300000
probe lr-2m-bit20-reserved 00:03.0 write $((5 * M)) 0x0c
probe lr-2m-snp-reserved-without-sc 00:03.0 write $((6 * M)) 0x0c
probe lr-2m-tm-reserved-without-dt 00:03.0 write $((7 * M)) 0x0c
probe lr-2m-addr-bit39-above-haw 00:03.0 write $((8 * M)) 0x0c
probe lr-2m-ignored-and-attr-bits 00:03.0 write $((9 * M + 0x1234)) ok 0x801234
probe lr-2m-readonly-reserved-write-rights-first 00:03.0 write $((11 * M)) 0x05
probe lr-2m-readonly-reserved-read 00:03.0 read $((11 * M)) 0x0c
probe lr-pte-bit7-ignored 00:03.0 write 0x1000 ok 0x301000
probe lr-pte-ignored-high-bits 00:03.0 write 0x2000 ok 0x302000
probe lr-pte-addr-bit39-above-haw 00:03.0 write 0x3000 0x0c
probe lr-pte-addr-bit51-above-haw 00:03.0 write 0x4000 0x0c
probe lr-pte-attr-bits 00:03.0 write 0x5000 ok 0x305000
probe lr-pte-readonly-snp-write-rights-first 00:03.0 write 0x7000 0x05
probe lr-pte-readonly-snp-read 00:03.0 read 0x7000 0x0c
probe lr-pte-writeonly-tm-read-rights-first 00:03.0 read 0x8000 0x06
probe lr-pte-writeonly-tm-write 00:03.0 write 0x8000 0x0c

# FPD (00:04.0, same tables): every walk fault is qualified and suppressed.
probe lr-fpd-beyond-aw 00:04.0 write 0x8000000000 suppressed
probe lr-fpd-pte-not-present-write 00:04.0 write 0x6000 suppressed
probe lr-fpd-pte-not-present-read 00:04.0 read 0x6000 suppressed
probe lr-fpd-pdpe-reserved 00:04.0 write $((1 * G)) suppressed
probe lr-fpd-pte-reserved 00:04.0 write 0x3000 suppressed
probe lr-fpd-table-beyond-ram 00:04.0 write $((12 * M)) suppressed
probe lr-fpd-interrupt-window 00:04.0 write 0x9000 suppressed
probe lr-fpd-top-table-beyond-ram 00:06.0 write 0x0 suppressed
probe lr-fpd-valid 00:04.0 write 0x0 ok 0x300000

# The context entry of 00:05.0, one change at a time (then restored).
C=$(ctx 0x28) LO=$((0x103000 | 1)) HI=$((5 << 8 | 1))
# cround NAME LO HI EXPECT [PA]
cround() {
	setq "$C" $(($2))
	setq $((C + 8)) $(($3))
	op '{"op":"inv","context":"global","iotlb":"global"}'
	probe "$1" 00:05.0 write 0x0 "$4" ${5:-}
}
cround lr-ctx-lo-bit4-reserved $((LO | 1 << 4)) $HI 0x0b
cround lr-ctx-lo-bit11-reserved $((LO | 1 << 11)) $HI 0x0b
cround lr-ctx-ssptptr-bit39-above-haw $((LO | B39)) $HI 0x0b
cround lr-ctx-lo-bit63-above-haw $((LO | 1 << 63)) $HI 0x0b
cround lr-ctx-hi-bit71-reserved $LO $((HI | 1 << 7)) 0x0b
cround lr-ctx-hi-bit88-reserved $LO $((HI | 1 << 24)) 0x0b
cround lr-ctx-hi-bit127-reserved $LO $((HI | 1 << 63)) 0x0b
cround lr-ctx-avail-bits-ignored $LO $((HI | 0xf << 3)) ok 0x300000
cround lr-ctx-did-ffff $LO $((0xffff << 8 | 1)) ok 0x300000
cround lr-ctx-aw0-unsupported $LO $((5 << 8 | 0)) 0x03
cround lr-ctx-aw3-unsupported $LO $((5 << 8 | 3)) 0x03
cround lr-ctx-aw4-reserved $LO $((5 << 8 | 4)) 0x03
cround lr-ctx-aw7-reserved $LO $((5 << 8 | 7)) 0x03
# Pass-through: QEMU checks AW (as the specification asks: the largest
# supported), and the address bits of SSPTPTR above HAW although the
# specification ignores SSPTPTR there (QEMU deviation, README.md fact 17).
cround lr-ctx-pt-aw0-unsupported $((1 | 2 << 2)) $((5 << 8 | 0)) 0x03
cround lr-ctx-pt-ssptptr-ignored $((0x7654000 | 1 | 2 << 2)) $HI ok 0x0
cround lr-ctx-pt-ssptptr-above-haw-qemu-reserved $((B39 | 1 | 2 << 2)) $HI 0x0b
cround lr-ctx-fpd-reserved-not-qualified $((LO | 2 | 1 << 4)) $HI 0x0b
cround lr-ctx-fpd-aw-unsupported $((LO | 2)) $((5 << 8 | 0)) suppressed
cround lr-ctx-fpd-tt-reserved $((LO | 2 | 3 << 2)) $HI suppressed
cround lr-ctx-fpd-not-present-reserved-bits $((2 | 1 << 4)) $((1 << 63)) suppressed
cround lr-ctx-restored $LO $HI ok 0x300000

# The root entry of bus 0, one change at a time.
# rround NAME LO HI EXPECT [PA]
rround() {
	setq 0x101000 $(($2))
	setq 0x101008 $(($3))
	op '{"op":"inv","context":"global","iotlb":"global"}'
	probe "$1" 00:03.0 write 0x0 "$4" ${5:-}
}
rround lr-root-lo-bit1-reserved $((0x102000 | 1 << 1 | 1)) 0 0x0a
rround lr-root-lo-bit11-reserved $((0x102000 | 1 << 11 | 1)) 0 0x0a
rround lr-root-ctp-bit39-above-haw $((0x102000 | B39 | 1)) 0 0x0a
rround lr-root-lo-bit63-above-haw $((0x102000 | 1 << 63 | 1)) 0 0x0a
rround lr-root-hi-bit127-reserved $((0x102000 | 1)) $((1 << 63)) 0x0a
rround lr-root-not-present-reserved-bits $((0x102000 | 0xffe)) -1 0x01
rround lr-root-restored $((0x102000 | 1)) 0 ok 0x300000
