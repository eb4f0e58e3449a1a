# SPDX-License-Identifier: GPL-2.0-or-later
# QEMU 7.2 behaviour that differs from the specification and that the
# translation engine models under its QEMU 7.2 numbering since these probes
# found it (README.md, facts 10-12); the specification's numbering keeps
# the specification's answer.
#
# 1. QEMU reads a second-stage entry as all ones when the read fails, so an
#    entry that really is 0xffffffffffffffff is taken for a failed read:
#    0x03 at the top level, 0x07 below.  The specification: reserved bits,
#    0x0C.
# 2. QEMU keeps only RTADDR bits 12 to HAW-1 of the root-table address:
#    higher bits are dropped, where the specification reads beyond RAM
#    (0x08).
# 3. On a unit without scalable mode (ECAP.SMTS = 0) QEMU ignores RTADDR.SMT
#    and walks legacy tables.
QPROBE_ARGS=(--edu 00:03.0 --edu 00:04.0)

ctx() { echo $((0x102000 + $1 * 16)); }
img_init "$1" 0x100000 0x10000
put 0x101000 root-legacy P=1 CTP=0x102000
put "$(ctx 0x18)" context-legacy P=1 TT=0 AW=1 SSPTPTR=0x103000 DID=1
put "$(ctx 0x20)" context-legacy P=1 TT=0 AW=1 SSPTPTR=0x107000 DID=2
put 0x103000 ss-pdpe R=1 W=1 ADDR=0x104000
put 0x104000 ss-pde R=1 W=1 ADDR=0x106000
put 0x106000 ss-pte R=1 W=1 ADDR=0x300000
setq $((0x103000 + 8)) -1
setq $((0x104000 + 8)) -1
setq $((0x106000 + 8)) -1
setq 0x107000 -1

op '{"op":"enable","rtaddr":"0x101000"}'
probe gap-valid 00:03.0 write 0x0 ok 0x300000
probe gap-pte-all-ones-read-error-qemu 00:03.0 write 0x1000 0x07
probe gap-pde-all-ones-read-error-qemu 00:03.0 write 0x200000 0x07
probe gap-pdpe-all-ones-top-read-error-qemu 00:03.0 write 0x40000000 0x03
probe gap-top-1g-all-ones-read-error-qemu 00:04.0 write 0x0 0x03
op '{"op":"enable","rtaddr":"0x8000101000"}'
probe gap-rtaddr-bit39-dropped-qemu 00:03.0 write 0x0 ok 0x300000
op '{"op":"enable","rtaddr":"0x10000000101000"}'
probe gap-rtaddr-bit52-dropped-qemu 00:03.0 write 0x0 ok 0x300000
op '{"op":"enable","rtaddr":"0x101400"}'
probe gap-rtaddr-smt-without-smts-qemu 00:03.0 write 0x0 ok 0x300000
