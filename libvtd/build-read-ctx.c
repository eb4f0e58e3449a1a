/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- vtd_plan_read: root, context, PASID and interrupt tables; the plan's shape */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build-read-internal.h"
#include "tables.h"

static struct vtd_braw *raw_dup(const struct vtd_braw *v, size_t n)
{
	struct vtd_braw *x = n ? malloc(n * sizeof(*x)) : NULL;

	if (x)
		memcpy(x, v, n * sizeof(*x));
	return x;
}

static int add_device(struct rd *r, const struct vtd_bdevice *d, size_t *cap)
{
	struct vtd_plan *p = r->out;

	if (vtd__grow((void **)&p->devices, cap, p->ndevices, sizeof(*p->devices)))
		return vtd__rd_oom(r);
	p->devices[p->ndevices++] = *d;
	return 0;
}

/* ---- legacy mode ------------------------------------------------------------------ */

static int legacy_ctx(struct rd *r, unsigned bus, unsigned devfn, const uint8_t *e,
		      size_t *dcap)
{
	const struct bfields *F = &r->F;
	struct vtd_bdevice d = { .sid = (uint16_t)(bus << 8 | devfn), .domain = -1 };
	struct vtd_bdomain one = { 0 };
	struct vtd_plan tmp = { .domains = &one, .ndomains = 1 };
	uint64_t tt = vtd_field_raw(F->cl_tt, e), top = 0;
	unsigned levels = 0;
	struct vtd_braw raw[MAX_RAW];
	uint8_t x[16];
	int rc;

	if (tt == 2) {
		d.kind = VTD_BDEV_PASSTHROUGH;
	} else {
		/* TT 3 (reserved) reads as TT 0 with a raw TT. */
		top = vtd_field_raw(F->cl_ptr, e) << F->cl_ptr->shift;
		levels = (unsigned)vtd_field_raw(F->cl_aw, e) + 2;
		one.did = (uint16_t)vtd_field_raw(F->cl_did, e);
		d.devtlb = tt == 1;
		if ((rc = vtd__rd_domain(r, top, one.did, VTD_STAGE_SECOND, levels, &d.domain)))
			return rc;
	}
	struct vtd_bdevice probe = d;

	probe.domain = d.kind == VTD_BDEV_TRANSLATE ? 0 : -1;
	vtd__enc_ctx_legacy(F, &r->c, &tmp, &probe, top, levels, x);
	d.nraw = vtd__raw_diff(&vtd_l_context_legacy, e, x, raw, MAX_RAW);
	if (d.nraw && !(d.raw = raw_dup(raw, d.nraw)))
		return vtd__rd_oom(r);
	return add_device(r, &d, dcap);
}

static int read_legacy(struct rd *r, uint64_t root)
{
	uint8_t rt[BPAGE], ct[BPAGE];
	size_t dcap = 0;
	int rc;

	if ((rc = vtd__rd_page(r, root, rt, BPAGE, "root table")))
		return rc;
	for (unsigned bus = 0; bus < 256; bus++) {
		const uint8_t *re = rt + 16 * bus;
		uint64_t ctp = vtd_field_raw(r->F.rl_ctp, re) << r->F.rl_ctp->shift;
		size_t mark;

		if (!vtd_field_raw(r->F.rl_p, re))
			continue;
		mark = vtd__rd_path(r, "root-legacy", bus, root);
		if ((rc = vtd__rd_page(r, ctp, ct, BPAGE, "context table")))
			return rc;
		for (unsigned devfn = 0; devfn < 256; devfn++) {
			size_t m2;

			if (!vtd_field_raw(r->F.cl_p, ct + 16 * devfn))
				continue;
			m2 = vtd__rd_path(r, "context-legacy", devfn, ctp);
			rc = legacy_ctx(r, bus, devfn, ct + 16 * devfn, &dcap);
			r->path[m2] = 0;
			if (rc)
				return rc;
		}
		r->path[mark] = 0;
	}
	return 0;
}

/* ---- scalable mode ---------------------------------------------------------------------- */

static int pasid_entry(struct rd *r, uint32_t pasid, const uint8_t *e, struct vtd_bpasid *x)
{
	const struct bfields *F = &r->F;
	uint64_t ss = 0, fs = 0;
	unsigned ssl = 0, fsl = 0;
	uint16_t did = (uint16_t)vtd_field_raw(F->pe_did, e);
	struct vtd_braw raw[MAX_RAW];
	uint8_t exp[64];
	int rc;

	memset(x, 0, sizeof(*x));
	x->pasid = pasid;
	x->pgtt = (uint8_t)vtd_field_raw(F->pe_pgtt, e);
	x->ss_domain = x->fs_domain = -1;
	x->sre = (uint8_t)vtd_field_raw(F->pe_sre, e);
	x->ere = (uint8_t)vtd_field_raw(F->pe_ere, e);
	if (x->pgtt == VTD_PGTT_SECOND || x->pgtt == VTD_PGTT_NESTED) {
		ss = vtd_field_raw(F->pe_ssptr, e) << F->pe_ssptr->shift;
		ssl = (unsigned)vtd_field_raw(F->pe_aw, e) + 2;
		if ((rc = vtd__rd_domain(r, ss, did, VTD_STAGE_SECOND, ssl, &x->ss_domain)))
			return rc;
	}
	if (x->pgtt == VTD_PGTT_FIRST || x->pgtt == VTD_PGTT_NESTED) {
		fs = vtd_field_raw(F->pe_fsptr, e) << F->pe_fsptr->shift;
		fsl = vtd_field_raw(F->pe_fspm, e) ? 5 : 4;
		if ((rc = vtd__rd_domain(r, fs, 0, VTD_STAGE_FIRST, fsl, &x->fs_domain)))
			return rc;
	}
	if (x->pgtt == VTD_PGTT_FIRST || x->pgtt == VTD_PGTT_PT)
		x->did = did;
	vtd__enc_pe(F, &r->c, x, ss, ssl, did, fs, fsl, exp);
	x->nraw = vtd__raw_diff(&vtd_l_pasid_entry, e, exp, raw, MAX_RAW);
	if (x->nraw && !(x->raw = raw_dup(raw, x->nraw)))
		return vtd__rd_oom(r);
	return 0;
}

/* A RID_PASID entry that the device's kind or domain says in full becomes that. */
static void fold_rid(struct vtd_bdevice *d)
{
	for (size_t i = 0; i < d->npasids; i++) {
		struct vtd_bpasid *x = &d->pasids[i];

		if (x->pasid != d->rid_pasid || x->nraw || x->sre || x->ere)
			continue;
		if (x->pgtt == VTD_PGTT_SECOND)
			d->domain = x->ss_domain;
		else if (x->pgtt == VTD_PGTT_PT && !x->did)
			d->kind = VTD_BDEV_PASSTHROUGH;
		else
			return;
		memmove(x, x + 1, (d->npasids - i - 1) * sizeof(*x));
		d->npasids--;
		return;
	}
}

static int sm_ctx(struct rd *r, unsigned bus, unsigned devfn, const uint8_t *e, size_t *dcap)
{
	const struct bfields *F = &r->F;
	struct vtd_bdevice d = { .sid = (uint16_t)(bus << 8 | devfn), .domain = -1 };
	uint64_t dir = vtd_field_raw(F->cs_dir, e) << F->cs_dir->shift;
	size_t ndir, pcap = 0;
	uint8_t *db, pt[BPAGE], x[32];
	struct vtd_braw raw[MAX_RAW];
	int rc = 0;

	d.pdts = (unsigned)vtd_field_raw(F->cs_pdts, e);
	d.rid_pasid = (uint32_t)vtd_field_raw(F->cs_rid, e);
	d.devtlb = (uint8_t)vtd_field_raw(F->cs_dte, e);
	ndir = (size_t)1 << (d.pdts + 7);
	db = calloc(ndir < 512 ? 512 : ndir, 8);
	if (!db)
		return vtd__rd_oom(r);
	rc = vtd__rd_page(r, dir, db, ndir * 8 < BPAGE ? BPAGE : ndir * 8, "PASID directory");
	for (size_t i = 0; i < ndir && !rc; i++) {
		uint64_t tp = vtd_field_raw(F->pd_ptr, db + 8 * i) << F->pd_ptr->shift;
		size_t mark;

		if (!vtd_field_raw(F->pd_p, db + 8 * i))
			continue;
		mark = vtd__rd_path(r, "pasid-dir", (unsigned)i, dir);
		rc = vtd__rd_page(r, tp, pt, BPAGE, "PASID table");
		for (unsigned j = 0; j < 64 && !rc; j++) {
			const uint8_t *pe = pt + 64 * j;

			if (vtd__all_zero(pe, 64))
				continue;
			if (vtd__grow((void **)&d.pasids, &pcap, d.npasids, sizeof(*d.pasids))) {
				rc = vtd__rd_oom(r);
				break;
			}
			size_t m2 = vtd__rd_path(r, "pasid-entry", j, tp);

			rc = pasid_entry(r, (uint32_t)(i << 6 | j), pe, &d.pasids[d.npasids]);
			if (!rc)
				d.npasids++;
			r->path[m2] = 0;
		}
		r->path[mark] = 0;
	}
	free(db);
	if (!rc) {
		fold_rid(&d);
		vtd__enc_ctx_sm(F, &r->c, &d, d.pdts, dir, x);
		d.nraw = vtd__raw_diff(&vtd_l_context_sm, e, x, raw, MAX_RAW);
		if (d.nraw && !(d.raw = raw_dup(raw, d.nraw)))
			rc = vtd__rd_oom(r);
	}
	if (!rc)
		rc = add_device(r, &d, dcap);
	if (rc) {
		for (size_t i = 0; i < d.npasids; i++)
			free(d.pasids[i].raw);
		free(d.pasids);
		free(d.raw);
	}
	return rc;
}

static int read_sm(struct rd *r, uint64_t root)
{
	uint8_t rt[BPAGE], ct[BPAGE];
	size_t dcap = 0;
	int rc;

	if ((rc = vtd__rd_page(r, root, rt, BPAGE, "root table")))
		return rc;
	for (unsigned bus = 0; bus < 256; bus++)
		for (unsigned up = 0; up < 2; up++) {
			const uint8_t *re = rt + 16 * bus;
			const struct vtd_field *fp = up ? r->F.rs_up : r->F.rs_lp;
			const struct vtd_field *fc = up ? r->F.rs_uctp : r->F.rs_lctp;
			uint64_t ctp = vtd_field_raw(fc, re) << fc->shift;
			size_t mark;

			if (!vtd_field_raw(fp, re))
				continue;
			mark = vtd__rd_path(r, "root-sm", bus, root);
			if ((rc = vtd__rd_page(r, ctp, ct, BPAGE, "context table")))
				return rc;
			for (unsigned i = 0; i < 128; i++) {
				size_t m2;

				if (!vtd_field_raw(r->F.cs_p, ct + 32 * i))
					continue;
				m2 = vtd__rd_path(r, "context-sm", i, ctp);
				rc = sm_ctx(r, bus, up << 7 | i, ct + 32 * i, &dcap);
				r->path[m2] = 0;
				if (rc)
					return rc;
			}
			r->path[mark] = 0;
		}
	return 0;
}

/* ---- interrupt remapping table --------------------------------------------------------- */

static int read_irt(struct rd *r, uint64_t irta)
{
	struct vtd_plan *p = r->out;
	uint8_t b[8];
	uint64_t base, bytes;
	uint8_t *t;
	size_t cap = 0;
	int rc;

	put_le64(b, irta);
	base = vtd_field_raw(r->F.ir_addr, b) << r->F.ir_addr->shift;
	p->irt_size_log2 = (unsigned)vtd_field_raw(r->F.ir_s, b);
	p->irt_eime = (uint8_t)vtd_field_raw(r->F.ir_eime, b);
	bytes = 16ULL << (p->irt_size_log2 + 1);
	t = malloc(bytes < BPAGE ? BPAGE : bytes);
	if (!t)
		return vtd__rd_oom(r);
	rc = vtd__rd_page(r, base, t, bytes < BPAGE ? BPAGE : bytes, "interrupt-remapping table");
	for (uint64_t i = 0; !rc && i < bytes / 16; i++) {
		if (vtd__all_zero(t + 16 * i, 16))
			continue;
		if (vtd__grow((void **)&p->irtes, &cap, p->nirtes, sizeof(*p->irtes))) {
			rc = vtd__rd_oom(r);
			break;
		}
		struct vtd_birte *x = &p->irtes[p->nirtes++];

		memset(x, 0, sizeof(*x));
		x->index = (uint32_t)i;
		memcpy(x->bytes, t + 16 * i, 16);
	}
	free(t);
	return rc;
}

/* ---- the plan's shape ----------------------------------------------------------------- */

/* Region: lowest to highest table page; the pages between that no table uses, excluded. */
static int placement(struct rd *r)
{
	struct vtd_plan *p = r->out;
	size_t k = 0, cap = 0;

	if (!r->npages)
		return 0;
	qsort(r->pages, r->npages, sizeof(*r->pages), vtd__cmp_u64);
	for (size_t i = 0; i < r->npages; i++) {
		if (k && r->pages[k - 1] == r->pages[i]) {
			r->shared = 1;
			continue;
		}
		r->pages[k++] = r->pages[i];
	}
	p->base = r->pages[0];
	p->size = r->pages[k - 1] + BPAGE - p->base;
	for (size_t i = 1; i < k; i++) {
		if (r->pages[i] == r->pages[i - 1] + BPAGE)
			continue;
		if (vtd__grow((void **)&p->exclude, &cap, p->nexclude, sizeof(*p->exclude)))
			return vtd__rd_oom(r);
		p->exclude[p->nexclude++] = (struct vtd_brange){
			.base = r->pages[i - 1] + BPAGE, .size = r->pages[i] - r->pages[i - 1] - BPAGE };
	}
	return 0;
}

static int cmp_top(const void *a, const void *b)
{
	const struct rdom *x = *(const struct rdom *const *)a, *y = *(const struct rdom *const *)b;

	if (x->top != y->top)
		return x->top < y->top ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Domains in the order of their top tables; every index in the plan renumbered. */
static int domains(struct rd *r)
{
	struct vtd_plan *p = r->out;
	struct rdom **ord = calloc(r->ndom + 1, sizeof(*ord));
	int *to = calloc(r->ndom + 1, sizeof(*to));

	p->domains = calloc(r->ndom + 1, sizeof(*p->domains));
	if (!ord || !to || !p->domains) {
		free(ord);
		free(to);
		return vtd__rd_oom(r);
	}
	for (size_t i = 0; i < r->ndom; i++)
		ord[i] = &r->dom[i];
	qsort(ord, r->ndom, sizeof(*ord), cmp_top);
	for (size_t i = 0; i < r->ndom; i++) {
		struct vtd_bdomain *d = &p->domains[i];
		char name[32];

		to[ord[i] - r->dom] = (int)i;
		snprintf(name, sizeof(name), "d%zu", i);
		d->name = strdup(name);
		d->did = ord[i]->did;
		d->stage = ord[i]->stage;
		d->levels = ord[i]->levels;
		d->maps = ord[i]->maps;
		d->nmaps = ord[i]->nmaps;
		ord[i]->maps = NULL;
		ord[i]->nmaps = 0;
	}
	p->ndomains = r->ndom;
	for (size_t i = 0; i < p->ndevices; i++) {
		struct vtd_bdevice *d = &p->devices[i];

		if (d->domain >= 0)
			d->domain = to[d->domain];
		for (size_t j = 0; j < d->npasids; j++) {
			if (d->pasids[j].ss_domain >= 0)
				d->pasids[j].ss_domain = to[d->pasids[j].ss_domain];
			if (d->pasids[j].fs_domain >= 0)
				d->pasids[j].fs_domain = to[d->pasids[j].fs_domain];
		}
	}
	free(ord);
	free(to);
	return 0;
}

int vtd_plan_read(struct vtd_mem *mem, uint64_t rtaddr, uint64_t irta, uint64_t cap,
		  uint64_t ecap, unsigned haw, struct vtd_plan *out, struct vtd_error *err)
{
	struct rd r = { .mem = mem, .out = out, .err = err };
	uint64_t root;
	int rc, sm;

	if (!mem || !out)
		return vtd_fail(err, VTD_EINVAL, "no memory source or plan");
	memset(out, 0, sizeof(*out));
	if ((rc = vtd__bfields(&r.F, err)))
		return rc;
	vtd_caps_of(cap, ecap, haw, &r.c);
	out->cap = cap;
	out->ecap = ecap;
	out->haw = haw;
	if ((rc = vtd__rtaddr(&r.F, rtaddr, &root, &sm, err)))
		return rc;
	out->scalable = (uint8_t)sm;
	rc = sm ? read_sm(&r, root) : read_legacy(&r, root);
	if (!rc && irta)
		rc = read_irt(&r, irta);
	if (!rc)
		rc = domains(&r);
	if (!rc)
		rc = placement(&r);
	out->dedup = (uint8_t)r.shared;
	for (size_t i = 0; i < r.ndom; i++) {
		for (size_t j = 0; j < r.dom[i].nmaps; j++)
			free(r.dom[i].maps[j].raw);
		free(r.dom[i].maps);
	}
	free(r.dom);
	free(r.pages);
	if (rc)
		vtd_plan_free(out);
	return rc;
}

/* ---- freeing ------------------------------------------------------------------------ */

static void free_raw(struct vtd_braw *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free((char *)v[i].where);
	free(v);
}

void vtd_plan_free(struct vtd_plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->ndomains; i++) {
		struct vtd_bdomain *d = &p->domains[i];

		for (size_t j = 0; j < d->nmaps; j++) {
			free_raw(d->maps[j].raw, d->maps[j].nraw);
			free((char *)d->maps[j].where);
		}
		free(d->maps);
		free((char *)d->name);
		free((char *)d->where);
	}
	free(p->domains);
	for (size_t i = 0; i < p->ndevices; i++) {
		struct vtd_bdevice *d = &p->devices[i];

		for (size_t j = 0; j < d->npasids; j++) {
			free_raw(d->pasids[j].raw, d->pasids[j].nraw);
			free((char *)d->pasids[j].where);
		}
		free(d->pasids);
		free_raw(d->raw, d->nraw);
		free((char *)d->where);
	}
	free(p->devices);
	for (size_t i = 0; i < p->nirtes; i++)
		free((char *)p->irtes[i].where);
	free(p->irtes);
	for (size_t i = 0; i < p->nexclude; i++)
		free((char *)p->exclude[i].where);
	free(p->exclude);
	free((char *)p->where);
	memset(p, 0, sizeof(*p));
}
