# SPDX-License-Identifier: GPL-2.0-or-later
# Legacy tables for devices on three buses (the root table is indexed by
# bus): edu devices behind PCIe root ports on buses 2 and 5 share one
# domain, 00:03.0 has a domain of its own, and 05:00.0 has no context entry.
QPROBE_ARGS=(--edu 00:03.0 --edu 02:00.0 --edu 05:00.0 --edu 05:00.1 --edu 07:00.0)

img_init "$1" 0x100000 0x10000
put 0x100000 root-legacy P=1 CTP=0x101000
put $((0x100000 + 2 * 16)) root-legacy P=1 CTP=0x102000
put $((0x100000 + 5 * 16)) root-legacy P=1 CTP=0x103000
put $((0x101000 + 0x18 * 16)) context-legacy P=1 AW=1 SSPTPTR=0x104000 DID=1
put $((0x102000 + 0x00 * 16)) context-legacy P=1 AW=1 SSPTPTR=0x105000 DID=7
put $((0x103000 + 0x01 * 16)) context-legacy P=1 AW=1 SSPTPTR=0x105000 DID=7
# domain 1: IOVA 0x200000 -> 0x300000; domain 7: IOVA 0x200000 -> 0x400000
put 0x104000 ss-pdpe R=1 W=1 ADDR=0x106000
put $((0x106000 + 8)) ss-pde R=1 W=1 ADDR=0x107000
put 0x107000 ss-pte R=1 W=1 ADDR=0x300000
put 0x105000 ss-pdpe R=1 W=1 ADDR=0x108000
put $((0x108000 + 8)) ss-pde R=1 W=1 ADDR=0x109000
put 0x109000 ss-pte R=1 W=1 ADDR=0x400000

op '{"op":"enable","rtaddr":"0x100000"}'
fill 0x400800 cafef00dcafef00d
probe bus0-own-domain 00:03.0 write 0x200000 ok 0x300000
probe bus2-shared-domain 02:00.0 write 0x200010 ok 0x400010
probe bus5-shared-domain 05:00.1 write 0x200020 ok 0x400020
probe bus5-shared-domain-read 05:00.1 read 0x200800 ok 0x400800
probe bus5-context-not-present 05:00.0 write 0x200000 0x02
probe bus7-root-not-present 07:00.0 write 0x200000 0x01
