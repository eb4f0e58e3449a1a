/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- vtd_lint: the checks that need every table seen (MSI, table pages, RMRRs) */
#include <stdio.h>
#include <stdlib.h>

#include "lint-internal.h"

#define MSI_BASE 0xfee00000ULL
#define MSI_END 0xfef00000ULL

static const char *page_kind(uint8_t k)
{
	switch (k) {
	case VTD_PG_ROOT: return "root table";
	case VTD_PG_CONTEXT: return "context table";
	case VTD_PG_PASID_DIR: return "PASID directory";
	case VTD_PG_PASID_TABLE: return "PASID table";
	case VTD_PG_SS: return "second-stage table";
	case VTD_PG_FS: return "first-stage table";
	case VTD_PG_IRT: return "interrupt-remapping table";
	}
	return "table";
}

static int cmp_page(const void *a, const void *b)
{
	const struct tpage *x = a, *y = b;

	return x->pa < y->pa ? -1 : x->pa > y->pa;
}

/* The first table page at or above 'pa'. */
static size_t page_at(const struct lint *L, uint64_t pa)
{
	size_t lo = 0, hi = L->npages;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (L->pages[mid].pa < pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Input addresses in the interrupt range are interrupts, never DMA: a mapping there is dead. */
static void msi(struct lint *L)
{
	for (size_t i = 0; i < L->ndom && !L->stop; i++) {
		const struct ldom *d = &L->dom[i];
		const struct ldev *u = d->user >= 0 && (size_t)d->user < L->ndev ? &L->dev[d->user]
										: NULL;

		if (!d->dma_input)
			continue;
		for (size_t j = 0; j < d->n; j++) {
			const struct lrange *r = &d->r[j];

			if (r->iova >= MSI_END || r->iova + r->size <= MSI_BASE)
				continue;
			vtd__lint_find_at(L, VTD_LINT_MSI, r->leaf, !!u, u ? u->sid : 0,
					  u ? u->path : "", "the %s tables at 0x%llx map iova "
					  "0x%llx-0x%llx, over the interrupt range 0xfee00000-0xfeefffff",
					  d->fs ? "first-stage" : "second-stage",
					  (unsigned long long)d->top, (unsigned long long)r->iova,
					  (unsigned long long)(r->iova + r->size - 1));
			break;
		}
	}
}

/* The tree whose output is host memory: the second stage bounds a nested entry. */
static int host_dom(const struct ldev *v)
{
	return v->ss >= 0 ? v->ss : v->fs;
}

/*
 * A nested entry's first-stage tables are the guest's memory, reached
 * through guest-physical addresses: devices of that guest reaching them
 * is how nesting works, not a hole in the host's tables.
 */
static int guest_page(const struct lint *L, const struct tpage *pg)
{
	return pg->dom >= 0 && (size_t)pg->dom < L->ndom && L->dom[pg->dom].nested;
}

static void table_dma(struct lint *L)
{
	for (size_t i = 0; i < L->ndev && !L->stop && L->npages; i++) {
		const struct ldev *v = &L->dev[i];
		const struct lrange *hit = NULL;
		const struct tpage *pg = NULL;
		size_t count = 0;
		int di = host_dom(v);

		if (v->pt) {
			vtd__lint_find_at(L, VTD_LINT_TABLE_DMA, v->addr, 1, v->sid, v->path,
					  "pass-through: the device can read and write every table "
					  "page (%zu, the root table at 0x%llx among them)", L->npages,
					  (unsigned long long)L->pages[0].pa);
			continue;
		}
		if (di < 0)
			continue;
		for (size_t j = 0; j < L->dom[di].n; j++) {
			const struct lrange *r = &L->dom[di].r[j];

			for (size_t k = page_at(L, r->pa); k < L->npages && L->pages[k].pa <
			     r->pa + r->size; k++) {
				if (guest_page(L, &L->pages[k]))
					continue;
				if (!hit || (!(hit->perm & VTD_ACC_W) && (r->perm & VTD_ACC_W))) {
					hit = r;
					pg = &L->pages[k];
				}
				count++;
			}
		}
		if (hit)
			vtd__lint_find_at(L, VTD_LINT_TABLE_DMA, hit->leaf, 1, v->sid, v->path,
					  "the device can %s the %s at 0x%llx through iova 0x%llx "
					  "(%zu table pages in its reach)",
					  hit->perm & VTD_ACC_W ? "rewrite" : "read", page_kind(pg->kind),
					  (unsigned long long)pg->pa, (unsigned long long)(hit->iova +
					  (pg->pa - hit->pa)), count);
	}
}

/* The first address of [a, end) that tree 'd' does not map to itself with read and write. */
static uint64_t not_identity(const struct ldom *d, uint64_t a, uint64_t end,
			     const struct lrange **at)
{
	size_t lo = 0, hi = d->n;

	*at = NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->r[mid].iova + d->r[mid].size <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t j = lo; a < end; j++) {
		const struct lrange *r = j < d->n ? &d->r[j] : NULL;

		if (!r || r->iova > a) {
			*at = NULL;
			return a;
		}
		*at = r;
		if (r->pa != r->iova || (r->perm & (VTD_ACC_R | VTD_ACC_W)) !=
		    (VTD_ACC_R | VTD_ACC_W))
			return a;
		a = r->iova + r->size;
	}
	*at = NULL;
	return end;
}

static void rmrr_one(struct lint *L, const struct vtd_rmrr *rm, uint16_t sid)
{
	uint64_t base = rm->base & ~0xfffULL, end = (rm->base + rm->size + 0xfff) & ~0xfffULL;
	const struct ldev *v = NULL;
	char where[64];

	snprintf(where, sizeof(where), "RMRR 0x%llx-0x%llx", (unsigned long long)rm->base,
		 (unsigned long long)(rm->base + rm->size - 1));
	for (size_t i = 0; i < L->ndev && !v; i++)
		if (L->dev[i].sid == sid && !L->dev[i].has_pasid)
			v = &L->dev[i];
	if (!rm->size || end <= base)
		return;
	if (!v) {
		vtd__lint_find_at(L, VTD_LINT_RMRR, rm->base, 1, sid, where,
				  "device %02x:%02x.%x has no entry that translates its requests: "
				  "its RMRR range is not mapped", sid >> 8, sid >> 3 & 31, sid & 7);
		return;
	}
	if (v->pt)
		return;
	for (int st = 0; st < 2; st++) {
		int di = st ? v->fs : v->ss;
		const struct lrange *at;
		uint64_t a;

		if (di < 0)
			continue;
		if ((a = not_identity(&L->dom[di], base, end, &at)) >= end)
			continue;
		vtd__lint_find_at(L, VTD_LINT_RMRR, at ? at->leaf : v->addr, 1, sid, v->path,
				  "%s: iova 0x%llx is %s in the %s tables at 0x%llx", where,
				  (unsigned long long)a, !at ? "not mapped" : at->pa != at->iova ?
				  "not mapped to itself" : "not both readable and writable",
				  st ? "first-stage" : "second-stage",
				  (unsigned long long)L->dom[di].top);
		return;
	}
	if (v->ss < 0 && v->fs < 0)
		vtd__lint_find_at(L, VTD_LINT_RMRR, v->addr, 1, sid, v->path,
				  "%s: the device's tables cannot be read", where);
}

void vtd__lint_post(struct lint *L)
{
	const struct vtd_lint_opts *o = L->o;

	size_t k = 0;

	qsort(L->pages, L->npages, sizeof(*L->pages), cmp_page);
	for (size_t i = 0; i < L->npages; i++)
		if (!k || L->pages[k - 1].pa != L->pages[i].pa)
			L->pages[k++] = L->pages[i];
	L->npages = k;
	msi(L);
	table_dma(L);
	for (size_t i = 0; o->rmrr && i < o->nrmrr && !L->stop; i++)
		for (size_t j = 0; o->rmrr[i].sids && j < o->rmrr[i].nsids && !L->stop; j++)
			rmrr_one(L, &o->rmrr[i], o->rmrr[i].sids[j]);
}
