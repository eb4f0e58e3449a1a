/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-top -- the invalidations view: per domain (or PASID), page-selective
 * against domain-wide; below, the unmap-to-invalidation latency histogram
 * and the sizes of page-selective invalidations.
 */
#include <stdlib.h>
#include <string.h>

#include "tui.h"

#define MAXROWS 128

struct ictx {
	const struct vtd_tstat_key *k[MAXROWS];
	size_t n;
};

enum { S_COUNT, S_WIDE, S_LAST, S_KEY, S_N };
static const char *const sort_names[S_N] = { "count", "domain-wide", "last seen", "key" };

static int cmp(const void *a, const void *b, void *arg)
{
	const struct vtd_tstat_key *x = *(const struct vtd_tstat_key *const *)a;
	const struct vtd_tstat_key *y = *(const struct vtd_tstat_key *const *)b;

	switch (*(const int *)arg) {
	case S_COUNT: return x->n != y->n ? (x->n < y->n ? 1 : -1) : 0;
	case S_WIDE: return x->wide != y->wide ? (x->wide < y->wide ? 1 : -1) : 0;
	case S_LAST: return x->last_ns != y->last_ns ? (x->last_ns < y->last_ns ? 1 : -1) : 0;
	}
	return strcmp(x->name, y->name);
}

static void rows_of(struct tui *t, struct ictx *c)
{
	const struct vtd_tstat_key *k;
	size_t n = vtd_tstat_table(t->m.st, t->ipasid ? VTD_TT_INV_PASID : VTD_TT_INV_DID, &k);

	c->n = n < MAXROWS ? n : MAXROWS;
	for (size_t i = 0; i < c->n; i++)
		c->k[i] = &k[i];
	qsort_r(c->k, c->n, sizeof(c->k[0]), cmp, &t->isort);
}

static void cell(void *ctx, long i, int col, char *b, size_t n, int *attr)
{
	const struct vtd_tstat_key *k = ((struct ictx *)ctx)->k[i];
	uint64_t iotlb = k->page + k->wide;

	switch (col) {
	case 0: snprintf(b, n, "%s", k->name[0] ? k->name : "(other)"); break;
	case 1: snprintf(b, n, "%llu", (unsigned long long)k->n); break;
	case 2: snprintf(b, n, "%llu", (unsigned long long)k->page); break;
	case 3: snprintf(b, n, "%llu", (unsigned long long)k->wide); break;
	case 4:
		snprintf(b, n, "%.0f%%", iotlb ? 100.0 * (double)k->wide / (double)iotlb : 0.0);
		if (iotlb && k->wide * 10 > iotlb)
			*attr = GA_WARN;
		break;
	case 5: top_ts_str(k->first_ns, b, n); break;
	case 6: top_ts_str(k->last_ns, b, n); break;
	}
}

static const struct top_col cols[] = {
	{ "DOMAIN", 12, 0 }, { "INV", 9, 1 }, { "PAGE", 9, 1 }, { "WIDE", 9, 1 },
	{ "WIDE%", 6, 1 }, { "FIRST", 13, 1 }, { "LAST", 13, 1 },
};

/* "12ns", "3us": the lower edge of a power-of-two bucket of nanoseconds or bytes. */
static void edge(int bytes, unsigned i, char *b, size_t n)
{
	uint64_t v = i ? 1ull << (i - 1) : 0;

	if (bytes)
		cli_size_str(v, b, n);
	else
		top_value_str(VTD_TU_NS, (double)v, b, n);
}

/* A histogram of powers of two, the non-empty span of it, one bucket a row. */
static void histogram(struct tui *t, struct grid *g, int row, int col, int width, int rows,
		      int which, const char *title)
{
	uint64_t h[VTD_TSTAT_LOG2_N], max = 0, total = 0;
	unsigned lo = VTD_TSTAT_LOG2_N, hi = 0;
	int folded = 0;

	vtd_tstat_dist_log2(t->m.st, which, h);
	for (unsigned i = 0; i < VTD_TSTAT_LOG2_N; i++) {
		if (!h[i])
			continue;
		lo = i < lo ? i : lo;
		hi = i;
		max = h[i] > max ? h[i] : max;
		total += h[i];
	}
	grid_text(g, row, col, width, GA_HEAD, title);
	grid_paint(g, row, col, width, GA_HEAD);
	if (!total) {
		grid_text(g, row + 1, col, width, GA_DIM, "  none yet");
		return;
	}
	/* Too many buckets for the rows: the lowest fold into the first row shown. */
	while (hi - lo + 1 > (unsigned)(rows - 1) && lo < hi) {
		h[lo + 1] += h[lo];
		max = h[lo + 1] > max ? h[lo + 1] : max;
		lo++;
		folded = 1;
	}
	for (unsigned i = lo; i <= hi; i++) {
		char a[16], c[16];
		int r = row + 1 + (int)(i - lo);

		/* A folded first row holds everything below its bucket's upper edge. */
		edge(which == VTD_TD_PAGE_BYTES, i == lo && folded ? i + 1 : i, a, sizeof(a));
		top_count_str(h[i], c, sizeof(c));
		grid_printf(g, r, col, 12, GA_NORMAL, "%s%s", i == lo && folded ? "<" : ">=", a);
		grid_rtext(g, r, col + 12, 8, GA_NORMAL, c);
		grid_bar(g, r, col + 21, width - 21, GA_SPARK, (double)h[i] / (double)max);
	}
}

void view_inv_draw(struct tui *t, struct grid *g, int row0, int rows)
{
	struct ictx c;
	int list = rows / 2 - 1, half = g->cols / 2;
	char b[256];
	struct top_col cc[7];

	rows_of(t, &c);
	top_mfmt(t->m.st, "{inv} invalidations, {inv.iotlb} IOTLB ({inv.domain_share} domain-wide), "
		 "{inv.per_unmap} per unmap, {inv.wait} waits", b, sizeof(b));
	grid_text(g, row0, 0, -1, GA_NORMAL, b);
	grid_printf(g, row0 + 1, 0, -1, GA_DIM, "By %s (p), sorted by %s (s); Enter: the events",
		    t->ipasid ? "PASID" : "domain", sort_names[t->isort]);
	memcpy(cc, cols, sizeof(cc));
	cc[0].head = t->ipasid ? "PASID" : "DOMAIN";
	top_table(g, row0 + 2, list, cc, 7, (long)c.n, &t->il, cell, &c);
	if (!c.n)
		grid_text(g, row0 + 3, 2, -1, GA_DIM, "no invalidations with a domain yet");
	row0 += 2 + list;
	rows -= 2 + list;
	histogram(t, g, row0, 0, half - 1, rows, VTD_TD_UNMAP_TO_INV,
		  "UNMAP -> INVALIDATION LATENCY");
	histogram(t, g, row0, half + 1, g->cols - half - 1, rows, VTD_TD_PAGE_BYTES,
		  "PAGE-SELECTIVE RANGE");
}

int view_inv_key(struct tui *t, int key)
{
	struct ictx c;

	switch (key) {
	case 'p':
		t->ipasid = !t->ipasid;
		t->il.sel = t->il.top = 0;
		return 1;
	case 's':
		t->isort = (t->isort + 1) % S_N;
		return 1;
	}
	rows_of(t, &c);
	if (key == TK_ENTER) {
		if (!c.n || t->il.sel >= (long)c.n)
			return 1;
		snprintf(t->dkey, sizeof(t->dkey), "%s", c.k[t->il.sel]->name);
		snprintf(t->dtitle, sizeof(t->dtitle), "invalidations of %s", t->dkey);
		t->drill = t->dkey[0] ? TV_INV : 0;
		t->view = TV_LOG;
		t->follow = 1;
		return 1;
	}
	return top_list_key(&t->il, key, (long)c.n, t->rows - 5);
}
