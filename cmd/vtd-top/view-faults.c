/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-top -- the faults view: the faults grouped as distinct faults, or by
 * device, reason or page; sorted by a column; Enter drills down to the
 * events in the log, and the detail pane walks the tables (--tables) to
 * say why the selected fault happened.
 */
#include <stdlib.h>
#include <string.h>

#include "fault.h"
#include "tui.h"

#define MAXROWS 512

/* One row whatever the grouping. */
struct frow {
	char key[40];			/* device, reason, page */
	const struct vtd_tstat_fault *f;	/* distinct: the fault */
	uint64_t count, first, last, page;
	unsigned reason;
};

static const char *const group_names[TG_N] = { "distinct fault", "device", "reason", "page" };
enum { S_COUNT, S_LAST, S_FIRST, S_KEY, S_N };
static const char *const sort_names[S_N] = { "count", "last seen", "first seen", "key" };

static size_t from_keys(const struct vtd_tstat *s, int table, struct frow *r)
{
	const struct vtd_tstat_key *k;
	size_t n = vtd_tstat_table(s, table, &k);

	for (size_t i = 0; i < n && i < MAXROWS; i++) {
		snprintf(r[i].key, sizeof(r[i].key), "%s", k[i].name[0] ? k[i].name : "(other)");
		r[i].count = k[i].n;
		r[i].first = k[i].first_ns;
		r[i].last = k[i].last_ns;
		r[i].f = NULL;
		if (sscanf(k[i].name, "0x%x", &r[i].reason) != 1)
			r[i].reason = 0x100;
	}
	return n < MAXROWS ? n : MAXROWS;
}

static size_t by_page(const struct vtd_tstat_fault *f, size_t nf, struct frow *r)
{
	size_t n = 0;

	for (size_t i = 0; i < nf; i++) {
		size_t j;

		for (j = 0; j < n && r[j].page != f[i].page; j++)
			;
		if (j == n) {
			if (n == MAXROWS)
				continue;
			memset(&r[n], 0, sizeof(r[n]));
			r[n].page = f[i].page;
			r[n].first = f[i].first_ns;
			snprintf(r[n].key, sizeof(r[n].key), "%#llx", (unsigned long long)f[i].page);
			n++;
		}
		r[j].count += f[i].count;
		if (f[i].first_ns < r[j].first)
			r[j].first = f[i].first_ns;
		if (f[i].last_ns > r[j].last)
			r[j].last = f[i].last_ns;
	}
	return n;
}

static int cmp(const void *a, const void *b, void *arg)
{
	const struct frow *x = a, *y = b;

	switch (*(const int *)arg) {
	case S_COUNT: return x->count != y->count ? (x->count < y->count ? 1 : -1) : 0;
	case S_LAST: return x->last != y->last ? (x->last < y->last ? 1 : -1) : 0;
	case S_FIRST: return x->first != y->first ? (x->first < y->first ? -1 : 1) : 0;
	}
	return strcmp(x->key, y->key);
}

/* The rows of the current grouping, in the current order. */
static size_t rows_of(const struct tui *t, struct frow *r)
{
	const struct vtd_tstat_fault *f;
	size_t nf = vtd_tstat_faults(t->m.st, &f), n = 0;

	switch (t->fgroup) {
	case TG_DEVICE: n = from_keys(t->m.st, VTD_TT_FAULT_DEVICE, r); break;
	case TG_REASON: n = from_keys(t->m.st, VTD_TT_FAULT_REASON, r); break;
	case TG_PAGE: n = by_page(f, nf, r); break;
	default:
		for (; n < nf && n < MAXROWS; n++) {
			memset(&r[n], 0, sizeof(r[n]));
			r[n].f = &f[n];
			r[n].count = f[n].count;
			r[n].first = f[n].first_ns;
			r[n].last = f[n].last_ns;
			snprintf(r[n].key, sizeof(r[n].key), "%s", f[n].device[0] ? f[n].device :
				 "(other)");
		}
	}
	qsort_r(r, n, sizeof(*r), cmp, (void *)&t->fsort);
	return n;
}

/* The rows being drawn, for the cell callback. */
struct fctx {
	struct tui *t;
	struct frow r[MAXROWS];
	size_t n;
};

static void cell(void *ctx, long i, int col, char *b, size_t n, int *attr)
{
	struct fctx *c = ctx;
	struct tui *t = c->t;
	const struct frow *r = &c->r[i];
	const struct vtd_tstat_fault *f = r->f;

	if (t->fgroup == TG_DISTINCT) {
		switch (col) {
		case 0: snprintf(b, n, "%s", r->key); break;
		case 1:
			if (f->has_pasid)
				snprintf(b, n, "%#x", f->pasid);
			else
				snprintf(b, n, "-");
			break;
		case 2: snprintf(b, n, "0x%02x", f->reason); *attr = GA_BAD; break;
		case 3: snprintf(b, n, "%s", f->kind == VTD_EV_IR_FAULT ? "intr" :
				 top_access_str(f->access)); break;
		case 4: snprintf(b, n, "%#llx", (unsigned long long)f->page); break;
		case 5: snprintf(b, n, "%llu", (unsigned long long)r->count); break;
		case 6: top_ts_str(r->first, b, n); break;
		case 7: top_ts_str(r->last, b, n); break;
		case 8: snprintf(b, n, "%s", vtd_fault_linux_text(f->reason)); *attr = GA_DIM; break;
		}
		return;
	}
	switch (col) {
	case 0: snprintf(b, n, "%s", r->key); break;
	case 1: snprintf(b, n, "%llu", (unsigned long long)r->count); break;
	case 2: top_ts_str(r->first, b, n); break;
	case 3: top_ts_str(r->last, b, n); break;
	case 4:
		if (t->fgroup == TG_REASON && r->reason < 0x100)
			snprintf(b, n, "%s", vtd_fault_linux_text(r->reason));
		else if (t->fgroup == TG_DEVICE) {
			unsigned bus, dev, fn;

			if (sscanf(r->key, "%x:%x.%x", &bus, &dev, &fn) == 3)
				top_pci_name(t, (uint16_t)(bus << 8 | dev << 3 | fn), b, n);
		}
		*attr = GA_DIM;
		break;
	}
}

static const struct top_col distinct_cols[] = {
	{ "DEVICE", 14, 0 }, { "PASID", 6, 0 }, { "REASON", 6, 0 }, { "ACC", 5, 0 },
	{ "PAGE", 18, 0 }, { "COUNT", 8, 1 }, { "FIRST", 13, 1 }, { "LAST", 13, 1 },
	{ "WHAT LINUX SAYS", 0, 0 },
};
static const struct top_col group_cols[] = {
	{ "KEY", 20, 0 }, { "COUNT", 8, 1 }, { "FIRST", 13, 1 }, { "LAST", 13, 1 },
	{ "", 0, 0 },
};

/* The detail pane: the reason explained and the walk of the tables. */
static void detail(struct tui *t, struct grid *g, int row, int rows, const struct frow *r)
{
	char verdict[160], path[1024];
	const struct vtd_fault_reason *why;

	grid_hline(g, row++, 0, -1, GA_DIM);
	rows--;
	if (!r || !r->f) {
		grid_text(g, row, 0, -1, GA_DIM, t->fgroup == TG_DISTINCT ? "no fault selected" :
			  "the detail pane explains distinct faults: press g to group by them");
		return;
	}
	why = vtd_fault_reason(r->f->reason);
	grid_printf(g, row++, 0, -1, GA_LABEL, "Reason 0x%02x %s", r->f->reason,
		    why ? why->name : "(no source defines it)");
	if (why && why->desc && rows > 1)
		grid_text(g, row++, 2, -1, GA_NORMAL, why->desc);
	if (!t->m.ex) {
		grid_text(g, row, 0, -1, GA_DIM, "give --tables (and --rtaddr or --regs) to have "
			  "each fault explained by a walk of the tables");
		return;
	}
	if (r->f->kind != VTD_EV_DMA_FAULT || !r->f->device[0] ||
	    !top_explain_fault(t->m.ex, r->f, verdict, sizeof(verdict), path, sizeof(path))) {
		grid_text(g, row, 0, -1, GA_DIM, "no walk for this fault (not a DMA fault with a "
			  "source id)");
		return;
	}
	grid_printf(g, row++, 0, -1, GA_WARN, "Tables: %s", verdict);
	/* The path wraps over the rows left. */
	for (size_t off = 0, len = strlen(path); off < len && row < g->rows - 1;
	     off += (size_t)g->cols - 4)
		grid_printf(g, row++, 2, -1, GA_NORMAL, "%.*s", g->cols - 4, path + off);
}

void view_faults_draw(struct tui *t, struct grid *g, int row0, int rows)
{
	struct fctx *c = malloc(sizeof(*c));
	int list = t->fdetail ? rows - 7 : rows - 1;

	if (!c)
		return;
	c->n = rows_of(t, c->r);
	c->t = t;
	grid_printf(g, row0, 0, -1, GA_DIM, "Grouped by %s (g), sorted by %s (s); %zu rows; "
		    "Enter: the events; d: why", group_names[t->fgroup], sort_names[t->fsort], c->n);
	if (t->fgroup == TG_DISTINCT)
		top_table(g, row0 + 1, list, distinct_cols, 9, (long)c->n, &t->fl, cell, c);
	else
		top_table(g, row0 + 1, list, group_cols, 5, (long)c->n, &t->fl, cell, c);
	if (!c->n)
		grid_text(g, row0 + 2, 2, -1, GA_DIM, "no faults yet");
	if (t->fdetail)
		detail(t, g, row0 + 1 + list, rows - 1 - list,
		       c->n && t->fl.sel < (long)c->n ? &c->r[t->fl.sel] : NULL);
	free(c);
}

static void drill(struct tui *t, const struct frow *r)
{
	memset(&t->dfault, 0, sizeof(t->dfault));
	t->dgroup = t->fgroup;
	if (r->f)
		t->dfault = *r->f;
	snprintf(t->dfault.device, sizeof(t->dfault.device), "%s", r->key);
	t->dfault.reason = (uint16_t)r->reason;
	if (r->f)
		t->dfault.reason = r->f->reason;
	t->dfault.page = r->f ? r->f->page : r->page;
	snprintf(t->dtitle, sizeof(t->dtitle), "faults of %s %s", group_names[t->fgroup], r->key);
	t->drill = TV_FAULTS;
	t->view = TV_LOG;
	t->follow = 1;
}

int view_faults_key(struct tui *t, int key)
{
	struct fctx *c;
	int done = 1;

	switch (key) {
	case 'g':
		t->fgroup = (t->fgroup + 1) % TG_N;
		t->fl.sel = t->fl.top = 0;
		return 1;
	case 's':
		t->fsort = (t->fsort + 1) % S_N;
		return 1;
	case 'd':
		t->fdetail = !t->fdetail;
		return 1;
	}
	c = malloc(sizeof(*c));
	if (!c)
		return 0;
	c->n = rows_of(t, c->r);
	if (key == TK_ENTER) {
		if (c->n && t->fl.sel < (long)c->n)
			drill(t, &c->r[t->fl.sel]);
	} else {
		done = top_list_key(&t->fl, key, (long)c->n, t->rows - 5);
	}
	free(c);
	return done;
}
