/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvtd -- vtd_build: a plan into table pages, in canonical order.
 *
 * Pages are taken from the region in one pass, so that reading the tables
 * back and building that plan gives the same bytes: the root table; the
 * context tables in bus order (scalable mode: lower half, then upper); per
 * device in sid order its PASID directory and its PASID tables in
 * directory order; each domain's paging tables, top table first and then
 * depth first in input-address order; the interrupt-remapping table.
 *
 * Domains are built in plan order, except that a first-stage domain a
 * nested PASID uses is built just before the first second-stage domain it
 * is nested under, because that domain then maps the first-stage table
 * pages identity, read-write (those not already mapped identity), and
 * those pages must have their addresses by then.
 */
#include <stdlib.h>
#include <string.h>

#include "build-internal.h"
#include "tables.h"

/* A scalable device's PASID entries: its own, and the one its 'domain'/'kind' implies. */
struct bdev {
	struct vtd_bpasid *pe;
	uint64_t *table;	/* per entry: its PASID table page */
	size_t n;
	uint64_t dir;
	unsigned pdts;
};

struct vtd_bpasid *vtd__dev_pasids(const struct vtd_plan *p, const struct vtd_bdevice *d,
				   size_t *n)
{
	struct vtd_bpasid *v = malloc((d->npasids + 1) * sizeof(*v));
	size_t k = 0, i = 0;
	int have_rid = 0;

	if (!v)
		return NULL;
	for (size_t j = 0; j < d->npasids; j++)
		have_rid |= d->pasids[j].pasid == d->rid_pasid;
	struct vtd_bpasid rid = { .pasid = d->rid_pasid, .ss_domain = -1, .fs_domain = -1,
				  .where = d->where };
	int add = !have_rid && d->kind != VTD_BDEV_BLOCKED &&
		  (d->kind == VTD_BDEV_PASSTHROUGH || d->domain >= 0);

	if (d->kind == VTD_BDEV_PASSTHROUGH) {
		rid.pgtt = VTD_PGTT_PT;
		rid.did = vtd__pt_did(p, d);
	} else {
		rid.pgtt = VTD_PGTT_SECOND;
		rid.ss_domain = d->domain;
	}
	for (; i < d->npasids; i++) {
		if (add && d->pasids[i].pasid > rid.pasid) {
			v[k++] = rid;
			add = 0;
		}
		v[k++] = d->pasids[i];
	}
	if (add)
		v[k++] = rid;
	*n = k;
	return v;
}

static void sort_ex(struct bld *b)
{
	const struct vtd_plan *p = b->p;

	/* Page-aligned outward, sorted, merged: the cursor then skips each once. */
	for (size_t i = 0; i < p->nexclude; i++) {
		uint64_t lo = p->exclude[i].base & ~(BPAGE - 1);
		uint64_t hi = (p->exclude[i].base + p->exclude[i].size + BPAGE - 1) & ~(BPAGE - 1);
		size_t j = b->nex;

		if (hi <= lo)
			continue;
		while (j > 0 && b->ex[j - 1].base > lo) {
			b->ex[j] = b->ex[j - 1];
			j--;
		}
		b->ex[j] = (struct vtd_brange){ .base = lo, .size = hi - lo };
		b->nex++;
	}
	size_t k = 0;

	for (size_t i = 0; i < b->nex; i++) {
		if (k && b->ex[k - 1].base + b->ex[k - 1].size >= b->ex[i].base) {
			uint64_t e = b->ex[i].base + b->ex[i].size;

			if (e > b->ex[k - 1].base + b->ex[k - 1].size)
				b->ex[k - 1].size = e - b->ex[k - 1].base;
		} else {
			b->ex[k++] = b->ex[i];
		}
	}
	b->nex = k;
}

/* Free pages the region holds. */
static uint64_t region_pages(const struct bld *b)
{
	uint64_t n = (b->end - b->base) / BPAGE;

	for (size_t i = 0; i < b->nex; i++) {
		uint64_t lo = b->ex[i].base, hi = lo + b->ex[i].size;

		lo = lo < b->base ? b->base : lo;
		hi = hi > b->end ? b->end : hi;
		if (hi > lo)
			n -= (hi - lo) / BPAGE;
	}
	return n;
}

/* ---- nesting: first-stage pages mapped identity in the second-stage domain ----------- */

static int nested_under(const struct vtd_plan *p, int fs, int ss)
{
	for (size_t i = 0; i < p->ndevices; i++)
		for (size_t j = 0; j < p->devices[i].npasids; j++) {
			const struct vtd_bpasid *x = &p->devices[i].pasids[j];

			if (x->pgtt == VTD_PGTT_NESTED && x->fs_domain == fs && x->ss_domain == ss)
				return 1;
		}
	return 0;
}

static int add_extra(struct vtd_bmap **v, size_t *n, size_t *cap, uint64_t pa)
{
	if (*n && (*v)[*n - 1].iova + (*v)[*n - 1].size == pa) {
		(*v)[*n - 1].size += BPAGE;
		(*v)[*n - 1].pa = (*v)[*n - 1].iova;
		return 0;
	}
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct vtd_bmap *x = realloc(*v, nc * sizeof(*x));

		if (!x)
			return -1;
		*v = x;
		*cap = nc;
	}
	(*v)[(*n)++] = (struct vtd_bmap){ .iova = pa, .pa = pa, .size = BPAGE,
					  .perm = VTD_ACC_R | VTD_ACC_W };
	return 0;
}

/* Build second-stage domain 'ss' after the first-stage domains nested under it. */
static int build_ss(struct bld *b, int ss, uint8_t *built)
{
	const struct vtd_plan *p = b->p;
	const struct vtd_bdomain *d = &p->domains[ss];
	uint64_t *all = NULL;
	size_t nall = 0, ne = 0, ce = 0;
	struct vtd_bmap *extra = NULL;
	int rc = 0;

	for (size_t fs = 0; fs < p->ndomains && !rc; fs++) {
		size_t n;
		uint64_t *pg, *x;

		if (p->domains[fs].stage != VTD_STAGE_FIRST || !nested_under(p, (int)fs, ss))
			continue;
		if (!built[fs] && (rc = vtd__build_domain(b, (int)fs, NULL, 0)))
			break;
		built[fs] = 1;
		pg = vtd__domain_pages(b, (int)fs, &n);
		x = pg ? realloc(all, (nall + n) * sizeof(*all)) : NULL;
		if (!x) {
			free(pg);
			rc = -VTD_ENOMEM;
			break;
		}
		all = x;
		memcpy(all + nall, pg, n * sizeof(*pg));
		nall += n;
		free(pg);
	}
	if (nall)
		qsort(all, nall, sizeof(*all), vtd__cmp_u64);
	for (size_t i = 0; i < nall && !rc; i++) {
		const struct vtd_bmap *m = vtd__map_at(d, all[i]);

		if (i && all[i] == all[i - 1])
			continue;
		if (m && m->pa == m->iova)
			continue;
		if (m) {
			vtd__problem(b->ps, m->where, VTD_EINVAL, &all[i],
				     "first-stage table page 0x%llx is mapped to 0x%llx, not identity, "
				     "in the second-stage domain it is nested under",
				     (unsigned long long)all[i],
				     (unsigned long long)(m->pa + (all[i] - m->iova)));
			rc = -VTD_EINVAL;
		} else if (add_extra(&extra, &ne, &ce, all[i])) {
			rc = -VTD_ENOMEM;
		}
	}
	if (!rc)
		rc = vtd__build_domain(b, ss, extra, ne);
	built[ss] = 1;
	free(all);
	free(extra);
	return rc;
}

static int build_domains(struct bld *b)
{
	const struct vtd_plan *p = b->p;
	uint8_t *built = calloc(p->ndomains + 1, 1);
	int rc = 0;

	if (!built)
		return -VTD_ENOMEM;
	for (size_t i = 0; i < p->ndomains && !rc; i++) {
		if (built[i])
			continue;
		if (p->domains[i].stage == VTD_STAGE_SECOND)
			rc = build_ss(b, (int)i, built);
		else
			rc = vtd__build_domain(b, (int)i, NULL, 0);
		built[i] = 1;
	}
	free(built);
	return rc;
}

/* ---- root, context and PASID structures ------------------------------------------------ */

static unsigned dlevels(const struct bld *b, int di)
{
	return vtd__dom_levels(&b->p->domains[di], &b->c);
}

static void fill_pe(struct bld *b, const struct vtd_bpasid *x, uint8_t *out)
{
	uint64_t ss = 0, fs = 0;
	unsigned ssl = 0, fsl = 0;
	uint16_t did = x->did;

	if (x->ss_domain >= 0 && (x->pgtt == VTD_PGTT_SECOND || x->pgtt == VTD_PGTT_NESTED)) {
		ss = b->top[x->ss_domain];
		ssl = dlevels(b, x->ss_domain);
		did = b->p->domains[x->ss_domain].did;
	}
	if (x->fs_domain >= 0 && (x->pgtt == VTD_PGTT_FIRST || x->pgtt == VTD_PGTT_NESTED)) {
		fs = b->top[x->fs_domain];
		fsl = dlevels(b, x->fs_domain);
	}
	vtd__enc_pe(&b->F, &b->c, x, ss, ssl, did, fs, fsl, out);
}

static int build_sm_dev(struct bld *b, int di, struct bdev *bd)
{
	const struct vtd_bdevice *d = &b->p->devices[di];
	uint64_t dirbytes;
	size_t ndir;

	bd->pe = vtd__dev_pasids(b->p, d, &bd->n);
	bd->table = calloc(bd->n + 1, sizeof(*bd->table));
	if (!bd->pe || !bd->table)
		return -VTD_ENOMEM;
	bd->pdts = vtd__pdts(d);
	dirbytes = 8ULL << (bd->pdts + 7);
	ndir = dirbytes < BPAGE ? 1 : (size_t)(dirbytes / BPAGE);
	bd->dir = vtd__balloc(b, ndir, VTD_PG_PASID_DIR);
	if (b->oom)
		return -VTD_ENOMEM;
	for (size_t i = 0; i < ndir; i++)
		b->pages[b->npages - 1 - i].device = di;
	for (size_t i = 0; i < bd->n; i++) {
		uint32_t dx = bd->pe[i].pasid >> 6;

		if (i && (bd->pe[i - 1].pasid >> 6) == dx) {
			bd->table[i] = bd->table[i - 1];
			continue;
		}
		bd->table[i] = vtd__balloc(b, 1, VTD_PG_PASID_TABLE);
		if (b->oom)
			return -VTD_ENOMEM;
		b->pages[b->npages - 1].device = di;
		b->pages[b->npages - 1].pasid = dx << 6;
		uint8_t *de = bat(b, bd->dir) + 8 * dx;

		bf_put(b->F.pd_p, de, 1);
		bf_put_addr(b->F.pd_ptr, de, bd->table[i]);
	}
	return 0;
}

static int build_tables(struct bld *b, uint64_t *root, struct bdev *bd)
{
	const struct vtd_plan *p = b->p;
	uint64_t ctx[256][2] = { { 0 } };
	int rc;

	*root = vtd__balloc(b, 1, VTD_PG_ROOT);
	if (b->oom)
		return -VTD_ENOMEM;
	for (size_t i = 0; i < p->ndevices; i++) {
		const struct vtd_bdevice *d = &p->devices[i];
		unsigned bus = d->sid >> 8, up = p->scalable && (d->sid & 0x80);

		if (d->kind == VTD_BDEV_BLOCKED || ctx[bus][up])
			continue;
		ctx[bus][up] = vtd__balloc(b, 1, VTD_PG_CONTEXT);
		if (b->oom)
			return -VTD_ENOMEM;
		b->pages[b->npages - 1].bus = (uint16_t)bus;
		b->pages[b->npages - 1].upper = (uint8_t)up;
		uint8_t *re = bat(b, *root) + 16 * bus;

		if (!p->scalable) {
			bf_put(b->F.rl_p, re, 1);
			bf_put_addr(b->F.rl_ctp, re, ctx[bus][0]);
		} else {
			bf_put(up ? b->F.rs_up : b->F.rs_lp, re, 1);
			bf_put_addr(up ? b->F.rs_uctp : b->F.rs_lctp, re, ctx[bus][up]);
		}
	}
	if (p->scalable)
		for (size_t i = 0; i < p->ndevices; i++)
			if (p->devices[i].kind != VTD_BDEV_BLOCKED &&
			    (rc = build_sm_dev(b, (int)i, &bd[i])))
				return rc;
	if ((rc = build_domains(b)))
		return rc;
	for (size_t i = 0; i < p->ndevices; i++) {
		const struct vtd_bdevice *d = &p->devices[i];
		unsigned bus = d->sid >> 8, devfn = d->sid & 0xff;

		if (d->kind == VTD_BDEV_BLOCKED)
			continue;
		if (!p->scalable) {
			int dom = d->kind == VTD_BDEV_TRANSLATE ? d->domain : -1;

			vtd__enc_ctx_legacy(&b->F, &b->c, p, d, dom >= 0 ? b->top[dom] : 0,
					    dom >= 0 ? dlevels(b, dom) : 0,
					    bat(b, ctx[bus][0]) + 16 * devfn);
			continue;
		}
		vtd__enc_ctx_sm(&b->F, &b->c, d, bd[i].pdts, bd[i].dir,
				bat(b, ctx[bus][devfn >> 7]) + 32 * (devfn & 0x7f));
		for (size_t j = 0; j < bd[i].n; j++)
			fill_pe(b, &bd[i].pe[j], bat(b, bd[i].table[j]) + 64 * (bd[i].pe[j].pasid & 63));
	}
	return 0;
}

static uint64_t build_irt(struct bld *b)
{
	const struct vtd_plan *p = b->p;
	unsigned s = vtd__irt_s(p);
	uint64_t bytes = 16ULL << (s + 1), pa;
	size_t n = bytes < BPAGE ? 1 : (size_t)(bytes / BPAGE);

	pa = vtd__balloc(b, n, VTD_PG_IRT);
	if (b->oom)
		return 0;
	for (size_t i = 0; i < p->nirtes; i++)
		if ((uint64_t)p->irtes[i].index * 16 < bytes)
			memcpy(bat(b, pa) + 16 * (uint64_t)p->irtes[i].index, p->irtes[i].bytes, 16);
	uint8_t r[8] = { 0 };

	bf_put_addr(b->F.ir_addr, r, pa);
	bf_put(b->F.ir_eime, r, !!p->irt_eime);
	bf_put(b->F.ir_s, r, s);
	return le64(r);
}

static int run(const struct vtd_plan *p, int ideal, struct bld *b, struct vtd_problems *ps,
	       uint64_t *rtaddr, uint64_t *irta, struct vtd_error *err)
{
	struct bdev *bd = NULL;
	uint64_t root = 0;
	int rc;

	memset(b, 0, sizeof(*b));
	b->p = p;
	b->ps = ps;
	b->auto_pages = ideal;
	b->dedup = ideal || p->dedup;
	b->sig = !b->dedup;
	vtd_caps_of(p->cap, p->ecap, p->haw, &b->c);
	if ((rc = vtd__bfields(&b->F, err)))
		return rc;
	b->base = b->cur = p->base;
	b->end = p->base + (p->size & ~(BPAGE - 1));
	b->ex = calloc(p->nexclude + 1, sizeof(*b->ex));
	b->top = calloc(p->ndomains + 1, sizeof(*b->top));
	bd = calloc(p->ndevices + 1, sizeof(*bd));
	if (!b->ex || !b->top || !bd) {
		free(bd);
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	}
	sort_ex(b);
	rc = build_tables(b, &root, bd);
	if (!rc && p->nirtes) {
		*irta = build_irt(b);
		if (b->oom)
			rc = -VTD_ENOMEM;
	}
	for (size_t i = 0; i < p->ndevices; i++) {
		free(bd[i].pe);
		free(bd[i].table);
	}
	free(bd);
	if (rc == -VTD_ENOMEM)
		return vtd_fail(err, VTD_ENOMEM, "out of memory building the tables");
	if (rc)
		return vtd_fail(err, -rc, "the plan cannot be built (see the problems)");
	uint8_t r[8] = { 0 };

	bf_put_addr(b->F.rt_rta, r, root);
	bf_put(b->F.rt_ttm, r, p->scalable ? 1 : 0);
	*rtaddr = le64(r);
	return 0;
}

/* Would the ideal build (auto pages, dedup) differ from this one? */
static int plan_ideal(const struct vtd_plan *p, const struct bld *b)
{
	if (!p->dedup && b->maybe_dup)
		return 0;
	for (size_t i = 0; i < p->ndomains; i++)
		for (size_t j = 0; j < p->domains[i].nmaps; j++)
			if (p->domains[i].maps[j].page)
				return 0;
	return 1;
}

int vtd_build(const struct vtd_plan *p, struct vtd_image *img, struct vtd_problems *ps,
	      struct vtd_error *err)
{
	struct vtd_problems local = { 0 };
	struct bld b, ideal;
	uint64_t rtaddr = 0, irta = 0, x = 0;
	int rc;

	if (!p || !img)
		return vtd_fail(err, VTD_EINVAL, "no plan or image");
	memset(img, 0, sizeof(*img));
	if (!ps)
		ps = &local;
	size_t before = ps->n + ps->dropped;

	if (vtd_plan_check(p, ps)) {
		vtd_problems_free(&local);
		return vtd_fail(err, VTD_EINVAL, "the plan has %zu problems",
				ps->n + ps->dropped - before);
	}
	if ((rc = run(p, 0, &b, ps, &rtaddr, &irta, err))) {
		vtd__bld_free(&b);
		vtd_problems_free(&local);
		return rc;
	}
	if (b.cur > b.end) {
		uint64_t m = region_pages(&b);

		vtd__problem(ps, p->where, VTD_ERANGE, &b.base,
			     "the tables need %zu pages, the region holds %llu", b.used,
			     (unsigned long long)m);
		vtd__bld_free(&b);
		vtd_problems_free(&local);
		return vtd_fail(err, VTD_ERANGE, "the tables do not fit the region");
	}
	img->min_pages = b.used;
	if (!plan_ideal(p, &b)) {
		if ((rc = run(p, 1, &ideal, ps, &x, &x, err))) {
			vtd__bld_free(&ideal);
			vtd__bld_free(&b);
			vtd_problems_free(&local);
			return rc;
		}
		img->min_pages = ideal.used;
		vtd__bld_free(&ideal);
	}
	img->base = p->base;
	img->size = b.npages ? (size_t)(b.pages[b.npages - 1].pa + BPAGE - b.base) : 0;
	img->bytes = b.bytes;
	img->rtaddr = rtaddr;
	img->irta = irta;
	img->domain_top = b.top;
	img->pages = b.pages;
	img->npages = b.npages;
	b.bytes = NULL;
	b.top = NULL;
	b.pages = NULL;
	vtd__bld_free(&b);
	vtd_problems_free(&local);
	return 0;
}

void vtd_image_free(struct vtd_image *img)
{
	if (!img)
		return;
	free(img->bytes);
	free(img->domain_top);
	free(img->pages);
	memset(img, 0, sizeof(*img));
}
