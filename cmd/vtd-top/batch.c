/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-top -b -- frames, as top -b prints them: the trace cut into windows
 * of -d seconds of its own time, each printed as the view of that window.
 */
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "tui.h"

struct batch {
	struct top_run *r;
	struct vtd_tstat *win;		/* JSON frames: this window's events only */
	uint64_t start, end, frames, events;	/* events: in this window */
	int started;
	/* text frames: the interactive view's screen, drawn off-screen */
	struct tui *t;
	struct grid g;
};

static double v(const struct vtd_tstat *s, const char *name)
{
	return vtd_tstat_value(s, (unsigned)vtd_tstat_metric_find(name));
}

/* The view as the terminal would show it at the end of the window, then a blank line. */
static void frame_text(FILE *f, struct batch *b)
{
	b->t->cursor_ns = (int64_t)b->end;
	tui_draw(b->t, &b->g);
	grid_write(&b->g, f);
	fputc('\n', f);
}

/* One JSON object a line (a pretty one with -p): the window's metrics. */
static void frame_json(FILE *f, struct batch *b)
{
	struct jsonw *w = jsonw_new(f, b->r->o->pretty);

	if (!w)
		return;
	jsonw_start_object(w);
	jsonw_kstring(w, "format", "vtd-top-frame/1");
	jsonw_kint(w, "frame", (int64_t)b->frames + 1);
	jsonw_kint(w, "start_ns", (int64_t)b->start);
	jsonw_kint(w, "end_ns", (int64_t)b->end);
	jsonw_kint(w, "live", (int64_t)v(b->r->st, "live.end"));
	jsonw_kstring(w, "mode", vtd_tstat_mode_name(vtd_tstat_mode(b->r->st)));
	vtd_tstat_span(b->win, b->start, b->end);
	top_json_metrics(w, b->win);
	jsonw_end_object(w);
	jsonw_free(w);
}

/* Print the window and open the next; 1 when -n frames are out. */
static int emit(struct batch *b)
{
	if (!b->r->o->quiet) {
		if (b->r->o->json)
			frame_json(stdout, b);
		else
			frame_text(stdout, b);
	}
	if (b->win)
		vtd_tstat_reset(b->win);
	b->events = 0;
	b->frames++;
	b->start = b->end;
	b->end += b->r->o->delay_ns;
	return b->r->o->frames && b->frames >= b->r->o->frames;
}

/* Reading stops early (-n reached): an exit code of its own that is no error. */
#define STOP 100

static int on_event(const struct vtd_event *ev, void *ctx)
{
	struct batch *b = ctx;

	if ((ev->has & VTD_EVH_TS) && !b->started) {
		b->started = 1;
		b->start = ev->ts_ns - ev->ts_ns % b->r->o->delay_ns;
		b->end = b->start + b->r->o->delay_ns;
	}
	if (b->started && (ev->has & VTD_EVH_TS) && ev->ts_ns >= b->end) {
		if (emit(b))
			return STOP;
		/* Windows without events print nothing: a gap of hours is one step. */
		if (ev->ts_ns >= b->end) {
			b->start = ev->ts_ns - ev->ts_ns % b->r->o->delay_ns;
			b->end = b->start + b->r->o->delay_ns;
		}
	}
	/* The screen's model feeds the run's statistics itself. */
	if (b->t)
		top_model_feed(&b->t->m, ev);
	else
		vtd_tstat_feed(b->r->st, ev);
	if (b->win)
		vtd_tstat_feed(b->win, ev);
	b->events++;
	return 0;
}

/* What the frames need: a window's statistics (JSON), or the screen (text). */
static int frames_open(struct cli *c, struct batch *b)
{
	const struct top_opts *o = b->r->o;
	struct vtd_tstat_opts wo = o->stat;
	struct vtd_error e = { 0 };
	int rc;

	if (o->quiet)
		return 0;
	if (o->json) {
		wo.track_log2 = 10;	/* a window sees few IOVAs: lifetimes within it only */
		return (rc = vtd_tstat_new(&wo, &b->win, &e)) ? cli_report(c, &e, rc) : 0;
	}
	if (!(b->t = calloc(1, sizeof(*b->t)))) {
		cli_error(c, EXIT_INTERNAL, "out of memory");
		return EXIT_INTERNAL;
	}
	if ((rc = top_tui_init(c, b->t, b->r)))
		return rc;
	b->t->batch = 1;
	if (grid_init(&b->g, o->rows, o->cols, o->utf8)) {
		cli_error(c, EXIT_INTERNAL, "out of memory");
		return EXIT_INTERNAL;
	}
	return 0;
}

static void frames_close(struct batch *b)
{
	vtd_tstat_free(b->win);
	if (b->t) {
		top_model_free(&b->t->m);
		grid_free(&b->g);
		free(b->t);
	}
}

int top_batch(struct cli *c, struct top_run *r)
{
	struct batch b = { .r = r };
	int rc = frames_open(c, &b);

	if (!rc)
		rc = top_read(c, &r->o->files, r->o->format, r->st, on_event, &b, r->formats,
			      sizeof(r->formats));
	if (rc == STOP)
		rc = 0;
	else if (!rc && (b.events || !b.frames))
		emit(&b);	/* the last, partial window */
	frames_close(&b);
	return rc;
}
