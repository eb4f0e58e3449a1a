/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvtd -- vtd_plan_read: tables in memory back into a plan.
 *
 * Each entry read is compared with what vtd_build would write for the plan
 * element it becomes; what differs comes back as raw fields, so that
 * tables vtd_build made read back into a plan that builds the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build-internal.h"
#include "build-read-internal.h"
#include "tables.h"

int vtd__rd_oom(struct rd *r)
{
	return vtd_fail(r->err, VTD_ENOMEM, "out of memory reading the tables");
}

/* Read a table (and count it); errors name the address and the path to it. */
int vtd__rd_page(struct rd *r, uint64_t pa, void *buf, size_t len, const char *what)
{
	int rc;

	if (++r->visits > MAX_VISITS)
		return vtd_fail(r->err, VTD_EFORMAT, "more than %u table pages: %s at 0x%llx (%s)",
				MAX_VISITS, what, (unsigned long long)pa, r->path);
	for (size_t off = 0; off < len; off += BPAGE) {
		if (vtd__grow((void **)&r->pages, &r->pcap, r->npages, sizeof(*r->pages)))
			return vtd__rd_oom(r);
		r->pages[r->npages++] = pa + off;
	}
	rc = vtd_mem_read(r->mem, pa, buf, len, NULL);
	if (rc) {
		rc = vtd_fail(r->err, -rc, "cannot read the %s: %s", what, vtd_strerror(-rc));
		if (r->err) {
			r->err->has_addr = 1;
			r->err->addr = pa;
			vtd_error_where(r->err, "0x%llx%s%.140s", (unsigned long long)pa,
					r->path[0] ? " " : "", r->path);
		}
	}
	return rc;
}

size_t vtd__rd_path(struct rd *r, const char *fmt, unsigned a, uint64_t pa)
{
	size_t n = strlen(r->path);

	snprintf(r->path + n, sizeof(r->path) - n, "%s%s[0x%x]@0x%llx", n ? " -> " : "", fmt, a,
		 (unsigned long long)pa);
	return n;
}

/* ---- paging tables ------------------------------------------------------------ */

static int raw_same(const struct vtd_braw *a, size_t na, const struct vtd_braw *b, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (a[i].f != b[i].f || a[i].lsb != b[i].lsb || a[i].width != b[i].width ||
		    a[i].raw != b[i].raw)
			return 0;
	return 1;
}

static int emit(struct rd *r, struct rdom *d, const struct vtd_bmap *m,
		const struct vtd_braw *raw, size_t nraw)
{
	struct vtd_bmap *last = d->nmaps ? &d->maps[d->nmaps - 1] : NULL;

	if (++r->leaves > MAX_LEAVES)
		return vtd_fail(r->err, VTD_EFORMAT, "more than %u leaf entries (tables shared "
				"many times over?) at iova 0x%llx (%s)", MAX_LEAVES,
				(unsigned long long)m->iova, r->path);
	if (last && last->iova + last->size == m->iova && last->pa + last->size == m->pa &&
	    last->perm == m->perm && last->snoop == m->snoop && last->user == m->user &&
	    last->page == m->page && raw_same(d->run_raw, d->run_nraw, raw, nraw)) {
		last->size += m->size;
		return 0;
	}
	if (++r->maps > MAX_MAPS)
		return vtd_fail(r->err, VTD_EFORMAT, "more than %u mappings that do not coalesce, "
				"at iova 0x%llx (%s)", MAX_MAPS, (unsigned long long)m->iova, r->path);
	if (vtd__grow((void **)&d->maps, &d->cap, d->nmaps, sizeof(*d->maps)))
		return vtd__rd_oom(r);
	d->maps[d->nmaps] = *m;
	if (nraw) {
		struct vtd_braw *x = malloc(nraw * sizeof(*x));

		if (!x)
			return vtd__rd_oom(r);
		memcpy(x, raw, nraw * sizeof(*x));
		d->maps[d->nmaps].raw = x;
		d->maps[d->nmaps].nraw = nraw;
	}
	d->nmaps++;
	if (nraw)
		memcpy(d->run_raw, raw, nraw * sizeof(*raw));
	d->run_nraw = (uint8_t)nraw;
	return 0;
}

struct pathattr {
	unsigned perm;		/* rights the upper levels leave */
	int user;
};

static int leaf_of(struct rd *r, struct rdom *d, unsigned lv, uint64_t iova, uint64_t e,
		   const struct pathattr *pa)
{
	int fs = d->stage == VTD_STAGE_FIRST;
	const struct bpg *g = &r->F.pg[fs][lv][1];
	struct vtd_bmap m = { .iova = iova, .size = bspan(lv), .page = bspan(lv) };
	struct vtd_braw raw[MAX_RAW];
	unsigned own;
	size_t nraw = 0;
	uint64_t x;

	m.pa = bf_get(g->addr, e) << g->addr->shift;
	own = bpg_rights(g, fs, e);
	if (fs)
		m.user = (uint8_t)bf_get(g->us, e);
	else
		m.snoop = (uint8_t)bf_get(g->snp, e);
	x = vtd__leaf_tmpl(&r->F, fs, lv, own, m.snoop, m.user) | bf_addr(g->addr, m.pa);
	if (x != e) {
		uint8_t a[8], b[8];

		put_le64(a, e);
		put_le64(b, x);
		nraw = vtd__raw_diff(g->l, a, b, raw, MAX_RAW);
	}
	/* Rights the upper levels take away are the mapping's too. */
	m.perm = own & pa->perm;
	m.user = (uint8_t)(m.user && pa->user);
	return emit(r, d, &m, raw, nraw);
}

static int walk(struct rd *r, struct rdom *d, unsigned lv, uint64_t table, uint64_t iova,
		const uint64_t *anc, unsigned nanc, struct pathattr pa)
{
	int fs = d->stage == VTD_STAGE_FIRST;
	const struct bpg *g = &r->F.pg[fs][lv][0];
	uint8_t buf[BPAGE];
	uint64_t chain[6];
	int rc;

	if ((rc = vtd__rd_page(r, table, buf, BPAGE, fs ? "first-stage table" : "second-stage table")))
		return rc;
	if (nanc)
		memcpy(chain, anc, nanc * sizeof(*anc));
	chain[nanc] = table;
	for (unsigned i = 0; i < 512; i++) {
		uint64_t e = le64(buf + 8 * i), va = iova + i * bspan(lv);

		if (!e)
			continue;
		if (lv == 1 || (lv <= 3 && g->ps && bf_get(g->ps, e))) {
			if ((rc = leaf_of(r, d, lv, va, e, &pa)))
				return rc;
			continue;
		}
		if (!bpg_present(g, fs, e))
			continue;
		uint64_t child = bf_get(g->addr, e) << g->addr->shift;
		struct pathattr sub = pa;
		size_t mark = vtd__rd_path(r, g->l->name, i, table);

		for (unsigned k = 0; k <= nanc; k++)
			if (chain[k] == child) {
				rc = vtd_fail(r->err, VTD_EFORMAT, "cycle: 0x%llx points back to table "
					      "0x%llx (%s)", (unsigned long long)table,
					      (unsigned long long)child, r->path);
				if (r->err) {
					r->err->has_addr = 1;
					r->err->addr = child;
				}
				return rc;
			}
		sub.perm &= bpg_rights(g, fs, e);
		if (fs)
			sub.user = sub.user && bf_get(g->us, e);
		rc = walk(r, d, lv - 1, child, va, chain, nanc + 1, sub);
		r->path[mark] = 0;
		if (rc)
			return rc;
	}
	return 0;
}

/* The domain with these tables, walked the first time it is seen; its index. */
int vtd__rd_domain(struct rd *r, uint64_t top, uint16_t did, uint8_t stage, unsigned levels,
		     int *out)
{
	struct pathattr all = { VTD_ACC_R | VTD_ACC_W | VTD_ACC_X, 1 };
	struct rdom *d;

	for (size_t i = 0; i < r->ndom; i++)
		if (r->dom[i].top == top && r->dom[i].did == did && r->dom[i].stage == stage &&
		    r->dom[i].levels == levels) {
			*out = (int)i;
			return 0;
		}
	for (size_t i = 0; i < r->ndom; i++)
		if (r->dom[i].top == top)
			r->shared = 1;
	if (levels < 3 || levels > 5)
		return vtd_fail(r->err, VTD_EFORMAT, "%u-level tables at 0x%llx (%s)", levels,
				(unsigned long long)top, r->path);
	if (vtd__grow((void **)&r->dom, &r->dcap, r->ndom, sizeof(*r->dom)))
		return vtd__rd_oom(r);
	d = &r->dom[r->ndom];
	memset(d, 0, sizeof(*d));
	d->top = top;
	d->did = did;
	d->stage = stage;
	d->levels = levels;
	*out = (int)r->ndom++;
	return walk(r, &r->dom[*out], levels, top, 0, NULL, 0, all);
}

