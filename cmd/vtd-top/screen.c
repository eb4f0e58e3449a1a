/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-top -- the frame around the views: the title line, the view tabs,
 * the footer (or the prompt and messages), and the keys every view shares.
 */
#include <stdlib.h>
#include <string.h>

#include "tui.h"

const struct top_viewdef top_views[TV_N] = {
	[TV_OVERVIEW] = { "Overview", view_overview_draw, NULL },
	[TV_FAULTS] = { "Faults", view_faults_draw, view_faults_key },
	[TV_INV] = { "Invalidations", view_inv_draw, view_inv_key },
	[TV_LOG] = { "Log", view_log_draw, view_log_key },
	[TV_HELP] = { "Help", view_help_draw, view_help_key },
};

static void set_view(struct tui *t, int v)
{
	if (v == TV_HELP && t->view != TV_HELP)
		t->prev_view = t->view;
	t->view = v;
}

/* The end of the trace read so far, rounded up to a window: where time steps start. */
static int64_t cursor_now(const struct tui *t)
{
	uint64_t w = t->m.window_ns, e = t->m.t_last - t->m.t_last % w + w;

	return t->cursor_ns >= 0 ? t->cursor_ns : (int64_t)e;
}

static void seek(struct tui *t, int64_t to)
{
	if (!t->offline) {
		snprintf(t->msg, sizeof(t->msg), "live: time moves on by itself (t finds a time in "
			 "the log)");
		return;
	}
	if (to < 0)
		to = 0;
	/* Everything up to the cursor was fed: going back must start over. */
	if (t->cursor_ns < 0 || to < t->cursor_ns)
		t->rewind = 1;
	t->cursor_ns = to;
}

static void prompt_done(struct tui *t)
{
	char *end;
	double s;

	if (t->prompt == '/') {
		snprintf(t->filter, sizeof(t->filter), "%s", t->input);
	} else if (t->prompt == 's') {
		snprintf(t->search, sizeof(t->search), "%s", t->input);
		t->prompt = 0;
		if (t->search[0])
			top_log_search(t, 1);
		return;
	} else if (t->prompt == 't') {
		s = strtod(t->input, &end);
		if (end == t->input || *end || !(s >= 0 && s < 1e9))
			snprintf(t->msg, sizeof(t->msg), "not a time in seconds: '%s'", t->input);
		else if (t->offline)
			seek(t, (int64_t)(s * 1e9 + 0.5));
		else
			top_log_goto(t, (uint64_t)(s * 1e9 + 0.5));
	}
	t->prompt = 0;
}

/* A key while the prompt is open: editing, Enter, Esc. */
static void prompt_key(struct tui *t, int key)
{
	size_t l = strlen(t->input);

	if (key == TK_ENTER) {
		prompt_done(t);
	} else if (key == TK_ESC) {
		if (t->prompt == '/')
			t->filter[0] = 0;
		t->prompt = 0;
	} else if (key == TK_BS || key == 0x7f || key == 8) {
		if (l)
			t->input[l - 1] = 0;
	} else if (key == 0x15) {		/* ^U */
		t->input[0] = 0;
	} else if (key >= 0x20 && key < 0x7f && l + 1 < sizeof(t->input)) {
		t->input[l] = (char)key;
		t->input[l + 1] = 0;
	}
	/* The filter is incremental: the log narrows as it is typed. */
	if (t->prompt == '/')
		snprintf(t->filter, sizeof(t->filter), "%s", t->input);
}

void tui_key(struct tui *t, int key)
{
	const struct top_viewdef *v = &top_views[t->view];

	t->msg[0] = 0;
	if (t->prompt) {
		prompt_key(t, key);
		return;
	}
	if (t->view == TV_HELP) {
		if (v->key(t, key))
			return;
		set_view(t, t->prev_view);
		if (key != 'q' && key != TK_F10)
			return;
		v = &top_views[t->view];
	}
	if (v->key && v->key(t, key))
		return;
	switch (key) {
	case TK_F1: case '?': set_view(t, TV_HELP); break;
	case TK_F2: case '1': set_view(t, TV_OVERVIEW); break;
	case TK_F3: case '2': set_view(t, TV_FAULTS); break;
	case TK_F4: case '3': set_view(t, TV_INV); break;
	case TK_F5: case '4': set_view(t, TV_LOG); break;
	case TK_TAB: set_view(t, (t->view + 1) % TV_HELP); break;
	case TK_BTAB: set_view(t, (t->view + TV_HELP - 1) % TV_HELP); break;
	case 'q': case TK_F10: t->quit = 1; break;
	case '/':
		t->prompt = '/';
		snprintf(t->input, sizeof(t->input), "%s", t->filter);
		if (t->view != TV_LOG)
			set_view(t, TV_LOG);
		break;
	case 't':
		t->prompt = 't';
		t->input[0] = 0;
		break;
	case TK_ESC:
		t->filter[0] = 0;
		t->drill = 0;
		t->fdetail = t->ldetail = 0;
		break;
	case ' ':
		if (!t->offline) {
			t->paused = !t->paused;
		} else if (t->playing) {
			t->playing = 0;
		} else {
			t->playing = 1;
			/* Play from the start when the whole trace is shown. */
			if (t->cursor_ns < 0)
				seek(t, (int64_t)(t->m.t_first - t->m.t_first % t->m.window_ns));
		}
		break;
	case '<': seek(t, cursor_now(t) - (int64_t)t->m.window_ns); break;
	case '>': seek(t, cursor_now(t) + (int64_t)t->m.window_ns); break;
	case '+': if (t->speed < 1e6) t->speed *= 2; break;
	case '-': if (t->speed > 1e-3) t->speed /= 2; break;
	case 'e':
		if (t->offline) {
			t->cursor_ns = -1;
			t->playing = 0;
		}
		break;
	case TK_RESIZE: break;
	default: {
		char b[16];

		top_key_name(key, b, sizeof(b));
		snprintf(t->msg, sizeof(t->msg), "%s does nothing here: F1 or ? lists the keys", b);
	}
	}
}

static void title(struct tui *t, struct grid *g)
{
	const struct top_model *m = &t->m;
	char ts[32], mode[48], ev[16], src[96], right[128];
	size_t n = 0;
	int w;

	grid_paint(g, 0, 0, -1, GA_TITLE);
	for (unsigned i = 0; i < t->o->files.n && n < sizeof(src) - 1; i++)
		n += (size_t)snprintf(src + n, sizeof(src) - n, "%s%s", i ? " " : "",
				      t->o->files.path[i]);
	if (!t->o->files.n)
		snprintf(src, sizeof(src), "(no source)");
	top_ts_str(m->t_last, ts, sizeof(ts));
	if (!t->offline)
		snprintf(mode, sizeof(mode), "%s", t->paused ? "LIVE, HELD" : "LIVE");
	else if (t->playing)
		snprintf(mode, sizeof(mode), "PLAY x%g", t->speed);
	else if (t->cursor_ns >= 0)
		snprintf(mode, sizeof(mode), "AT %.3f s", (double)t->cursor_ns / 1e9);
	else
		snprintf(mode, sizeof(mode), "WHOLE TRACE");
	top_count_str(m->nevents, ev, sizeof(ev));
	snprintf(right, sizeof(right), " %s   t %s s   %s events ", mode, ts, ev);
	w = grid_rtext(g, 0, 0, g->cols, GA_TITLE, right);
	grid_printf(g, 0, 0, g->cols - w, GA_TITLE, "vtd-top  %s", src);
}

static void tabs(struct tui *t, struct grid *g)
{
	int col = 0;

	for (int v = 0; v < TV_HELP; v++) {
		char b[32];
		int w;

		snprintf(b, sizeof(b), " %d %s ", v + 1, top_views[v].name);
		w = grid_text(g, 1, col, -1, v == t->view ? GA_SEL : GA_DIM, b);
		col += w + 1;
	}
	if (t->filter[0] || t->drill) {
		char b[160];

		snprintf(b, sizeof(b), "%s%s%s%s", t->drill ? "drill: " : "",
			 t->drill ? t->dtitle : "", t->drill && t->filter[0] ? "  " : "",
			 t->filter[0] ? "filter: " : "");
		col += grid_text(g, 1, col + 1, -1, GA_WARN, b) + 1;
		if (t->filter[0])
			grid_text(g, 1, col, -1, GA_WARN, t->filter);
	}
}

static void footer(struct tui *t, struct grid *g)
{
	const struct top_keydef *k;
	size_t n = top_keys(&k);
	int row = g->rows - 1, col = 0;
	uint64_t bad = t->m.bad, lost = t->m.lost;

	if (t->batch)
		return;		/* -b: no keys to show */
	if (t->prompt) {
		const char *what = t->prompt == '/' ? "Filter:" : t->prompt == 's' ? "Search:" :
				   "Go to time (s):";

		grid_printf(g, row, 0, -1, GA_NORMAL, "%s %s", what, t->input);
		grid_paint(g, row, 0, (int)strlen(what), GA_KEY);
		return;
	}
	if (t->msg[0]) {
		grid_text(g, row, 0, -1, GA_WARN, t->msg);
		return;
	}
	for (size_t i = 0; i < n && col < g->cols; i++) {
		char b[16];

		if (!k[i].foot)
			continue;
		top_key_name(k[i].key, b, sizeof(b));
		col += grid_text(g, row, col, -1, GA_KEY, b);
		col += grid_text(g, row, col, -1, GA_KEYTEXT, k[i].foot);
		col += grid_text(g, row, col, 1, GA_NORMAL, " ");
	}
	if (bad || lost) {
		char b[64];

		snprintf(b, sizeof(b), " %llu bad lines, %llu lost ", (unsigned long long)bad,
			 (unsigned long long)lost);
		grid_rtext(g, row, col, g->cols - col, GA_BAD, b);
	}
}

void tui_draw(struct tui *t, struct grid *g)
{
	grid_clear(g);
	title(t, g);
	tabs(t, g);
	top_views[t->view].draw(t, g, 2, g->rows - 3);
	footer(t, g);
}
