# SPDX-License-Identifier: GPL-2.0-or-later
# Scalable mode (aw-bits 39): the root entry's two halves, the 256-bit
# context entry, the PASID directory and the PASID entry, one region or
# field at a time; RID_PASID values that index other directory entries;
# devices in the upper context table.  Requests carry no PASID.
#
# QEMU 7.2 deviations (README.md facts 1-3 and 8), named "-qemu" below:
# the PASID-structure faults are all 0x58 (the specification: 0x50 directory
# access, 0x51/0x59 not present, 0x52/0x5A reserved, 0x5B invalid entry),
# with 0x58 not qualified, so FPD never suppresses them; the PASID-directory
# and PASID-entry reserved bits and the context's PASIDE, PRE and RID_PRIV
# bits are ignored, as are PDTS and the RID_PASID rules (the specification
# requires ECAP.RPS for a RID_PASID other than 0, and bounds it by PDTS).
QPROBE_ARGS=(--scalable --edu 00:03.0 --edu 00:04.0 --edu 00:05.0 --edu 00:06.0
	     --edu 00:07.0 --edu 00:08.0 --edu 00:10.0 --edu 00:17.7)

ctx() { echo $((0x102000 + $1 * 32)); }		# lower context table
uctx() { echo $((0x10c000 + ($1 - 0x80) * 32)); }	# upper context table
pe() { echo $((0x108000 + $1 * 64)); }			# PASID table of directory entry 0
img_init "$1" 0x100000 0x30000
put 0x101000 root-sm LP=1 LCTP=0x102000 UP=1 UCTP=0x10c000
put 0x107000 pasid-dir P=1 SMPTBLPTR=0x108000
put $((0x107000 + 1 * 8)) pasid-dir P=1 SMPTBLPTR=0x10a000
put "$(pe 0)" pasid-entry P=1 PGTT=2 AW=1 SSPTPTR=0x103000 DID=1
put "$(ctx 0x18)" context-sm P=1 PASIDDIRPTR=0x107000 RID_PASID=0
# 00:04.0: context and PASID entry 2 are changed below; 00:05.0: its own
# directory 0x10d000, whose entry is changed below (PASID entry 3).
put "$(ctx 0x20)" context-sm P=1 PASIDDIRPTR=0x107000 RID_PASID=2
put "$(pe 2)" pasid-entry P=1 PGTT=2 AW=1 SSPTPTR=0x103000 DID=2
put "$(ctx 0x28)" context-sm P=1 PASIDDIRPTR=0x10d000 RID_PASID=3
put 0x10d000 pasid-dir P=1 SMPTBLPTR=0x108000
put "$(pe 3)" pasid-entry P=1 PGTT=2 AW=1 SSPTPTR=0x103000 DID=3
# 00:06.0: RID_PASID 64 (directory entry 1, table 0x10a000, entry 0);
# 00:07.0: 0x12345 and 00:08.0: 0xfffff, through directory 0x110000.
put "$(ctx 0x30)" context-sm P=1 PASIDDIRPTR=0x107000 RID_PASID=64
put 0x10a000 pasid-entry P=1 PGTT=2 AW=1 SSPTPTR=0x103000 DID=4
put "$(ctx 0x38)" context-sm P=1 PDTS=16384 PASIDDIRPTR=0x110000 RID_PASID=0x12345
put $((0x110000 + 0x48d * 8)) pasid-dir P=1 SMPTBLPTR=0x10b000
put $((0x10b000 + 5 * 64)) pasid-entry P=1 PGTT=2 AW=1 SSPTPTR=0x103000 DID=5
put "$(ctx 0x40)" context-sm P=1 PDTS=16384 PASIDDIRPTR=0x110000 RID_PASID=0xfffff
put $((0x110000 + 0x3fff * 8)) pasid-dir P=1 SMPTBLPTR=0x10e000
put $((0x10e000 + 63 * 64)) pasid-entry P=1 PGTT=2 AW=1 SSPTPTR=0x103000 DID=6
# 00:10.0 and 00:17.7: the first and the last entry of the upper table.
put "$(uctx 0x80)" context-sm P=1 PASIDDIRPTR=0x107000 RID_PASID=0
put "$(uctx 0xbf)" context-sm P=1 PASIDDIRPTR=0x107000 RID_PASID=0

put 0x103000 ss-pdpe R=1 W=1 ADDR=0x104000
put 0x104000 ss-pde R=1 W=1 ADDR=0x105000
put 0x105000 ss-pte R=1 W=1 ADDR=0x300000

B39=$((1 << 39))
op '{"op":"enable","rtaddr":"0x101400"}'
op '{"op":"inv","context":"global","iotlb":"global"}'
probe sms-valid 00:03.0 write 0x0 ok 0x300000
probe sms-rid-pasid-64-second-dir-entry 00:06.0 write 0x0 ok 0x300000
probe sms-rid-pasid-0x12345-qemu-no-rps 00:07.0 write 0x0 ok 0x300000
probe sms-rid-pasid-max-qemu-no-rps 00:08.0 write 0x0 ok 0x300000
probe sms-upper-table-first-entry 00:10.0 write 0x0 ok 0x300000
probe sms-upper-table-last-entry 00:17.7 write 0x0 ok 0x300000

# The context entry of 00:04.0: four qwords, one change at a time.
C=$(ctx 0x20) Q0=$((0x107000 | 1)) Q1=2
# cround NAME QW0 QW1 QW2 QW3 EXPECT [PA]
cround() {
	setq "$C" $(($2))
	setq $((C + 8)) $(($3))
	setq $((C + 16)) $(($4))
	setq $((C + 24)) $(($5))
	op '{"op":"inv","context":"global","iotlb":"global"}'
	probe "$1" 00:04.0 write 0x0 "$6" ${7:-}
}
cround sms-ctx-valid $Q0 $Q1 0 0 ok 0x300000
cround sms-ctx-bit8-reserved $((Q0 | 1 << 8)) $Q1 0 0 0x0b
cround sms-ctx-dirptr-bit39-above-haw $((Q0 | B39)) $Q1 0 0 0x0b
cround sms-ctx-bit63-above-haw $((Q0 | 1 << 63)) $Q1 0 0 0x0b
cround sms-ctx-bit85-reserved $Q0 $((Q1 | 1 << 21)) 0 0 0x0b
cround sms-ctx-bit127-reserved $Q0 $((Q1 | 1 << 63)) 0 0 0x0b
cround sms-ctx-qw3-reserved $Q0 $Q1 0 $((1 << 63)) 0x0b
cround sms-ctx-rid-priv-ignored-qemu $Q0 $((Q1 | 1 << 20)) 0 0 ok 0x300000
cround sms-ctx-paside-without-ecap-pasid-qemu $((Q0 | 1 << 3)) $Q1 0 0 ok 0x300000
cround sms-ctx-pre-without-ecap-prs-qemu $((Q0 | 1 << 4)) $Q1 0 0 ok 0x300000
cround sms-ctx-pdts-7 $((Q0 | 7 << 9)) $Q1 0 0 ok 0x300000
cround sms-ctx-rid-pasid-beyond-pdts-qemu $((0x110000 | 1)) 0x12345 0 0 ok 0x300000
cround sms-ctx-dirptr-beyond-ram-qemu $((0x20000000 | 1)) $Q1 0 0 0x58
cround sms-ctx-fpd-reserved-not-qualified $((Q0 | 2 | 1 << 8)) $Q1 0 0 0x0b
cround sms-ctx-fpd-not-present $((0x107000 | 2)) $Q1 0 0 suppressed
cround sms-ctx-fpd-dir-not-present-qemu $((0x109000 | 2 | 1)) $Q1 0 0 0x58
cround sms-ctx-not-present-reserved-bits $((1 << 8)) -1 -1 -1 0x02
cround sms-ctx-restored $Q0 $Q1 0 0 ok 0x300000

# PASID entry 2 (00:04.0), qwords 0 and 1, and the last one.
P=$(pe 2) E0=$((0x103000 | 2 << 6 | 1 << 2 | 1)) E1=2
# pround NAME QW0 QW1 QW7 EXPECT [PA]
pround() {
	setq "$P" $(($2))
	setq $((P + 8)) $(($3))
	setq $((P + 56)) $(($4))
	op '{"op":"inv","context":"global","iotlb":"global"}'
	probe "$1" 00:04.0 write 0x0 "$5" ${6:-}
}
pround sms-pe-valid $E0 $E1 0 ok 0x300000
pround sms-pe-pgtt0-qemu $((E0 & ~(7 << 6))) $E1 0 0x58
pround sms-pe-pgtt5-qemu $((E0 & ~(7 << 6) | 5 << 6)) $E1 0 0x58
pround sms-pe-pgtt6-qemu $((E0 & ~(7 << 6) | 6 << 6)) $E1 0 0x58
pround sms-pe-pgtt7-qemu $((E0 & ~(7 << 6) | 7 << 6)) $E1 0 0x58
pround sms-pe-aw0-qemu $((E0 & ~(7 << 2))) $E1 0 0x58
pround sms-pe-aw3-qemu $((E0 & ~(7 << 2) | 3 << 2)) $E1 0 0x58
pround sms-pe-aw7-qemu $((E0 | 7 << 2)) $E1 0 0x58
pround sms-pe-pt-aw1 $((1 | 4 << 6 | 1 << 2)) $E1 0 ok 0x0
pround sms-pe-pt-aw2-qemu $((1 | 4 << 6 | 2 << 2)) $E1 0 0x58
pround sms-pe-not-present-fpd-qemu $((E0 & ~1 | 2)) $E1 0 0x58
pround sms-pe-ssptptr-beyond-ram-qemu $((0x20000000 | 2 << 6 | 1 << 2 | 1)) $E1 0 0x03
pround sms-pe-ssptptr-above-haw-qemu $((E0 | B39)) $E1 0 0x03
pround sms-pe-ssade-without-ecap-qemu $((E0 | 1 << 9)) $E1 0 ok 0x300000
pround sms-pe-ssee-ignored-qemu $((E0 | 1 << 5)) $E1 0 ok 0x300000
pround sms-pe-pgsnp-without-sc-qemu $E0 $((E1 | 1 << 24)) 0 ok 0x300000
pround sms-pe-pwsnp $E0 $((E1 | 1 << 23)) 0 ok 0x300000
pround sms-pe-memory-type-without-mts-qemu $E0 $((E1 | 0xffffffff00000000)) 0 ok 0x300000
pround sms-pe-qw7-reserved-qemu $E0 $E1 $((1 << 63)) ok 0x300000
pround sms-pe-restored $E0 $E1 0 ok 0x300000

# The PASID-directory entry of 00:05.0 (directory 0x10d000).
dround() {
	setq 0x10d000 $(($2))
	op '{"op":"inv","context":"global","iotlb":"global"}'
	probe "$1" 00:05.0 write 0x0 "$3" ${4:-}
}
dround sms-dir-valid $((0x108000 | 1)) ok 0x300000
dround sms-dir-reserved-bits-qemu $((0x108000 | 0xffc | 1)) ok 0x300000
dround sms-dir-table-above-haw-qemu $((0x108000 | B39 | 1)) 0x58
dround sms-dir-table-beyond-ram $((0x20000000 | 1)) 0x58
dround sms-dir-not-present-qemu $((0x108000)) 0x58
dround sms-dir-fpd-not-present-qemu $((0x108000 | 2)) 0x58
dround sms-dir-fpd-pe-not-present-qemu $((0x109000 | 2 | 1)) 0x58
dround sms-dir-restored $((0x108000 | 1)) ok 0x300000

# The root entry of bus 0: both halves, one change at a time.
LO=$((0x102000 | 1)) HI=$((0x10c000 | 1))
# rround NAME LO HI BDF EXPECT [PA]
rround() {
	setq 0x101000 $(($2))
	setq 0x101008 $(($3))
	op '{"op":"inv","context":"global","iotlb":"global"}'
	probe "$1" "$4" write 0x0 "$5" ${6:-}
}
rround sms-root-lo-bit1-reserved $((LO | 1 << 1)) $HI 00:03.0 0x0a
rround sms-root-lo-bit11-reserved $((LO | 1 << 11)) $HI 00:03.0 0x0a
rround sms-root-lctp-bit39-above-haw $((LO | B39)) $HI 00:03.0 0x0a
rround sms-root-hi-bit65-reserved $LO $((HI | 1 << 1)) 00:03.0 0x0a
rround sms-root-hi-bit75-reserved $LO $((HI | 1 << 11)) 00:10.0 0x0a
rround sms-root-uctp-bit39-above-haw $LO $((HI | B39)) 00:10.0 0x0a
rround sms-root-upper-reserved-while-absent $LO $((1 << 1)) 00:03.0 0x0a
rround sms-root-upper-absent $LO 0 00:10.0 0x01
rround sms-root-lower-absent $((0x102000)) $HI 00:03.0 0x01
rround sms-root-lower-absent-upper-present $((0x102000)) $HI 00:17.7 ok 0x300000
rround sms-root-lower-absent-reserved-bits $((0x102000 | 0xffe)) $HI 00:03.0 0x01
rround sms-root-lctp-beyond-ram $((0x20000000 | 1)) $HI 00:03.0 0x09
rround sms-root-uctp-beyond-ram $LO $((0x20000000 | 1)) 00:17.7 0x09
rround sms-root-restored $LO $HI 00:03.0 ok 0x300000

# A scalable-mode unit given an RTADDR without SMT walks legacy tables
# (root 0x100000 -> context table 0x10f000).
put 0x100000 root-legacy P=1 CTP=0x10f000
put $((0x10f000 + 0x18 * 16)) context-legacy P=1 AW=1 SSPTPTR=0x103000 DID=1
op '{"op":"enable","rtaddr":"0x100000"}'
probe sms-rtaddr-without-smt-walks-legacy 00:03.0 write 0x0 ok 0x300000
probe sms-rtaddr-without-smt-upper-legacy-devfn 00:10.0 write 0x0 0x02
