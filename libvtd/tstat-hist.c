/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- trace statistics: log-scale histograms and capped keyed tables */
#include <stdio.h>
#include <string.h>

#include "tstat-internal.h"

static unsigned bucket(uint64_t v)
{
	unsigned e;

	if (v < TS_HSUB)
		return (unsigned)v;
	e = 63u - (unsigned)__builtin_clzll(v);		/* >= 3 */
	return (e - 2) * TS_HSUB + (unsigned)((v >> (e - 3)) & (TS_HSUB - 1));
}

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

void vtd__hist_add(struct ts_hist *h, uint64_t v)
{
	unsigned i = bucket(v);

	if (!h->n || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->n++;
	h->sum += (double)v;
	h->b[i < TS_HBUCKETS ? i : TS_HBUCKETS - 1]++;
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

struct vtd_tstat_key *vtd__keys_get(struct ts_keys *k, const char *name, uint64_t ts)
{
	struct vtd_tstat_key *r = NULL;

	if (k->n && !strcmp(k->v[k->last].name, name))
		r = &k->v[k->last];
	for (size_t i = 0; !r && i < k->n; i++)
		if (!strcmp(k->v[i].name, name))
			r = &k->v[k->last = i];
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
		}
	}
	r->last_ns = ts;
	return r;
}

struct vtd_tstat_key *vtd__keys_get_id(struct ts_keys *k, const char *prefix, uint64_t id,
				       uint64_t ts)
{
	unsigned h = (unsigned)(id ^ id >> 7) % TS_NMEMO;
	struct vtd_tstat_key *r;
	char name[48], dig[24];
	size_t n = strlen(prefix), d = 0;
	uint64_t v = id;

	if (k->memo[h].used && k->memo[h].id == id) {
		r = &k->v[k->last = k->memo[h].row];
		r->last_ns = ts;
		return r;
	}
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
