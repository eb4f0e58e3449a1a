/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-top -- the event log: the last events, filtered as the filter is
 * typed and narrowed by a drill-down, followed as they come or scrolled;
 * the detail pane shows every field, descriptors decoded by their layouts.
 */
#include <string.h>

#include "invdesc.h"
#include "text.h"
#include "tui.h"

#define DETAIL_ROWS 9

/* The matching event before (dir < 0) or after 'seq' in the log; 0 when none. */
static uint64_t step(const struct tui *t, uint64_t seq, int dir)
{
	uint64_t first = top_model_log_first(&t->m), last = t->m.nevents;

	while (dir < 0 ? seq > first : seq < last) {
		seq = dir < 0 ? seq - 1 : seq + 1;
		if (seq < first || seq > last)
			break;
		if (top_log_match(t, top_model_log(&t->m, seq)))
			return seq;
	}
	return 0;
}

static uint64_t newest(const struct tui *t)
{
	const struct top_logent *e = top_model_log(&t->m, t->m.nevents);

	if (e && top_log_match(t, e))
		return t->m.nevents;
	return step(t, t->m.nevents, -1);
}

static uint64_t oldest(const struct tui *t)
{
	uint64_t first = top_model_log_first(&t->m);
	const struct top_logent *e = top_model_log(&t->m, first);

	if (e && top_log_match(t, e))
		return first;
	return step(t, first, 1);
}

static int kind_attr(int kind)
{
	switch (kind) {
	case VTD_EV_DMA_FAULT: case VTD_EV_IR_FAULT: case VTD_EV_IO_PAGE_FAULT:
	case VTD_EV_FAULT_REC:
		return GA_BAD;
	case VTD_EV_INV: return GA_SPARK;
	case VTD_EV_MAP: case VTD_EV_UNMAP: return GA_GOOD;
	}
	return GA_DIM;
}

static void row(struct grid *g, int r, const struct top_logent *e, int sel)
{
	char ts[24], s[200];
	int attr = sel ? GA_SEL : GA_NORMAL;

	top_ts_str(e->ev.ts_ns, ts, sizeof(ts));
	top_ev_summary(&e->ev, s, sizeof(s));
	if (sel)
		grid_paint(g, r, 0, -1, GA_SEL);
	grid_rtext(g, r, 0, 13, attr, (e->ev.has & VTD_EVH_TS) ? ts : "-");
	grid_text(g, r, 14, 10, sel ? attr : kind_attr(e->ev.kind), vtd_ev_kind_name(e->ev.kind));
	grid_text(g, r, 25, 6, sel ? attr : GA_DIM, e->ev.unit[0] ? e->ev.unit : "");
	grid_text(g, r, 32, -1, attr, s);
	if (sel)
		grid_text(g, r, 0, 1, attr, ">");
}

/* Every field of the selected event, then its descriptor decoded. */
static void detail(struct grid *g, int r, int rows, const struct top_logent *e)
{
	char js[VTD_EVENT_JSONL_MAX];
	int end = r + rows;

	grid_hline(g, r++, 0, -1, GA_DIM);
	if (!e) {
		grid_text(g, r, 0, -1, GA_DIM, "no event selected");
		return;
	}
	grid_printf(g, r++, 0, -1, GA_LABEL, "Event %llu, %s line %llu:",
		    (unsigned long long)e->seq, e->ev.format ? e->ev.format : "?",
		    (unsigned long long)e->ev.lineno);
	grid_text(g, r++, 2, -1, GA_DIM, e->line);
	if (vtd_event_jsonl(&e->ev, 0, js, sizeof(js)) > 0)
		for (size_t off = 0, len = strlen(js); off < len && r < end;
		     off += (size_t)g->cols - 2)
			grid_printf(g, r++, 2, -1, GA_NORMAL, "%.*s", g->cols - 2, js + off);
	if ((e->ev.has & VTD_EVH_DESC) && r < end) {
		uint8_t d[32];
		size_t len = e->ev.nqw >= 4 ? 32 : 16;
		const struct vtd_layout *l;
		struct vtd_sbuf sb = VTD_SBUF_INIT;

		for (unsigned i = 0; i < len / 8; i++)
			for (unsigned k = 0; k < 8; k++)
				d[i * 8 + k] = (uint8_t)(e->ev.qw[i] >> (8 * k));
		l = vtd_invdesc_layout(d, len);
		if (l) {
			vtd_text_render(&sb, l, d, len, VTD_TEXT_ONELINE);
			grid_printf(g, r++, 0, -1, GA_LABEL, "%s:", l->title);
			/* The one-line form, wrapped; its newline ends it. */
			for (const char *p = vtd_sbuf_str(&sb); *p && *p != '\n' && r < end;) {
				int w = grid_printf(g, r++, 2, g->cols - 2, GA_NORMAL, "%.*s",
						    (int)strcspn(p, "\n"), p);

				p += strnlen(p, (size_t)w);
			}
		}
		vtd_sbuf_release(&sb);
	}
}

void view_log_draw(struct tui *t, struct grid *g, int row0, int rows)
{
	int list = t->ldetail ? rows - DETAIL_ROWS : rows, n = 0;
	uint64_t seqs[512], s;
	const struct top_logent *sel;

	if (list > 512)
		list = 512;
	grid_paint(g, row0, 0, -1, GA_HEAD);
	grid_text(g, row0, 0, -1, GA_HEAD, "         TIME KIND       UNIT   WHAT");
	grid_printf(g, row0, g->cols - 30, 30, GA_HEAD, "%s%llu events kept",
		    t->follow ? "following, " : "",
		    (unsigned long long)(t->m.nevents - top_model_log_first(&t->m) + 1));
	list--;
	row0++;
	if (t->follow || !top_model_log(&t->m, (uint64_t)t->ll.sel))
		t->ll.sel = (long)newest(t);
	if (!t->ll.sel) {
		grid_text(g, row0, 2, -1, GA_DIM, t->filter[0] || t->drill ?
			  "no event in the log matches (Esc drops the filter and the drill-down)" :
			  "no events yet");
		return;
	}
	/* From the first row shown, as far as the screen goes; the selection must be on it. */
	if (t->ll.top > t->ll.sel || !top_model_log(&t->m, (uint64_t)t->ll.top))
		t->ll.top = t->ll.sel;
	s = (uint64_t)t->ll.top;
	if (!top_log_match(t, top_model_log(&t->m, s)))
		s = step(t, s, 1);
	for (; s && n < list; s = step(t, s, 1))
		seqs[n++] = s;
	if (!n || seqs[n - 1] < (uint64_t)t->ll.sel || n < list) {
		/* Fill upwards from the selection (or from the end). */
		uint64_t bottom = n && seqs[n - 1] >= (uint64_t)t->ll.sel ? seqs[n - 1] :
				  (uint64_t)t->ll.sel;

		n = 0;
		for (s = bottom; s && n < list; s = step(t, s, -1))
			seqs[n++] = s;
		for (int i = 0; i < n / 2; i++) {
			uint64_t x = seqs[i];

			seqs[i] = seqs[n - 1 - i];
			seqs[n - 1 - i] = x;
		}
	}
	t->ll.top = n ? (long)seqs[0] : t->ll.sel;
	for (int i = 0; i < n; i++)
		row(g, row0 + i, top_model_log(&t->m, seqs[i]), seqs[i] == (uint64_t)t->ll.sel);
	sel = top_model_log(&t->m, (uint64_t)t->ll.sel);
	if (t->ldetail)
		detail(g, row0 + list, rows - list - 1, sel);
}

void top_log_search(struct tui *t, int dir)
{
	uint64_t x = (uint64_t)t->ll.sel;

	while ((x = step(t, x, dir)))
		if (top_log_holds(top_model_log(&t->m, x), t->search)) {
			t->ll.sel = (long)x;
			t->follow = 0;
			return;
		}
	snprintf(t->msg, sizeof(t->msg), "'%s' is not in the log %s", t->search,
		 dir > 0 ? "after the selection" : "before the selection");
}

void top_log_goto(struct tui *t, uint64_t ns)
{
	for (uint64_t x = oldest(t); x; x = step(t, x, 1))
		if (top_model_log(&t->m, x)->ev.ts_ns >= ns) {
			t->ll.sel = (long)x;
			t->follow = 0;
			t->view = TV_LOG;
			return;
		}
	snprintf(t->msg, sizeof(t->msg), "no event of the log is that late");
}

int view_log_key(struct tui *t, int key)
{
	int page = t->rows - 5 - (t->ldetail ? DETAIL_ROWS : 0);
	uint64_t s = (uint64_t)t->ll.sel, x;

	switch (key) {
	case TK_UP: case 'k':
		if ((x = step(t, s, -1)))
			t->ll.sel = (long)x;
		t->follow = 0;
		return 1;
	case TK_DOWN: case 'j':
		if ((x = step(t, s, 1)))
			t->ll.sel = (long)x;
		return 1;
	case TK_PGUP:
		for (int i = 1; i < page && (x = step(t, s, -1)); i++)
			s = x;
		t->ll.sel = (long)s;
		t->follow = 0;
		return 1;
	case TK_PGDN:
		for (int i = 1; i < page && (x = step(t, s, 1)); i++)
			s = x;
		t->ll.sel = (long)s;
		return 1;
	case TK_HOME:
		t->ll.sel = t->ll.top = (long)oldest(t);
		t->follow = 0;
		return 1;
	case TK_END:
		t->follow = 1;
		return 1;
	case 'f':
		t->follow = !t->follow;
		return 1;
	case TK_ENTER: case 'd':
		t->ldetail = !t->ldetail;
		return 1;
	case 's':
		t->prompt = 's';
		snprintf(t->input, sizeof(t->input), "%s", t->search);
		return 1;
	case 'n': case 'N':
		if (t->search[0]) {
			top_log_search(t, key == 'n' ? 1 : -1);
			return 1;
		}
		for (x = s; (x = step(t, x, key == 'n' ? 1 : -1));) {
			int k = top_model_log(&t->m, x)->ev.kind;

			if (k == VTD_EV_DMA_FAULT || k == VTD_EV_IR_FAULT) {
				t->ll.sel = (long)x;
				t->follow = 0;
				return 1;
			}
		}
		snprintf(t->msg, sizeof(t->msg), "no %s fault in the log",
			 key == 'n' ? "later" : "earlier");
		return 1;
	}
	return 0;
}
