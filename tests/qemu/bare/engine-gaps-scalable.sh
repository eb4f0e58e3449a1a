# SPDX-License-Identifier: GPL-2.0-or-later
# The gaps of engine-gaps.sh in scalable mode (aw-bits 39), modelled by the
# engine under QEMU 7.2's numbering: an all-ones second-stage entry is a
# failed read to QEMU (0x03 at the top, 0x07 below; the specification:
# reserved bits, 0x0C), and RTADDR bits at and above HAW are dropped.
QPROBE_ARGS=(--scalable --edu 00:03.0)

img_init "$1" 0x100000 0x10000
put 0x101000 root-sm LP=1 LCTP=0x102000
put 0x107000 pasid-dir P=1 SMPTBLPTR=0x108000
put $((0x102000 + 0x18 * 32)) context-sm P=1 PASIDDIRPTR=0x107000 RID_PASID=0
put 0x108000 pasid-entry P=1 PGTT=2 AW=1 SSPTPTR=0x103000 DID=1
put 0x103000 ss-pdpe R=1 W=1 ADDR=0x104000
put 0x104000 ss-pde R=1 W=1 ADDR=0x106000
put 0x106000 ss-pte R=1 W=1 ADDR=0x300000
setq $((0x103000 + 8)) -1
setq $((0x104000 + 8)) -1
setq $((0x106000 + 8)) -1

op '{"op":"enable","rtaddr":"0x101400"}'
probe gsm-valid 00:03.0 write 0x0 ok 0x300000
probe gsm-pte-all-ones-read-error-qemu 00:03.0 write 0x1000 0x07
probe gsm-pde-all-ones-read-error-qemu 00:03.0 write 0x200000 0x07
probe gsm-pdpe-all-ones-top-read-error-qemu 00:03.0 write 0x40000000 0x03
op '{"op":"enable","rtaddr":"0x8000101400"}'
probe gsm-rtaddr-bit39-dropped-qemu 00:03.0 write 0x0 ok 0x300000
