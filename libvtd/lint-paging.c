/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- vtd_lint: paging tables, walked once per domain, their leaves kept as ranges */
#include <string.h>

#include "lint-internal.h"

static void leaf_features(struct lint *L, const struct bpg *g, int fs, unsigned lv, uint64_t w,
			  uint64_t ea, unsigned i)
{
	const struct vtd_caps *c = &L->a.c;

	if (!L->caps)
		return;
	if (!fs && lv > 1 && !(c->sslps >> (lv - 2) & 1))
		vtd__lint_find(L, VTD_LINT_FEATURE, ea, 0, 0, g->l->name, i,
			       "a %s page but CAP.SSLPS lacks it", lv == 2 ? "2 MiB" : "1 GiB");
	if (fs && lv == 3 && !c->fs1gp)
		vtd__lint_find(L, VTD_LINT_FEATURE, ea, 0, 0, g->l->name, i,
			       "a 1 GiB first-stage page but CAP.FS1GP is clear");
	/* Legacy mode defines SNP only with ECAP.SC; scalable mode always does. */
	if (!fs && !L->sm && g->snp && bf_get(g->snp, w) && !c->sc)
		vtd__lint_find(L, VTD_LINT_FEATURE, ea, 0, 0, g->l->name, i,
			       "snoop (SNP) set but ECAP.SC is clear");
}

static void add_range(struct lint *L, struct ldom *d, const struct lrange *x)
{
	struct lrange *last = d->n ? &d->r[d->n - 1] : NULL;

	if (last && last->iova + last->size == x->iova && last->pa + last->size == x->pa &&
	    last->perm == x->perm) {
		last->size += x->size;
		return;
	}
	if (L->nranges >= LINT_MAX_RANGES) {
		if (!L->cut)
			vtd__lint_find_at(L, VTD_LINT_PTR, x->leaf, 0, 0, L->path,
					  "more than %u mappings: the rest are not checked",
					  LINT_MAX_RANGES);
		L->cut = 1;
		return;
	}
	if (vtd__lint_grow(L, (void **)&d->r, &d->cap, d->n, sizeof(*d->r)))
		return;
	d->r[d->n++] = *x;
	L->nranges++;
}

/* 1 when the table cannot be read (the caller reports it at its entry). */
static int walk(struct lint *L, int di, unsigned lv, uint64_t table, uint64_t iova,
		uint64_t *chain, unsigned nchain, unsigned perm)
{
	int fs = L->dom[di].fs, first, r;
	uint64_t key = lkey(table, lk_paging(fs, lv));
	uint8_t buf[4096];

	if (L->visits >= LINT_MAX_VISITS) {
		if (!L->cut)
			vtd__lint_find_at(L, VTD_LINT_PTR, table, 0, 0, L->path,
					  "more than %u table pages: the rest are not checked",
					  LINT_MAX_VISITS);
		L->cut = 1;
		return 0;
	}
	if ((r = vtd__uset_add(&L->seen, key)) <= 0) {
		if (r < 0)
			L->oom = L->stop = 1;
		return 0;
	}
	L->visits++;
	if (vtd_mem_read(L->m, table, buf, sizeof(buf), NULL))
		return 1;
	if ((first = vtd__uset_add(&L->checked, key)) < 0)
		L->oom = L->stop = 1;
	if (first > 0)
		vtd__lint_page(L, table, fs ? VTD_PG_FS : VTD_PG_SS, di);
	chain[nchain] = table;
	for (unsigned i = 0; i < 512 && !L->stop; i++) {
		const uint8_t *e = buf + 8 * i;
		uint64_t w = le64(e), ea = table + 8 * i, va = iova + i * bspan(lv);
		const struct bpg *g = &L->a.F.pg[fs][lv][0];
		int leaf = lv == 1 || (lv <= 3 && g->ps && bf_get(g->ps, w));

		g = &L->a.F.pg[fs][lv][leaf];
		if (!w || !bpg_present(g, fs, w))
			continue;
		if (!vtd__qchk_ok(&L->a.pg[fs][lv][leaf], e)) {
			if (first > 0)
				vtd__lint_rsvd(L, g->l, e, ea, 0, 0, i);
			continue;
		}
		uint64_t to = bf_get(g->addr, w) << g->addr->shift;

		if (leaf) {
			if (first > 0)
				leaf_features(L, g, fs, lv, w, ea, i);
			add_range(L, &L->dom[di], &(struct lrange){ .iova = va, .pa = to,
				  .size = bspan(lv), .leaf = ea, .perm = bpg_rights(g, fs, w) & perm });
			continue;
		}
		unsigned k;

		for (k = 0; k <= nchain && chain[k] != to; k++)
			;
		if (k <= nchain) {
			if (first > 0)
				vtd__lint_find(L, VTD_LINT_PTR, ea, 0, 0, g->l->name, i,
					       "points back to the table at 0x%llx above it (a cycle)",
					       (unsigned long long)to);
			continue;
		}
		size_t mark = vtd__lint_push(L, g->l->name, i, ea);

		r = walk(L, di, lv - 1, to, va, chain, nchain + 1, perm & bpg_rights(g, fs, w));
		L->path[mark] = 0;
		if (r && first > 0)
			vtd__lint_find(L, VTD_LINT_PTR, ea, 0, 0, g->l->name, i,
				       "the next table at 0x%llx cannot be read",
				       (unsigned long long)to);
	}
	return 0;
}

int vtd__lint_domain(struct lint *L, uint64_t top, int fs, unsigned levels, const char *name,
		     unsigned idx, uint64_t addr, uint16_t sid)
{
	uint64_t chain[6];
	int di, r;

	for (size_t i = 0; i < L->ndom; i++)
		if (L->dom[i].top == top && L->dom[i].fs == fs && L->dom[i].levels == levels)
			return (int)i;
	if (levels < 2 || levels > 5)
		return -1;
	if (vtd__lint_grow(L, (void **)&L->dom, &L->dcap, L->ndom, sizeof(*L->dom)))
		return -1;
	di = (int)L->ndom++;
	memset(&L->dom[di], 0, sizeof(L->dom[di]));
	L->dom[di].top = top;
	L->dom[di].fs = (uint8_t)fs;
	L->dom[di].levels = levels;
	L->dom[di].user = (int)L->ndev;
	vtd__uset_clear(&L->seen);
	size_t mark = vtd__lint_push(L, name, idx, addr);

	r = walk(L, di, levels, top, 0, chain, 0, VTD_ACC_R | VTD_ACC_W | VTD_ACC_X);
	L->path[mark] = 0;
	if (r)
		vtd__lint_find(L, VTD_LINT_PTR, addr, 1, sid, name, idx,
			       "the %s table at 0x%llx cannot be read", fs ? "first-stage" :
			       "second-stage", (unsigned long long)top);
	return di;
}
