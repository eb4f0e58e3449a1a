/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- the page pool and the paging tables of one domain */
#include <stdlib.h>
#include <string.h>

#include "build-internal.h"

/* ---- the page pool ------------------------------------------------------------ */

static int grow(struct bld *b, size_t need)
{
	size_t nc = b->cap ? b->cap : 64 * BPAGE;
	uint8_t *x;

	if (need <= b->cap)
		return 0;
	while (nc < need)
		nc *= 2;
	x = realloc(b->bytes, nc);
	if (!x)
		return -1;
	memset(x + b->cap, 0, nc - b->cap);
	b->bytes = x;
	b->cap = nc;
	return 0;
}

uint64_t vtd__balloc(struct bld *b, size_t n, uint8_t kind)
{
	uint64_t need = n * BPAGE, pa = b->cur;

	/* Exclusions are sorted: the cursor only passes them, never returns. */
	for (size_t i = 0; i < b->nex; i++) {
		const struct vtd_brange *x = &b->ex[i];

		if (x->base + x->size <= pa)
			continue;
		if (x->base >= pa + need)
			break;
		pa = x->base + x->size;
	}
	if (grow(b, (size_t)(pa + need - b->base))) {
		b->oom = 1;
		return 0;
	}
	if (b->npages + n > b->pcap) {
		size_t nc = b->pcap ? b->pcap * 2 : 64;
		struct vtd_bpage *v;

		while (nc < b->npages + n)
			nc *= 2;
		v = realloc(b->pages, nc * sizeof(*v));
		if (!v) {
			b->oom = 1;
			return 0;
		}
		b->pages = v;
		b->pcap = nc;
	}
	for (size_t i = 0; i < n; i++)
		b->pages[b->npages++] = (struct vtd_bpage){ .pa = pa + i * BPAGE, .kind = kind,
							    .device = -1, .domain = -1,
							    .shared = 1 };
	b->cur = pa + need;
	b->used += n;
	return pa;
}

/* Give back the last page allocated (a duplicate that dedup replaced). */
static void bfree_last(struct bld *b)
{
	uint64_t pa = b->pages[--b->npages].pa;

	memset(bat(b, pa), 0, BPAGE);
	b->cur = pa;
	b->used--;
}

static struct vtd_bpage *page_of(struct bld *b, uint64_t pa)
{
	size_t lo = 0, hi = b->npages;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (b->pages[mid].pa < pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < b->npages && b->pages[lo].pa == pa ? &b->pages[lo] : NULL;
}

/* ---- dedup: pages by content --------------------------------------------------- */

static uint64_t hash_page(const uint8_t *pg, unsigned salt)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ salt;

	for (size_t i = 0; i < BPAGE; i += 8) {
		h ^= le64(pg + i);
		h *= 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	return h ? h : 1;
}

static int dd_grow(struct bdedup *d)
{
	size_t nc = d->cap ? d->cap * 2 : 256;
	uint64_t *k = calloc(nc, sizeof(*k)), *p = calloc(nc, sizeof(*p));

	if (!k || !p) {
		free(k);
		free(p);
		return -1;
	}
	for (size_t i = 0; i < d->cap; i++) {
		size_t j;

		if (!d->key[i])
			continue;
		for (j = d->key[i] & (nc - 1); k[j]; j = (j + 1) & (nc - 1))
			;
		k[j] = d->key[i];
		p[j] = d->pa[i];
	}
	free(d->key);
	free(d->pa);
	d->key = k;
	d->pa = p;
	d->cap = nc;
	return 0;
}

/* The page with this content already built, or 'pa' itself (now remembered). */
static uint64_t dd_find(struct bld *b, uint64_t pa, unsigned salt)
{
	struct bdedup *d = &b->dd;
	uint64_t h = hash_page(bat(b, pa), salt);
	size_t j;

	if (d->n * 2 >= d->cap && dd_grow(d)) {
		b->oom = 1;
		return pa;
	}
	for (j = h & (d->cap - 1); d->key[j]; j = (j + 1) & (d->cap - 1)) {
		const struct vtd_bpage *q;

		if (d->key[j] != h || d->pa[j] == pa)
			continue;
		q = page_of(b, d->pa[j]);
		if (q && (unsigned)(q->kind << 4 | q->level) == salt &&
		    !memcmp(bat(b, d->pa[j]), bat(b, pa), BPAGE))
			return d->pa[j];
	}
	d->key[j] = h;
	d->pa[j] = pa;
	d->n++;
	return pa;
}

/* A page's signature: what dedup would compare, with table pointers (which differ before sharing) blanked. */
static void sig_note(struct bld *b, int fs, unsigned l, uint64_t pa)
{
	const struct bpg *g = &b->F.pg[fs][l][0];
	struct bdedup *d = &b->sigs;
	const uint8_t *pg = bat(b, pa);
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (uint64_t)(fs << 4 | (int)l);
	size_t j;

	for (size_t i = 0; i < BPAGE; i += 8) {
		uint64_t e = le64(pg + i);

		if (l > 1 && e && !(g->ps && bf_get(g->ps, e)))
			e = 1;
		h ^= e;
		h *= 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	h = h ? h : 1;
	if (d->n * 2 >= d->cap && dd_grow(d)) {
		b->maybe_dup = 1;
		return;
	}
	for (j = h & (d->cap - 1); d->key[j]; j = (j + 1) & (d->cap - 1))
		if (d->key[j] == h) {
			b->maybe_dup = 1;
			return;
		}
	d->key[j] = h;
	d->n++;
}

/* ---- one domain's tables ----------------------------------------------------------- */

struct tw {
	struct bld *b;
	int fs, di;
	unsigned levels;
	uint8_t kind;
	uint64_t tbl[6];	/* the table being filled at each level; 0: none */
	uint64_t cov[6];	/* the first input address it covers */
	/* Leaf templates of the last attributes seen: mappings mostly repeat them. */
	uint64_t tmpl[4];
	uint8_t have;
	unsigned t_perm;
	uint8_t t_snoop, t_user;
};

static void put64(uint8_t *p, uint64_t v)
{
	put_le64(p, v);
}

/* The table at level 'l' is complete: share it if dedup finds its twin, link it in. */
static void finish(struct tw *w, unsigned l)
{
	struct bld *b = w->b;
	uint64_t pa = w->tbl[l];

	if (!pa)
		return;
	if (b->sig && !b->maybe_dup)
		sig_note(b, w->fs, l, pa);
	if (b->dedup) {
		uint64_t q = dd_find(b, pa, (unsigned)(w->kind << 4 | l));

		/* A twin only exists once every child was shared, so 'pa' is the last page. */
		if (q != pa && b->npages && b->pages[b->npages - 1].pa == pa) {
			bfree_last(b);
			page_of(b, q)->shared++;
			pa = q;
		}
	}
	put64(bat(b, w->tbl[l + 1]) + 8 * bidx(w->cov[l], l + 1),
	      vtd__nonleaf(&b->F, w->fs, l + 1, pa));
	w->tbl[l] = 0;
}

static int newtable(struct tw *w, unsigned l, uint64_t cov)
{
	struct bld *b = w->b;
	uint64_t pa = vtd__balloc(b, 1, w->kind);
	struct vtd_bpage *pg;

	if (b->oom)
		return -1;
	pg = &b->pages[b->npages - 1];
	pg->level = (uint8_t)l;
	pg->domain = w->di;
	pg->iova = cov;
	w->tbl[l] = pa;
	w->cov[l] = cov;
	return 0;
}

static int leaf(struct tw *w, uint64_t v, unsigned lv, uint64_t e)
{
	for (unsigned l = w->levels - 1; l >= lv && l >= 1; l--) {
		uint64_t cov = v & ~(bspan(l + 1) - 1);

		if (w->tbl[l] && w->cov[l] == cov)
			continue;
		for (unsigned k = 1; k <= l; k++)
			finish(w, k);
		if (newtable(w, l, cov))
			return -1;
	}
	put64(bat(w->b, w->tbl[lv]) + 8 * bidx(v, lv), e);
	return 0;
}

static int map_one(struct tw *w, const struct vtd_bmap *m)
{
	const struct bfields *F = &w->b->F;
	uint64_t v = m->iova, pa = m->pa, rem = m->size;

	if (m->perm != w->t_perm || m->snoop != w->t_snoop || m->user != w->t_user) {
		w->have = 0;
		w->t_perm = m->perm;
		w->t_snoop = m->snoop;
		w->t_user = m->user;
	}
	while (rem) {
		uint64_t pg;

		if (m->page && !w->b->auto_pages)
			pg = m->page;
		else if (rem < (1ULL << 21) || ((v | pa) & ((1ULL << 21) - 1)))
			pg = BPAGE;	/* the common case, without asking the profile */
		else
			pg = vtd__auto_page(&w->b->c, w->fs, v, pa, rem);
		unsigned lv = bpage_level(pg);
		const struct bpg *g = &F->pg[w->fs][lv][1];
		uint64_t e;

		if (!(w->have >> lv & 1)) {
			w->tmpl[lv] = vtd__leaf_tmpl(F, w->fs, lv, m->perm, m->snoop, m->user);
			w->have |= (uint8_t)(1u << lv);
		}
		e = w->tmpl[lv] | bf_addr(g->addr, pa);
		if (m->nraw) {
			uint8_t x[8];

			put_le64(x, e);
			vtd__apply_raw(g->l, x, m->raw, m->nraw);
			e = le64(x);
		}
		if (leaf(w, v, lv, e))
			return -1;
		if (pg > rem)
			break;
		v += pg;
		pa += pg;
		rem -= pg;
	}
	return 0;
}

int vtd__build_domain(struct bld *b, int di, const struct vtd_bmap *extra, size_t nextra)
{
	const struct vtd_bdomain *d = &b->p->domains[di];
	struct tw w = { .b = b, .fs = d->stage == VTD_STAGE_FIRST, .di = di, .t_perm = ~0u };
	size_t i = 0, j = 0;

	w.levels = vtd__dom_levels(d, &b->c);
	w.kind = w.fs ? VTD_PG_FS : VTD_PG_SS;
	if (newtable(&w, w.levels, 0))
		return -VTD_ENOMEM;
	b->top[di] = w.tbl[w.levels];
	/* The plan's mappings and the identity pages nesting adds, merged by input address. */
	while (i < d->nmaps || j < nextra) {
		const struct vtd_bmap *m = j >= nextra || (i < d->nmaps && d->maps[i].iova <
							   extra[j].iova) ? &d->maps[i++] :
										  &extra[j++];

		if (map_one(&w, m))
			return -VTD_ENOMEM;
	}
	for (unsigned k = 1; k < w.levels; k++)
		finish(&w, k);
	return b->oom ? -VTD_ENOMEM : 0;
}

/* ---- the pages a domain's tables use ------------------------------------------------ */

struct plist {
	uint64_t *v;
	size_t n, cap;
	int oom;
};

static void padd(struct plist *l, uint64_t pa)
{
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 64;
		uint64_t *v = realloc(l->v, nc * sizeof(*v));

		if (!v) {
			l->oom = 1;
			return;
		}
		l->v = v;
		l->cap = nc;
	}
	l->v[l->n++] = pa;
}

static void walk_pages(struct bld *b, int fs, unsigned level, uint64_t pa, struct plist *l)
{
	const struct bpg *g = &b->F.pg[fs][level][0];

	padd(l, pa);
	if (level == 1)
		return;
	for (unsigned i = 0; i < 512; i++) {
		uint64_t e = le64(bat(b, pa) + 8 * i);
		if (!bpg_present(g, fs, e) || (g->ps && level <= 3 && bf_get(g->ps, e)))
			continue;
		/* Only tables this build made: the pool holds them. */
		uint64_t child = bf_get(g->addr, e) << g->addr->shift;

		if (child >= b->base && child + BPAGE <= b->base + b->cap)
			walk_pages(b, fs, level - 1, child, l);
	}
}

uint64_t *vtd__domain_pages(struct bld *b, int di, size_t *n)
{
	const struct vtd_bdomain *d = &b->p->domains[di];
	struct plist l = { 0 };
	size_t k = 0;

	walk_pages(b, d->stage == VTD_STAGE_FIRST, vtd__dom_levels(d, &b->c), b->top[di], &l);
	if (l.oom) {
		free(l.v);
		b->oom = 1;
		*n = 0;
		return NULL;
	}
	qsort(l.v, l.n, sizeof(*l.v), vtd__cmp_u64);
	for (size_t i = 0; i < l.n; i++)
		if (!k || l.v[k - 1] != l.v[i])
			l.v[k++] = l.v[i];
	*n = k;
	return l.v;
}

void vtd__bld_free(struct bld *b)
{
	free(b->bytes);
	free(b->pages);
	free(b->ex);
	free(b->dd.key);
	free(b->dd.pa);
	free(b->sigs.key);
	free(b->sigs.pa);
	free(b->top);
	memset(b, 0, sizeof(*b));
}
