# SPDX-License-Identifier: GPL-2.0-or-later
# Legacy mode (aw-bits 39): several devices, domains and buses.  Domain 1
# (tables A) holds 00:03.0 and 00:04.0; domain 2 (tables B, the same IOVAs
# mapped elsewhere) holds 00:05.0 and 02:00.0 on another bus; 00:05.1 is in
# domain 3 but shares tables A; function 7 of slot 5 has no context entry;
# bus 3's root entry has a reserved bit; 04:00.0 is pass-through.  The
# faults carry each requester's own source-id (results.jsonl).  Then a
# reserved RTADDR.TTM, and translation switched off and on again.
QPROBE_ARGS=(--edu 00:03.0 --edu 00:04.0 --edu 00:05.0 --edu 00:05.1 --edu 00:05.7
	     --edu 02:00.0 --edu 03:00.0 --edu 04:00.0)

img_init "$1" 0x100000 0x20000
put 0x101000 root-legacy P=1 CTP=0x102000
put $((0x101000 + 2 * 16)) root-legacy P=1 CTP=0x103000
setq $((0x101000 + 3 * 16)) $((0x104000 | 1 << 4 | 1))
put $((0x101000 + 4 * 16)) root-legacy P=1 CTP=0x104000
put $((0x102000 + 0x18 * 16)) context-legacy P=1 AW=1 SSPTPTR=0x110000 DID=1
put $((0x102000 + 0x20 * 16)) context-legacy P=1 AW=1 SSPTPTR=0x110000 DID=1
put $((0x102000 + 0x28 * 16)) context-legacy P=1 AW=1 SSPTPTR=0x118000 DID=2
put $((0x102000 + 0x29 * 16)) context-legacy P=1 AW=1 SSPTPTR=0x110000 DID=3
put $((0x103000 + 0x00 * 16)) context-legacy P=1 AW=1 SSPTPTR=0x118000 DID=2
put $((0x104000 + 0x00 * 16)) context-legacy P=1 TT=2 AW=1 DID=5
# Tables A: IOVA 0 -> 0x300000 RW, 0x1000 -> 0x301000 read-only.
put 0x110000 ss-pdpe R=1 W=1 ADDR=0x111000
put 0x111000 ss-pde R=1 W=1 ADDR=0x112000
put 0x112000 ss-pte R=1 W=1 ADDR=0x300000
put $((0x112000 + 8)) ss-pte R=1 ADDR=0x301000
# Tables B: IOVA 0 -> 0x400000 RW, 0x1000 not present, 0x2000 -> 0x402000 write-only.
put 0x118000 ss-pdpe R=1 W=1 ADDR=0x119000
put 0x119000 ss-pde R=1 W=1 ADDR=0x11a000
put 0x11a000 ss-pte R=1 W=1 ADDR=0x400000
put $((0x11a000 + 16)) ss-pte W=1 ADDR=0x402000

op '{"op":"enable","rtaddr":"0x101000"}'
fill 0x300800 a0a1a2a3a4a5a6a7
fill 0x301000 b0b1b2b3b4b5b6b7
fill 0x400800 c0c1c2c3c4c5c6c7
probe dev-domain1-first 00:03.0 write 0x0 ok 0x300000
probe dev-domain1-second 00:04.0 write 0x10 ok 0x300010
probe dev-domain1-second-read 00:04.0 read 0x800 ok 0x300800
probe dev-domain2-same-iova-elsewhere 00:05.0 write 0x0 ok 0x400000
probe dev-domain2-read 00:05.0 read 0x800 ok 0x400800
probe dev-domain2-other-bus 02:00.0 write 0x20 ok 0x400020
probe dev-domain3-function1-shares-tables 00:05.1 write 0x30 ok 0x300030
probe dev-domain1-readonly-write 00:03.0 write 0x1000 0x05
probe dev-domain1-readonly-read 00:04.0 read 0x1000 ok 0x301000
probe dev-domain3-readonly-write 00:05.1 write 0x1000 0x05
probe dev-domain2-not-present-write 00:05.0 write 0x1000 0x05
probe dev-domain2-other-bus-not-present-read 02:00.0 read 0x1000 0x06
probe dev-domain2-writeonly-read 02:00.0 read 0x2000 0x06
probe dev-domain2-writeonly-write 00:05.0 write 0x2000 ok 0x402000
probe dev-function7-context-not-present 00:05.7 write 0x0 0x02
probe dev-bus3-root-reserved 03:00.0 write 0x0 0x0a
probe dev-bus4-pass-through 04:00.0 write 0x390000 ok 0x390000
probe dev-bus4-pass-through-read 04:00.0 read 0x300800 ok 0x300800
probe dev-domain1-beyond-aw 00:04.0 write 0x8000000000 0x04

# RTADDR.TTM = 10b is reserved in the specification; QEMU 7.2 looks at
# bit 10 (SMT) alone and walks the legacy tables (QEMU deviation).
op '{"op":"enable","rtaddr":"0x101800"}'
probe dev-rtaddr-ttm2-ignored-qemu 00:03.0 write 0x40 ok 0x300040
# Translation off (GCMD.TE = 0): every device, with or without a context
# entry, reaches memory untranslated.
op '{"op":"disable"}'
probe dev-te-off-identity 00:05.7 write 0x3a0000 ok 0x3a0000
probe dev-te-off-identity-read 00:03.0 read 0x300800 ok 0x300800
op '{"op":"enable","rtaddr":"0x101000"}'
probe dev-te-on-again 00:05.7 write 0x3a0000 0x02
