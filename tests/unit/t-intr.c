/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests: IRTE, invalidation-descriptor and fault layouts, the fault-reason table. */
#include <stdint.h>
#include <string.h>

#include "fault.h"
#include "invdesc.h"
#include "layout.h"
#include "tap.h"

/*
 * Test vectors are written as 64-bit words computed by hand from the bit
 * positions in the facts file, not by the encoder, so that a wrong lsb in
 * a table cannot agree with itself.
 */
static void put64(uint8_t *buf, unsigned word, uint64_t v)
{
	unsigned i;

	for (i = 0; i < 8; i++)
		buf[word * 8 + i] = (uint8_t)(v >> (8 * i));
}

static const struct vtd_layout *need_layout(const char *name)
{
	const struct vtd_layout *l = vtd_layout_find(name);

	ok(l && !strcmp(l->name, name), "layout %s is registered", name);
	return l;
}

/* Raw bits of a field, checked against the hand-computed value. */
static void raw_is(const struct vtd_layout *l, const uint8_t *buf, const char *name,
		   uint64_t want)
{
	const struct vtd_field *f = l ? vtd_field_find(l, name) : NULL;

	if (!f) {
		ok(0, "%s: field %s exists", l ? l->name : "?", name);
		return;
	}
	is_u64(vtd_field_raw(f, buf), want, "%s.%s raw", l->name, name);
}

/* The value a person reads (address shifted, coding applied). */
static void value_is(const struct vtd_layout *l, const uint8_t *buf, const char *name,
		     uint64_t want)
{
	const struct vtd_field *f = l ? vtd_field_find(l, name) : NULL;

	if (!f) {
		ok(0, "%s: field %s exists", l ? l->name : "?", name);
		return;
	}
	is_u64(vtd_field_value(f, vtd_field_raw(f, buf)), want, "%s.%s value", l->name, name);
}

static void enum_is(const struct vtd_layout *l, const uint8_t *buf, const char *name,
		    const char *want)
{
	const struct vtd_field *f = l ? vtd_field_find(l, name) : NULL;
	const struct vtd_value *v = f ? vtd_enum_lookup(f, vtd_field_raw(f, buf)) : NULL;

	is_str(v ? v->name : NULL, want, "%s.%s names its value", l ? l->name : "?", name);
}

static unsigned check(const struct vtd_layout *l, const uint8_t *buf, size_t len,
		      struct vtd_finding *out, unsigned max)
{
	return l ? vtd_layout_check(l, buf, len, NULL, out, max) : ~0u;
}

static void clean(const struct vtd_layout *l, const uint8_t *buf, size_t len)
{
	struct vtd_finding fd[4];
	unsigned n = check(l, buf, len, fd, 4);

	if (!ok(n == 0, "%s: %zu-byte vector has no findings", l ? l->name : "?", len))
		printf("#   %u findings, first: %s\n", n, n && n != ~0u ? fd[0].msg : "");
}

/* Exactly one finding, with this message. */
static void one_finding(const struct vtd_layout *l, const uint8_t *buf, size_t len,
			const char *msg)
{
	struct vtd_finding fd[4];
	unsigned n = check(l, buf, len, fd, 4);

	is_u64(n, 1, "%s: one finding", l ? l->name : "?");
	if (n >= 1 && n != ~0u)
		is_str(fd[0].msg, msg, "%s: finding names the bits", l->name);
}

/* ---- IRTE --------------------------------------------------------------- */

static void test_irte(void)
{
	const struct vtd_layout *rm = need_layout("irte-remapped");
	const struct vtd_layout *po = need_layout("irte-posted");
	struct vtd_finding fd[4];
	unsigned n, i, im;
	uint8_t b[16];

	if (!rm || !po)
		return;
	is_str(rm->family, "interrupt", "irte-remapped family");
	is_u64(rm->size, 16, "irte-remapped is 128-bit");

	/*
	 * P, DM=logical, RH, TM=level, DLM=lowest-priority (0x3d), AVAIL=0xa,
	 * V=0x31, xAPIC destination 3 in bits 47:40; SID 00:1f.0, SVT=1.
	 */
	put64(b, 0, 0x0000030000310A3DULL);
	put64(b, 1, 0x00000000000400F8ULL);
	raw_is(rm, b, "P", 1);
	raw_is(rm, b, "FPD", 0);
	enum_is(rm, b, "DM", "logical");
	raw_is(rm, b, "RH", 1);
	enum_is(rm, b, "TM", "level");
	enum_is(rm, b, "DLM", "lowest-priority");
	raw_is(rm, b, "AVAIL", 0xA);
	raw_is(rm, b, "IM", 0);
	raw_is(rm, b, "V", 0x31);
	raw_is(rm, b, "DST", 0x300);
	raw_is(rm, b, "SID", 0xF8);
	enum_is(rm, b, "SQ", "all");
	enum_is(rm, b, "SVT", "sid");
	clean(rm, b, 16);

	/* The same bytes are not a posted entry: IM gives it away. */
	n = check(po, b, 16, fd, 4);
	for (i = 0, im = 0; i < n && i < 4; i++)
		im += fd[i].kind == VTD_FIND_VALUE && fd[i].field &&
		      !strcmp(fd[i].field->name, "IM");
	ok(im == 1, "remapped IRTE checked as posted: IM is a finding");

	/* AVAIL is software's: never a finding. */
	put64(b, 0, 0x0000030000310F3DULL);
	clean(rm, b, 16);

	/* Reserved bits 14:12, 31:24 and 127:84. */
	put64(b, 0, 0x0000030000310A3DULL | 1ULL << 13);
	one_finding(rm, b, 16, "reserved bits 14:12 are 0x2");
	put64(b, 0, 0x0000030001310A3DULL);
	one_finding(rm, b, 16, "reserved bits 31:24 are 0x1");
	put64(b, 0, 0x0000030000310A3DULL);
	put64(b, 1, 0x00000000000400F8ULL | 1ULL << 20);
	one_finding(rm, b, 16, "reserved bits 127:84 are 0x1");
	/* DLM 3 and SVT 3 are reserved values. */
	put64(b, 1, 0x00000000000C00F8ULL);
	one_finding(rm, b, 16, "SVT value 3 is reserved");
	put64(b, 0, 0x0000030000310A7DULL);
	put64(b, 1, 0x00000000000400F8ULL);
	one_finding(rm, b, 16, "DLM value 3 is reserved");

	/*
	 * Posted: P, FPD, URG, IM, VV=0x45, descriptor at 0x12_34567fc0;
	 * SID 01:00.0, SQ=3, SVT=2.
	 */
	put64(b, 0, 0x34567FC00045C003ULL);
	put64(b, 1, 0x00000012000B0100ULL);
	raw_is(po, b, "P", 1);
	raw_is(po, b, "FPD", 1);
	raw_is(po, b, "URG", 1);
	raw_is(po, b, "IM", 1);
	raw_is(po, b, "VV", 0x45);
	raw_is(po, b, "PDA_L", 0x34567FC0 >> 6);
	value_is(po, b, "PDA_L", 0x34567FC0);
	value_is(po, b, "PDA_H", 0x1200000000ULL);
	raw_is(po, b, "SID", 0x100);
	enum_is(po, b, "SQ", "ignore-fn");
	enum_is(po, b, "SVT", "bus-range");
	clean(po, b, 16);
	/* Remapped-only bits (DM..DLM, 7:2) are reserved in the posted format. */
	put64(b, 0, 0x34567FC00045C007ULL);
	one_finding(po, b, 16, "reserved bits 7:2 are 0x1");
	put64(b, 0, 0x34567FC00045C003ULL | 1ULL << 37);
	one_finding(po, b, 16, "reserved bits 37:24 are 0x2000");
}

/* ---- invalidation descriptors --------------------------------------------- */

struct inv_case {
	const char *name;
	unsigned type;
	uint64_t qw[4];
};

static const struct inv_case inv_cases[] = {
	{ "inv-cc", 0x1, { 0x000200F800050031ULL, 0, 0, 0 } },
	{ "inv-iotlb", 0x2, { 0x00000000123400F2ULL, 0x7F000043ULL, 0, 0 } },
	{ "inv-devtlb", 0x3, { 0xABC00100001FD003ULL, 0x10007001ULL, 0, 0 } },
	{ "inv-iec", 0x4, { 0x0000004020000014ULL, 0, 0, 0 } },
	{ "inv-wait", 0x5, { 0x0000000100000065ULL, 0x12345678ULL, 0, 0 } },
	{ "inv-piotlb", 0x6, { 0x0000000200070036ULL, 0x7F001000ULL, 0, 0 } },
	{ "inv-pc", 0x7, { 0x000FFFFF00070017ULL, 0, 0, 0 } },
	{ "inv-pdevtlb", 0x8, { 0x0000000302000108ULL, 0x7FFFF801ULL, 0, 0 } },
	{ "inv-pgrp-resp", 0x9, { 0x000000020010F039ULL, 0x2CULL, 0x1111, 0x2222 } },
};

static void build(uint8_t *b, const struct inv_case *c)
{
	unsigned i;

	for (i = 0; i < 4; i++)
		put64(b, i, c->qw[i]);
}

static const struct vtd_layout *inv_layout(const char *name)
{
	unsigned i;
	uint8_t b[32];

	for (i = 0; i < VTD_NELEM(inv_cases); i++)
		if (!strcmp(inv_cases[i].name, name)) {
			build(b, &inv_cases[i]);
			return vtd_invdesc_layout(b, 32);
		}
	return NULL;
}

static void test_inv_vectors(void)
{
	const struct vtd_layout *l;
	uint8_t b[32];

	build(b, &inv_cases[0]);
	l = need_layout("inv-cc");
	enum_is(l, b, "TYPE", "cc");
	enum_is(l, b, "G", "device");
	raw_is(l, b, "DID", 5);
	raw_is(l, b, "SID", 0xF8);
	enum_is(l, b, "FM", "fn2-1");

	build(b, &inv_cases[1]);
	l = need_layout("inv-iotlb");
	enum_is(l, b, "TYPE", "iotlb");
	enum_is(l, b, "G", "page");
	raw_is(l, b, "DW", 1);
	raw_is(l, b, "DR", 1);
	raw_is(l, b, "DID", 0x1234);
	raw_is(l, b, "AM", 3);
	value_is(l, b, "AM", 8);
	raw_is(l, b, "IH", 1);
	value_is(l, b, "ADDR", 0x7F000000);

	build(b, &inv_cases[2]);
	l = need_layout("inv-devtlb");
	raw_is(l, b, "PFSID_LO", 0xD);
	raw_is(l, b, "PFSID_HI", 0xABC);
	raw_is(l, b, "MIP", 0x1F);
	raw_is(l, b, "SID", 0x100);
	raw_is(l, b, "S", 1);
	value_is(l, b, "ADDR", 0x10007000);

	build(b, &inv_cases[3]);
	l = need_layout("inv-iec");
	enum_is(l, b, "G", "index");
	raw_is(l, b, "IM", 4);
	value_is(l, b, "IM", 16);
	raw_is(l, b, "IIDX", 0x40);

	build(b, &inv_cases[4]);
	l = need_layout("inv-wait");
	raw_is(l, b, "IF", 0);
	raw_is(l, b, "SW", 1);
	raw_is(l, b, "FN", 1);
	raw_is(l, b, "PD", 0);
	raw_is(l, b, "STATDATA", 1);
	raw_is(l, b, "STATADDR", 0x12345678 >> 2);
	value_is(l, b, "STATADDR", 0x12345678);

	build(b, &inv_cases[5]);
	l = need_layout("inv-piotlb");
	enum_is(l, b, "G", "page");
	raw_is(l, b, "DID", 7);
	raw_is(l, b, "PASID", 2);
	value_is(l, b, "AM", 1);
	value_is(l, b, "ADDR", 0x7F001000);

	build(b, &inv_cases[6]);
	l = need_layout("inv-pc");
	enum_is(l, b, "G", "pasid");
	raw_is(l, b, "DID", 7);
	raw_is(l, b, "PASID", 0xFFFFF);

	build(b, &inv_cases[7]);
	l = need_layout("inv-pdevtlb");
	raw_is(l, b, "MIP", 0x10);
	raw_is(l, b, "SID", 0x200);
	raw_is(l, b, "PASID", 3);
	raw_is(l, b, "G", 1);
	raw_is(l, b, "S", 1);
	value_is(l, b, "ADDR", 0x7FFFF000);

	build(b, &inv_cases[8]);
	l = need_layout("inv-pgrp-resp");
	raw_is(l, b, "PP", 1);
	raw_is(l, b, "PDP", 1);
	enum_is(l, b, "RC", "failure");
	raw_is(l, b, "RID", 0x10);
	raw_is(l, b, "PASID", 2);
	raw_is(l, b, "LPIG", 1);
	raw_is(l, b, "PRGI", 5);
	raw_is(l, b, "PRIV_DATA0", 0x1111);
	raw_is(l, b, "PRIV_DATA1", 0x2222);
}

static void test_inv_dispatch(void)
{
	static const unsigned none[] = { 0x0, 0xA, 0xB, 0xE, 0xF };
	uint8_t b[32];
	unsigned i;

	for (i = 0; i < VTD_NELEM(inv_cases); i++) {
		const struct vtd_layout *want = vtd_layout_find(inv_cases[i].name);

		build(b, &inv_cases[i]);
		is_u64(vtd_invdesc_type(b), inv_cases[i].type, "%s: type code", inv_cases[i].name);
		ok(want && vtd_invdesc_layout(b, 32) == want, "type %#x -> %s (32 bytes)",
		   inv_cases[i].type, inv_cases[i].name);
		ok(want && vtd_invdesc_layout(b, 16) == want, "type %#x -> %s (16 bytes)",
		   inv_cases[i].type, inv_cases[i].name);
		clean(want, b, 32);
		clean(want, b, 16);
	}
	memset(b, 0, sizeof(b));
	for (i = 0; i < VTD_NELEM(none); i++) {
		b[0] = (uint8_t)none[i];
		ok(!vtd_invdesc_layout(b, 32), "type %#x has no layout", none[i]);
	}
	/* Type bits 6:4 come from bits 11:9: 0x11 is not 0x1. */
	b[0] = 0x01;
	b[1] = 0x02;
	is_u64(vtd_invdesc_type(b), 0x11, "bits 11:9 are type bits 6:4");
	ok(!vtd_invdesc_layout(b, 32), "type 0x11 has no layout");
	b[1] = 0;
	ok(vtd_invdesc_layout(b, 16) == &vtd_l_inv_cc, "vtd_l_inv_cc is the registered inv-cc");
	ok(!vtd_invdesc_layout(b, 8), "8 bytes are too short");
	ok(!vtd_invdesc_layout(NULL, 32), "NULL descriptor");
}

static void test_inv_check(void)
{
	const struct vtd_layout *l = inv_layout("inv-cc");
	struct vtd_finding fd[4];
	uint8_t b[32];
	unsigned n;

	build(b, &inv_cases[0]);
	/* qw1 is all reserved in a context-cache descriptor. */
	put64(b, 1, 1);
	one_finding(l, b, 16, "reserved bits 127:64 are 0x1");
	/* qw2 exists only in the 256-bit form. */
	put64(b, 1, 0);
	put64(b, 2, 0x80);
	one_finding(l, b, 32, "reserved bits 191:128 are 0x80");
	clean(l, b, 16);
	put64(b, 2, 0);

	/* Type bits 6:4 must be zero. */
	put64(b, 0, 0x000200F800050031ULL | 1ULL << 10);
	n = check(l, b, 16, fd, 4);
	ok(n == 1 && fd[0].kind == VTD_FIND_VALUE && !strcmp(fd[0].field->name, "TYPE_HI"),
	   "inv-cc: TYPE_HI non-zero is a value finding");

	/* Granularity 0 is reserved for the IOTLB, valid for the PASID cache. */
	l = inv_layout("inv-iotlb");
	build(b, &inv_cases[1]);
	put64(b, 0, 0x00000000123400C2ULL);
	one_finding(l, b, 16, "G value 0 is reserved");
	l = inv_layout("inv-pc");
	put64(b, 0, 0x000FFFFF00070007ULL);
	put64(b, 1, 0);
	clean(l, b, 16);
	put64(b, 0, 0x000FFFFF00070027ULL);
	one_finding(l, b, 16, "G value 2 is reserved");

	/* Wait: bit 8 and status-address bits 65:64 are reserved. */
	l = inv_layout("inv-wait");
	build(b, &inv_cases[4]);
	put64(b, 1, 0x12345679ULL);
	one_finding(l, b, 16, "reserved bits 65:64 are 0x1");
	put64(b, 1, 0x12345678ULL);
	put64(b, 0, 0x0000000100000165ULL);
	one_finding(l, b, 16, "reserved bit 8 is set");

	/* IOTLB qw1 bits 11:7 (QEMU's 0xF80) are reserved. */
	l = inv_layout("inv-iotlb");
	build(b, &inv_cases[1]);
	put64(b, 1, 0x7F000043ULL | 0x800);
	one_finding(l, b, 16, "reserved bits 75:71 are 0x10");
}

static void test_inv_lengths(void)
{
	const struct vtd_layout *l = vtd_layout_find("inv-pgrp-resp");
	const struct vtd_field *priv = l ? vtd_field_find(l, "PRIV_DATA0") : NULL;
	const struct vtd_field *addr;
	struct vtd_rsvd_run runs[16];
	unsigned i, n16 = 0, n32 = 0;
	uint8_t b[32];

	if (!ok(l && priv, "inv-pgrp-resp has private data"))
		return;
	ok(vtd_layout_len_ok(l, 16), "16 bytes accepted");
	ok(vtd_layout_len_ok(l, 32), "32 bytes accepted");
	ok(!vtd_layout_len_ok(l, 24) && !vtd_layout_len_ok(l, 8) && !vtd_layout_len_ok(l, 64),
	   "24, 8 and 64 bytes refused");
	ok(!vtd_field_in(priv, 16) && vtd_field_in(priv, 32),
	   "private data shows only in the 256-bit form");
	l = vtd_layout_find("inv-iotlb");
	addr = vtd_field_find(l, "ADDR");
	ok(addr && vtd_field_in(addr, 16), "IOTLB ADDR is in the 128-bit form");

	/* A 128-bit slot: the upper half does not exist, so is not reserved. */
	build(b, &inv_cases[1]);
	is_u64(vtd_layout_rsvd_runs(l, 16, runs, 16), 4, "inv-iotlb: 4 reserved runs in 16 bytes");
	is_u64(vtd_layout_rsvd_runs(l, 32, runs, 16), 6, "inv-iotlb: 6 reserved runs in 32 bytes");
	is_u64(runs[4].lsb, 128, "inv-iotlb: qw2 is reserved");

	for (i = 0; i < l->nfields; i++) {
		n16 += vtd_field_in(&l->fields[i], 16);
		n32 += vtd_field_in(&l->fields[i], 32);
	}
	ok(n16 == n32 && n16 == l->nfields, "inv-iotlb: all fields in the first 16 bytes");
}

/* ---- fault record, page request ------------------------------------------------ */

static void test_fault_layouts(void)
{
	const struct vtd_layout *fr = need_layout("frcd");
	const struct vtd_layout *pr = need_layout("prq-desc");
	const struct vtd_field *f;
	uint8_t b[32];

	if (!fr || !pr)
		return;
	is_str(fr->family, "fault", "frcd family");
	ok(fr == &vtd_l_frcd && pr == &vtd_l_prq_desc, "exported objects are the registered ones");

	/* DMA read at 0xff0f0000 by 01:00.0 with PASID 2, reason 0x06, pending. */
	memset(b, 0, sizeof(b));
	put64(b, 0, 0x00000000FF0F0000ULL);
	put64(b, 1, 0xC000020680000100ULL);
	value_is(fr, b, "FI", 0xFF0F0000);
	raw_is(fr, b, "SID", 0x100);
	raw_is(fr, b, "PP", 1);
	raw_is(fr, b, "FR", 0x06);
	raw_is(fr, b, "PV", 2);
	enum_is(fr, b, "T", "read");
	raw_is(fr, b, "F", 1);
	f = vtd_field_find(fr, "F");
	ok(f && (f->flags & VTD_FF_W1C), "FRCD.F is write-1-to-clear");
	clean(fr, b, 16);
	put64(b, 1, 0xC000020680000100ULL | 1ULL << 60);
	one_finding(fr, b, 16, "reserved bits 125:124 are 0x1");

	/* Interrupt-remapping fault: index 0x14 sits in FI bits 63:48. */
	put64(b, 0, 0x0014000000000000ULL);
	put64(b, 1, 0x8000002200000100ULL);
	value_is(fr, b, "FI", 0x0014000000000000ULL);
	enum_is(fr, b, "T", "write");
	raw_is(fr, b, "FR", 0x22);
	{
		struct vtd_check_opts o = { .haw = 39 };
		struct vtd_finding fd[2];

		is_u64(vtd_layout_check(fr, b, 16, &o, fd, 2), 0,
		       "FI carries no HAW rule (an IR index is not an address)");
	}

	/* Page request: type 1, PP, PDP, RID 00:02.0, PASID 2, PM, R, W, L, index 5. */
	put64(b, 0, 0x0020000200100301ULL);
	put64(b, 1, 0x000000007F00102FULL);
	put64(b, 2, 0x1111);
	put64(b, 3, 0x2222);
	raw_is(pr, b, "TYPE", 1);
	raw_is(pr, b, "PP", 1);
	raw_is(pr, b, "PDP", 1);
	raw_is(pr, b, "RID", 0x10);
	raw_is(pr, b, "PASID", 2);
	raw_is(pr, b, "EXE", 0);
	raw_is(pr, b, "PM", 1);
	raw_is(pr, b, "RD", 1);
	raw_is(pr, b, "WR", 1);
	raw_is(pr, b, "LPIG", 1);
	raw_is(pr, b, "PRGI", 5);
	raw_is(pr, b, "ADDR", 0x7F001);
	value_is(pr, b, "ADDR", 0x7F001000);
	raw_is(pr, b, "PRIV_DATA1", 0x2222);
	clean(pr, b, 32);
	ok(!vtd_layout_len_ok(pr, 16), "prq-desc is always 32 bytes");
}

/* ---- every layout of these families ---------------------------------------------- */

static void test_selftest(void)
{
	const char *fams[] = { "interrupt", "descriptor", "fault" };
	unsigned counts[3] = { 0, 0, 0 };
	const struct vtd_layout *l;
	unsigned i, j;

	for (i = 0; (l = vtd_layout_at(i)); i++)
		for (j = 0; j < 3; j++) {
			struct vtd_error err;

			if (strcmp(l->family, fams[j]))
				continue;
			counts[j]++;
			memset(&err, 0, sizeof(err));
			if (!ok(vtd_layout_selftest(l, &err) == 0, "selftest %s", l->name))
				printf("#   %s\n", err.msg);
			if (j == 1)
				ok(l->size == 32 && l->min_size == 16, "%s: 32 bytes, 16 minimum",
				   l->name);
		}
	is_u64(counts[0], 2, "2 interrupt layouts");
	is_u64(counts[1], 9, "9 descriptor layouts");
	is_u64(counts[2], 2, "2 fault layouts");
}

/* ---- fault reasons ------------------------------------------------------------- */

static int qemu_qualified(unsigned c)
{
	/* The facts' list of QEMU's qualified faults (vtd-facts.md 2.1). */
	return (c >= 0x02 && c <= 0x07) || c == 0x0C || c == 0x0D || c == 0x0E ||
	       c == 0x51 || c == 0x59 || c == 0x5B || (c >= 0x70 && c <= 0x73) ||
	       c == 0x80 || c == 0x81 || c == 0x85 || c == 0x87 || c == 0x91;
}

/* Linux's lookup ranges (vtd-facts.md 2.1), for codes the table defines. */
static int linux_has_text(unsigned c)
{
	return (c >= 0x20 && c <= 0x26) || (c >= 0x30 && c <= 0x90) || c <= 0x0D;
}

static void test_fault_reasons(void)
{
	const struct vtd_fault_reason *r, *prev = NULL;
	unsigned i, c, bad_q = 0, bad_sort = 0, bad_text = 0, bad_flags = 0, nq = 0;

	is_str(vtd_fault_linux_text(0x00), "Software", "0x00 text");
	is_str(vtd_fault_linux_text(0x01), "Present bit in root entry is clear", "0x01 text");
	is_str(vtd_fault_linux_text(0x06), "PTE Read access is not set", "0x06 text");
	is_str(vtd_fault_linux_text(0x0D), "PCE for translation request specifies blocking",
	       "0x0D text");
	is_str(vtd_fault_linux_text(0x22), "Present field in the IRTE entry is clear", "0x22 text");
	is_str(vtd_fault_linux_text(0x71), "SM: Present bit in first-level paging entry is clear",
	       "0x71 text");
	is_str(vtd_fault_linux_text(0x90),
	       "SM: A/D bit update needed in first-level entry when set up in no snoop",
	       "0x90 text");
	is_str(vtd_fault_linux_text(0x0E), "Unknown", "0x0E (QEMU only) prints Unknown");
	is_str(vtd_fault_linux_text(0x91), "Unknown", "0x91 (QEMU only) prints Unknown");
	is_str(vtd_fault_linux_text(0x33), "Unknown", "0x33 (gap) prints Unknown");
	is_str(vtd_fault_linux_text(0xFF), "Unknown", "0xFF prints Unknown");
	is_str(vtd_fault_linux_text(0x27), "Unknown", "0x27 prints Unknown");
	is_str(vtd_fault_linux_text(0x1234), "Unknown", "out-of-range code prints Unknown");

	r = vtd_fault_reason(0x01);
	is_str(r ? r->name : NULL, "root-not-present", "0x01 name");
	r = vtd_fault_reason(0x0E);
	ok(r && (r->flags & VTD_FR_LINUX_UNKNOWN) && !r->linux_text, "0x0E is defined, QEMU only");
	ok(!vtd_fault_reason(0x33) && !vtd_fault_reason(0xFF) && !vtd_fault_reason(0x100),
	   "undefined codes have no reason");
	r = vtd_fault_reason(0x26);
	ok(r && (r->flags & VTD_FR_IR) && !(r->flags & VTD_FR_SM), "0x26 is an IR fault");
	r = vtd_fault_reason(0x0B);
	ok(r && !(r->flags & VTD_FR_QEMU_QUALIFIED), "0x0B is not qualified (missing in QEMU)");

	for (i = 0; (r = vtd_fault_reason_at(i)); i++) {
		c = r->code;
		if (prev && prev->code >= c)
			bad_sort++;
		if (!!(r->flags & VTD_FR_QEMU_QUALIFIED) != qemu_qualified(c))
			bad_q++;
		nq += qemu_qualified(c);
		if (linux_has_text(c) ? !r->linux_text || (r->flags & VTD_FR_LINUX_UNKNOWN)
				      : r->linux_text || !(r->flags & VTD_FR_LINUX_UNKNOWN))
			bad_text++;
		if (!!(r->flags & VTD_FR_IR) != (c >= 0x20 && c <= 0x26) ||
		    !!(r->flags & VTD_FR_SM) != (c >= 0x30) || !r->name || !r->desc ||
		    vtd_fault_reason(c) != r)
			bad_flags++;
		prev = r;
	}
	is_u64(i, 69, "69 defined reasons");
	is_u64(bad_sort, 0, "reasons sorted by code, no duplicates");
	is_u64(bad_q, 0, "qualified flags match QEMU's list");
	is_u64(nq, 21, "21 qualified codes in the table");
	is_u64(bad_text, 0, "Linux text present exactly in Linux's ranges");
	is_u64(bad_flags, 0, "IR/SM flags, names, descriptions, lookup");

	/* Names are stable identifiers: unique, lowercase, no spaces. */
	bad_flags = 0;
	for (i = 0; (r = vtd_fault_reason_at(i)); i++) {
		const struct vtd_fault_reason *q;
		const char *s;
		unsigned j;

		for (s = r->name; *s; s++)
			if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
				bad_flags++;
		for (j = 0; j < i && (q = vtd_fault_reason_at(j)); j++)
			if (!strcmp(q->name, r->name))
				bad_flags++;
	}
	is_u64(bad_flags, 0, "reason names unique and well-formed");
}

int main(void)
{
	test_irte();
	test_inv_vectors();
	test_inv_dispatch();
	test_inv_check();
	test_inv_lengths();
	test_fault_layouts();
	test_selftest();
	test_fault_reasons();
	return tap_done();
}
