/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvtd -- trace statistics: invalidations by type, granularity, domain
 * and PASID, and each unmap matched to the invalidation that covers it
 * (tstat.h says how).
 */
#include "tstat-internal.h"

static int iotlb_kind(int type)
{
	return type == VTD_INV_IOTLB || type == VTD_INV_PIOTLB;
}

static struct ts_pending *pend_at(const struct vtd_tstat *s, size_t i)
{
	return &s->pend[(s->phead + i) % s->o.pending_max];
}

void vtd__tstat_unmap_pending(struct vtd_tstat *s, const struct vtd_event *ev, uint64_t ts)
{
	struct ts_pending *p;
	uint64_t size = (ev->has & VTD_EVH_SIZE) && ev->size ? ev->size : 4096;

	if (s->pn == s->o.pending_max) {	/* the oldest never finds its invalidation */
		s->dropped++;
		s->phead = (s->phead + 1) % s->o.pending_max;
		s->pn--;
	}
	p = pend_at(s, s->pn++);
	p->addr = ev->addr;
	p->end = ev->addr + size < ev->addr ? UINT64_MAX : ev->addr + size;
	p->ts = ts;
}

int vtd__tstat_in_window(const struct vtd_tstat *s, uint64_t addr)
{
	for (size_t i = 0; i < s->pn; i++) {
		const struct ts_pending *p = pend_at(s, i);

		if (addr >= p->addr && addr < p->end)
			return 1;
	}
	return 0;
}

/* Close the windows of the pending unmaps in [lo, hi] (all of them when wide). */
static void cover(struct vtd_tstat *s, int wide, uint64_t lo, uint64_t hi, uint64_t ts)
{
	size_t keep = 0;

	for (size_t i = 0; i < s->pn; i++) {
		struct ts_pending p = *pend_at(s, i);

		if (wide || (p.addr <= hi && p.end - 1 >= lo)) {
			vtd__hist_add(&s->lat, ts >= p.ts ? ts - p.ts : 0);
			if (wide)
				s->by_wide++;
			else
				s->by_page++;
		} else {
			*pend_at(s, keep++) = p;
		}
	}
	s->pn = keep;
}

static void count_key(struct ts_keys *keys, const char *what, uint64_t id, uint64_t ts, int page,
		      int wide)
{
	struct vtd_tstat_key *k = vtd__keys_get_id(keys, what, id, ts);

	k->n++;
	k->page += (uint64_t)page;
	k->wide += (uint64_t)wide;
}

void vtd__tstat_inv(struct vtd_tstat *s, const struct vtd_event *ev, uint64_t ts)
{
	int t = ev->inv_type < VTD_INV_TYPE_N ? ev->inv_type : 0;
	int g = ev->inv_gran < VTD_GRAN_N ? ev->inv_gran : 0;
	int page = g == VTD_GRAN_PAGE, wide = g == VTD_GRAN_GLOBAL || g == VTD_GRAN_DOMAIN ||
					      g == VTD_GRAN_PASID;

	s->inv[t][g]++;
	if (page && iotlb_kind(t)) {
		unsigned am = ev->am < 52 ? ev->am : 52;
		uint64_t bytes = 4096ull << am, lo = ev->addr & ~(bytes - 1);

		s->am[ev->am < 64 ? ev->am : 63]++;
		vtd__hist_add(&s->page_bytes, bytes);
		cover(s, 0, lo, lo + bytes - 1, ts);
	} else if (wide && iotlb_kind(t)) {
		cover(s, 1, 0, UINT64_MAX, ts);
	}
	if (t == VTD_INV_WAIT || t == VTD_INV_PGRP_RESP)
		return;
	page = page && iotlb_kind(t);
	wide = wide && iotlb_kind(t);
	if (ev->has & VTD_EVH_DID)
		count_key(&s->did, "did", ev->did, ts, page, wide);
	if (ev->has & VTD_EVH_PASID)
		count_key(&s->pasid, "pasid", ev->pasid, ts, page, wide);
}
