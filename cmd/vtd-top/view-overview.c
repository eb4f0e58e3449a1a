/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-top -- the overview: rates over time as sparklines, the totals, the
 * mode of invalidation, the top devices and reasons, the invalidation mix.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "fault.h"
#include "tui.h"

#define LABEL 11
#define STATS 44

static double val(const struct vtd_tstat *s, const char *name)
{
	return vtd_tstat_value(s, (unsigned)vtd_tstat_metric_find(name));
}

/* The rows of rates over time: each a history counter and the metric it counts. */
static const struct spark {
	const char *label, *metric;
	size_t member;			/* in struct top_bucket */
	int attr;
	const char *tmpl;		/* the summary after the sparkline */
} sparks[] = {
	{ "Faults", "faults", offsetof(struct top_bucket, faults), GA_BAD,
	  "{faults} total, {faults.distinct} distinct, {faults.devices} dev, {faults.storms} storms" },
	{ "Inval", "inv", offsetof(struct top_bucket, inv), GA_SPARK,
	  "{inv} total, {inv.page} page, {inv.domain} domain-wide" },
	{ "Map", "map", offsetof(struct top_bucket, map), GA_GOOD,
	  "{map} maps, {unmap} unmaps, live {live.end}" },
};

/*
 * A label, the sparkline, the summary, then the rate: in the last whole
 * window (the one holding the cursor, or the latest event, still fills);
 * over a whole trace read offline, the mean.
 */
static void spark_row(struct tui *t, struct grid *g, int row, const struct spark *sp)
{
	double secs = (double)t->m.window_ns / 1e9, dur = val(t->m.st, "duration") / 1e9;
	uint64_t v[512], at = t->cursor_ns >= 0 ? (uint64_t)t->cursor_ns : t->m.t_last;
	int w = g->cols - LABEL - STATS - 13, n;
	char b[256];

	if (w < 8)
		w = 8;
	n = w < 512 ? w : 512;
	grid_text(g, row, 0, LABEL, GA_LABEL, sp->label);
	top_model_series(&t->m, sp->member, v, n);
	grid_spark(g, row, LABEL, n, sp->attr, v, n, 0);
	top_mfmt(t->m.st, sp->tmpl, b, sizeof(b));
	grid_text(g, row, LABEL + n + 1, -1, GA_NORMAL, b);
	if (t->offline && t->cursor_ns < 0)
		snprintf(b, sizeof(b), "%.3g/s avg", dur > 0 ? val(t->m.st, sp->metric) / dur : 0);
	else
		snprintf(b, sizeof(b), "%.4g/s",
			 (double)top_model_last_window(&t->m, sp->member, at) / secs);
	grid_rtext(g, row, g->cols - 11, 11, GA_GOOD, b);
}

/* The top rows of a keyed table, largest first, with bars; returns rows used. */
static int key_table(struct tui *t, struct grid *g, int row, int col, int width, int rows,
		    int table, const char *title, int reasons)
{
	const struct vtd_tstat_key *k;
	size_t n = vtd_tstat_table(t->m.st, table, &k), order[8], m = 0;
	uint64_t max = 0;

	grid_text(g, row, col, width, GA_HEAD, title);
	grid_paint(g, row, col, width, GA_HEAD);
	/* The largest few, by selection: the tables are short. */
	for (; m < 8 && m < n && (int)m < rows - 1; m++) {
		size_t best = n;

		for (size_t i = 0; i < n; i++) {
			int used = 0;

			for (size_t j = 0; j < m; j++)
				used |= order[j] == i;
			if (!used && (best == n || k[i].n > k[best].n))
				best = i;
		}
		order[m] = best;
		max = k[order[0]].n;
	}
	if (!n)
		grid_text(g, row + 1, col, width, GA_DIM, "  none");
	for (size_t j = 0; j < m; j++) {
		const struct vtd_tstat_key *e = &k[order[j]];
		char what[96] = "", cnt[16];
		unsigned code, bus, dev, fn;

		if (reasons && sscanf(e->name, "0x%x", &code) == 1)
			snprintf(what, sizeof(what), "%s", vtd_fault_linux_text(code));
		else if (!reasons && sscanf(e->name, "%x:%x.%x", &bus, &dev, &fn) == 3)
			top_pci_name(t, (uint16_t)(bus << 8 | dev << 3 | fn), what, sizeof(what));
		top_count_str(e->n, cnt, sizeof(cnt));
		grid_printf(g, row + 1 + (int)j, col, width - 16, GA_NORMAL, "%-*s %s",
			    reasons ? 4 : 8, e->name[0] ? e->name : "(other)", what);
		grid_rtext(g, row + 1 + (int)j, col + width - 16, 7, GA_NORMAL, cnt);
		grid_bar(g, row + 1 + (int)j, col + width - 8, 8, GA_SPARK,
			 max ? (double)e->n / (double)max : 0);
	}
	return 1 + (int)(m ? m : 1);
}

/* Invalidations by type and granularity, as "type gran count" cells. */
static void inv_mix(struct tui *t, struct grid *g, int row, int rows)
{
	int col = 0, r = 0, cw = 26;
	uint64_t total = (uint64_t)val(t->m.st, "inv") + (uint64_t)val(t->m.st, "inv.wait");

	grid_text(g, row, 0, -1, GA_HEAD, "INVALIDATION MIX (type granularity: count, share)");
	grid_paint(g, row, 0, -1, GA_HEAD);
	for (int ty = 1; ty < VTD_INV_TYPE_N; ty++)
		for (int gr = 0; gr < VTD_GRAN_N; gr++) {
			uint64_t n = vtd_tstat_inv(t->m.st, ty, gr);
			char b[64], cnt[16];

			if (!n)
				continue;
			if (r == rows - 1) {
				r = 0;
				col += cw;
			}
			if (col + cw > g->cols)
				return;
			top_count_str(n, cnt, sizeof(cnt));
			snprintf(b, sizeof(b), "%s %s", vtd_inv_type_name(ty),
				 gr ? vtd_inv_gran_name(gr) : "");
			grid_text(g, row + 1 + r, col, 14, GA_NORMAL, b);
			grid_rtext(g, row + 1 + r, col + 14, 6, GA_NORMAL, cnt);
			grid_printf(g, row + 1 + r, col + 21, 4, GA_DIM, "%3.0f%%",
				    total ? 100.0 * (double)n / (double)total : 0);
			r++;
		}
	if (!total)
		grid_text(g, row + 1, 0, -1, GA_DIM, "  none");
}

void view_overview_draw(struct tui *t, struct grid *g, int row0, int rows)
{
	const struct vtd_tstat *s = t->m.st;
	int mode = vtd_tstat_mode(s), row = row0, half = g->cols / 2, used;
	char b[256];

	if (rows < 8)
		return;
	for (size_t i = 0; i < sizeof(sparks) / sizeof(sparks[0]); i++)
		spark_row(t, g, row++, &sparks[i]);
	grid_text(g, row, 0, LABEL, GA_LABEL, "Mode");
	used = grid_printf(g, row, LABEL, -1, mode == VTD_TMODE_LAZY ? GA_WARN : GA_NORMAL,
			   "%-8s", vtd_tstat_mode_name(mode));
	top_mfmt(s, "pending unmaps {unmap_to_inv.pending}; stale: {stale.dma} DMA, "
		 "{stale.faults} faults", b, sizeof(b));
	grid_text(g, row++, LABEL + used, -1, GA_NORMAL, b);
	top_mfmt(s, "unmap to invalidation p50 {unmap_to_inv.p50}, p99 {unmap_to_inv.p99}, "
		 "max {unmap_to_inv.max}", b, sizeof(b));
	grid_text(g, row, 0, LABEL, GA_LABEL, "Latency");
	grid_text(g, row++, LABEL, -1, GA_NORMAL, b);
	top_mfmt(s, "{duration}, {events} events, {bad_lines} bad lines", b, sizeof(b));
	grid_text(g, row, 0, LABEL, GA_LABEL, "Trace");
	used = grid_text(g, row, LABEL, -1, GA_DIM, b);
	grid_printf(g, row++, LABEL + used, -1, GA_DIM, "%s%s", t->m.formats[0] ? "; " : "",
		    t->m.formats);
	row++;
	rows -= row - row0;
	used = key_table(t, g, row, 0, half - 1, rows / 2, VTD_TT_FAULT_DEVICE,
			"TOP FAULTING DEVICES", 0);
	key_table(t, g, row, half + 1, g->cols - half - 1, rows / 2, VTD_TT_FAULT_REASON,
		 "TOP FAULT REASONS", 1);
	if (used < rows / 2)
		used = rows / 2 > 2 ? rows / 2 : used;
	row += used;
	inv_mix(t, g, row, rows - used);
}
