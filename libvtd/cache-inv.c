/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvtd -- invalidations: queued descriptors and the CCMD / IOTLB
 * registers, decoded through their layouts, applied to the caches as the
 * specification or QEMU 7.2 applies them.
 */
#include "cache-internal.h"

#include "invdesc.h"
#include "regs.h"

/* QEMU 7.2's VTD_MAMV: vtd_process_iotlb_desc and vtd_iotlb_flush refuse larger masks. */
#define QEMU_MAMV 18

/* Which entries an invalidation removes; each test applies only when its flag is set. */
struct sel {
	uint8_t by_did, by_tag, by_sid, by_range, ss_only, spare_global, qemu_page;
	uint16_t did, sid, sid_mask;
	uint32_t tag;
	uint64_t lo, hi;	/* input range, inclusive */
	uint64_t qaddr, qmask;	/* QEMU's page test: the address and ~(2^AM - 1) */
};

static int meets(const struct sel *s, uint64_t lo, uint64_t hi)
{
	return !s->by_range || (lo <= s->hi && s->lo <= hi);
}

static int match(const struct vtd_cache *c, int id, uint32_t i, const struct sel *s)
{
	switch (id) {
	case VTD_CACHE_CONTEXT: {
		const struct ctx_ent *e = &c->ctx[i];

		/* A scalable-mode context entry names no domain: domain granularity takes all. */
		return (!s->by_did || e->sm || e->did == s->did) &&
		       (!s->by_sid || (e->sid & s->sid_mask) == (s->sid & s->sid_mask));
	}
	case VTD_CACHE_PASID: {
		const struct pc_ent *e = &c->pc[i];

		return (!s->by_did || e->did == s->did) && (!s->by_tag || e->pasid == s->tag);
	}
	case VTD_CACHE_PSC: {
		const struct psc_ent *e = &c->psc[i];
		uint64_t lo = e->prefix << span_shift(e->level);

		return (!s->by_did || e->did == s->did) && (!s->by_tag || e->tag == s->tag) &&
		       (!s->ss_only || !e->stage || e->tag == TAG_NONE) &&
		       meets(s, lo, lo + (1ULL << span_shift(e->level)) - 1);
	}
	default: {
		const struct tlb_ent *e = id == VTD_CACHE_IOTLB ? &c->tlb[i] : &c->dtlb[i];
		const struct deps *x = id == VTD_CACHE_IOTLB ? &c->tdep[i] : &c->ddep[i];
		uint64_t size = 1ULL << span_shift(e->level), page = tlb_page(c, id, i);

		if (s->qemu_page) {
			/* vtd_hash_remove_by_page: page in range, or address in page. */
			uint64_t gfn = (s->qaddr >> 12) & s->qmask, gfn_e = page >> 12;

			return e->a.did == s->did && ((gfn_e & s->qmask) == gfn ||
						      gfn_e == (s->qaddr & ~(size - 1)) >> 12);
		}
		if (id == VTD_CACHE_DEVTLB)
			return (!s->by_sid || x->sid == s->sid) &&
			       (!s->by_tag ||
				(s->tag == ~0u ? x->tag != TAG_NONE : x->tag == s->tag)) &&
			       meets(s, page, page + size - 1);
		return (!s->by_did || e->a.did == s->did) && (!s->by_tag || x->tag == s->tag) &&
		       (!s->ss_only || !e->a.has_pasid || e->a.kind == VTD_XK_SECOND ||
			e->a.kind == VTD_XK_PASSTHROUGH) &&
		       (!s->spare_global || !e->global) && meets(s, page, page + size - 1);
	}
	}
}

static void inv(struct vtd_cache *c, int id, const struct sel *s)
{
	for (uint32_t i = 0; i < c->tab[id].size; i++)
		if (c->tab[id].s[i].live && match(c, id, i, s)) {
			vtd__cache_drop(c, id, i);
			c->st.invalidated[id]++;
		}
}

/* ---- decoding through the layouts ---------------------------------------------------- */

static uint64_t raw(const struct vtd_layout *l, const uint8_t *d, const char *name)
{
	const struct vtd_field *f = vtd_field_find(l, name);

	return f ? vtd_field_raw(f, d) : 0;
}

static uint64_t val(const struct vtd_layout *l, const uint8_t *d, const char *name)
{
	const struct vtd_field *f = vtd_field_find(l, name);

	return f ? vtd_field_value(f, vtd_field_raw(f, d)) : 0;
}

/* Reserved bits and reserved values, as the layout declares them. */
static int check(const struct vtd_layout *l, const uint8_t *d, size_t len, struct vtd_error *err)
{
	struct vtd_finding fd;
	struct vtd_check_opts o = { 0 };

	if (vtd_layout_check(l, d, len, &o, &fd, 1))
		return vtd_fail(err, VTD_EINVAL, "%s: %s", l->name, fd.msg);
	return 0;
}

/* A field whose capability the unit lacks is reserved. */
static int needs_cap(const struct vtd_layout *l, const uint8_t *d, const char *name,
		     const struct vtd_unit *u, const struct vtd_field *cap, uint64_t reg,
		     struct vtd_error *err)
{
	if (!raw(l, d, name) || (u && ((reg >> cap->lsb) & 1)))
		return 0;
	return vtd_fail(err, VTD_EINVAL, "%s: %s is set without ECAP.%s", l->name, name, cap->name);
}

static uint64_t reg_raw(const struct vtd_layout *l, uint64_t v, const char *name)
{
	uint8_t b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	return raw(l, b, name);
}

/* Page-selective: 2^AM pages from ADDR, which should be aligned to them. */
static void page_range(struct sel *s, uint64_t addr, unsigned am)
{
	uint64_t size = am >= 52 ? 0 : 4096ULL << am;

	s->by_range = 1;
	s->lo = size ? addr & ~(size - 1) : 0;
	s->hi = size ? s->lo + size - 1 : ~0ULL;
}

/* PCIe ATS: with S, the lowest clear address bit from bit 12 up gives the size. */
static void ats_range(struct sel *s, uint64_t addr, int sbit)
{
	unsigned k = 0;

	if (sbit)
		while (k < 52 && (addr >> (12 + k) & 1))
			k++;
	s->by_range = 1;
	if (sbit && k >= 51) {
		s->lo = 0;
		s->hi = ~0ULL;
		return;
	}
	uint64_t size = sbit ? 8192ULL << k : 4096;

	s->lo = addr & ~(size - 1);
	s->hi = s->lo + size - 1;
}

static unsigned mamv(const struct vtd_cache *c, const struct vtd_unit *u)
{
	if (is_qemu(c))
		return QEMU_MAMV;
	return u ? (unsigned)((u->cap >> c->f.cap_mamv->lsb) & 0x3f) : 63;
}

/* ---- the operations both interfaces share -------------------------------------------- */

static void inv_context(struct vtd_cache *c, const struct vtd_unit *u, unsigned g, unsigned did,
			unsigned sid, unsigned fm)
{
	struct sel s = { 0 };
	static const uint16_t fm_mask[4] = { 0, 4, 6, 7 };

	/* vtd_context_cache_invalidate, vtd_process_context_cache_desc: domain is global. */
	if (g == 2 && !is_qemu(c)) {
		s.by_did = 1;
		s.did = (uint16_t)did;
	} else if (g == 3) {
		/*
		 * By source-id under the function mask (vtd_context_device_invalidate,
		 * every PASID's address space); the domain is not compared.
		 */
		s.by_sid = 1;
		s.sid = (uint16_t)sid;
		s.sid_mask = (uint16_t)~fm_mask[fm & 3];
	}
	inv(c, VTD_CACHE_CONTEXT, &s);
	if (!is_qemu(c))
		return;
	/* Each matching device's vtd_switch_address_space; all of them when global. */
	if (!s.by_sid) {
		vtd__qemu_pt_switch_all(c, u);
		return;
	}
	for (unsigned devfn = 0; devfn < 256; devfn++)
		if (((sid & 0xff) & s.sid_mask) == (devfn & s.sid_mask))
			vtd__qemu_pt_switch(c, u, (sid & 0xff00) | devfn);
}

/* Type-2 IOTLB invalidation (descriptor or register), g 1 global, 2 domain, 3 page. */
static void inv_iotlb(struct vtd_cache *c, unsigned g, unsigned did, uint64_t addr, unsigned am,
		      int ih)
{
	struct sel s = { 0 };

	if (g == 1) {
		/* vtd_iotlb_global_invalidate: vtd_reset_iotlb. */
		inv(c, VTD_CACHE_IOTLB, &s);
		inv(c, VTD_CACHE_PSC, &s);
		return;
	}
	s.by_did = 1;
	s.did = (uint16_t)did;
	if (g == 3 && is_qemu(c)) {
		/* vtd_iotlb_page_invalidate: domain and page only (no PASID, IH ignored). */
		s.qemu_page = 1;
		s.qaddr = addr;
		s.qmask = ~((1ULL << am) - 1);
		inv(c, VTD_CACHE_IOTLB, &s);
		return;
	}
	/*
	 * In scalable mode type 2 covers second-stage and pass-through
	 * translations; QEMU's vtd_hash_remove_by_domain looks at the domain only.
	 */
	s.ss_only = !is_qemu(c);
	if (g == 3)
		page_range(&s, addr, am);
	inv(c, VTD_CACHE_IOTLB, &s);
	if (g == 2 || !ih)
		inv(c, VTD_CACHE_PSC, &s);
}

/* ---- descriptors --------------------------------------------------------------------- */

static int wait_desc(struct vtd_cache *c, const struct vtd_unit *u, const struct vtd_layout *l,
		     const uint8_t *d, struct vtd_error *err)
{
	int sw = (int)raw(l, d, "SW"), iflag = (int)raw(l, d, "IF"), rc;
	uint8_t b[4];

	/* vtd_process_wait_desc: SW asserts IF is clear; neither is an "unknown type". */
	if (is_qemu(c) && sw == iflag)
		return vtd_fail(err, VTD_EINVAL, "inv-wait: QEMU 7.2 needs one of SW and IF");
	if (!sw)
		return 0;
	if (!u || !u->mem)
		return vtd_fail(err, VTD_EINVAL, "inv-wait: a status write needs a unit");
	uint32_t data = (uint32_t)raw(l, d, "STATDATA");

	for (int i = 0; i < 4; i++)
		b[i] = (uint8_t)(data >> (8 * i));
	rc = vtd_mem_write(u->mem, val(l, d, "STATADDR"), b, 4, err);
	return rc;
}

static int spec_desc(struct vtd_cache *c, const struct vtd_unit *u, unsigned type,
		     const struct vtd_layout *l, const uint8_t *d, size_t len,
		     struct vtd_error *err)
{
	struct sel s = { 0 };
	int rc;
	uint64_t ecap = u ? u->ecap : 0;

	if ((rc = check(l, d, len, err)))
		return rc;
	/* The PASID-based types only exist in 256-bit queues. */
	if (len < 32 && (type == 0x6 || type == 0x7 || type == 0x8))
		return vtd_fail(err, VTD_EINVAL, "%s: a 256-bit descriptor in a 128-bit queue",
				l->name);
	switch (type) {
	case 0x1:
		inv_context(c, u, (unsigned)raw(l, d, "G"), (unsigned)raw(l, d, "DID"),
			    (unsigned)raw(l, d, "SID"), (unsigned)raw(l, d, "FM"));
		return 0;
	case 0x2:
	case 0x6: {
		unsigned g = (unsigned)raw(l, d, "G"), am = (unsigned)raw(l, d, "AM");

		if (g == 3 && am > mamv(c, u))
			return vtd_fail(err, VTD_EINVAL, "%s: AM %u is above CAP.MAMV %u", l->name,
					am, mamv(c, u));
		if (type == 0x2) {
			inv_iotlb(c, g, (unsigned)raw(l, d, "DID"), val(l, d, "ADDR"), am,
				  (int)raw(l, d, "IH"));
			return 0;
		}
		/* The PASID's translations in the domain; PASID-selective spares global pages. */
		s.by_did = s.by_tag = 1;
		s.did = (uint16_t)raw(l, d, "DID");
		s.tag = (uint32_t)raw(l, d, "PASID");
		if (g == 3)
			page_range(&s, val(l, d, "ADDR"), am);
		else
			s.spare_global = 1;
		inv(c, VTD_CACHE_IOTLB, &s);
		s.spare_global = 0;
		if (g == 2 || !raw(l, d, "IH"))
			inv(c, VTD_CACHE_PSC, &s);
		return 0;
	}
	case 0x3:
	case 0x8:
		if ((rc = needs_cap(l, d, "PFSID_LO", u, c->f.ecap_dit, ecap, err)) ||
		    (rc = needs_cap(l, d, "PFSID_HI", u, c->f.ecap_dit, ecap, err)))
			return rc;
		s.by_sid = s.by_tag = 1;
		s.sid = (uint16_t)raw(l, d, "SID");
		s.tag = type == 0x3 ? TAG_NONE
			: raw(l, d, "G") ? ~0u : (uint32_t)raw(l, d, "PASID");
		ats_range(&s, val(l, d, "ADDR"), (int)raw(l, d, "S"));
		inv(c, VTD_CACHE_DEVTLB, &s);
		return 0;
	case 0x4:
		return 0;	/* no interrupt remapping here: counted, nothing to clear */
	case 0x5:
		if ((rc = needs_cap(l, d, "PD", u, c->f.ecap_pds, ecap, err)))
			return rc;
		return wait_desc(c, u, l, d, err);
	case 0x7: {
		unsigned g = (unsigned)raw(l, d, "G");

		if (g != 3) {
			s.by_did = 1;
			s.did = (uint16_t)raw(l, d, "DID");
		}
		if (g == 1) {
			s.by_tag = 1;
			s.tag = (uint32_t)raw(l, d, "PASID");
		}
		inv(c, VTD_CACHE_PASID, &s);
		return 0;
	}
	case 0x9:
		/* A page-group response touches no cache; it needs page requests. */
		if (!u || !((ecap >> c->f.ecap_prs->lsb) & 1))
			return vtd_fail(err, VTD_EINVAL, "%s: the unit has no ECAP.PRS", l->name);
		return 0;
	}
	return vtd_fail(err, VTD_EINVAL, "descriptor type 0x%x is unknown", type);
}

/*
 * vtd_process_inv_desc of QEMU 7.2: the type is bits 3:0 alone; only the
 * first 128 bits are looked at; the context-cache, IOTLB, device-TLB and
 * wait descriptors have their reserved bits checked; IEC is taken as it
 * is; the PASID cache (7) and PASID-based IOTLB (6) are accepted and do
 * nothing; every other type is an error.
 */
static int qemu_desc(struct vtd_cache *c, const struct vtd_unit *u, const uint8_t *desc,
		     struct vtd_error *err)
{
	uint8_t d[16];
	unsigned type = desc[0] & 0xf;
	const struct vtd_layout *l;
	int rc;

	memcpy(d, desc, 16);
	/* The layout by the 4-bit type; the original bits 11:9 are then reserved bits. */
	d[1] &= 0xf1;
	l = vtd_invdesc_layout(d, 16);
	memcpy(d, desc, 16);
	switch (type) {
	case 0x4:
	case 0x6:
	case 0x7:
		return 0;
	case 0x1:
	case 0x2:
	case 0x3:
	case 0x5:
		break;
	default:
		return vtd_fail(err, VTD_EINVAL, "descriptor type 0x%x is unknown to QEMU 7.2",
				type);
	}
	if ((rc = check(l, d, 16, err)))
		return rc;
	switch (type) {
	case 0x1:
		inv_context(c, u, (unsigned)raw(l, d, "G"), (unsigned)raw(l, d, "DID"),
			    (unsigned)raw(l, d, "SID"), (unsigned)raw(l, d, "FM"));
		return 0;
	case 0x2: {
		unsigned g = (unsigned)raw(l, d, "G"), am = (unsigned)raw(l, d, "AM");

		if (g == 3 && am > QEMU_MAMV)
			return vtd_fail(err, VTD_EINVAL, "inv-iotlb: AM %u is above QEMU's MAMV %u",
					am, QEMU_MAMV);
		inv_iotlb(c, g, (unsigned)raw(l, d, "DID"), val(l, d, "ADDR"), am, 0);
		return 0;
	}
	case 0x3:
		/* No device-TLB in 7.2; PFSID is reserved without ECAP.DIT, which it lacks. */
		if (raw(l, d, "PFSID_LO") || raw(l, d, "PFSID_HI"))
			return vtd_fail(err, VTD_EINVAL, "inv-devtlb: PFSID is reserved in QEMU");
		return 0;
	default:
		if (raw(l, d, "PD"))
			return vtd_fail(err, VTD_EINVAL, "inv-wait: PD is reserved in QEMU 7.2");
		return wait_desc(c, u, l, d, err);
	}
}

int vtd_cache_invalidate(struct vtd_cache *c, const struct vtd_unit *u, const uint8_t *desc,
			 size_t len, struct vtd_error *err)
{
	const struct vtd_layout *l;
	int rc;

	if (!c || !desc || (len != 16 && len != 32))
		return vtd_fail(err, VTD_EINVAL, "invalidate: a descriptor is 16 or 32 bytes");
	if (u)
		c->last_u = u;
	if (is_qemu(c)) {
		rc = qemu_desc(c, u, desc, err);
	} else {
		l = vtd_invdesc_layout(desc, len);
		rc = l ? spec_desc(c, u, vtd_invdesc_type(desc), l, desc, len, err)
		       : vtd_fail(err, VTD_EINVAL, "descriptor type 0x%x is unknown",
				  vtd_invdesc_type(desc));
	}
	if (!rc)
		c->st.descriptors++;
	return rc;
}

/* ---- registers ----------------------------------------------------------------------- */

int vtd_cache_ccmd(struct vtd_cache *c, uint64_t ccmd, struct vtd_error *err)
{
	const struct vtd_layout *l = &vtd_l_reg_ccmd;
	unsigned g;

	if (!c)
		return vtd_fail(err, VTD_EINVAL, "ccmd: no cache");
	if (!reg_raw(l, ccmd, "ICC"))
		return 0;
	g = (unsigned)reg_raw(l, ccmd, "CIRG");
	/* vtd_context_cache_invalidate answers CAIG 0 and does nothing. */
	if (!g)
		return vtd_fail(err, VTD_EINVAL, "ccmd: CIRG 0 is no granularity");
	/* The register names no unit: QEMU's fast path is decided against the last one seen. */
	inv_context(c, c->last_u, g, (unsigned)reg_raw(l, ccmd, "DID"),
		    (unsigned)reg_raw(l, ccmd, "SID"), (unsigned)reg_raw(l, ccmd, "FM"));
	c->st.descriptors++;
	return 0;
}

int vtd_cache_iotlb_reg(struct vtd_cache *c, uint64_t iotlb, uint64_t iva, struct vtd_error *err)
{
	const struct vtd_layout *l = &vtd_l_reg_iotlb, *la = &vtd_l_reg_iva;
	unsigned g, am;

	if (!c)
		return vtd_fail(err, VTD_EINVAL, "iotlb: no cache");
	if (!reg_raw(l, iotlb, "IVT"))
		return 0;
	g = (unsigned)reg_raw(l, iotlb, "IIRG");
	am = (unsigned)reg_raw(la, iva, "AM");
	/* vtd_iotlb_flush answers IAIG 0 for granularity 0 and for a mask above VTD_MAMV. */
	if (!g)
		return vtd_fail(err, VTD_EINVAL, "iotlb: IIRG 0 is no granularity");
	if (g == 3 && am > mamv(c, NULL))
		return vtd_fail(err, VTD_EINVAL, "iotlb: AM %u is above %u", am, mamv(c, NULL));
	uint8_t b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(iva >> (8 * i));
	inv_iotlb(c, g, (unsigned)reg_raw(l, iotlb, "DID"), val(la, b, "ADDR"), am,
		  (int)reg_raw(la, iva, "IH") && !is_qemu(c));
	c->st.descriptors++;
	return 0;
}
