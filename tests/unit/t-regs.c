/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests: register layouts, the register map and register-page dumps. */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "layout.h"
#include "regs.h"
#include "tap.h"

/*
 * QEMU's CAP and ECAP, built by hand from the "QEMU" columns of the facts
 * tables (reference/vtd-facts.md 3.1, 3.2), device defaults: dma-drain on,
 * caching-mode off, pt on, intremap off.
 *
 * CAP, aw-bits=39:
 *   ND 6                   0x0000000000000006
 *   SAGAW bit 1 (39-bit)   0x0000000000000200   (1 << 1) << 8
 *   MGAW 38                0x0000000000260000   38 << 16
 *   FRO 0x22               0x0000000022000000   0x22 << 24
 *   SSLPS 2M|1G            0x0000000c00000000   3 << 34
 *   PSI                    0x0000008000000000   1 << 39
 *   NFR 0                  0
 *   MAMV 18                0x0012000000000000   18 << 48
 *   DWD|DRD                0x00c0000000000000   3 << 54
 *                          ------------------
 *                          0x00d2008c22260206   (what Linux prints as "cap d2008c22260206")
 * aw-bits=48 adds SAGAW bit 2 (0x400) and MGAW becomes 47 (0x2f0000):
 *                          0x00d2008c222f0606
 *
 * ECAP, legacy: QI 0x2 | PT 0x40 | IRO 0xf << 8 = 0xf00     -> 0x0000000000000f42
 * ECAP, scalable (x-scalable-mode=on, intremap=on, no flts):
 *   QI 0x2 | IR 0x8 | PT 0x40          0x000000000000004a
 *   IRO 0xf                            0x0000000000000f00
 *   MHMV 15                            0x0000000000f00000   15 << 20
 *   SRS                                0x0000000080000000   1 << 31
 *   SMTS                               0x0000080000000000   1 << 43
 *   SSTS                               0x0000400000000000   1 << 46
 *                                      ------------------
 *                                      0x0000480080f00f4a
 */
#define QEMU_CAP_AW39	0x00d2008c22260206ULL
#define QEMU_CAP_AW48	0x00d2008c222f0606ULL
#define QEMU_ECAP_LEG	0x0000000000000f42ULL
#define QEMU_ECAP_SM	0x0000480080f00f4aULL

static const struct vtd_layout *const all_regs[] = {
	&vtd_l_reg_ver, &vtd_l_reg_cap, &vtd_l_reg_ecap, &vtd_l_reg_gcmd, &vtd_l_reg_gsts,
	&vtd_l_reg_rtaddr, &vtd_l_reg_ccmd, &vtd_l_reg_iva, &vtd_l_reg_iotlb,
	&vtd_l_reg_fsts, &vtd_l_reg_fectl, &vtd_l_reg_fedata, &vtd_l_reg_feaddr,
	&vtd_l_reg_feuaddr, &vtd_l_reg_aflog, &vtd_l_reg_pmen, &vtd_l_reg_plmbase,
	&vtd_l_reg_plmlimit, &vtd_l_reg_phmbase, &vtd_l_reg_phmlimit, &vtd_l_reg_iqh,
	&vtd_l_reg_iqt, &vtd_l_reg_iqa, &vtd_l_reg_ics, &vtd_l_reg_iectl, &vtd_l_reg_iedata,
	&vtd_l_reg_ieaddr, &vtd_l_reg_ieuaddr, &vtd_l_reg_iqercd, &vtd_l_reg_irta,
	&vtd_l_reg_pqh, &vtd_l_reg_pqt, &vtd_l_reg_pqa, &vtd_l_reg_prs, &vtd_l_reg_pectl,
	&vtd_l_reg_pedata, &vtd_l_reg_peaddr, &vtd_l_reg_peuaddr, &vtd_l_reg_mtrrcap,
	&vtd_l_reg_mtrrdef, &vtd_l_reg_mtrr_fix, &vtd_l_reg_mtrr_physbase,
	&vtd_l_reg_mtrr_physmask,
};

static void put_le(uint8_t *p, unsigned n, uint64_t v)
{
	unsigned i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Raw and person-readable value of one field of a register value. */
static uint64_t raw_of(const struct vtd_layout *l, uint64_t reg, const char *name)
{
	uint8_t buf[8];
	const struct vtd_field *f = vtd_field_find(l, name);

	put_le(buf, 8, reg);
	return f ? vtd_field_raw(f, buf) : UINT64_MAX;
}

static uint64_t val_of(const struct vtd_layout *l, uint64_t reg, const char *name)
{
	const struct vtd_field *f = vtd_field_find(l, name);

	return f ? vtd_field_value(f, raw_of(l, reg, name)) : UINT64_MAX;
}

static unsigned check_reg(const struct vtd_layout *l, uint64_t reg, unsigned haw,
			  struct vtd_finding *out, unsigned max)
{
	struct vtd_check_opts o = { .haw = haw };
	uint8_t buf[8];

	put_le(buf, 8, reg);
	return vtd_layout_check(l, buf, l->size, &o, out, max);
}

static void test_selftest(void)
{
	struct vtd_error err;
	unsigned i, bad = 0, nreg = 0;
	const struct vtd_layout *l;

	for (i = 0; i < VTD_NELEM(all_regs); i++) {
		vtd_error_clear(&err);
		if (vtd_layout_selftest(all_regs[i], &err)) {
			printf("# %s\n", err.msg);
			bad++;
		}
	}
	ok(!bad, "selftest passes for all %zu register layouts", VTD_NELEM(all_regs));

	bad = 0;
	for (i = 0; i < VTD_NELEM(all_regs); i++) {
		l = all_regs[i];
		if (strcmp(l->family, "register") || (l->size != 4 && l->size != 8) ||
		    l->min_size || !l->spec || strncmp(l->spec, "11.4.", 5))
			bad++;
	}
	ok(!bad, "every register layout: family 'register', 4 or 8 bytes, a spec section");

	for (i = 0; (l = vtd_layout_at(i)); i++)
		if (!strcmp(l->family, "register"))
			nreg++;
	is_u64(nreg, VTD_NELEM(all_regs), "the registry lists every register layout");
	ok(vtd_layout_find("cap") == &vtd_l_reg_cap, "vtd_layout_find(\"cap\")");
	ok(vtd_layout_find("GSTS") == &vtd_l_reg_gsts, "vtd_layout_find is case-insensitive");
	ok(vtd_layout_find("mtrr-physmask") == &vtd_l_reg_mtrr_physmask,
	   "vtd_layout_find(\"mtrr-physmask\")");
}

static void test_cap(void)
{
	const struct vtd_layout *l = &vtd_l_reg_cap;
	const struct vtd_field *f;
	struct vtd_finding fnd[4];
	uint64_t c = QEMU_CAP_AW39;

	is_u64(raw_of(l, c, "ND"), 6, "CAP.ND raw");
	is_u64(val_of(l, c, "ND"), 65536, "CAP.ND: 2^16 domains");
	is_str(vtd_field_find(l, "nd")->coding->unit, "domains", "CAP.ND unit");
	is_u64(raw_of(l, c, "SAGAW"), 0x2, "CAP.SAGAW aw39: bit 1 only");
	f = vtd_field_find(l, "SAGAW");
	ok(f && f->kind == VTD_BITSET, "CAP.SAGAW is a bit set");
	is_u64(vtd_value_find(f, "39-bit")->raw, 1, "SAGAW '39-bit' is bit 1");
	is_u64(vtd_value_find(f, "48-bit")->raw, 2, "SAGAW '48-bit' is bit 2");
	is_u64(vtd_value_find(f, "57-bit")->raw, 3, "SAGAW '57-bit' is bit 3");
	is_str(vtd_value_find(f, "48-bit")->desc, "4-level second-stage tables",
	       "SAGAW 48-bit means 4-level");
	is_u64(raw_of(l, c, "MGAW"), 38, "CAP.MGAW raw aw39");
	is_u64(val_of(l, c, "MGAW"), 39, "CAP.MGAW: 39 bits");
	is_u64(raw_of(l, c, "FRO"), 0x22, "CAP.FRO raw");
	is_u64(val_of(l, c, "FRO"), 0x220, "CAP.FRO: fault records at 0x220");
	is_u64(raw_of(l, c, "SSLPS"), 3, "CAP.SSLPS: 2M and 1G");
	is_u64(raw_of(l, c, "PSI"), 1, "CAP.PSI");
	is_u64(raw_of(l, c, "NFR"), 0, "CAP.NFR raw");
	is_u64(val_of(l, c, "NFR"), 1, "CAP.NFR: one fault record");
	is_u64(val_of(l, c, "MAMV"), 18, "CAP.MAMV");
	is_u64(raw_of(l, c, "DWD") + raw_of(l, c, "DRD"), 2, "CAP.DWD and DRD (dma-drain)");
	is_u64(raw_of(l, c, "CM") + raw_of(l, c, "RWBF") + raw_of(l, c, "AFL"), 0,
	       "CAP.CM, RWBF, AFL clear");
	is_u64(check_reg(l, c, 39, fnd, 4), 0, "QEMU CAP (aw39) has no findings");

	c = QEMU_CAP_AW48;
	is_u64(raw_of(l, c, "SAGAW"), 0x6, "CAP.SAGAW aw48: 39-bit | 48-bit");
	is_u64(val_of(l, c, "MGAW"), 48, "CAP.MGAW: 48 bits");
	is_u64(check_reg(l, c, 48, fnd, 4), 0, "QEMU CAP (aw48) has no findings");

	f = vtd_field_find(l, "FRO");
	ok(f && (f->flags & VTD_FF_RO), "CAP fields are read-only");
}

/* Encoding CAP field by field from the values a person reads gives the vector back. */
static void test_cap_encode(void)
{
	static const struct {
		const char *field;
		uint64_t value;
	} v[] = {
		{ "ND", 65536 }, { "SAGAW", 0x2 }, { "MGAW", 39 }, { "FRO", 0x220 },
		{ "SSLPS", 3 }, { "PSI", 1 }, { "NFR", 1 }, { "MAMV", 18 },
		{ "DWD", 1 }, { "DRD", 1 },
	};
	uint8_t buf[8] = { 0 };
	struct vtd_error err;
	unsigned i, bad = 0;
	uint64_t raw;

	for (i = 0; i < VTD_NELEM(v); i++) {
		const struct vtd_field *f = vtd_field_find(&vtd_l_reg_cap, v[i].field);

		if (!f || vtd_field_raw_of(f, v[i].value, &raw, &err) ||
		    vtd_field_set_raw(f, buf, raw, &err))
			bad++;
	}
	ok(!bad, "CAP fields encode from values");
	is_u64(vtd_bits_get(buf, 0, 64), QEMU_CAP_AW39, "encoded CAP equals QEMU's");
	ok(vtd_field_raw_of(vtd_field_find(&vtd_l_reg_cap, "ND"), 1000, &raw, &err) == -VTD_ERANGE,
	   "CAP.ND refuses a domain count that is not 2^(4+2n)");
}

static void test_ecap(void)
{
	const struct vtd_layout *l = &vtd_l_reg_ecap;
	struct vtd_finding fnd[4];
	uint64_t e = QEMU_ECAP_LEG;

	is_u64(raw_of(l, e, "IRO"), 0xf, "ECAP.IRO raw");
	is_u64(val_of(l, e, "IRO"), 0xf0, "ECAP.IRO: IOTLB registers at 0xF0");
	is_u64(raw_of(l, e, "QI"), 1, "ECAP.QI");
	is_u64(raw_of(l, e, "PT"), 1, "ECAP.PT");
	is_u64(raw_of(l, e, "IR"), 0, "ECAP.IR clear without intremap");
	is_u64(raw_of(l, e, "SMTS"), 0, "ECAP.SMTS clear in legacy mode");
	is_u64(check_reg(l, e, 39, fnd, 4), 0, "QEMU legacy ECAP has no findings");

	e = QEMU_ECAP_SM;
	is_u64(raw_of(l, e, "smts"), 1, "ECAP.SMTS (by key)");
	is_u64(raw_of(l, e, "SSTS"), 1, "ECAP.SSTS");
	is_u64(raw_of(l, e, "FSTS"), 0, "ECAP.FSTS clear without flts");
	is_u64(raw_of(l, e, "SRS"), 1, "ECAP.SRS");
	is_u64(raw_of(l, e, "IR"), 1, "ECAP.IR");
	is_u64(val_of(l, e, "MHMV"), 15, "ECAP.MHMV");
	is_u64(val_of(l, e, "IRO"), 0xf0, "ECAP.IRO scalable");
	is_u64(check_reg(l, e, 48, fnd, 4), 0, "QEMU scalable ECAP has no findings");

	/* PSS 19 is the 20-bit PASID width of real hardware. */
	is_u64(val_of(l, 19ULL << 35, "PSS"), 20, "ECAP.PSS: 20-bit PASIDs");
}

static void test_coded(void)
{
	is_u64(val_of(&vtd_l_reg_irta, 0x12345007, "S"), 256, "IRTA.S 7: 256 entries");
	is_u64(val_of(&vtd_l_reg_irta, 0x1234500f, "S"), 65536, "IRTA.S 15: 65536 entries");
	is_u64(val_of(&vtd_l_reg_irta, 0x12345807, "IRTA"), 0x12345000, "IRTA address");
	is_u64(raw_of(&vtd_l_reg_irta, 0x12345807, "EIME"), 1, "IRTA.EIME");
	is_u64(val_of(&vtd_l_reg_iqa, 0x20000000, "QS"), 1, "IQA.QS 0: one page");
	is_u64(val_of(&vtd_l_reg_iqa, 0x20000803, "QS"), 8, "IQA.QS 3: eight pages");
	is_str(vtd_enum_lookup(vtd_field_find(&vtd_l_reg_iqa, "DW"),
			       raw_of(&vtd_l_reg_iqa, 0x20000803, "DW"))->name,
	       "256-bit", "IQA.DW 1: 256-bit");
	is_u64(val_of(&vtd_l_reg_iqh, 0x7fff0, "QH"), 0x7fff0, "IQH.QH as a byte offset");
	is_u64(val_of(&vtd_l_reg_pqt, 0x7ffe0, "PQT"), 0x7ffe0, "PQT as a byte offset");
	is_u64(val_of(&vtd_l_reg_fsts, 0x0302, "FRI"), 3, "FSTS.FRI");
	is_u64(raw_of(&vtd_l_reg_fsts, 0x0302, "PPF"), 1, "FSTS.PPF");
	ok(vtd_field_find(&vtd_l_reg_fsts, "PFO")->flags & VTD_FF_W1C, "FSTS.PFO is W1C");
	ok(vtd_field_find(&vtd_l_reg_fsts, "PPF")->flags & VTD_FF_RO, "FSTS.PPF is read-only");
	ok(vtd_field_find(&vtd_l_reg_gcmd, "TE")->flags & VTD_FF_WO, "GCMD.TE is write-only");
	ok(vtd_field_find(&vtd_l_reg_gsts, "TES")->flags & VTD_FF_RO, "GSTS.TES is read-only");
	is_str(vtd_enum_lookup(vtd_field_find(&vtd_l_reg_rtaddr, "TTM"), 1)->name, "scalable",
	       "RTADDR.TTM 1: scalable");
	is_str(vtd_enum_lookup(vtd_field_find(&vtd_l_reg_iotlb, "IIRG"), 3)->name, "page",
	       "IOTLB.IIRG 3: page-selective");
	is_str(vtd_enum_lookup(vtd_field_find(&vtd_l_reg_ccmd, "CIRG"), 3)->name, "device",
	       "CCMD.CIRG 3: device-selective");
	is_u64(val_of(&vtd_l_reg_feaddr, 0xfee00000, "MA"), 0xfee00000, "FEADDR.MA");
	is_u64(val_of(&vtd_l_reg_ver, 0x10, "MAX"), 1, "VER 0x10: major 1");
}

static void test_reserved(void)
{
	struct vtd_finding f[8];
	unsigned n;

	n = check_reg(&vtd_l_reg_cap, QEMU_CAP_AW39 | 1ULL << 38, 0, f, 8);
	ok(n == 1 && f[0].kind == VTD_FIND_RSVD && f[0].lsb == 38 && f[0].width == 1,
	   "CAP bit 38 is reserved");
	n = check_reg(&vtd_l_reg_cap, QEMU_CAP_AW39 | 0x5ULL << 13, 0, f, 8);
	ok(n == 1 && f[0].lsb == 13 && f[0].width == 3 && f[0].bits == 5,
	   "CAP bits 15:13 are reserved: %s", n ? f[0].msg : "");
	n = check_reg(&vtd_l_reg_cap, QEMU_CAP_AW39 | 3ULL << 57, 0, f, 8);
	ok(n == 1 && f[0].lsb == 57 && f[0].width == 2, "CAP bits 58:57 are reserved");
	n = check_reg(&vtd_l_reg_ecap, QEMU_ECAP_LEG | 1ULL << 5 | 1ULL << 63, 0, f, 8);
	ok(n == 2 && f[0].lsb == 5 && f[1].lsb == 54, "ECAP bit 5 and bits 63:54 are reserved");
	n = check_reg(&vtd_l_reg_gsts, 0x80000001, 0, f, 8);
	ok(n == 1 && f[0].lsb == 0 && f[0].width == 23, "GSTS bits 22:0 are reserved");
	n = check_reg(&vtd_l_reg_ver, 0x110, 0, f, 8);
	ok(n == 1 && f[0].lsb == 8 && f[0].width == 24, "VER bits 31:8 are reserved");
	n = check_reg(&vtd_l_reg_iotlb, 1ULL << 62 | 0x1, 0, f, 8);
	ok(n == 2 && f[0].lsb == 0 && f[0].width == 32 && f[1].lsb == 62,
	   "IOTLB bits 31:0 and 62 are reserved");
	n = check_reg(&vtd_l_reg_feaddr, 0xfee00003, 0, f, 8);
	ok(n == 1 && f[0].lsb == 0 && f[0].width == 2, "FEADDR bits 1:0 are reserved");
	n = check_reg(&vtd_l_reg_iqa, 0x20000000 | 1u << 5, 0, f, 8);
	ok(n == 1 && f[0].lsb == 3 && f[0].width == 8, "IQA bits 10:3 are reserved");
	n = check_reg(&vtd_l_reg_rtaddr, 0x12345000 | 2u << 10, 0, f, 8);
	ok(n == 1 && f[0].kind == VTD_FIND_VALUE, "RTADDR.TTM 2 is a reserved value");
	n = check_reg(&vtd_l_reg_rtaddr, 0x12345000 | 3u << 10, 0, f, 8);
	is_u64(n, 0, "RTADDR.TTM 3 (abort-DMA) is valid");
	n = check_reg(&vtd_l_reg_rtaddr, 1ULL << 40 | 0x1000, 39, f, 8);
	ok(n == 1 && f[0].kind == VTD_FIND_HAW, "RTADDR.RTA beyond a 39-bit HAW");
	n = check_reg(&vtd_l_reg_iva, 1ULL << 60 | 0x1000, 39, f, 8);
	is_u64(n, 0, "IVA.ADDR is an input address: no HAW check");
	n = check_reg(&vtd_l_reg_ccmd, 0, 0, f, 8);
	is_u64(n, 0, "an idle CCMD (all zero) has no findings");
}

static void test_map(void)
{
	const struct vtd_reg *r, *q;
	uint64_t off = 0;
	unsigned i, j, bad = 0, dup = 0, n;

	for (n = 0; vtd_reg_at(n); n++)
		;
	ok(n > 40, "the map has %u registers", n);
	ok(vtd_reg_at(n) == NULL, "vtd_reg_at past the end is NULL");
	for (i = 0; (r = vtd_reg_at(i)); i++) {
		const struct vtd_layout *l = vtd_reg_layout(r);

		if (r->offset % (r->width > 8 ? 8 : r->width) ||
		    (r->layout && r->layout->size != r->width) || (l && l->size != r->width))
			bad++;
		for (j = 0; j < i; j++) {
			q = vtd_reg_at(j);
			if (!strcasecmp(q->name, r->name))
				dup++;
			/* Absolute registers must not overlap. */
			if (q->base == VTD_REG_ABS && r->base == VTD_REG_ABS &&
			    q->offset < r->offset + r->width && r->offset < q->offset + q->width)
				dup++;
		}
	}
	ok(!bad, "map entries are aligned and match their layout size");
	ok(!dup, "map names are unique and absolute registers do not overlap");

	r = vtd_reg_find("iotlb");
	ok(r && r->base == VTD_REG_IRO && r->layout == &vtd_l_reg_iotlb, "find IOTLB");
	ok(!vtd_reg_offset(r, QEMU_CAP_AW39, QEMU_ECAP_LEG, &off), "offset of IOTLB");
	is_u64(off, 0xf8, "IOTLB at IRO*16 + 8 = 0xF8 on QEMU");
	vtd_reg_offset(vtd_reg_find("IVA"), QEMU_CAP_AW39, QEMU_ECAP_LEG, &off);
	is_u64(off, 0xf0, "IVA at IRO*16 = 0xF0 on QEMU");
	/* An IRO of 0x50 (0x500) as many real units report. */
	vtd_reg_offset(r, 0, 0x50ULL << 8, &off);
	is_u64(off, 0x508, "IOTLB with IRO 0x50 at 0x508");
	r = vtd_reg_find("FRCD");
	ok(r && r->base == VTD_REG_FRO && r->width == 16, "find FRCD");
	vtd_reg_offset(r, QEMU_CAP_AW39, QEMU_ECAP_LEG, &off);
	is_u64(off, 0x220, "FRCD at FRO*16 = 0x220 on QEMU");
	ok(vtd_reg_layout(r) == vtd_layout_find("frcd"), "FRCD layout is looked up by name");
	vtd_reg_offset(vtd_reg_find("gsts"), 0, 0, &off);
	is_u64(off, 0x1c, "GSTS at 0x1C");
	vtd_reg_offset(vtd_reg_find("MTRR_PHYSMASK9"), 0, 0, &off);
	is_u64(off, 0x218, "MTRR_PHYSMASK9 at 0x218");
	ok(vtd_reg_find("no-such-reg") == NULL, "unknown register name");
	ok(vtd_reg_offset(NULL, 0, 0, &off) == -VTD_EINVAL, "offset of NULL is EINVAL");

	ok(!vtd_reg_implemented(vtd_reg_find("IRTA"), QEMU_CAP_AW39, QEMU_ECAP_LEG),
	   "IRTA absent without ECAP.IR");
	ok(vtd_reg_implemented(vtd_reg_find("IRTA"), QEMU_CAP_AW39, QEMU_ECAP_SM),
	   "IRTA present with ECAP.IR");
	ok(vtd_reg_implemented(vtd_reg_find("IQA"), QEMU_CAP_AW39, QEMU_ECAP_LEG),
	   "IQA present with ECAP.QI");
	ok(!vtd_reg_implemented(vtd_reg_find("PMEN"), QEMU_CAP_AW39, QEMU_ECAP_LEG),
	   "PMEN absent without PLMR/PHMR");
	ok(vtd_reg_implemented(vtd_reg_find("PMEN"), 1u << 6, 0), "PMEN present with PHMR");
}

/* A QEMU-like register page: legacy mode, translation on, one pending fault. */
static void fill_page(uint8_t *page, uint64_t cap)
{
	memset(page, 0, 4096);
	put_le(page + 0x00, 4, 0x10);
	put_le(page + 0x08, 8, cap);
	put_le(page + 0x10, 8, QEMU_ECAP_LEG);
	put_le(page + 0x1c, 4, 0xc4000000);		/* TES | RTPS | QIES */
	put_le(page + 0x20, 8, 0x7f000000);		/* legacy root table */
	put_le(page + 0x34, 4, 0x2);			/* PPF */
	put_le(page + 0x38, 4, 0x80000000);		/* IM */
	put_le(page + 0x40, 4, 0xfee00000);
	put_le(page + 0x90, 8, 0x7e000000);		/* IQA, QS 0 */
	put_le(page + 0xf8, 8, 1ULL << 60 | 1ULL << 57);	/* IIRG = IAIG = global */
	put_le(page + 0x220, 8, 0xdead000);		/* fault address */
	put_le(page + 0x228, 8, 1ULL << 63 | 0x6ULL << 32 | 0x0100);	/* F, FR 6, 01:00.0 */
}

static void test_regfile(void)
{
	static uint8_t page[4096];
	struct vtd_check_opts o = { .haw = 39 };
	struct vtd_finding fnd[4];
	struct vtd_regval rv;
	struct vtd_error err;
	unsigned i, n, nmap, nok = 0, ntrunc = 0, findings = 0;
	int rc, seen_iotlb = 0, seen_frcd = 0;

	for (nmap = 0; vtd_reg_at(nmap); nmap++)
		;

	fill_page(page, QEMU_CAP_AW39);
	for (i = 0; (rc = vtd_regfile_read(page, sizeof(page), i, &rv, &err)) != 0; i++) {
		if (rc < 0) {
			ntrunc++;
			continue;
		}
		nok++;
		if (rv.layout)
			findings += vtd_layout_check(rv.layout, rv.bytes, rv.layout->size, &o,
						     fnd, 4);
		if (!strcmp(rv.label, "IOTLB")) {
			seen_iotlb = rv.off == 0xf8 && rv.value == (1ULL << 60 | 1ULL << 57);
		}
		if (!strcmp(rv.label, "FRCD[0]"))
			seen_frcd = rv.off == 0x220 && rv.value == 0xdead000 &&
				    rv.value_hi == (1ULL << 63 | 0x6ULL << 32 | 0x0100) &&
				    rv.bytes == page + 0x220 && rv.index == 0;
	}
	is_u64(nok, nmap, "4 KiB page: every register read (one fault record)");
	is_u64(ntrunc, 0, "4 KiB page: nothing truncated");
	is_u64(findings, 0, "QEMU-like page: no findings in any register or fault record");
	ok(seen_iotlb, "IOTLB found through ECAP.IRO at 0xF8");
	ok(seen_frcd, "FRCD[0] found through CAP.FRO at 0x220, both qwords");

	rc = vtd_regfile_read(page, sizeof(page), 1, &rv, &err);
	ok(rc == 1 && !strcmp(rv.label, "CAP") && rv.value == QEMU_CAP_AW39 &&
	   rv.layout == &vtd_l_reg_cap, "idx 1 is CAP");
	rc = vtd_regfile_read(page, sizeof(page), 4, &rv, &err);
	ok(rc == 1 && !strcmp(rv.label, "GSTS") && rv.value == 0xc4000000 && rv.off == 0x1c,
	   "idx 4 is GSTS, a 32-bit register");

	/* Four fault records (NFR 3): FRCD[3] at 0x250. */
	fill_page(page, QEMU_CAP_AW39 | 3ULL << 40);
	for (n = 0; vtd_regfile_read(page, sizeof(page), n, &rv, &err) != 0; n++)
		;
	is_u64(n, nmap + 3, "NFR 3: four fault records iterated");
	rc = vtd_regfile_read(page, sizeof(page), n - 1, &rv, &err);
	ok(rc == 1 && !strcmp(rv.label, "FRCD[3]") && rv.off == 0x250 && rv.index == 3,
	   "last entry is FRCD[3] at 0x250");

	/* QEMU's register file is 0x230 bytes: only the first record fits. */
	vtd_error_clear(&err);
	rc = vtd_regfile_read(page, 0x230, n - 1, &rv, &err);
	ok(rc == -VTD_ETRUNC && err.code == VTD_ETRUNC && !rv.bytes && rv.off == 0x250,
	   "FRCD[3] beyond 0x230 bytes is truncated: %s", err.msg);
	rc = vtd_regfile_read(page, 0x230, n - 4, &rv, &err);
	ok(rc == 1 && !strcmp(rv.label, "FRCD[0]"), "FRCD[0] fits in 0x230 bytes");

	/* A dump that stops at 0x100 still reaches IOTLB (0xF8..0xFF). */
	nok = ntrunc = 0;
	for (i = 0; (rc = vtd_regfile_read(page, 0x100, i, &rv, &err)) != 0; i++) {
		if (rc > 0 && !strcmp(rv.label, "IOTLB"))
			nok++;
		if (rc < 0 && !strcmp(rv.label, "MTRRCAP"))
			ntrunc++;
	}
	ok(nok == 1 && ntrunc == 1, "0x100 bytes: IOTLB read, MTRRCAP truncated");

	/* Without ECAP the IOTLB has no place, and the fault records no count. */
	nok = ntrunc = 0;
	for (i = 0; (rc = vtd_regfile_read(page, 0x10, i, &rv, &err)) != 0; i++)
		rc > 0 ? nok++ : ntrunc++;
	is_u64(nok, 2, "0x10 bytes: VER and CAP read");
	is_u64(nok + ntrunc, nmap, "0x10 bytes: one entry per map register");
	vtd_error_clear(&err);
	rc = vtd_regfile_read(page, 0x10, nmap - 2, &rv, &err);
	ok(rc == -VTD_ETRUNC && !strcmp(rv.label, "IOTLB") && strstr(err.msg, "ECAP"),
	   "IOTLB without ECAP: %s", err.msg);
	ok(vtd_regfile_read(page, 0x10, nmap, &rv, &err) == 0, "end of iteration");
	ok(vtd_regfile_read(NULL, 16, 0, &rv, &err) == -VTD_EINVAL, "NULL dump is EINVAL");
}

int main(void)
{
	test_selftest();
	test_cap();
	test_cap_encode();
	test_ecap();
	test_coded();
	test_reserved();
	test_map();
	test_regfile();
	return tap_done();
}
