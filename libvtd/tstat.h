/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvtd -- trace statistics: faults, invalidations, strict vs lazy
 * unmapping and map/unmap churn, aggregated from trace events (trace.h)
 * fed one at a time, in bounded memory whatever the trace's length.
 */
#ifndef VTD_TSTAT_H
#define VTD_TSTAT_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "trace.h"

/*
 * How events are matched (formats/vtd-top.md says the same for users):
 *
 * - Faults are DMA-remapping and interrupt-remapping fault events, counted
 *   as the trace reports them.  A fault's device is its source id
 *   ("bb:dd.f") or, when the line gives none, the device name it prints.
 *   Distinct faults are keyed by device, PASID, reason, access and 4 KiB
 *   page of the address.  A storm is a window (opts.window_ns) holding at
 *   least opts.storm_faults faults.
 *
 * - An unmap (iommu:unmap) names no domain, and an invalidation names no
 *   unmap.  An unmap waits, pending, until the first IOTLB or PASID-IOTLB
 *   invalidation that covers it: a page-selective one whose range overlaps
 *   the unmapped range, or any domain-, PASID- or global-selective one
 *   (taken to cover every pending unmap, since the unmap's domain is
 *   unknown).  The time from the unmap to that invalidation is the
 *   unmap-to-invalidation latency: the window during which the unmapped
 *   IOVAs could still translate through a stale IOTLB entry.  DMA
 *   (QEMU translations and IOTLB hits) and faults at an address of a
 *   pending unmap are counted as inside that window; they are only
 *   meaningful when their time stamps share the unmap's clock.
 *
 * - Mode: strict when at least 90% of the covered unmaps were covered by
 *   page-selective invalidations, lazy when at least half were covered by
 *   domain-wide (domain, PASID or global) flushes, mixed otherwise, unknown
 *   without covered unmaps.  Linux's strict mode invalidates each unmapped
 *   range; its lazy mode queues the IOVAs and flushes the whole domain
 *   from a timer or when the queue fills.
 *
 * - Churn: live mappings are maps minus unmaps (events and bytes); a
 *   mapping's lifetime runs from the map to the unmap at the same IOVA;
 *   the reuse distance of an IOVA is the time, and the number of maps in
 *   between, from its unmap to its next map.  IOVAs are tracked in a
 *   fixed-size table: one pushed out is counted as untracked.
 */

struct vtd_tstat;

struct vtd_tstat_opts {
	uint64_t window_ns;	/* storm window; 0: 1 s */
	uint64_t storm_faults;	/* faults in one window that make a storm; 0: 100 */
	unsigned pending_max;	/* unmaps awaiting an invalidation; 0: 4096 (the
				 * oldest is dropped as unmatched beyond) */
	unsigned track_log2;	/* IOVAs tracked: 4 << track_log2; 0: 14 (65536) */
};

/* 0, or -VTD_ENOMEM / -VTD_EINVAL (track_log2 > 24). */
VTD_API int vtd_tstat_new(const struct vtd_tstat_opts *o, struct vtd_tstat **out,
			  struct vtd_error *err);
VTD_API void vtd_tstat_free(struct vtd_tstat *s);
/* Forget everything fed so far (the options stay). */
VTD_API void vtd_tstat_reset(struct vtd_tstat *s);

/*
 * Account one event.  Events should come in time order; one without a time
 * stamp takes the last time seen.  Never fails: what no table has room for
 * lands in an "other" bucket or a dropped count.
 */
VTD_API void vtd_tstat_feed(struct vtd_tstat *s, const struct vtd_event *ev);

/* Lines the reader could not parse (the statistics report them). */
VTD_API void vtd_tstat_add_bad(struct vtd_tstat *s, uint64_t n);

/*
 * Rates per second of [start_ns, end_ns) instead of the time from the first
 * to the last stamp: the statistics of one window (vtd-top's frames), where
 * two faults a millisecond apart are two faults a second, not 2000.  Reset
 * forgets it.
 */
VTD_API void vtd_tstat_span(struct vtd_tstat *s, uint64_t start_ns, uint64_t end_ns);

/* ---- scalar metrics: one table drives reports, thresholds and comparisons ---- */

enum vtd_tstat_unit {
	VTD_TU_COUNT = 1,	/* events, entries */
	VTD_TU_NS,		/* a duration */
	VTD_TU_RATIO,		/* 0..1 */
	VTD_TU_RATE,		/* per second of trace time */
	VTD_TU_BYTES,
};

struct vtd_tstat_metric {
	const char *name;	/* "faults", "inv.domain_share", "unmap_to_inv.p99" */
	uint8_t unit;		/* enum vtd_tstat_unit */
	const char *help;
};

VTD_API unsigned vtd_tstat_nmetrics(void);
VTD_API const struct vtd_tstat_metric *vtd_tstat_metric_at(unsigned i);
/* The index of a metric by name; -1 when there is none. */
VTD_API int vtd_tstat_metric_find(const char *name);
/* Its value now (a percentile of nothing is 0). */
VTD_API double vtd_tstat_value(const struct vtd_tstat *s, unsigned i);

enum vtd_tstat_mode {
	VTD_TMODE_UNKNOWN = 0, VTD_TMODE_STRICT, VTD_TMODE_LAZY, VTD_TMODE_MIXED,
};
VTD_API int vtd_tstat_mode(const struct vtd_tstat *s);
VTD_API const char *vtd_tstat_mode_name(int mode);	/* "strict", "lazy", ... */

/* ---- keyed tables (capped: the rest is in one "other" row, key empty) ---- */

struct vtd_tstat_fault {
	char device[32];	/* "00:03.0" or the device's name; "" for other */
	uint16_t sid;
	uint8_t has_sid, has_pasid;
	uint32_t pasid;
	uint16_t reason;
	uint8_t access;		/* VTD_EVA_* */
	uint8_t kind;		/* VTD_EV_DMA_FAULT or VTD_EV_IR_FAULT */
	uint64_t page;		/* address & ~0xfff (IR faults: the index) */
	uint64_t count, first_ns, last_ns;
};

struct vtd_tstat_key {		/* a fault device or reason, a domain or PASID */
	char name[32];		/* device, "0x05", "did 6", "pasid 0"; "" for other */
	uint64_t n;		/* faults, or invalidations */
	uint64_t page, wide;	/* invalidations: page-selective, domain-wide */
	uint64_t first_ns, last_ns;
};

enum vtd_tstat_table { VTD_TT_FAULT_DEVICE, VTD_TT_FAULT_REASON, VTD_TT_INV_DID, VTD_TT_INV_PASID };

/*
 * The name a fault's device is counted under: "bb:dd.f" from the source
 * id, or from a segment-0 PCI name, else the name the line gave ("?").
 */
VTD_API void vtd_tstat_device_name(const struct vtd_event *ev, char *b, size_t n);

/* Distinct faults, in first-seen order; the last may be "other". */
VTD_API size_t vtd_tstat_faults(const struct vtd_tstat *s, const struct vtd_tstat_fault **v);
/* A keyed table, in first-seen order. */
VTD_API size_t vtd_tstat_table(const struct vtd_tstat *s, int table,
			       const struct vtd_tstat_key **v);

/* Invalidations of one type and granularity (enum vtd_inv_type, vtd_inv_gran; 0 unknown). */
VTD_API uint64_t vtd_tstat_inv(const struct vtd_tstat *s, int type, int gran);
/* Page-selective invalidations of 2^am pages, am 0..63. */
VTD_API uint64_t vtd_tstat_inv_am(const struct vtd_tstat *s, unsigned am);

/* ---- distributions, for histograms on screen ---- */

enum vtd_tstat_dist {
	VTD_TD_UNMAP_TO_INV = 1,	/* ns from an unmap to the invalidation covering it */
	VTD_TD_LIFETIME,		/* ns from a map to its unmap */
	VTD_TD_REUSE,			/* ns from an IOVA's unmap to its next map */
	VTD_TD_PAGE_BYTES,		/* bytes of a page-selective invalidation */
};

#define VTD_TSTAT_LOG2_N 65
/*
 * A distribution in powers of two: out[0] counts the values 0, out[i] those
 * in [2^(i-1), 2^i).  The total is the distribution's count.
 */
VTD_API void vtd_tstat_dist_log2(const struct vtd_tstat *s, int which,
				 uint64_t out[VTD_TSTAT_LOG2_N]);

#endif
