/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- trace statistics: distributions folded into powers of two */
#include <string.h>

#include "tstat-internal.h"

static const struct ts_hist *dist(const struct vtd_tstat *s, int which)
{
	switch (which) {
	case VTD_TD_UNMAP_TO_INV: return &s->lat;
	case VTD_TD_LIFETIME: return &s->life;
	case VTD_TD_REUSE: return &s->reuse;
	case VTD_TD_PAGE_BYTES: return &s->page_bytes;
	}
	return NULL;
}

void vtd_tstat_dist_log2(const struct vtd_tstat *s, int which, uint64_t out[VTD_TSTAT_LOG2_N])
{
	const struct ts_hist *h = s ? dist(s, which) : NULL;

	memset(out, 0, VTD_TSTAT_LOG2_N * sizeof(*out));
	if (!h)
		return;
	/*
	 * The fine buckets hold single values below TS_HSUB, then TS_HSUB
	 * steps inside each power of two: bucket i >= TS_HSUB lies in
	 * [2^e, 2^(e+1)) with e = i / TS_HSUB + 2.
	 */
	for (unsigned i = 0; i < TS_HBUCKETS; i++) {
		unsigned k;

		if (!h->b[i])
			continue;
		if (i < TS_HSUB)
			k = i ? 64u - (unsigned)__builtin_clzll(i) : 0;
		else
			k = i / TS_HSUB + 3;
		out[k < VTD_TSTAT_LOG2_N ? k : VTD_TSTAT_LOG2_N - 1] += h->b[i];
	}
}
