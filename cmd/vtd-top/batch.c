/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-top -b -- frames, as top -b prints them: the trace cut into windows
 * of -d seconds of its own time, each printed as the view of that window.
 */
#include <string.h>

#include "jsonw.h"
#include "top.h"

struct batch {
	struct top_run *r;
	struct vtd_tstat *win;		/* this window's events only */
	uint64_t start, end, frames;
	int started;
};

#define FRAME_ROWS 5

static double v(const struct vtd_tstat *s, const char *name)
{
	return vtd_tstat_value(s, (unsigned)vtd_tstat_metric_find(name));
}

static void frame_text(FILE *f, const struct batch *b)
{
	const struct vtd_tstat *w = b->win;
	const struct vtd_tstat_fault *fl;
	const struct vtd_tstat_key *k;
	size_t nf = vtd_tstat_faults(w, &fl), nk = vtd_tstat_table(w, VTD_TT_INV_DID, &k);
	char s0[24], s1[24], p50[16], p99[16], mx[16];

	top_ts_str(b->start, s0, sizeof(s0));
	top_ts_str(b->end, s1, sizeof(s1));
	top_value_str(VTD_TU_NS, v(w, "unmap_to_inv.p50"), p50, sizeof(p50));
	top_value_str(VTD_TU_NS, v(w, "unmap_to_inv.p99"), p99, sizeof(p99));
	top_value_str(VTD_TU_NS, v(w, "unmap_to_inv.max"), mx, sizeof(mx));
	fprintf(f, "vtd-top - %s to %s s, frame %llu\n", s0, s1, (unsigned long long)b->frames + 1);
	fprintf(f, "Events: %.0f, faults %.0f, inv %.0f (page %.0f, domain %.0f), map %.0f, "
		"unmap %.0f, live %.0f\n", v(w, "events"), v(w, "faults"), v(w, "inv"),
		v(w, "inv.page"), v(w, "inv.domain"), v(w, "map"), v(w, "unmap"),
		v(b->r->st, "live.end"));
	fprintf(f, "Unmap to inv: %.0f covered, p50 %s, p99 %s, max %s; pending %.0f; mode %s\n",
		v(w, "unmap_to_inv.count"), p50, p99, mx, v(b->r->st, "unmap_to_inv.pending"),
		vtd_tstat_mode_name(vtd_tstat_mode(b->r->st)));
	if (nf)
		fprintf(f, "  %-14s %-6s %-5s %-18s %8s\n", "FAULT DEVICE", "REASON", "ACC", "PAGE",
			"COUNT");
	for (size_t i = 0; i < nf && i < FRAME_ROWS; i++)
		fprintf(f, "  %-14s 0x%02x   %-5s %#-18llx %8llu\n",
			fl[i].device[0] ? fl[i].device : "(other)", fl[i].reason,
			top_access_str(fl[i].access), (unsigned long long)fl[i].page,
			(unsigned long long)fl[i].count);
	if (nk)
		fprintf(f, "  %-14s %8s %8s %8s\n", "INV DOMAIN", "COUNT", "PAGE", "WIDE");
	for (size_t i = 0; i < nk && i < FRAME_ROWS; i++)
		fprintf(f, "  %-14s %8llu %8llu %8llu\n", k[i].name[0] ? k[i].name : "(other)",
			(unsigned long long)k[i].n, (unsigned long long)k[i].page,
			(unsigned long long)k[i].wide);
	fprintf(f, "\n");
}

/* One JSON object a line (a pretty one with -p): the window's metrics. */
static void frame_json(FILE *f, const struct batch *b)
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
	vtd_tstat_reset(b->win);
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
	vtd_tstat_feed(b->r->st, ev);
	vtd_tstat_feed(b->win, ev);
	return 0;
}

int top_batch(struct cli *c, struct top_run *r)
{
	struct vtd_tstat_opts wo = r->o->stat;
	struct vtd_error e = { 0 };
	struct batch b = { .r = r };
	int rc;

	wo.track_log2 = 10;	/* a window sees few IOVAs: lifetimes within it only */
	if ((rc = vtd_tstat_new(&wo, &b.win, &e)))
		return cli_report(c, &e, rc);
	rc = top_read(c, &r->o->files, r->o->format, r->st, on_event, &b, r->formats,
		      sizeof(r->formats));
	if (rc == STOP)
		rc = 0;
	else if (!rc && (v(b.win, "events") || !b.frames))
		emit(&b);	/* the last, partial window */
	vtd_tstat_free(b.win);
	return rc;
}
