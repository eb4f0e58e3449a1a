# SPDX-License-Identifier: GPL-2.0-or-later
# Legacy mode, 3-level second stage (aw-bits 39): not-present and read-only
# / write-only entries at each level (PDPE, PDE, PTE), 1 GiB and 2 MiB
# leaves with each permission, permissions ANDed across levels, and DMA
# that crosses a page.  A second-stage entry with R = W = 0 is "not
# present": the specification and QEMU both report it as a permission
# fault (0x05 for writes, 0x06 for reads), never a "not present" code.
#
# QEMU caches a successful translation with its rights, and a later access
# the cached rights forbid is dropped without a fault record (README.md,
# fact 4): on each page the faulting access is probed before the allowed one.
QPROBE_ARGS=(--edu 00:03.0)

img_init "$1" 0x100000 0x10000
put 0x101000 root-legacy P=1 CTP=0x102000
put $((0x102000 + 0x18 * 16)) context-legacy P=1 TT=0 AW=1 SSPTPTR=0x103000 DID=1

# PDPT: [0] RW, [1] not present, [2] read-only, [3] write-only, [4]-[6] 1 GiB
# pages RW / RO / WO at 0, [7] execute-only (X=1, R=W=0).
put $((0x103000 + 0 * 8)) ss-pdpe R=1 W=1 ADDR=0x104000
put $((0x103000 + 2 * 8)) ss-pdpe R=1 ADDR=0x105000
put $((0x103000 + 3 * 8)) ss-pdpe W=1 ADDR=0x106000
put $((0x103000 + 4 * 8)) ss-pdpe-1g R=1 W=1 PS=1 ADDR=0x0
put $((0x103000 + 5 * 8)) ss-pdpe-1g R=1 PS=1 ADDR=0x0
put $((0x103000 + 6 * 8)) ss-pdpe-1g W=1 PS=1 ADDR=0x0
put $((0x103000 + 7 * 8)) ss-pdpe X=1 ADDR=0x104000
# PD under the RW PDPE: the same pattern with 2 MiB pages at 0x800000.
put $((0x104000 + 0 * 8)) ss-pde R=1 W=1 ADDR=0x107000
put $((0x104000 + 2 * 8)) ss-pde R=1 ADDR=0x107000
put $((0x104000 + 3 * 8)) ss-pde W=1 ADDR=0x107000
put $((0x104000 + 4 * 8)) ss-pde-2m R=1 W=1 PS=1 ADDR=0x800000
put $((0x104000 + 5 * 8)) ss-pde-2m R=1 PS=1 ADDR=0x800000
put $((0x104000 + 6 * 8)) ss-pde-2m W=1 PS=1 ADDR=0x800000
put $((0x104000 + 7 * 8)) ss-pde X=1 ADDR=0x107000
# PDs under the read-only and the write-only PDPE.
put $((0x105000 + 0 * 8)) ss-pde R=1 W=1 ADDR=0x107000
put $((0x105000 + 1 * 8)) ss-pde W=1 ADDR=0x107000
put $((0x106000 + 0 * 8)) ss-pde R=1 W=1 ADDR=0x107000
put $((0x106000 + 1 * 8)) ss-pde R=1 ADDR=0x107000
# PT: [0] RW, [1] not present, [2] RO, [3] WO, [4] execute-only,
# [5] and [6] RW and contiguous, [7] not present.
put $((0x107000 + 0 * 8)) ss-pte R=1 W=1 ADDR=0x300000
put $((0x107000 + 2 * 8)) ss-pte R=1 ADDR=0x302000
put $((0x107000 + 3 * 8)) ss-pte W=1 ADDR=0x303000
put $((0x107000 + 4 * 8)) ss-pte X=1 ADDR=0x304000
put $((0x107000 + 5 * 8)) ss-pte R=1 W=1 ADDR=0x305000
put $((0x107000 + 6 * 8)) ss-pte R=1 W=1 ADDR=0x306000

# pat PA: eight bytes that name their address, for read probes to find.
pat() { fill "$1" "$(printf '%016x' $(($1)))"; }

op '{"op":"enable","rtaddr":"0x101000"}'
op '{"op":"inv","context":"global","iotlb":"global"}'
for a in 0x300100 0x302000 0x305ff0 0x305ff8 0x306000 0x3a0000 0x390000 0x812340 0x8fff00; do
	pat $a
done

# Level 3: the PDP entry.
probe ll-pdpe-np-write 00:03.0 write 0x40000000 0x05
probe ll-pdpe-np-read 00:03.0 read 0x40000000 0x06
probe ll-pdpe-ro-write 00:03.0 write 0x80000000 0x05
probe ll-pdpe-ro-read 00:03.0 read 0x80000100 ok 0x300100
probe ll-pdpe-wo-read 00:03.0 read 0xc0000000 0x06
probe ll-pdpe-wo-write 00:03.0 write 0xc0000000 ok 0x300000
probe ll-pdpe-x-only-write 00:03.0 write 0x1c0000000 0x05
probe ll-pdpe-x-only-read 00:03.0 read 0x1c0000000 0x06
probe ll-1g-write 00:03.0 write 0x100390000 ok 0x390000
probe ll-1g-read 00:03.0 read 0x1003a0000 ok 0x3a0000
probe ll-1g-write-high-offset 00:03.0 write 0x10ff00000 ok 0xff00000
probe ll-1g-ro-write 00:03.0 write 0x140390000 0x05
probe ll-1g-ro-read 00:03.0 read 0x140390000 ok 0x390000
probe ll-1g-wo-read 00:03.0 read 0x180390000 0x06
probe ll-1g-wo-write 00:03.0 write 0x180390000 ok 0x390000

# Level 2: the page-directory entry.
probe ll-pde-np-write 00:03.0 write 0x200000 0x05
probe ll-pde-np-read 00:03.0 read 0x200000 0x06
probe ll-pde-ro-write 00:03.0 write 0x400000 0x05
probe ll-pde-ro-read 00:03.0 read 0x400100 ok 0x300100
probe ll-pde-wo-read 00:03.0 read 0x600000 0x06
probe ll-pde-wo-write 00:03.0 write 0x600000 ok 0x300000
probe ll-pde-x-only-write 00:03.0 write 0xe00000 0x05
probe ll-pde-x-only-read 00:03.0 read 0xe00000 0x06
probe ll-2m-write 00:03.0 write 0x812345 ok 0x812345
probe ll-2m-read 00:03.0 read 0x8fff00 ok 0x8fff00
probe ll-2m-ro-write 00:03.0 write 0xa12340 0x05
probe ll-2m-ro-read 00:03.0 read 0xa12340 ok 0x812340
probe ll-2m-wo-read 00:03.0 read 0xc12340 0x06
probe ll-2m-wo-write 00:03.0 write 0xc12340 ok 0x812340

# Level 1: the page-table entry.
probe ll-pte-np-write 00:03.0 write 0x1000 0x05
probe ll-pte-np-read 00:03.0 read 0x1000 0x06
probe ll-pte-ro-write 00:03.0 write 0x2000 0x05
probe ll-pte-ro-read 00:03.0 read 0x2000 ok 0x302000
probe ll-pte-wo-read 00:03.0 read 0x3000 0x06
probe ll-pte-wo-write 00:03.0 write 0x3000 ok 0x303000
probe ll-pte-x-only-write 00:03.0 write 0x4000 0x05
probe ll-pte-x-only-read 00:03.0 read 0x4000 0x06

# Rights are ANDed down the walk: the first level that lacks one faults.
probe ll-ro-pdpe-wo-pde-write 00:03.0 write 0x80200000 0x05
probe ll-ro-pdpe-wo-pde-read 00:03.0 read 0x80200000 0x06
probe ll-wo-pdpe-ro-pde-write 00:03.0 write 0xc0200000 0x05
probe ll-wo-pdpe-ro-pde-read 00:03.0 read 0xc0200000 0x06
probe ll-ro-pde-wo-pte-write 00:03.0 write 0x403000 0x05
probe ll-ro-pde-wo-pte-read 00:03.0 read 0x403000 0x06
probe ll-wo-pde-ro-pte-write 00:03.0 write 0x602000 0x05
probe ll-wo-pde-ro-pte-read 00:03.0 read 0x602000 0x06

# A DMA that crosses a page is translated page by page.
probe ll-write-crossing-pages 00:03.0 write 0x5ff8 ok 0x305ff8 16
probe ll-read-crossing-pages 00:03.0 read 0x5ff0 ok 0x305ff0 32
probe ll-write-crossing-into-np 00:03.0 write 0x6ff8 0x05 "" 16
probe ll-read-crossing-into-np 00:03.0 read 0x6ff0 0x06 "" 32

# The last entry of the 39-bit space, and an address far beyond it.
probe ll-top-of-39bit-np 00:03.0 write 0x7ffffff000 0x05
probe ll-iova-bit63-beyond-aw 00:03.0 write 0x8000000000000000 0x04
