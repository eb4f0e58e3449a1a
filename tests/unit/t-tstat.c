/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests of the trace statistics: the real traces of tests/data/traces
 * (strict and lazy told apart, the provoked faults, invalidations counted
 * against grep), and by hand: percentiles, unmap-invalidation matching,
 * stale windows, storms, churn, the caps and the metric table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "tap.h"
#include "tstat.h"

#define DATA "tests/data/traces/"

static double val(const struct vtd_tstat *s, const char *name)
{
	int i = vtd_tstat_metric_find(name);

	if (i < 0) {
		printf("# no metric '%s'\n", name);
		return -1;
	}
	return vtd_tstat_value(s, (unsigned)i);
}

#define is_metric(s, name, want, scen) \
	is_u64((uint64_t)val(s, name), (uint64_t)(want), "%s: %s", scen, name)

/* A rate, to a millionth (is_metric would take 2.86 for 2). */
#define is_rate(s, name, want, scen) \
	ok(val(s, name) > (want) - 1e-6 && val(s, name) < (want) + 1e-6, "%s: %s is %g", scen, \
	   name, val(s, name))

static struct vtd_tstat *new_stat(const struct vtd_tstat_opts *o)
{
	struct vtd_tstat *s;
	struct vtd_error e = { 0 };

	if (vtd_tstat_new(o, &s, &e)) {
		printf("# %s\n", e.msg);
		exit(1);
	}
	return s;
}

/* Feed the files one after the other (dmesg and ftrace share the uptime clock). */
static int feed_files(struct vtd_tstat *s, const char *const *files)
{
	for (; *files; files++) {
		struct vtd_trace *t;
		struct vtd_event ev;
		struct vtd_error e = { 0 };
		int rc;

		if ((rc = vtd_trace_open(*files, NULL, &t, &e)) < 0) {
			printf("# %s: %s\n", *files, e.msg);
			return rc;
		}
		while ((rc = vtd_trace_next(t, &ev, &e)) > 0)
			vtd_tstat_feed(s, &ev);
		vtd_trace_close(t);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* faults.txt: "FAULT dir=write iova=0x12340000 count=256 bdf=0000:00:03.0 uptime=12.24" */
static void check_provoked(const struct vtd_tstat *s, const char *faults, const char *scen)
{
	const struct vtd_tstat_fault *f;
	size_t nf = vtd_tstat_faults(s, &f);
	const struct vtd_tstat_key *r;
	size_t nr = vtd_tstat_table(s, VTD_TT_FAULT_REASON, &r);
	FILE *in = fopen(faults, "r");
	char l[256], dirw[16], bdf[32];
	unsigned long long iova;
	size_t n = 0;

	ok(in != NULL, "%s: %s opens", scen, faults);
	while (in && fgets(l, sizeof(l), in)) {
		if (sscanf(l, "FAULT dir=%15s iova=%llx count=%*u bdf=%31s", dirw, &iova, bdf) != 3)
			continue;
		/* edu writing without write permission: 0x05, reading without read: 0x06 */
		unsigned reason = strcmp(dirw, "write") ? 0x06 : 0x05;
		char rname[8];
		int found = 0;

		snprintf(rname, sizeof(rname), "0x%02x", reason);
		for (size_t i = 0; i < nf; i++)
			found += f[i].page == iova && f[i].reason == reason && f[i].count == 1 &&
				 !strcmp(f[i].device, bdf + 5) &&
				 f[i].access == (reason == 5 ? VTD_EVA_WRITE : VTD_EVA_READ);
		is_u64(found, 1, "%s: the %s fault at %#llx is one distinct fault", scen, dirw, iova);
		found = 0;
		for (size_t i = 0; i < nr; i++)
			found += !strcmp(r[i].name, rname) && r[i].n == 1;
		is_u64(found, 1, "%s: reason %s counted once", scen, rname);
		n++;
	}
	if (in)
		fclose(in);
	is_u64(nf, n, "%s: as many distinct faults as provoked", scen);
	is_metric(s, "faults", n, scen);
	nr = vtd_tstat_table(s, VTD_TT_FAULT_DEVICE, &r);
	ok(nr == 1 && !strcmp(r[0].name, "00:03.0") && r[0].n == n,
	   "%s: every fault is edu's (00:03.0)", scen);
}

/*
 * What grep says of the uncompressed ftrace files:
 *   map   grep -c ' map: IOMMU:'     unmap  grep -c ' unmap: IOMMU:'
 *   inv   grep -c ' qi_submit: '     iec    grep -c 'iec_inv'   cc grep -c 'cc_inv'
 *   page  grep -cE 'iotlb_inv dmar0: 0x[0-9a-f]*[37bf]2 '   (IOTLB G=3)
 *   dom   grep -cE 'iotlb_inv dmar0: 0x[0-9a-f]*[26ae]2 '   (G=2)
 *   glob  grep -cE 'iotlb_inv dmar0: 0x[0-9a-f]*[15d9]2 '   (G=1)
 */
/* One real scenario: its files, its mode, and metrics as grep counts them. */
struct scenario {
	const char *name;
	const char *files[3];
	const char *mode;
	struct {
		const char *metric;
		uint64_t want;
	} m[12];
};

static const struct scenario scenarios[] = {
	{ "legacy-strict", { DATA "legacy-strict.dmesg.txt", DATA "legacy-strict.ftrace.txt.gz" },
	  "strict",
	  { { "map", 865 }, { "unmap", 247 }, { "inv", 299 }, { "inv.iec", 50 }, { "inv.cc", 1 },
	    { "inv.page", 247 }, { "inv.domain", 1 }, { "inv.global", 1 },
	    { "unmap_to_inv.by_page", 247 }, { "unmap_to_inv.pending", 0 }, { "lazy", 0 } } },
	{ "scalable-lazy", { DATA "scalable-lazy.dmesg.txt.gz", DATA "scalable-lazy.ftrace.txt.zst" },
	  "lazy",
	  { { "map", 811 }, { "unmap", 183 }, { "inv", 91 }, { "inv.iec", 50 }, { "inv.cc", 1 },
	    { "inv.pc", 1 }, { "inv.page", 0 }, { "inv.domain", 39 }, { "inv.global", 1 },
	    { "unmap_to_inv.by_page", 0 }, { "strict", 0 } } },
};

static struct vtd_tstat *run_scenario(const struct scenario *sc)
{
	struct vtd_tstat *s = new_stat(NULL);
	char faults[128];

	ok(!feed_files(s, sc->files), "%s: read", sc->name);
	is_str(vtd_tstat_mode_name(vtd_tstat_mode(s)), sc->mode, "%s: %s mode", sc->name, sc->mode);
	snprintf(faults, sizeof(faults), DATA "%s.faults.txt", sc->name);
	check_provoked(s, faults, sc->name);
	for (size_t i = 0; i < VTD_NELEM(sc->m) && sc->m[i].metric; i++)
		is_metric(s, sc->m[i].metric, sc->m[i].want, sc->name);
	return s;
}

static void test_real(void)
{
	struct vtd_tstat *s = run_scenario(&scenarios[0]), *l = run_scenario(&scenarios[1]);
	const struct vtd_tstat_key *k;
	size_t nk;

	/* Strict: the invalidation follows its unmap within the same call. */
	ok(val(s, "unmap_to_inv.p99") < 1e6, "legacy-strict: unmap-to-invalidation p99 < 1 ms (%.0f ns)",
	   val(s, "unmap_to_inv.p99"));
	/* am: the low 6 bits of qw1 (the fourth word of the line) */
	is_u64(vtd_tstat_inv_am(s, 0), 110, "legacy-strict: 110 invalidations of 4 KiB");
	is_u64(vtd_tstat_inv_am(s, 5), 131, "legacy-strict: 131 of 128 KiB");
	/* DID: bits 31:16 of qw0, 0x400f2 0x500f2 0x600f2 */
	nk = vtd_tstat_table(s, VTD_TT_INV_DID, &k);
	for (unsigned d = 4; d <= 6; d++) {
		static const uint64_t want[] = { 26, 71, 150 };
		char name[16];
		uint64_t got = 0;

		snprintf(name, sizeof(name), "did %u", d);
		for (size_t i = 0; i < nk; i++)
			if (!strcmp(k[i].name, name))
				got = k[i].page;
		is_u64(got, want[d - 4], "legacy-strict: page-selective invalidations of %s", name);
	}

	ok(val(l, "inv.domain_share") == 1.0, "scalable-lazy: every IOTLB invalidation domain-wide");
	/* Lazy: the IOVAs stay in the IOTLB until the flush queue's timer (10 ms). */
	ok(val(l, "unmap_to_inv.p50") > 20 * val(s, "unmap_to_inv.p50"),
	   "scalable-lazy: stale window far longer than strict's (%.0f vs %.0f ns)",
	   val(l, "unmap_to_inv.p50"), val(s, "unmap_to_inv.p50"));
	ok(val(l, "unmap_to_inv.by_domain") + val(l, "unmap_to_inv.pending") == 183,
	   "scalable-lazy: every unmap flushed by a domain flush or still pending");
	vtd_tstat_free(s);
	vtd_tstat_free(l);
}

/* ---- by hand ----------------------------------------------------------------------- */

static void ev_at(struct vtd_tstat *s, int kind, uint64_t ts, uint64_t addr, uint64_t size)
{
	struct vtd_event ev = { .kind = (uint16_t)kind, .has = VTD_EVH_TS | VTD_EVH_ADDR,
				.ts_ns = ts, .addr = addr, .size = size };

	if (size)
		ev.has |= VTD_EVH_SIZE;
	vtd_tstat_feed(s, &ev);
}

static void inv_at(struct vtd_tstat *s, uint64_t ts, int type, int gran, uint64_t addr,
		   unsigned am, uint16_t did)
{
	struct vtd_event ev = { .kind = VTD_EV_INV, .has = VTD_EVH_TS | VTD_EVH_DID,
				.ts_ns = ts, .inv_type = (uint8_t)type, .inv_gran = (uint8_t)gran,
				.addr = addr, .am = (uint8_t)am, .did = did };

	vtd_tstat_feed(s, &ev);
}

static void fault_at(struct vtd_tstat *s, uint64_t ts, uint16_t sid, uint64_t addr,
		     uint16_t reason)
{
	struct vtd_event ev = { .kind = VTD_EV_DMA_FAULT, .ts_ns = ts, .sid = sid, .addr = addr,
				.reason = reason, .access = VTD_EVA_READ,
				.has = VTD_EVH_TS | VTD_EVH_SID | VTD_EVH_ADDR | VTD_EVH_REASON };

	vtd_tstat_feed(s, &ev);
}

static void test_percentiles(void)
{
	struct vtd_tstat *s = new_stat(NULL);

	is_metric(s, "unmap_to_inv.p99", 0, "empty");
	is_str(vtd_tstat_mode_name(vtd_tstat_mode(s)), "unknown", "empty: mode unknown");
	/* Latencies 1..1000 us, each unmap invalidated page by page. */
	for (uint64_t i = 1; i <= 1000; i++) {
		ev_at(s, VTD_EV_UNMAP, i * 10000000, i << 12, 4096);
		inv_at(s, i * 10000000 + i * 1000, VTD_INV_IOTLB, VTD_GRAN_PAGE, i << 12, 0, 1);
	}
	double p50 = val(s, "unmap_to_inv.p50"), p99 = val(s, "unmap_to_inv.p99");

	ok(p50 >= 500000 * 0.875 && p50 <= 500000 * 1.125, "p50 within 12.5%% (%.0f)", p50);
	ok(p99 >= 990000 * 0.875 && p99 <= 1000000, "p99 within 12.5%% (%.0f)", p99);
	is_metric(s, "unmap_to_inv.max", 1000000, "percentiles");
	is_metric(s, "unmap_to_inv.mean", 500500, "percentiles");
	is_str(vtd_tstat_mode_name(vtd_tstat_mode(s)), "strict", "page by page: strict");
	vtd_tstat_free(s);
}

static void test_matching(void)
{
	struct vtd_tstat *s = new_stat(NULL);

	/* 0x1000-0x2fff unmapped; a page invalidation of 0x2000 overlaps it. */
	ev_at(s, VTD_EV_UNMAP, 100, 0x1000, 0x2000);
	ev_at(s, VTD_EV_UNMAP, 110, 0x10000, 0x1000);
	ev_at(s, VTD_EV_UNMAP, 111, 0x30000, 0x1000);
	inv_at(s, 112, VTD_INV_IOTLB, VTD_GRAN_PAGE, 0x30000, 0, 3);
	ev_at(s, VTD_EV_TRANSLATE, 120, 0x1800, 0);		/* inside the window */
	fault_at(s, 125, 0x18, 0x10000, 0x05);			/* inside too */
	inv_at(s, 150, VTD_INV_IOTLB, VTD_GRAN_PAGE, 0x2000, 0, 3);
	is_metric(s, "unmap_to_inv.by_page", 2, "overlap");
	is_metric(s, "unmap_to_inv.max", 50, "overlap: latency");
	inv_at(s, 160, VTD_INV_IOTLB, VTD_GRAN_PAGE, 0x20000, 0, 3);
	is_metric(s, "unmap_to_inv.pending", 1, "no overlap: still pending");
	ev_at(s, VTD_EV_TRANSLATE, 170, 0x1800, 0);		/* after: not stale */
	inv_at(s, 1110, VTD_INV_PIOTLB, VTD_GRAN_PASID, 0, 0, 3);
	is_metric(s, "unmap_to_inv.by_domain", 1, "a PASID-wide flush covers the rest");
	is_metric(s, "unmap_to_inv.max", 1000, "its latency");
	is_metric(s, "stale.dma", 1, "DMA inside the window");
	is_metric(s, "stale.faults", 1, "fault inside the window");
	ok(val(s, "inv.domain_share") == 0.25, "share: one wide in four");
	is_str(vtd_tstat_mode_name(vtd_tstat_mode(s)), "mixed", "two by page, one wide: mixed");
	inv_at(s, 1200, VTD_INV_WAIT, 0, 0, 0, 0);
	is_metric(s, "inv.wait", 1, "waits counted");
	is_metric(s, "inv", 4, "waits are not invalidations");
	vtd_tstat_free(s);

	/* A full pending table gives up on its oldest. */
	struct vtd_tstat_opts o = { .pending_max = 2 };

	s = new_stat(&o);
	for (int i = 0; i < 3; i++)
		ev_at(s, VTD_EV_UNMAP, (uint64_t)i, (uint64_t)i << 12, 4096);
	is_metric(s, "unmap_to_inv.dropped", 1, "pending overflow");
	inv_at(s, 10, VTD_INV_IOTLB, VTD_GRAN_DOMAIN, 0, 0, 1);
	is_metric(s, "unmap_to_inv.by_domain", 2, "the two kept are flushed");
	is_str(vtd_tstat_mode_name(vtd_tstat_mode(s)), "lazy", "domain flushes: lazy");
	vtd_tstat_free(s);
}

static void test_faults(void)
{
	struct vtd_tstat_opts o = { .storm_faults = 3 };
	struct vtd_tstat *s = new_stat(&o);
	const struct vtd_tstat_fault *f;
	const struct vtd_tstat_key *k;
	size_t n;

	fault_at(s, 100000000, 0x18, 0x1234, 5);
	fault_at(s, 200000000, 0x18, 0x1ff8, 5);	/* same page */
	fault_at(s, 300000000, 0x20, 0x1000, 6);
	fault_at(s, 1500000000, 0x18, 0x1000, 5);
	is_metric(s, "faults", 4, "faults");
	is_metric(s, "faults.distinct", 2, "faults: by device, reason and page");
	is_metric(s, "faults.storms", 1, "one window of 3");
	is_metric(s, "faults.peak_rate", 3, "peak: 3 in one second");
	n = vtd_tstat_faults(s, &f);
	ok(n == 2 && f[0].count == 3 && f[0].first_ns == 100000000 && f[0].last_ns == 1500000000 &&
	   f[0].page == 0x1000 && !strcmp(f[0].device, "00:03.0"), "first and last seen");
	n = vtd_tstat_table(s, VTD_TT_FAULT_DEVICE, &k);
	ok(n == 2 && k[0].n == 3 && !strcmp(k[1].name, "00:04.0") && k[1].n == 1, "by device");
	/* 4 faults over 1.4 s of stamps; in a 2 s window, 2 a second */
	is_rate(s, "faults.rate", 4 / 1.4, "rate over the stamps");
	vtd_tstat_span(s, 0, 2000000000);
	is_rate(s, "faults.rate", 2.0, "rate over a given window");
	vtd_tstat_reset(s);
	is_metric(s, "faults", 0, "reset");
	is_metric(s, "faults.storms", 0, "reset: storms");
	fault_at(s, 100000000, 0x18, 0x1234, 5);
	fault_at(s, 100500000, 0x18, 0x1234, 5);
	is_rate(s, "faults.rate", 4000.0, "reset forgets the window: 2 in 0.5 ms");
	vtd_tstat_reset(s);

	/* Past the caps: one "other" row with the rest. */
	for (unsigned i = 0; i < 300; i++)
		fault_at(s, i, (uint16_t)(i % 100), (uint64_t)i << 12, 5);
	n = vtd_tstat_faults(s, &f);
	ok(n == 257 && !f[256].device[0] && f[256].count == 44, "distinct faults capped, other row");
	n = vtd_tstat_table(s, VTD_TT_FAULT_DEVICE, &k);
	ok(n == 65 && !k[64].name[0] && k[64].n == 300 - 64 * 3, "devices capped, other row");
	vtd_tstat_free(s);
}

static void test_churn(void)
{
	struct vtd_tstat_opts o = { .track_log2 = 1 };
	struct vtd_tstat *s = new_stat(&o);

	ev_at(s, VTD_EV_MAP, 0, 0xa000, 4096);
	ev_at(s, VTD_EV_MAP, 5, 0xb000, 8192);
	ev_at(s, VTD_EV_UNMAP, 10, 0xa000, 4096);
	ev_at(s, VTD_EV_MAP, 20, 0xc000, 4096);
	ev_at(s, VTD_EV_MAP, 30, 0xa000, 4096);
	is_metric(s, "lifetime.count", 1, "churn: one lifetime");
	is_metric(s, "lifetime.max", 10, "churn: lifetime");
	is_metric(s, "reuse.p50", 20, "churn: reuse time");
	is_metric(s, "reuse.maps.p50", 1, "churn: one map in between");
	is_metric(s, "live.peak", 3, "churn: live peak");
	is_metric(s, "live.bytes_peak", 4096 * 2 + 8192, "churn: bytes peak");
	ev_at(s, VTD_EV_UNMAP, 40, 0xf0000, 4096);
	is_metric(s, "untracked", 1, "churn: unmap of an unknown map");
	/* Eight buckets' worth of IOVAs through a table of eight: bounded, never wrong. */
	for (uint64_t i = 0; i < 64; i++)
		ev_at(s, VTD_EV_MAP, 100 + i, 0x100000 + (i << 12), 4096);
	for (uint64_t i = 0; i < 64; i++)
		ev_at(s, VTD_EV_UNMAP, 200 + i, 0x100000 + (i << 12), 4096);
	ok(val(s, "lifetime.count") + val(s, "untracked") == 1 + 1 + 64,
	   "churn: every unmap a lifetime or untracked");
	ok(val(s, "lifetime.max") <= 164, "churn: no lifetime from a forgotten map");
	vtd_tstat_free(s);
}

static void test_metrics(void)
{
	unsigned n = vtd_tstat_nmetrics(), dup = 0, bad = 0;
	struct vtd_tstat *s;
	struct vtd_error e = { 0 };
	struct vtd_tstat_opts o = { .track_log2 = 30 };

	for (unsigned i = 0; i < n; i++) {
		const struct vtd_tstat_metric *m = vtd_tstat_metric_at(i);

		bad += !m->name || !m->help || !m->unit || vtd_tstat_metric_find(m->name) != (int)i;
		for (unsigned j = 0; j < i; j++)
			dup += !strcmp(m->name, vtd_tstat_metric_at(j)->name);
	}
	ok(n > 40 && !bad && !dup, "%u metrics, each named once with a unit and help", n);
	ok(vtd_tstat_metric_at(n) == NULL && vtd_tstat_metric_find("nope") == -1, "unknown metric");
	ok(vtd_tstat_new(&o, &s, &e) == -VTD_EINVAL && !s, "too large a table refused");
}

int main(void)
{
	test_real();
	test_percentiles();
	test_matching();
	test_faults();
	test_churn();
	test_metrics();
	return tap_done();
}
