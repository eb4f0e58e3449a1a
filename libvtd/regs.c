/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- the register map as data, and decoding a dump of the register page */
#include "regs.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define CAP_AFL		3
#define CAP_PLMR	5
#define CAP_PHMR	6
#define ECAP_QI		1
#define ECAP_IR		3
#define ECAP_MTS	25
#define ECAP_PRS	29

/* PMEN exists when either protected region does; 'need_bit' is unused. */
#define VTD_REG_NEED_PMR	0xff

#define R(nm, off, w, l) { nm, off, w, VTD_REG_ABS, l, VTD_REG_ALWAYS, 0 }
#define RC(nm, off, w, l, bit) { nm, off, w, VTD_REG_ABS, l, VTD_REG_NEED_CAP, bit }
#define RE(nm, off, w, l, bit) { nm, off, w, VTD_REG_ABS, l, VTD_REG_NEED_ECAP, bit }
#define FIX(nm, off) RE(nm, off, 8, &vtd_l_reg_mtrr_fix, ECAP_MTS)
#define VAR(n, off) \
	RE("MTRR_PHYSBASE" #n, off, 8, &vtd_l_reg_mtrr_physbase, ECAP_MTS), \
	RE("MTRR_PHYSMASK" #n, off + 8, 8, &vtd_l_reg_mtrr_physmask, ECAP_MTS)

/*
 * Ordered by offset, except that the registers found through ECAP.IRO and
 * CAP.FRO come last: their place is only known once CAP and ECAP are read.
 */
static const struct vtd_reg map[] = {
	R("VER", 0x00, 4, &vtd_l_reg_ver),
	R("CAP", 0x08, 8, &vtd_l_reg_cap),
	R("ECAP", 0x10, 8, &vtd_l_reg_ecap),
	R("GCMD", 0x18, 4, &vtd_l_reg_gcmd),
	R("GSTS", 0x1c, 4, &vtd_l_reg_gsts),
	R("RTADDR", 0x20, 8, &vtd_l_reg_rtaddr),
	R("CCMD", 0x28, 8, &vtd_l_reg_ccmd),
	R("FSTS", 0x34, 4, &vtd_l_reg_fsts),
	R("FECTL", 0x38, 4, &vtd_l_reg_fectl),
	R("FEDATA", 0x3c, 4, &vtd_l_reg_fedata),
	R("FEADDR", 0x40, 4, &vtd_l_reg_feaddr),
	R("FEUADDR", 0x44, 4, &vtd_l_reg_feuaddr),
	RC("AFLOG", 0x58, 8, &vtd_l_reg_aflog, CAP_AFL),
	{ "PMEN", 0x64, 4, VTD_REG_ABS, &vtd_l_reg_pmen, VTD_REG_NEED_PMR, 0 },
	RC("PLMBASE", 0x68, 4, &vtd_l_reg_plmbase, CAP_PLMR),
	RC("PLMLIMIT", 0x6c, 4, &vtd_l_reg_plmlimit, CAP_PLMR),
	RC("PHMBASE", 0x70, 8, &vtd_l_reg_phmbase, CAP_PHMR),
	RC("PHMLIMIT", 0x78, 8, &vtd_l_reg_phmlimit, CAP_PHMR),
	RE("IQH", 0x80, 8, &vtd_l_reg_iqh, ECAP_QI),
	RE("IQT", 0x88, 8, &vtd_l_reg_iqt, ECAP_QI),
	RE("IQA", 0x90, 8, &vtd_l_reg_iqa, ECAP_QI),
	RE("ICS", 0x9c, 4, &vtd_l_reg_ics, ECAP_QI),
	RE("IECTL", 0xa0, 4, &vtd_l_reg_iectl, ECAP_QI),
	RE("IEDATA", 0xa4, 4, &vtd_l_reg_iedata, ECAP_QI),
	RE("IEADDR", 0xa8, 4, &vtd_l_reg_ieaddr, ECAP_QI),
	RE("IEUADDR", 0xac, 4, &vtd_l_reg_ieuaddr, ECAP_QI),
	RE("IQERCD", 0xb0, 8, &vtd_l_reg_iqercd, ECAP_QI),
	RE("IRTA", 0xb8, 8, &vtd_l_reg_irta, ECAP_IR),
	RE("PQH", 0xc0, 8, &vtd_l_reg_pqh, ECAP_PRS),
	RE("PQT", 0xc8, 8, &vtd_l_reg_pqt, ECAP_PRS),
	RE("PQA", 0xd0, 8, &vtd_l_reg_pqa, ECAP_PRS),
	RE("PRS", 0xdc, 4, &vtd_l_reg_prs, ECAP_PRS),
	RE("PECTL", 0xe0, 4, &vtd_l_reg_pectl, ECAP_PRS),
	RE("PEDATA", 0xe4, 4, &vtd_l_reg_pedata, ECAP_PRS),
	RE("PEADDR", 0xe8, 4, &vtd_l_reg_peaddr, ECAP_PRS),
	RE("PEUADDR", 0xec, 4, &vtd_l_reg_peuaddr, ECAP_PRS),
	RE("MTRRCAP", 0x100, 8, &vtd_l_reg_mtrrcap, ECAP_MTS),
	RE("MTRRDEF", 0x108, 8, &vtd_l_reg_mtrrdef, ECAP_MTS),
	FIX("MTRR_FIX64K_00000", 0x120),
	FIX("MTRR_FIX16K_80000", 0x128),
	FIX("MTRR_FIX16K_A0000", 0x130),
	FIX("MTRR_FIX4K_C0000", 0x138),
	FIX("MTRR_FIX4K_C8000", 0x140),
	FIX("MTRR_FIX4K_D0000", 0x148),
	FIX("MTRR_FIX4K_D8000", 0x150),
	FIX("MTRR_FIX4K_E0000", 0x158),
	FIX("MTRR_FIX4K_E8000", 0x160),
	FIX("MTRR_FIX4K_F0000", 0x168),
	FIX("MTRR_FIX4K_F8000", 0x170),
	VAR(0, 0x180), VAR(1, 0x190), VAR(2, 0x1a0), VAR(3, 0x1b0), VAR(4, 0x1c0),
	VAR(5, 0x1d0), VAR(6, 0x1e0), VAR(7, 0x1f0), VAR(8, 0x200), VAR(9, 0x210),
	{ "IVA", 0x00, 8, VTD_REG_IRO, &vtd_l_reg_iva, VTD_REG_ALWAYS, 0 },
	{ "IOTLB", 0x08, 8, VTD_REG_IRO, &vtd_l_reg_iotlb, VTD_REG_ALWAYS, 0 },
	{ "FRCD", 0x00, 16, VTD_REG_FRO, NULL, VTD_REG_ALWAYS, 0 },
};

const struct vtd_reg *vtd_reg_at(unsigned idx)
{
	return idx < VTD_NELEM(map) ? &map[idx] : NULL;
}

const struct vtd_reg *vtd_reg_find(const char *name)
{
	unsigned i;

	if (!name)
		return NULL;
	for (i = 0; i < VTD_NELEM(map); i++)
		if (!strcasecmp(map[i].name, name))
			return &map[i];
	return NULL;
}

const struct vtd_layout *vtd_reg_layout(const struct vtd_reg *r)
{
	if (!r)
		return NULL;
	if (r->layout)
		return r->layout;
	/* The fault family owns the record layout; do not link to it directly. */
	return r->base == VTD_REG_FRO ? vtd_layout_find("frcd") : NULL;
}

int vtd_reg_implemented(const struct vtd_reg *r, uint64_t cap, uint64_t ecap)
{
	if (!r)
		return 0;
	switch (r->need) {
	case VTD_REG_NEED_CAP:
		return (cap >> r->need_bit) & 1;
	case VTD_REG_NEED_ECAP:
		return (ecap >> r->need_bit) & 1;
	case VTD_REG_NEED_PMR:
		return ((cap >> CAP_PLMR) | (cap >> CAP_PHMR)) & 1;
	default:
		return 1;
	}
}

static uint64_t cap_fro(uint64_t cap)
{
	return ((cap >> 24) & 0x3ff) * 16;
}

static unsigned cap_nfr(uint64_t cap)
{
	return (unsigned)((cap >> 40) & 0xff) + 1;
}

static uint64_t ecap_iro(uint64_t ecap)
{
	return ((ecap >> 8) & 0x3ff) * 16;
}

int vtd_reg_offset(const struct vtd_reg *r, uint64_t cap, uint64_t ecap, uint64_t *off)
{
	uint64_t base;

	if (!r || !off)
		return -VTD_EINVAL;
	switch (r->base) {
	case VTD_REG_ABS:
		base = 0;
		break;
	case VTD_REG_IRO:
		base = ecap_iro(ecap);
		break;
	case VTD_REG_FRO:
		base = cap_fro(cap);
		break;
	default:
		return -VTD_EINVAL;
	}
	*off = base + r->offset;
	return 0;
}

static uint64_t le_get(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

int vtd_regfile_read(const uint8_t *page, size_t len, unsigned idx, struct vtd_regval *out,
		     struct vtd_error *err)
{
	/* Without CAP and ECAP the relative registers have no place and the
	 * fault records no count: each is then reported once, truncated. */
	int have_caps = len >= 0x18;
	uint64_t cap = 0, ecap = 0, off;
	const struct vtd_reg *r;
	unsigned i, n;

	if (!out || (!page && len))
		return vtd_fail(err, VTD_EINVAL, "no dump or no place for the result");
	if (have_caps) {
		cap = le_get(page + 0x08, 8);
		ecap = le_get(page + 0x10, 8);
	}
	for (i = 0; (r = vtd_reg_at(i)); i++) {
		n = r->base == VTD_REG_FRO && have_caps ? cap_nfr(cap) : 1;
		if (idx < n)
			break;
		idx -= n;
	}
	if (!r)
		return 0;

	memset(out, 0, sizeof(*out));
	out->reg = r;
	out->layout = vtd_reg_layout(r);
	out->index = idx;
	if (r->base == VTD_REG_FRO)
		snprintf(out->label, sizeof(out->label), "%s[%u]", r->name, idx);
	else
		snprintf(out->label, sizeof(out->label), "%s", r->name);

	if (r->base != VTD_REG_ABS && !have_caps) {
		vtd_error_where(err, "%s", out->label);
		return vtd_fail(err, VTD_ETRUNC,
				"%s: its offset depends on %s, beyond the %zu bytes given",
				out->label, r->base == VTD_REG_IRO ? "ECAP" : "CAP", len);
	}
	vtd_reg_offset(r, cap, ecap, &off);
	off += (uint64_t)idx * r->width;
	out->off = off;
	if (off > len || len - off < r->width) {
		vtd_error_where(err, "0x%llx %s", (unsigned long long)off, out->label);
		return vtd_fail(err, VTD_ETRUNC, "%s at 0x%llx is beyond the %zu bytes given",
				out->label, (unsigned long long)off, len);
	}
	out->bytes = page + off;
	if (r->width > 8) {
		out->value = le_get(out->bytes, 8);
		out->value_hi = le_get(out->bytes + 8, r->width - 8u);
	} else {
		out->value = le_get(out->bytes, r->width);
	}
	return 1;
}
