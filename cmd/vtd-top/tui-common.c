/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtd-top -- what the views share: lists as tables, the log's filter, numbers, PCI names */
#include <ctype.h>
#include <string.h>

#include "pci-names.h"
#include "tui.h"

int top_list_key(struct top_list *l, int key, long n, int page)
{
	long s = l->sel;

	switch (key) {
	case TK_UP: case 'k': s--; break;
	case TK_DOWN: case 'j': s++; break;
	case TK_PGUP: s -= page > 1 ? page - 1 : 1; break;
	case TK_PGDN: s += page > 1 ? page - 1 : 1; break;
	case TK_HOME: s = 0; break;
	case TK_END: s = n - 1; break;
	default: return 0;
	}
	l->sel = s >= n ? n - 1 : s;
	if (l->sel < 0)
		l->sel = 0;
	return 1;
}

void top_table(struct grid *g, int row0, int rows, const struct top_col *cols, int ncols,
	       long n, struct top_list *l, top_cell_fn cell, void *ctx)
{
	int x = 1, widths[16];

	if (rows < 2 || ncols > 16)
		return;
	/* A column of width 0 takes what the others leave. */
	for (int c = 0; c < ncols; c++)
		x += cols[c].width + 1;
	for (int c = 0; c < ncols; c++)
		widths[c] = cols[c].width ? cols[c].width : g->cols - x > 8 ? g->cols - x : 8;
	/* Column 0 is the selection's mark: it shows without colour or reverse video too. */
	x = 1;
	grid_paint(g, row0, 0, -1, GA_HEAD);
	for (int c = 0; c < ncols; c++) {
		if (cols[c].right)
			grid_rtext(g, row0, x, widths[c], GA_HEAD, cols[c].head);
		else
			grid_text(g, row0, x, widths[c], GA_HEAD, cols[c].head);
		x += widths[c] + 1;
	}
	rows--;
	if (l->sel >= n)
		l->sel = n - 1;
	if (l->sel < 0)
		l->sel = 0;
	/* Keep the selection in sight with the least scrolling. */
	if (l->top > l->sel)
		l->top = l->sel;
	if (l->sel >= l->top + rows)
		l->top = l->sel - rows + 1;
	if (l->top > (n > rows ? n - rows : 0))
		l->top = n > rows ? n - rows : 0;
	if (l->top < 0)
		l->top = 0;
	for (int r = 0; r < rows && l->top + r < n; r++) {
		long item = l->top + r;
		int row = row0 + 1 + r, sel = item == l->sel;

		x = 1;
		for (int c = 0; c < ncols; c++) {
			char b[256];
			int attr = GA_NORMAL;

			b[0] = 0;
			cell(ctx, item, c, b, sizeof(b), &attr);
			if (sel)
				attr = GA_SEL;
			if (cols[c].right)
				grid_rtext(g, row, x, widths[c], attr, b);
			else
				grid_text(g, row, x, widths[c], attr, b);
			x += widths[c] + 1;
		}
		if (sel) {
			grid_paint(g, row, 0, -1, GA_SEL);
			grid_text(g, row, 0, 1, GA_SEL, ">");
		}
	}
}

void top_count_str(uint64_t v, char *b, size_t n)
{
	if (v < 100000)
		snprintf(b, n, "%llu", (unsigned long long)v);
	else if (v < 100000000ull)
		snprintf(b, n, "%.1fk", (double)v / 1e3);
	else
		snprintf(b, n, "%.1fM", (double)v / 1e6);
}

/* Case-blind substring. */
static int holds(const char *hay, const char *needle)
{
	size_t l = strlen(needle);

	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, l))
			return 1;
	return !l;
}

static int fault_drill(const struct tui *t, const struct vtd_event *ev)
{
	const struct vtd_tstat_fault *k = &t->dfault;
	char dev[32];

	if (ev->kind != VTD_EV_DMA_FAULT && ev->kind != VTD_EV_IR_FAULT)
		return 0;
	vtd_tstat_device_name(ev, dev, sizeof(dev));
	switch (t->dgroup) {
	case TG_DEVICE: return !strcmp(dev, k->device);
	case TG_REASON: return ev->reason == k->reason;
	case TG_PAGE: return (ev->kind == VTD_EV_IR_FAULT ? ev->index : ev->addr & ~0xfffull) ==
			     k->page;
	}
	return !strcmp(dev, k->device) && ev->reason == k->reason && ev->access == k->access &&
	       (ev->kind == VTD_EV_IR_FAULT ? ev->index : ev->addr & ~0xfffull) == k->page;
}

static int inv_drill(const struct tui *t, const struct vtd_event *ev)
{
	char key[32];

	if (ev->kind != VTD_EV_INV)
		return 0;
	if (!strncmp(t->dkey, "did ", 4) && (ev->has & VTD_EVH_DID))
		snprintf(key, sizeof(key), "did %u", ev->did);
	else if (!strncmp(t->dkey, "pasid ", 6) && (ev->has & VTD_EVH_PASID))
		snprintf(key, sizeof(key), "pasid %u", ev->pasid);
	else
		return 0;
	return !strcmp(key, t->dkey);
}

/* A line of what an event says, whatever format it came from. */
void top_ev_summary(const struct vtd_event *ev, char *b, size_t n)
{
	char dev[32], sz[16];

	vtd_tstat_device_name(ev, dev, sizeof(dev));
	switch (ev->kind) {
	case VTD_EV_DMA_FAULT:
		snprintf(b, n, "%-8s %-5s %#llx reason 0x%02x %s", dev, top_access_str(ev->access),
			 (unsigned long long)ev->addr, ev->reason, ev->text ? ev->text : "");
		return;
	case VTD_EV_IR_FAULT:
		snprintf(b, n, "%-8s index %#llx reason 0x%02x %s", dev,
			 (unsigned long long)ev->index, ev->reason, ev->text ? ev->text : "");
		return;
	case VTD_EV_INV:
		snprintf(b, n, "%s %s", vtd_inv_type_name(ev->inv_type),
			 vtd_inv_gran_name(ev->inv_gran));
		if (ev->has & VTD_EVH_DID)
			snprintf(b + strlen(b), n - strlen(b), " did %u", ev->did);
		if (ev->has & VTD_EVH_PASID)
			snprintf(b + strlen(b), n - strlen(b), " pasid %u", ev->pasid);
		if (ev->inv_gran == VTD_GRAN_PAGE)
			snprintf(b + strlen(b), n - strlen(b), " addr %#llx am %u",
				 (unsigned long long)ev->addr, ev->am);
		return;
	case VTD_EV_MAP:
	case VTD_EV_UNMAP:
		cli_size_str(ev->size, sz, sizeof(sz));
		snprintf(b, n, "iova %#llx %s", (unsigned long long)ev->addr, sz);
		if (ev->has & VTD_EVH_PADDR)
			snprintf(b + strlen(b), n - strlen(b), " -> %#llx",
				 (unsigned long long)ev->paddr);
		return;
	}
	/* The rest: the line after its time stamp says it best. */
	{
		const char *p = ev->line ? strstr(ev->line, ": ") : NULL;

		snprintf(b, n, "%s%s", ev->device[0] ? ev->device : "", p ? p + 1 : "");
	}
}

int top_log_holds(const struct top_logent *e, const char *text)
{
	char more[256];

	if (holds(e->line, text))
		return 1;
	/* What the line may not spell out: the kind, and the fields as the log shows them. */
	snprintf(more, sizeof(more), "%s ", vtd_ev_kind_name(e->ev.kind));
	top_ev_summary(&e->ev, more + strlen(more), sizeof(more) - strlen(more));
	return holds(more, text);
}

int top_log_match(const struct tui *t, const struct top_logent *e)
{
	const struct vtd_event *ev = &e->ev;

	if (t->drill == TV_FAULTS && !fault_drill(t, ev))
		return 0;
	if (t->drill == TV_INV && !inv_drill(t, ev))
		return 0;
	return !t->filter[0] || top_log_holds(e, t->filter);
}

const char *top_pci_name(struct tui *t, uint16_t sid, char *b, size_t n)
{
	/* Offline traces come from other machines: this host's names would lie. */
	if (!t->m.live || !cli_pci_name(sid, b, n))
		b[0] = 0;
	return b;
}
