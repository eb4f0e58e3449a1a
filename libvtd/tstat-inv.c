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

/*
 * The ring's index after 'at', and 'i' places after it (i <= o.pending_max):
 * a compare, not a division, since this runs for every pending unmap an
 * invalidation or a DMA looks through.
 */
static size_t ring_next(const struct vtd_tstat *s, size_t at)
{
	return ++at == s->o.pending_max ? 0 : at;
}

static size_t ring_add(const struct vtd_tstat *s, size_t at, size_t i)
{
	return at + i >= s->o.pending_max ? at + i - s->o.pending_max : at + i;
}

void vtd__tstat_unmap_pending(struct vtd_tstat *s, const struct vtd_event *ev, uint64_t ts)
{
	struct ts_pending *p;
	uint64_t size = (ev->has & VTD_EVH_SIZE) && ev->size ? ev->size : 4096;

	if (s->pn == s->o.pending_max) {	/* the oldest never finds its invalidation */
		s->dropped++;
		s->phead = ring_next(s, s->phead);
		s->pn--;
	}
	p = &s->pend[ring_add(s, s->phead, s->pn++)];
	p->addr = ev->addr;
	p->end = ev->addr + size < ev->addr ? UINT64_MAX : ev->addr + size;
	p->ts = ts;
}

int vtd__tstat_in_window(const struct vtd_tstat *s, uint64_t addr)
{
	size_t at = s->phead;

	for (size_t i = 0; i < s->pn; i++, at = ring_next(s, at)) {
		const struct ts_pending *p = &s->pend[at];

		if (addr >= p->addr && addr < p->end)
			return 1;
	}
	return 0;
}

/* Close the windows of the pending unmaps in [lo, hi] (all of them when wide). */
static void cover(struct vtd_tstat *s, int wide, uint64_t lo, uint64_t hi, uint64_t ts)
{
	size_t i = 0, at = s->phead, n = s->pn, keep, to;

	if (wide) {		/* every one, oldest first */
		for (; i < n; i++, at = ring_next(s, at))
			vtd__hist_add(&s->lat, ts >= s->pend[at].ts ? ts - s->pend[at].ts : 0);
		s->by_wide += n;
		s->pn = 0;
		return;
	}
	/* Up to the first one covered, every one stays where it is. */
	for (; i < n; i++, at = ring_next(s, at))
		if (s->pend[at].addr <= hi && s->pend[at].end - 1 >= lo)
			break;
	/* From there the ones kept move up to stay in a row from the head, in order. */
	for (keep = i, to = at; i < n; i++, at = ring_next(s, at)) {
		struct ts_pending p = s->pend[at];

		if (p.addr <= hi && p.end - 1 >= lo) {
			vtd__hist_add(&s->lat, ts >= p.ts ? ts - p.ts : 0);
			s->by_page++;
		} else {
			s->pend[to] = p;
			to = ring_next(s, to);
			keep++;
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
