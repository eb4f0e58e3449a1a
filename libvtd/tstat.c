/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- trace statistics: the aggregator, and the metrics it answers */
#include <stdlib.h>
#include <string.h>

#include "tstat-internal.h"

int vtd_tstat_new(const struct vtd_tstat_opts *o, struct vtd_tstat **out, struct vtd_error *err)
{
	struct vtd_tstat_opts d = o ? *o : (struct vtd_tstat_opts){ 0 };
	struct vtd_tstat *s;

	*out = NULL;
	if (d.track_log2 > 24)
		return vtd_fail(err, VTD_EINVAL, "tracking 4 << %u IOVAs is too many", d.track_log2);
	d.window_ns = d.window_ns ? d.window_ns : 1000000000ull;
	d.storm_faults = d.storm_faults ? d.storm_faults : 100;
	d.pending_max = d.pending_max ? d.pending_max : 4096;
	d.track_log2 = d.track_log2 ? d.track_log2 : 14;
	/*
	 * calloc and align by hand rather than aligned_alloc and memset: the
	 * pages of a large calloc stay untouched, and out of the RSS, until
	 * IOVAs land in them.
	 */
	if (!(s = calloc(1, sizeof(*s))) ||
	    !(s->pend = calloc(d.pending_max, sizeof(*s->pend))) ||
	    !(s->iova_mem = calloc((4ull << d.track_log2) * sizeof(*s->iova) + TS_IOVA_ALIGN - 1,
				   1))) {
		vtd_tstat_free(s);
		return vtd_fail(err, VTD_ENOMEM, "out of memory for the trace statistics");
	}
	s->iova = (struct ts_iova *)(((uintptr_t)s->iova_mem + TS_IOVA_ALIGN - 1) &
				     ~(uintptr_t)(TS_IOVA_ALIGN - 1));
	s->o = d;
	*out = s;
	return 0;
}

void vtd_tstat_free(struct vtd_tstat *s)
{
	if (!s)
		return;
	free(s->pend);
	free(s->iova_mem);
	free(s);
}

void vtd_tstat_reset(struct vtd_tstat *s)
{
	struct vtd_tstat_opts o = s->o;
	struct ts_pending *p = s->pend;
	struct ts_iova *v = s->iova;
	void *vm = s->iova_mem;

	memset(s, 0, sizeof(*s));
	memset(v, 0, (4ull << o.track_log2) * sizeof(*v));
	s->o = o;
	s->pend = p;
	s->iova = v;
	s->iova_mem = vm;
}

void vtd_tstat_add_bad(struct vtd_tstat *s, uint64_t n)
{
	s->bad += n;
}

void vtd_tstat_span(struct vtd_tstat *s, uint64_t start_ns, uint64_t end_ns)
{
	s->span_ns = end_ns > start_ns ? end_ns - start_ns : 0;
}

void vtd_tstat_feed(struct vtd_tstat *s, const struct vtd_event *ev)
{
	uint64_t ts = s->last_ns;

	if (ev->has & VTD_EVH_TS) {
		ts = ev->ts_ns;
		if (!s->have_ts)
			s->first_ns = ts;
		s->have_ts = 1;
		/* Out-of-order stamps (CPUs' buffers interleaved) never run time backwards. */
		if (ts > s->last_ns)
			s->last_ns = ts;
	}
	s->events++;
	switch (ev->kind) {
	case VTD_EV_DMA_FAULT:
	case VTD_EV_IR_FAULT:
		vtd__tstat_fault(s, ev, ts);
		break;
	case VTD_EV_FAULT_REC: s->fault_recs++; break;
	case VTD_EV_PAGE_REQ: s->page_reqs++; break;
	case VTD_EV_INV: vtd__tstat_inv(s, ev, ts); break;
	case VTD_EV_MAP: vtd__tstat_map(s, ev, ts); break;
	case VTD_EV_UNMAP: vtd__tstat_unmap(s, ev, ts); break;
	case VTD_EV_TRANSLATE:
	case VTD_EV_IOTLB_HIT:
		if ((ev->has & VTD_EVH_ADDR) && vtd__tstat_in_window(s, ev->addr))
			s->stale_dma++;
		break;
	}
}

/* ---- metrics ---------------------------------------------------------------------- */

enum m {
	M_EVENTS, M_DURATION, M_BAD,
	M_FAULTS, M_FAULTS_DMA, M_FAULTS_IR, M_FAULTS_DISTINCT, M_FAULTS_DEVICES, M_FAULTS_RATE,
	M_FAULTS_PEAK, M_FAULTS_STORMS, M_FAULT_RECS, M_PAGE_REQS,
	M_INV, M_INV_RATE, M_INV_IOTLB, M_INV_PAGE, M_INV_WIDE, M_INV_GLOBAL, M_INV_CC,
	M_INV_DEVTLB, M_INV_IEC, M_INV_PC, M_INV_WAIT, M_INV_SHARE, M_INV_PER_UNMAP,
	M_INV_PB_MEAN, M_INV_PB_MAX, M_INV_DIDS,
	M_U2I_N, M_U2I_P50, M_U2I_P90, M_U2I_P99, M_U2I_MAX, M_U2I_MEAN, M_U2I_PAGE,
	M_U2I_WIDE, M_U2I_PENDING, M_U2I_DROPPED,
	M_STRICT, M_LAZY, M_STALE_DMA, M_STALE_FAULTS,
	M_MAP, M_UNMAP, M_MAP_RATE, M_LIVE_PEAK, M_LIVE_END, M_BYTES_PEAK, M_BYTES_END,
	M_LIFE_N, M_LIFE_P50, M_LIFE_P99, M_LIFE_MAX, M_REUSE_N, M_REUSE_P50, M_REUSE_P99,
	M_REUSE_MAPS_P50, M_REUSE_MAPS_P99, M_UNTRACKED,
	M_N
};

static const struct vtd_tstat_metric metrics[M_N] = {
	[M_EVENTS] = { "events", VTD_TU_COUNT, "events read" },
	[M_DURATION] = { "duration", VTD_TU_NS, "time from the first to the last time stamp" },
	[M_BAD] = { "bad_lines", VTD_TU_COUNT, "lines that looked like events but did not parse" },
	[M_FAULTS] = { "faults", VTD_TU_COUNT, "DMA- and interrupt-remapping faults" },
	[M_FAULTS_DMA] = { "faults.dma", VTD_TU_COUNT, "DMA-remapping faults" },
	[M_FAULTS_IR] = { "faults.ir", VTD_TU_COUNT, "interrupt-remapping faults" },
	[M_FAULTS_DISTINCT] = { "faults.distinct", VTD_TU_COUNT,
				"distinct faults (device, PASID, reason, access, page)" },
	[M_FAULTS_DEVICES] = { "faults.devices", VTD_TU_COUNT, "devices that faulted" },
	[M_FAULTS_RATE] = { "faults.rate", VTD_TU_RATE, "faults per second over the trace" },
	[M_FAULTS_PEAK] = { "faults.peak_rate", VTD_TU_RATE,
			    "faults per second in the busiest window" },
	[M_FAULTS_STORMS] = { "faults.storms", VTD_TU_COUNT,
			      "windows with at least the storm threshold of faults" },
	[M_FAULT_RECS] = { "fault_records", VTD_TU_COUNT,
			   "faults written to fault recording registers (QEMU vtd_frr_new)" },
	[M_PAGE_REQS] = { "page_requests", VTD_TU_COUNT, "page requests" },
	[M_INV] = { "inv", VTD_TU_COUNT, "invalidation descriptors (not waits)" },
	[M_INV_RATE] = { "inv.rate", VTD_TU_RATE, "invalidations per second" },
	[M_INV_IOTLB] = { "inv.iotlb", VTD_TU_COUNT, "IOTLB and PASID-IOTLB invalidations" },
	[M_INV_PAGE] = { "inv.page", VTD_TU_COUNT, "page-selective IOTLB invalidations" },
	[M_INV_WIDE] = { "inv.domain", VTD_TU_COUNT,
			 "domain-wide IOTLB invalidations (domain, PASID or global)" },
	[M_INV_GLOBAL] = { "inv.global", VTD_TU_COUNT, "global IOTLB invalidations" },
	[M_INV_CC] = { "inv.cc", VTD_TU_COUNT, "context-cache invalidations" },
	[M_INV_DEVTLB] = { "inv.devtlb", VTD_TU_COUNT, "device-TLB invalidations (with PASID)" },
	[M_INV_IEC] = { "inv.iec", VTD_TU_COUNT, "interrupt-entry-cache invalidations" },
	[M_INV_PC] = { "inv.pc", VTD_TU_COUNT, "PASID-cache invalidations" },
	[M_INV_WAIT] = { "inv.wait", VTD_TU_COUNT, "invalidation wait descriptors" },
	[M_INV_SHARE] = { "inv.domain_share", VTD_TU_RATIO,
			  "share of IOTLB invalidations that are domain-wide" },
	[M_INV_PER_UNMAP] = { "inv.per_unmap", VTD_TU_COUNT, "IOTLB invalidations per unmap" },
	[M_INV_PB_MEAN] = { "inv.page_bytes.mean", VTD_TU_BYTES,
			    "mean range of a page-selective invalidation" },
	[M_INV_PB_MAX] = { "inv.page_bytes.max", VTD_TU_BYTES,
			   "largest range of a page-selective invalidation" },
	[M_INV_DIDS] = { "inv.domains", VTD_TU_COUNT, "domain ids invalidated" },
	[M_U2I_N] = { "unmap_to_inv.count", VTD_TU_COUNT, "unmaps an invalidation covered" },
	[M_U2I_P50] = { "unmap_to_inv.p50", VTD_TU_NS, "median unmap-to-invalidation latency" },
	[M_U2I_P90] = { "unmap_to_inv.p90", VTD_TU_NS, "90th percentile of that latency" },
	[M_U2I_P99] = { "unmap_to_inv.p99", VTD_TU_NS, "99th percentile of that latency" },
	[M_U2I_MAX] = { "unmap_to_inv.max", VTD_TU_NS, "longest unmap-to-invalidation latency" },
	[M_U2I_MEAN] = { "unmap_to_inv.mean", VTD_TU_NS, "mean unmap-to-invalidation latency" },
	[M_U2I_PAGE] = { "unmap_to_inv.by_page", VTD_TU_COUNT,
			 "unmaps covered by a page-selective invalidation" },
	[M_U2I_WIDE] = { "unmap_to_inv.by_domain", VTD_TU_COUNT,
			 "unmaps covered by a domain-wide flush" },
	[M_U2I_PENDING] = { "unmap_to_inv.pending", VTD_TU_COUNT,
			    "unmaps no invalidation covered by the end of the trace" },
	[M_U2I_DROPPED] = { "unmap_to_inv.dropped", VTD_TU_COUNT,
			    "unmaps given up on (more pending than the table holds)" },
	[M_STRICT] = { "strict", VTD_TU_COUNT, "1 when the trace shows strict invalidation" },
	[M_LAZY] = { "lazy", VTD_TU_COUNT, "1 when the trace shows lazy (deferred) invalidation" },
	[M_STALE_DMA] = { "stale.dma", VTD_TU_COUNT,
			  "DMA translated at an unmapped IOVA before its invalidation" },
	[M_STALE_FAULTS] = { "stale.faults", VTD_TU_COUNT,
			     "faults at an unmapped IOVA before its invalidation" },
	[M_MAP] = { "map", VTD_TU_COUNT, "map events" },
	[M_UNMAP] = { "unmap", VTD_TU_COUNT, "unmap events" },
	[M_MAP_RATE] = { "map.rate", VTD_TU_RATE, "maps per second" },
	[M_LIVE_PEAK] = { "live.peak", VTD_TU_COUNT, "most mappings live at once (maps - unmaps)" },
	[M_LIVE_END] = { "live.end", VTD_TU_COUNT, "mappings live at the end" },
	[M_BYTES_PEAK] = { "live.bytes_peak", VTD_TU_BYTES, "most bytes mapped at once" },
	[M_BYTES_END] = { "live.bytes_end", VTD_TU_BYTES, "bytes mapped at the end" },
	[M_LIFE_N] = { "lifetime.count", VTD_TU_COUNT, "mappings seen from map to unmap" },
	[M_LIFE_P50] = { "lifetime.p50", VTD_TU_NS, "median mapping lifetime" },
	[M_LIFE_P99] = { "lifetime.p99", VTD_TU_NS, "99th percentile of mapping lifetimes" },
	[M_LIFE_MAX] = { "lifetime.max", VTD_TU_NS, "longest mapping lifetime" },
	[M_REUSE_N] = { "reuse.count", VTD_TU_COUNT, "maps of an IOVA unmapped before" },
	[M_REUSE_P50] = { "reuse.p50", VTD_TU_NS, "median time from unmap to the IOVA's next map" },
	[M_REUSE_P99] = { "reuse.p99", VTD_TU_NS, "99th percentile of that time" },
	[M_REUSE_MAPS_P50] = { "reuse.maps.p50", VTD_TU_COUNT,
			       "median maps between an IOVA's unmap and its next map" },
	[M_REUSE_MAPS_P99] = { "reuse.maps.p99", VTD_TU_COUNT, "99th percentile of those maps" },
	[M_UNTRACKED] = { "untracked", VTD_TU_COUNT,
			  "unmaps of IOVAs whose map the trace did not show (or the table forgot)" },
};

unsigned vtd_tstat_nmetrics(void)
{
	return M_N;
}

const struct vtd_tstat_metric *vtd_tstat_metric_at(unsigned i)
{
	return i < M_N ? &metrics[i] : NULL;
}

int vtd_tstat_metric_find(const char *name)
{
	for (int i = 0; i < M_N; i++)
		if (!strcmp(metrics[i].name, name))
			return i;
	return -1;
}

static uint64_t inv_sum(const struct vtd_tstat *s, int type, int gran)
{
	uint64_t n = 0;

	for (int t = 0; t < VTD_INV_TYPE_N; t++)
		for (int g = 0; g < VTD_GRAN_N; g++)
			if ((type < 0 || t == type) && (gran < 0 || g == gran))
				n += s->inv[t][g];
	return n;
}

static uint64_t iotlb(const struct vtd_tstat *s, int gran)
{
	return inv_sum(s, VTD_INV_IOTLB, gran) + inv_sum(s, VTD_INV_PIOTLB, gran);
}

static double per(double a, double b)
{
	return b > 0 ? a / b : 0;
}

int vtd_tstat_mode(const struct vtd_tstat *s)
{
	uint64_t n = s->by_page + s->by_wide;

	if (!n)
		return VTD_TMODE_UNKNOWN;
	if (s->by_page * 10 >= n * 9)
		return VTD_TMODE_STRICT;
	if (s->by_wide * 2 >= n)
		return VTD_TMODE_LAZY;
	return VTD_TMODE_MIXED;
}

const char *vtd_tstat_mode_name(int mode)
{
	static const char *const n[] = { "unknown", "strict", "lazy", "mixed" };

	return mode >= 0 && mode < 4 ? n[mode] : "unknown";
}

double vtd_tstat_value(const struct vtd_tstat *s, unsigned i)
{
	double secs = (double)(s->span_ns ? s->span_ns : s->last_ns - s->first_ns) / 1e9;
	uint64_t page = iotlb(s, VTD_GRAN_PAGE);
	uint64_t wide = iotlb(s, VTD_GRAN_DOMAIN) + iotlb(s, VTD_GRAN_PASID) +
			iotlb(s, VTD_GRAN_GLOBAL);

	switch ((enum m)i) {
	case M_EVENTS: return (double)s->events;
	case M_DURATION: return (double)(s->last_ns - s->first_ns);
	case M_BAD: return (double)s->bad;
	case M_FAULTS: return (double)(s->faults_dma + s->faults_ir);
	case M_FAULTS_DMA: return (double)s->faults_dma;
	case M_FAULTS_IR: return (double)s->faults_ir;
	case M_FAULTS_DISTINCT: return (double)s->nfault;
	case M_FAULTS_DEVICES: return (double)s->fdev.n;
	case M_FAULTS_RATE: return per((double)(s->faults_dma + s->faults_ir), secs);
	case M_FAULTS_PEAK: return (double)s->peak_win * 1e9 / (double)s->o.window_ns;
	case M_FAULTS_STORMS: return (double)vtd__tstat_storms(s);
	case M_FAULT_RECS: return (double)s->fault_recs;
	case M_PAGE_REQS: return (double)s->page_reqs;
	case M_INV: return (double)(inv_sum(s, -1, -1) - inv_sum(s, VTD_INV_WAIT, -1) -
				    inv_sum(s, VTD_INV_PGRP_RESP, -1));
	case M_INV_RATE: return per(vtd_tstat_value(s, M_INV), secs);
	case M_INV_IOTLB: return (double)iotlb(s, -1);
	case M_INV_PAGE: return (double)page;
	case M_INV_WIDE: return (double)wide;
	case M_INV_GLOBAL: return (double)iotlb(s, VTD_GRAN_GLOBAL);
	case M_INV_CC: return (double)inv_sum(s, VTD_INV_CC, -1);
	case M_INV_DEVTLB: return (double)(inv_sum(s, VTD_INV_DEVTLB, -1) +
					   inv_sum(s, VTD_INV_PDEVTLB, -1));
	case M_INV_IEC: return (double)inv_sum(s, VTD_INV_IEC, -1);
	case M_INV_PC: return (double)inv_sum(s, VTD_INV_PC, -1);
	case M_INV_WAIT: return (double)inv_sum(s, VTD_INV_WAIT, -1);
	case M_INV_SHARE: return per((double)wide, (double)(page + wide));
	case M_INV_PER_UNMAP: return per((double)(page + wide), (double)s->unmaps);
	case M_INV_PB_MEAN: return per(s->page_bytes.sum, (double)s->page_bytes.n);
	case M_INV_PB_MAX: return (double)s->page_bytes.max;
	case M_INV_DIDS: return (double)s->did.n;
	case M_U2I_N: return (double)s->lat.n;
	case M_U2I_P50: return (double)vtd__hist_pct(&s->lat, 50);
	case M_U2I_P90: return (double)vtd__hist_pct(&s->lat, 90);
	case M_U2I_P99: return (double)vtd__hist_pct(&s->lat, 99);
	case M_U2I_MAX: return (double)s->lat.max;
	case M_U2I_MEAN: return per(s->lat.sum, (double)s->lat.n);
	case M_U2I_PAGE: return (double)s->by_page;
	case M_U2I_WIDE: return (double)s->by_wide;
	case M_U2I_PENDING: return (double)s->pn;
	case M_U2I_DROPPED: return (double)s->dropped;
	case M_STRICT: return vtd_tstat_mode(s) == VTD_TMODE_STRICT;
	case M_LAZY: return vtd_tstat_mode(s) == VTD_TMODE_LAZY;
	case M_STALE_DMA: return (double)s->stale_dma;
	case M_STALE_FAULTS: return (double)s->stale_faults;
	case M_MAP: return (double)s->maps;
	case M_UNMAP: return (double)s->unmaps;
	case M_MAP_RATE: return per((double)s->maps, secs);
	case M_LIVE_PEAK: return (double)s->live_peak;
	case M_LIVE_END: return (double)s->live;
	case M_BYTES_PEAK: return (double)s->bytes_peak;
	case M_BYTES_END: return (double)s->bytes;
	case M_LIFE_N: return (double)s->life.n;
	case M_LIFE_P50: return (double)vtd__hist_pct(&s->life, 50);
	case M_LIFE_P99: return (double)vtd__hist_pct(&s->life, 99);
	case M_LIFE_MAX: return (double)s->life.max;
	case M_REUSE_N: return (double)s->reuse.n;
	case M_REUSE_P50: return (double)vtd__hist_pct(&s->reuse, 50);
	case M_REUSE_P99: return (double)vtd__hist_pct(&s->reuse, 99);
	case M_REUSE_MAPS_P50: return (double)vtd__hist_pct(&s->reuse_maps, 50);
	case M_REUSE_MAPS_P99: return (double)vtd__hist_pct(&s->reuse_maps, 99);
	case M_UNTRACKED: return (double)s->untracked;
	case M_N: break;
	}
	return 0;
}

size_t vtd_tstat_faults(const struct vtd_tstat *s, const struct vtd_tstat_fault **v)
{
	*v = s->fault;
	return s->nfault;
}

size_t vtd_tstat_table(const struct vtd_tstat *s, int table, const struct vtd_tstat_key **v)
{
	const struct ts_keys *k = table == VTD_TT_FAULT_DEVICE ? &s->fdev :
				  table == VTD_TT_FAULT_REASON ? &s->freason :
				  table == VTD_TT_INV_DID ? &s->did : &s->pasid;

	*v = k->v;
	return k->n;
}

uint64_t vtd_tstat_inv(const struct vtd_tstat *s, int type, int gran)
{
	return type >= 0 && type < VTD_INV_TYPE_N && gran >= 0 && gran < VTD_GRAN_N
		       ? s->inv[type][gran] : 0;
}

uint64_t vtd_tstat_inv_am(const struct vtd_tstat *s, unsigned am)
{
	return am < 64 ? s->am[am] : 0;
}
