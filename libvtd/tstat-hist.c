/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- trace statistics: log-scale histograms and capped keyed tables */
#include <stdio.h>
#include <string.h>

#include "tstat-internal.h"

/* The smallest value of bucket 'i', and its width. */
static uint64_t bucket_lo(unsigned i, uint64_t *width)
{
	unsigned e;

	if (i < TS_HSUB) {
		*width = 1;
		return i;
	}
	e = i / TS_HSUB + 2;
	*width = 1ull << (e - 3);
	return (1ull << e) + (uint64_t)(i % TS_HSUB) * *width;
}

uint64_t vtd__hist_pct(const struct ts_hist *h, double p)
{
	uint64_t want, seen = 0, w, v;

	if (!h->n)
		return 0;
	want = (uint64_t)(p / 100.0 * (double)h->n + 0.999999);
	if (want < 1)
		want = 1;
	for (unsigned i = 0; i < TS_HBUCKETS; i++) {
		if ((seen += h->b[i]) < want)
			continue;
		v = bucket_lo(i, &w) + w / 2;
		return v < h->min ? h->min : v > h->max ? h->max : v;
	}
	return h->max;
}

/* The index's slot of 'name': its row's, or the free one it would take. */
static uint8_t *slot_of(struct ts_keys *k, const char *name)
{
	unsigned i = vtd__ts_name_hash(name) & (TS_KSLOTS - 1);

	while (k->slot[i] && strcmp(k->v[k->slot[i] - 1].name, name))
		i = (i + 1) & (TS_KSLOTS - 1);
	return &k->slot[i];
}

struct vtd_tstat_key *vtd__keys_get(struct ts_keys *k, const char *name, uint64_t ts)
{
	struct vtd_tstat_key *r = NULL;
	uint8_t *sl;

	if (k->n && !strcmp(k->v[k->last].name, name))
		r = &k->v[k->last];
	else if (*(sl = slot_of(k, name)))
		r = &k->v[k->last = *sl - 1u];
	if (!r) {
		/* Past TS_NKEY, everything else shares the one row with no name. */
		k->last = k->n < TS_NKEY ? k->n : TS_NKEY;
		r = &k->v[k->last];
		if (k->n <= TS_NKEY && k->last == k->n) {
			memset(r, 0, sizeof(*r));
			if (k->n < TS_NKEY)
				snprintf(r->name, sizeof(r->name), "%s", name);
			r->first_ns = ts;
			k->n++;
			/* Under the name the row keeps: cut, or "" for "other". */
			if (!*(sl = slot_of(k, r->name)))
				*sl = (uint8_t)(k->last + 1);
		}
	}
	r->last_ns = ts;
	return r;
}

struct vtd_tstat_key *vtd__keys_get_id_slow(struct ts_keys *k, const char *prefix, uint64_t id,
					    uint64_t ts)
{
	unsigned h = vtd__keys_memo_of(id);
	struct vtd_tstat_key *r;
	char name[48], dig[24];
	size_t n = strlen(prefix), d = 0;
	uint64_t v = id;

	do
		dig[d++] = (char)('0' + v % 10);
	while ((v /= 10));
	if (n > sizeof(name) - sizeof(dig) - 2)
		n = sizeof(name) - sizeof(dig) - 2;
	memcpy(name, prefix, n);
	name[n++] = ' ';
	while (d)
		name[n++] = dig[--d];
	name[n] = 0;
	r = vtd__keys_get(k, name, ts);
	k->memo[h].id = id;
	k->memo[h].row = (uint32_t)(r - k->v);
	k->memo[h].used = 1;
	return r;
}
