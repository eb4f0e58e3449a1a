/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- trace statistics: the aggregator's state, shared by its parts */
#ifndef VTD_TSTAT_INTERNAL_H
#define VTD_TSTAT_INTERNAL_H

#include "tstat.h"

/*
 * A log-scale histogram: exact below 8, then 8 linear steps per power of
 * two (at most 12.5% wide), so that percentiles of nanoseconds to hours
 * fit in 4 KiB with a known error; count, min, max and sum are exact.
 */
#define TS_HSUB 8
#define TS_HBUCKETS (62 * TS_HSUB)
struct ts_hist {
	uint64_t n, min, max;
	double sum;
	uint64_t b[TS_HBUCKETS];
};

/* The bucket of 'v'. */
static inline unsigned vtd__hist_bucket(uint64_t v)
{
	unsigned e;

	if (v < TS_HSUB)
		return (unsigned)v;
	e = 63u - (unsigned)__builtin_clzll(v);		/* >= 3 */
	return (e - 2) * TS_HSUB + (unsigned)((v >> (e - 3)) & (TS_HSUB - 1));
}

/* Inline: it runs for most map, unmap and invalidation events. */
static inline void vtd__hist_add(struct ts_hist *h, uint64_t v)
{
	unsigned i = vtd__hist_bucket(v);

	if (!h->n || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->n++;
	h->sum += (double)v;
	h->b[i < TS_HBUCKETS ? i : TS_HBUCKETS - 1]++;
}

/* The p-th percentile (0..100): the middle of its bucket, within [min, max]. */
uint64_t vtd__hist_pct(const struct ts_hist *h, double p);

#define TS_NFAULT 256	/* distinct faults kept; then "other" */
#define TS_NKEY 64	/* devices, reasons, domains, PASIDs kept; then "other" */

/* FNV-1a of a name, for the indexes of rows by name and of distinct faults. */
static inline uint32_t vtd__ts_name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

#define TS_NMEMO 64
#define TS_KSLOTS 128	/* a power of two, about twice the rows: short probes */
struct ts_keys {
	struct vtd_tstat_key v[TS_NKEY + 1];
	size_t n;
	size_t last;	/* the row found last time: runs of one key are common */
	/*
	 * The rows by name (open addressing on a hash of the name: row + 1, 0
	 * free), so that a name missing from a full table costs one probe, not
	 * a comparison with every row.  Each name is there once, for the first
	 * row that keeps it (as the rows' linear scan found it).
	 */
	uint8_t slot[TS_KSLOTS];
	/* numeric keys' rows, so that most events name no key (a row never moves) */
	struct {
		uint64_t id;
		uint32_t row, used;
	} memo[TS_NMEMO];
};
/* The row of 'name' (added when new; the "other" row when full). */
struct vtd_tstat_key *vtd__keys_get(struct ts_keys *k, const char *name, uint64_t ts);
/* The same for the name "<prefix> <id in decimal>", when the memo does not know 'id'. */
struct vtd_tstat_key *vtd__keys_get_id_slow(struct ts_keys *k, const char *prefix, uint64_t id,
					    uint64_t ts);

static inline unsigned vtd__keys_memo_of(uint64_t id)
{
	return (unsigned)(id ^ id >> 7) % TS_NMEMO;
}

/*
 * The same for the name "<prefix> <id in decimal>".  Inline for the memo's
 * hit, nearly every invalidation's case: no name is built then.
 */
static inline struct vtd_tstat_key *vtd__keys_get_id(struct ts_keys *k, const char *prefix,
						     uint64_t id, uint64_t ts)
{
	unsigned h = vtd__keys_memo_of(id);
	struct vtd_tstat_key *r;

	if (!k->memo[h].used || k->memo[h].id != id)
		return vtd__keys_get_id_slow(k, prefix, id, ts);
	r = &k->v[k->last = k->memo[h].row];
	r->last_ns = ts;
	return r;
}

/* An unmapped range waiting for the invalidation that covers it. */
struct ts_pending {
	uint64_t addr, end, ts;
};

/*
 * An IOVA the churn table follows: mapped (live) or unmapped (freed).  A
 * bucket's used entries are always its first ones (entries are taken in
 * order and never freed), so a lookup stops at the first unused one.
 */
struct ts_iova {
	uint64_t iova, ts, seq;	/* ts: of its map (live) or unmap (freed); seq: maps so far */
	uint8_t used, live;
};
/*
 * A bucket of four is 128 bytes: aligned so, its first two entries share
 * one cache line and the lookup of a lightly used bucket touches just that
 * line (calloc's 16-byte alignment made it straddle up to three).
 */
#define TS_IOVA_ALIGN 128

struct vtd_tstat {
	struct vtd_tstat_opts o;
	uint64_t events, bad;
	uint64_t first_ns, last_ns;
	uint8_t have_ts;
	uint64_t span_ns;		/* vtd_tstat_span(); 0: last_ns - first_ns */

	/* faults */
	uint64_t faults_dma, faults_ir, fault_recs, page_reqs;
	struct vtd_tstat_fault fault[TS_NFAULT + 1];
	size_t nfault, last_fault;
	uint16_t fslot[2 * TS_NFAULT];	/* the distinct faults by key, as ts_keys.slot */
	struct ts_keys fdev, freason;
	uint64_t win, win_n, storms, peak_win;

	/* invalidations */
	uint64_t inv[VTD_INV_TYPE_N][VTD_GRAN_N];
	uint64_t am[64];
	struct ts_hist page_bytes;
	struct ts_keys did, pasid;

	/* unmap -> invalidation */
	struct ts_pending *pend;	/* ring of o.pending_max */
	size_t phead, pn;
	uint64_t by_page, by_wide, dropped;
	struct ts_hist lat;
	uint64_t stale_dma, stale_faults;

	/* churn */
	uint64_t maps, unmaps, untracked;
	int64_t live, live_peak, bytes, bytes_peak;
	struct ts_iova *iova;		/* 4 << o.track_log2, in buckets of 4, in iova_mem */
	void *iova_mem;			/* as allocated: iova is it aligned to TS_IOVA_ALIGN */
	struct ts_hist life, reuse, reuse_maps;
};

void vtd__tstat_fault(struct vtd_tstat *s, const struct vtd_event *ev, uint64_t ts);
void vtd__tstat_inv(struct vtd_tstat *s, const struct vtd_event *ev, uint64_t ts);
void vtd__tstat_unmap_pending(struct vtd_tstat *s, const struct vtd_event *ev, uint64_t ts);
/* 1 when 'addr' lies in a pending unmap (a stale-IOTLB window is open over it). */
int vtd__tstat_in_window(const struct vtd_tstat *s, uint64_t addr);
void vtd__tstat_map(struct vtd_tstat *s, const struct vtd_event *ev, uint64_t ts);
void vtd__tstat_unmap(struct vtd_tstat *s, const struct vtd_event *ev, uint64_t ts);
/* Storms: the windows that reached the threshold, the open one included. */
uint64_t vtd__tstat_storms(const struct vtd_tstat *s);

#endif
