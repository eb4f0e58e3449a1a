/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- vtd_plan_check: everything a plan asks that the profile or the tables cannot give */
#include <string.h>

#include "build-internal.h"
#include "tables.h"

#define PB(w, code, ...) vtd__problem(ps, (w), (code), NULL, __VA_ARGS__)
#define ULL(x) ((unsigned long long)(x))

static void check_raw(const struct vtd_layout *l, const struct vtd_braw *r, size_t n,
		      struct vtd_problems *ps)
{
	for (size_t i = 0; i < n; i++) {
		const struct vtd_field *f = r[i].f ? vtd_field_find(l, r[i].f->name) : NULL;
		unsigned w = f ? f->width : r[i].width;

		if (r[i].f && !f)
			PB(r[i].where, VTD_ERANGE, "%s has no field %s", l->name, r[i].f->name);
		else if (!r[i].f && (!w || w > 64 || r[i].lsb + w > l->size * 8u))
			PB(r[i].where, VTD_ERANGE, "bits %u:%u are outside %s",
			   r[i].lsb + w - 1, r[i].lsb, l->name);
		else if (w < 64 && r[i].raw >> w)
			PB(r[i].where, VTD_ERANGE, "raw value 0x%llx does not fit %u bits", ULL(r[i].raw),
			   w);
	}
}

static void check_map(const struct vtd_plan *p, const struct vtd_caps *c,
		      const struct vtd_bdomain *d, unsigned levels, const struct vtd_bmap *m,
		      const struct vtd_bmap *prev, struct vtd_problems *ps)
{
	int fs = d->stage == VTD_STAGE_FIRST;
	unsigned iw = 12 + 9 * levels;

	if ((m->iova | m->pa | m->size) & (BPAGE - 1) || !m->size) {
		PB(m->where, VTD_ERANGE, "iova 0x%llx, pa 0x%llx and size 0x%llx must be 4 KiB "
		   "multiples (size not 0)", ULL(m->iova), ULL(m->pa), ULL(m->size));
		return;
	}
	if (prev && m->iova < prev->iova + prev->size)
		PB(m->where, VTD_EFORMAT, "iova 0x%llx overlaps (or precedes) the mapping at 0x%llx",
		   ULL(m->iova), ULL(prev->iova));
	if (iw < 64 && (m->iova >> iw || (m->iova + m->size - 1) >> iw || m->iova + m->size < m->iova))
		PB(m->where, VTD_ERANGE, "iova 0x%llx+0x%llx is beyond the %u-bit input of a %u-level "
		   "table", ULL(m->iova), ULL(m->size), iw, levels);
	if (c->haw && c->haw < 64 && ((m->pa + m->size - 1) >> c->haw || m->pa + m->size < m->pa))
		PB(m->where, VTD_ERANGE, "pa 0x%llx+0x%llx is beyond the host address width (%u bits)",
		   ULL(m->pa), ULL(m->size), c->haw);
	if (m->page) {
		if (m->page != BPAGE && m->page != 1ULL << 21 && m->page != 1ULL << 30)
			PB(m->where, VTD_ERANGE, "page size 0x%llx is not 4K, 2M or 1G", ULL(m->page));
		else if (!vtd__page_ok(c, fs, m->page))
			PB(m->where, VTD_ENOTSUP, "the profile has no %s %s pages",
			   fs ? "first-stage" : "second-stage", m->page == 1ULL << 21 ? "2M" : "1G");
		else if ((m->iova | m->pa | m->size) & (m->page - 1))
			PB(m->where, VTD_ERANGE, "iova, pa and size must be multiples of the %s page",
			   m->page == BPAGE ? "4K" : m->page == 1ULL << 21 ? "2M" : "1G");
	}
	if (!m->perm && !m->nraw)
		PB(m->where, VTD_EFORMAT, "no access rights: the mapping would not be present");
	if (m->perm & ~(unsigned)(VTD_ACC_R | VTD_ACC_W | VTD_ACC_X))
		PB(m->where, VTD_ERANGE, "access rights 0x%x are not R, W, X", m->perm);
	if (fs && m->perm && !(m->perm & VTD_ACC_R))
		PB(m->where, VTD_EFORMAT, "first-stage pages are always readable: add r");
	if (fs && m->snoop)
		PB(m->where, VTD_EFORMAT, "snoop is a second-stage attribute");
	if (!fs && m->user)
		PB(m->where, VTD_EFORMAT, "user is a first-stage attribute");
	if (!fs && m->snoop && !p->scalable && !c->sc)
		PB(m->where, VTD_ENOTSUP, "snoop needs snoop control (ECAP.SC) in legacy mode");
	if (m->nraw)
		check_raw(vtd_paging_layout(fs, (int)bpage_level(m->page ? m->page : BPAGE), 1),
			  m->raw, m->nraw, ps);
}

static void check_domains(const struct vtd_plan *p, const struct vtd_caps *c,
			  struct vtd_problems *ps)
{
	for (size_t i = 0; i < p->ndomains; i++) {
		const struct vtd_bdomain *d = &p->domains[i];
		int fs = d->stage == VTD_STAGE_FIRST;
		unsigned lv = vtd__dom_levels(d, c);

		if (d->stage > VTD_STAGE_FIRST)
			PB(d->where, VTD_ERANGE, "stage %u is neither first nor second", d->stage);
		if (fs && lv != 4 && !(lv == 5 && c->fs5lp))
			PB(d->where, VTD_ENOTSUP, "first-stage tables have 4 levels, or 5 with FS5LP; "
			   "not %u", lv);
		if (fs && !p->scalable)
			PB(d->where, VTD_ENOTSUP, "first-stage tables need scalable mode");
		if (fs && !c->fsts)
			PB(d->where, VTD_ENOTSUP, "the profile has no first-stage translation (FSTS)");
		if (!fs && (lv < 3 || lv > 5 || !(c->sagaw >> (lv - 2) & 1)))
			PB(d->where, VTD_ENOTSUP, "the profile's SAGAW has no %u-level tables", lv);
		if (!fs && c->nd_bits < 16 && d->did >> c->nd_bits)
			PB(d->where, VTD_ERANGE, "domain id %u is beyond ND (%u bits)", d->did,
			   c->nd_bits);
		for (size_t j = 0; j < d->nmaps; j++)
			check_map(p, c, d, lv < 3 || lv > 5 ? 5 : lv, &d->maps[j],
				  j ? &d->maps[j - 1] : NULL, ps);
	}
}

static int dom_ok(const struct vtd_plan *p, int di, int stage, const char *what,
		  const char *where, struct vtd_problems *ps)
{
	if (di < 0 || (size_t)di >= p->ndomains) {
		PB(where, VTD_ERANGE, "%s %d is not a domain of the plan", what, di);
		return 0;
	}
	if (p->domains[di].stage != stage) {
		PB(where, VTD_EFORMAT, "%s '%s' is a %s-stage domain", what,
		   p->domains[di].name ? p->domains[di].name : "?",
		   p->domains[di].stage == VTD_STAGE_FIRST ? "first" : "second");
		return 0;
	}
	return 1;
}

static void check_pasid(const struct vtd_plan *p, const struct vtd_caps *c,
			const struct vtd_bdevice *d, const struct vtd_bpasid *x,
			struct vtd_problems *ps)
{
	unsigned pdts = vtd__pdts(d);

	if (c->pasid_bits && x->pasid >> c->pasid_bits && x->pasid != d->rid_pasid)
		PB(x->where, VTD_ERANGE, "PASID 0x%x is beyond the PASID size (%u bits)", x->pasid,
		   c->pasid_bits);
	if (!c->pasid_bits && x->pasid != d->rid_pasid)
		PB(x->where, VTD_ENOTSUP, "the profile has no requests with PASID (ECAP.PASID)");
	if (x->pasid >> 20 || (x->pasid >> 6) >= (1u << (pdts + 7)))
		PB(x->where, VTD_ERANGE, "PASID 0x%x is beyond the directory (PDTS %u)", x->pasid,
		   pdts);
	if (x->sre && !c->srs)
		PB(x->where, VTD_ENOTSUP, "the profile has no supervisor requests (ECAP.SRS)");
	if (x->ere && !c->ere)
		PB(x->where, VTD_ENOTSUP, "the profile has no execute requests (ECAP.ERS)");
	switch (x->pgtt) {
	case VTD_PGTT_SECOND:
		if (!c->ssts)
			PB(x->where, VTD_ENOTSUP, "the profile has no second-stage translation (SSTS)");
		dom_ok(p, x->ss_domain, VTD_STAGE_SECOND, "ss_domain", x->where, ps);
		break;
	case VTD_PGTT_FIRST:
		dom_ok(p, x->fs_domain, VTD_STAGE_FIRST, "fs_domain", x->where, ps);
		break;
	case VTD_PGTT_NESTED:
		if (!c->nest)
			PB(x->where, VTD_ENOTSUP, "the profile has no nested translation (NEST)");
		dom_ok(p, x->ss_domain, VTD_STAGE_SECOND, "ss_domain", x->where, ps);
		dom_ok(p, x->fs_domain, VTD_STAGE_FIRST, "fs_domain", x->where, ps);
		break;
	case VTD_PGTT_PT:
		if (!c->pt)
			PB(x->where, VTD_ENOTSUP, "the profile has no pass-through (ECAP.PT)");
		break;
	default:
		PB(x->where, VTD_ERANGE, "PGTT %u is not first, second, nested or pt", x->pgtt);
	}
	if ((x->pgtt == VTD_PGTT_FIRST || x->pgtt == VTD_PGTT_PT) && c->nd_bits < 16 &&
	    x->did >> c->nd_bits)
		PB(x->where, VTD_ERANGE, "domain id %u is beyond ND (%u bits)", x->did, c->nd_bits);
	check_raw(&vtd_l_pasid_entry, x->raw, x->nraw, ps);
}

static void check_device(const struct vtd_plan *p, const struct vtd_caps *c,
			 const struct vtd_bdevice *d, const struct vtd_bdevice *prev,
			 struct vtd_problems *ps)
{
	if (prev && d->sid <= prev->sid)
		PB(d->where, VTD_EFORMAT, "device %02x:%02x.%x is a duplicate or out of order",
		   d->sid >> 8, d->sid >> 3 & 31, d->sid & 7);
	if (d->kind > VTD_BDEV_BLOCKED)
		PB(d->where, VTD_ERANGE, "device kind %u is unknown", d->kind);
	if (d->kind == VTD_BDEV_PASSTHROUGH && !c->pt)
		PB(d->where, VTD_ENOTSUP, "the profile has no pass-through (ECAP.PT)");
	if (d->devtlb && !c->dt)
		PB(d->where, VTD_ENOTSUP, "the profile has no device-TLBs (ECAP.DT)");
	if (d->kind == VTD_BDEV_TRANSLATE && (d->domain >= 0 || !p->scalable))
		dom_ok(p, d->domain, VTD_STAGE_SECOND, "domain", d->where, ps);
	if (d->kind == VTD_BDEV_PASSTHROUGH && d->domain >= 0 && (size_t)d->domain >= p->ndomains)
		PB(d->where, VTD_ERANGE, "domain %d is not a domain of the plan", d->domain);
	if (!p->scalable) {
		if (d->npasids)
			PB(d->where, VTD_ENOTSUP, "PASID entries need scalable mode");
		check_raw(&vtd_l_context_legacy, d->raw, d->nraw, ps);
		return;
	}
	if (!d->pdts_auto && d->pdts > 7)
		PB(d->where, VTD_ERANGE, "PDTS %u is beyond 7", d->pdts);
	if (d->rid_pasid >> 20)
		PB(d->where, VTD_ERANGE, "RID_PASID 0x%x is beyond 20 bits", d->rid_pasid);
	else if (d->rid_pasid && !c->rps)
		PB(d->where, VTD_ENOTSUP, "RID_PASID 0x%x is not 0 and the profile lacks ECAP.RPS",
		   d->rid_pasid);
	for (size_t i = 0; i < d->npasids; i++) {
		const struct vtd_bpasid *x = &d->pasids[i];

		if (i && x->pasid <= d->pasids[i - 1].pasid)
			PB(x->where, VTD_EFORMAT, "PASID 0x%x is a duplicate or out of order", x->pasid);
		if (x->pasid == d->rid_pasid && d->domain >= 0)
			PB(x->where, VTD_EFORMAT, "the device names a domain and an entry for RID_PASID");
		check_pasid(p, c, d, x, ps);
	}
	check_raw(&vtd_l_context_sm, d->raw, d->nraw, ps);
}

size_t vtd_plan_check(const struct vtd_plan *p, struct vtd_problems *ps)
{
	struct vtd_caps c;
	size_t before = ps->n + ps->dropped;

	vtd_caps_of(p->cap, p->ecap, p->haw, &c);
	if (p->base & (BPAGE - 1) || p->size < BPAGE)
		PB(p->where, VTD_ERANGE, "the placement (0x%llx, 0x%llx) must be 4 KiB aligned and "
		   "hold a page", ULL(p->base), ULL(p->size));
	if (c.haw && c.haw < 64 && (p->base + p->size - 1) >> c.haw)
		PB(p->where, VTD_ERANGE, "the placement ends beyond the host address width");
	for (size_t i = 0; i < p->nexclude; i++)
		if ((p->exclude[i].base | p->exclude[i].size) & (BPAGE - 1))
			PB(p->exclude[i].where, VTD_ERANGE, "excluded ranges must be 4 KiB aligned");
	if (p->scalable && !c.sm)
		PB(p->where, VTD_ENOTSUP, "the profile has no scalable mode (ECAP.SMTS)");
	check_domains(p, &c, ps);
	for (size_t i = 0; i < p->ndevices; i++)
		check_device(p, &c, &p->devices[i], i ? &p->devices[i - 1] : NULL, ps);
	if (p->nirtes && !c.ir)
		PB(p->where, VTD_ENOTSUP, "the profile has no interrupt remapping (ECAP.IR)");
	if (p->nirtes && !p->irt_size_auto && p->irt_size_log2 > 15)
		PB(p->where, VTD_ERANGE, "IRTA.S %u is beyond 15", p->irt_size_log2);
	for (size_t i = 0; i < p->nirtes; i++) {
		uint64_t n = 2ULL << vtd__irt_s(p);

		if (i && p->irtes[i].index <= p->irtes[i - 1].index)
			PB(p->irtes[i].where, VTD_EFORMAT, "IRTE %u is a duplicate or out of order",
			   p->irtes[i].index);
		if (p->irtes[i].index >= n)
			PB(p->irtes[i].where, VTD_ERANGE, "IRTE index %u is beyond the table (%llu "
			   "entries)", p->irtes[i].index, ULL(n));
	}
	return ps->n + ps->dropped - before;
}
