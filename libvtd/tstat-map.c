/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- trace statistics: map/unmap churn, lifetimes, IOVA reuse */
#include "tstat-internal.h"

/*
 * The IOVA table is direct-mapped in buckets of four: bounded memory, no
 * deletion problem, and the entry pushed out of a full bucket is the one
 * seen longest ago, which is the one least likely to be reused soon.
 */
static struct ts_iova *bucket_of(const struct vtd_tstat *s, uint64_t iova)
{
	uint64_t h = (iova >> 12) * 0x9e3779b97f4a7c15ull;

	return &s->iova[(h >> (64 - s->o.track_log2)) * 4];
}

/*
 * The entry of 'iova', or NULL with *put the entry to take for it: the
 * first unused one, else the one stamped longest ago (the first of equals).
 * One pass over the bucket for both, since a map or unmap of an IOVA not
 * in the table needs both.
 */
static struct ts_iova *lookup(const struct vtd_tstat *s, uint64_t iova, struct ts_iova **put)
{
	struct ts_iova *b = bucket_of(s, iova), *old = b;

	/* A full bucket's scan reads its second line too: fetch both at once. */
	__builtin_prefetch(&b[2]);
	for (int i = 0; i < 4; i++) {
		if (!b[i].used) {	/* and neither are the ones after it */
			*put = &b[i];
			return NULL;
		}
		if (b[i].iova == iova)
			return &b[i];
		if (b[i].ts < old->ts)
			old = &b[i];
	}
	*put = old;
	return NULL;
}

/* Bytes live, saturated: a corrupt size must not wrap the count. */
static void add_bytes(int64_t *b, uint64_t size, int sign)
{
	int64_t d = size > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)size;

	if (__builtin_add_overflow(*b, sign * d, b))
		*b = sign > 0 ? INT64_MAX : INT64_MIN;
}

void vtd__tstat_map(struct vtd_tstat *s, const struct vtd_event *ev, uint64_t ts)
{
	struct ts_iova *put, *e = lookup(s, ev->addr, &put);

	s->maps++;
	if (++s->live > s->live_peak)
		s->live_peak = s->live;
	add_bytes(&s->bytes, ev->size, 1);
	if (s->bytes > s->bytes_peak)
		s->bytes_peak = s->bytes;
	if (e && !e->live) {
		vtd__hist_add(&s->reuse, ts >= e->ts ? ts - e->ts : 0);
		vtd__hist_add(&s->reuse_maps, s->maps - 1 - e->seq);
	}
	if (!e)
		e = put;
	*e = (struct ts_iova){ .iova = ev->addr, .ts = ts, .seq = s->maps, .used = 1, .live = 1 };
}

void vtd__tstat_unmap(struct vtd_tstat *s, const struct vtd_event *ev, uint64_t ts)
{
	struct ts_iova *put, *e = lookup(s, ev->addr, &put);

	s->unmaps++;
	s->live--;
	add_bytes(&s->bytes, ev->size, -1);
	if (e && e->live)
		vtd__hist_add(&s->life, ts >= e->ts ? ts - e->ts : 0);
	else if (!e)
		s->untracked++;		/* mapped before the trace began, or pushed out */
	if (!e)
		e = put;
	*e = (struct ts_iova){ .iova = ev->addr, .ts = ts, .seq = s->maps, .used = 1 };
	vtd__tstat_unmap_pending(s, ev, ts);
}
