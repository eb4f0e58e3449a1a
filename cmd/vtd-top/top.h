/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtd-top -- what its parts share: options, inputs, thresholds, output */
#ifndef VTD_TOP_H
#define VTD_TOP_H

#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "trace.h"
#include "tstat.h"

#define TOP_MAX_FILES 64
#define TOP_MAX_EXPR 32

struct top_files {
	const char *path[TOP_MAX_FILES];
	const char *format[TOP_MAX_FILES];	/* NULL: -F, or by content */
	uint8_t live[TOP_MAX_FILES];		/* followed as it grows (vtd_trace_opts.live) */
	unsigned n;
	unsigned threads;			/* vtd_trace_opts.threads of the files not live */
};

/* A followed regular file is looked at this often (it cannot be polled). */
#define TOP_FOLLOW_MS 100

/* --fail-if METRIC OP NUMBER[UNIT], parsed. */
enum top_op { TOP_GT = 1, TOP_GE, TOP_LT, TOP_LE, TOP_EQ, TOP_NE };
struct top_expr {
	const char *text;
	int metric;		/* vtd_tstat_metric_at() index */
	int op;			/* enum top_op */
	double limit;		/* in the metric's own unit (ns, ratio, bytes, ...) */
};

struct top_opts {
	struct top_files files, base;
	int batch, report, json, pretty, quiet, list_metrics;
	uint64_t frames;		/* -n: 0 = every window */
	uint64_t delay_ns;		/* -d */
	const char *format;
	unsigned threads;		/* --threads; 0: one per CPU */
	struct top_expr expr[TOP_MAX_EXPR];
	unsigned nexpr;
	struct vtd_tstat_opts stat;
	/* --tables */
	const char *tables, *regs;
	uint64_t rtaddr;
	int has_rtaddr, scalable;
	/* live sources */
	int trace_pipe, enable, kmsg, follow;
	const char *tracefs;
	char pipe_path[4096];
	/* --snapshot */
	int snapshot, rows, cols, utf8;
	int view;			/* enum top_view: the first one shown */
	const char *keys;
};

/*
 * Parse one --fail-if expression: 0, or -1 with a one-line reason in 'why'
 * (an unknown metric, a unit that does not fit it, a malformed number).
 */
int top_expr_parse(const char *text, struct top_expr *x, char *why, size_t n);
/* 1 when the threshold is crossed. */
int top_expr_crossed(const struct top_expr *x, double value);

/*
 * The sources as one stream of events merged by time stamp (live ones as
 * they come).  Open: 0, or an exit code after the error.
 */
struct top_in;
struct pollfd;
int top_in_open(struct cli *c, const struct top_files *f, const char *format,
		struct top_in **out);
/*
 * 1 with '*ev' the next event (valid until the next call), 0 when none is
 * there now (top_in_ended() tells the end), or minus an exit code after
 * the error.
 */
int top_in_next(struct top_in *in, const struct vtd_event **ev);
int top_in_ended(const struct top_in *in);
/* 1 while a pipe among the sources has not ended: all it will send is yet to come. */
int top_in_fifo_open(const struct top_in *in);
/*
 * What to poll() for more input: fills up to 'n' entries and lowers '*ms'
 * (-1: no limit) to TOP_FOLLOW_MS when a followed file needs the clock.
 */
size_t top_in_pollfds(const struct top_in *in, struct pollfd *p, size_t n, int *ms);
/* Wait up to 'ms' (-1: until a source has something or ends). */
void top_in_wait(const struct top_in *in, int ms);
/* Bad lines so far, and /dev/kmsg records lost. */
void top_in_counts(const struct top_in *in, uint64_t *bad, uint64_t *lost);
/* "dmesg+ftrace": the readers that matched so far. */
void top_in_formats(const struct top_in *in, char *formats, size_t n);
/* Adds the bad lines to 'st' and the formats to 'formats' when not NULL. */
void top_in_close(struct top_in *in, struct vtd_tstat *st, char *formats, size_t n);

/*
 * Read the files as one trace merged by time stamp (dmesg and ftrace of one
 * machine share its clock), feeding every event to 'fn'; bad lines are
 * added to 'st'.  0, or an exit code after printing the error.
 */
typedef int (*top_event_fn)(const struct vtd_event *ev, void *ctx);
int top_read(struct cli *c, const struct top_files *f, const char *format,
	     struct vtd_tstat *st, top_event_fn fn, void *ctx, char *formats, size_t nformats);

/* A value in its unit, as people read it: "12.3us", "45%", "4K", "17". */
void top_value_str(int unit, double v, char *b, size_t n);
/* A time stamp as seconds: "12.346966". */
void top_ts_str(uint64_t ns, char *b, size_t n);
const char *top_access_str(unsigned access);
/* 't' with each {metric} replaced by its value in its unit, into 'b'. */
void top_mfmt(const struct vtd_tstat *s, const char *t, char *b, size_t n);

/* The whole-trace report, text or JSON; 'base' may be NULL. */
struct top_run {
	const struct top_opts *o;
	struct vtd_tstat *st, *base;
	char formats[64], base_formats[64];
	unsigned ncrossed;
	uint8_t crossed[TOP_MAX_EXPR];
	struct top_explain *ex;		/* with --tables */
};
void top_report_text(FILE *f, const struct top_run *r);
void top_report_json(FILE *f, const struct top_run *r);
/* The member "metrics": every metric by name, integers as integers. */
struct jsonw;
void top_json_metrics(struct jsonw *w, const struct vtd_tstat *s);

/* -b: frames over windows of the trace's time. */
int top_batch(struct cli *c, struct top_run *r);

/* The interactive view (tui.c), and the same screen as text without a terminal. */
int top_tui(struct cli *c, struct top_run *r);
int top_snapshot(struct cli *c, struct top_run *r);

/* --tables: each distinct fault walked through the tables. */
struct top_explain;
int top_explain_open(struct cli *c, const struct top_opts *o, struct top_explain **out);
/* The walk of one fault: a one-line verdict and the path; 0 when it could not run. */
int top_explain_fault(struct top_explain *x, const struct vtd_tstat_fault *f, char *verdict,
		      size_t nv, char *path, size_t np);
void top_explain_close(struct top_explain *x);

#endif
