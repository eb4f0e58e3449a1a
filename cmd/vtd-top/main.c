/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtd-top -- DMAR faults, invalidations and map churn of a trace: batch frames and reports */
#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "jsonw.h"
#include "pci-names.h"
#include "top.h"
#include "tracefs.h"

enum {
	OPT_REPORT = 256, OPT_FAIL_IF, OPT_LIST_METRICS, OPT_BASELINE, OPT_TABLES, OPT_RTADDR,
	OPT_REGS, OPT_WINDOW, OPT_STORM, OPT_TRACE_PIPE, OPT_ENABLE, OPT_TRACEFS, OPT_KMSG,
	OPT_SNAPSHOT, OPT_KEYS, OPT_SIZE, OPT_VIEW, OPT_THREADS,
};

static const struct cli_opt options[] = {
	{ 'b', "batch", NULL, "batch mode, as top -b: a frame per window of trace time", NULL },
	{ 'n', "iterations", "N", "with -b: stop after N frames", NULL },
	{ 'd', "delay", "SECS", "with -b: the window of each frame, in seconds of the trace's "
	  "time (default 1)", NULL },
	{ OPT_REPORT, "report", NULL, "one report of the whole trace", NULL },
	{ 'j', "json", NULL, "the report as one JSON document (formats/vtd-top.md); with -b, "
	  "one JSON object per frame", NULL },
	{ 'p', "pretty", NULL, "indented JSON (implies --json)", NULL },
	{ 'q', "quiet", NULL, "print no report or frames: the exit status and crossed "
	  "thresholds only", NULL },
	{ OPT_FAIL_IF, "fail-if", "EXPR", "exit 1 when METRIC OP NUMBER[UNIT] holds over the "
	  "whole trace, e.g. faults>0, inv.domain_share>10%, unmap_to_inv.p99>50us "
	  "(repeatable)", "metric" },
	{ OPT_LIST_METRICS, "list-metrics", NULL, "list the metrics with their units and exit",
	  NULL },
	{ OPT_BASELINE, "baseline", "FILE", "a trace to compare with (repeatable: its files "
	  "merge like the operands)", "file" },
	{ 'F', "format", "NAME", "read every input with this reader: dmesg, ftrace, qemu, jsonl, "
	  "trace-cmd (default: by content)", "format" },
	{ OPT_THREADS, "threads", "N", "parse text files in N worker threads beside the main one "
	  "(default: one per CPU; 1: in the main thread only)", NULL },
	{ OPT_TABLES, "tables", "SOURCE", "explain each distinct DMA fault by a walk of the tables "
	  "in SOURCE: image:FILE@BASE, elf:VMCORE, kdump:VMCORE, ...", "file" },
	{ OPT_RTADDR, "rtaddr", "VALUE", "with --tables: the root-table address register", NULL },
	{ OPT_REGS, "regs", "FILE", "with --tables: CAP, ECAP and RTADDR from a register-page dump",
	  "file" },
	{ OPT_WINDOW, "window", "SECS", "the window fault storms are counted in (default 1)",
	  NULL },
	{ OPT_STORM, "storm", "N", "faults in one window that make a storm (default 100)", NULL },
	{ OPT_TRACE_PIPE, "trace-pipe", NULL, "follow tracefs's trace_pipe live (ftrace events)",
	  NULL },
	{ OPT_ENABLE, "enable", NULL, "with --trace-pipe: switch the intel_iommu and iommu events "
	  "on, and back as they were on exit (also on SIGINT and SIGTERM)", NULL },
	{ OPT_TRACEFS, "tracefs", "DIR", "where tracefs is (default /sys/kernel/tracing)", "dir" },
	{ OPT_KMSG, "kmsg", NULL, "follow the kernel log live (/dev/kmsg)", NULL },
	{ 'f', "follow", NULL, "follow the FILEs as they grow, as tail -f", NULL },
	{ OPT_SNAPSHOT, "snapshot", NULL, "print the interactive view's screen as text, after "
	  "the input and --keys, without a terminal", NULL },
	{ OPT_KEYS, "keys", "KEYS", "with --snapshot: keys to press first, e.g. '2 g <Enter>' "
	  "(names: <Enter> <Esc> <Tab> <Space> <Up> <Down> <PgUp> <PgDn> <Home> <End> <F1>..)",
	  NULL },
	{ OPT_SIZE, "size", "COLSxROWS", "with --snapshot and -b: the screen's size (default "
	  "80x24; --snapshot on a terminal: its size)", NULL },
	{ OPT_VIEW, "view", "NAME", "the view shown first, or -b's frames: overview, faults, "
	  "invalidations, log", "view" },
	{ 0, NULL, NULL, NULL, NULL },
};

static const char usage[] =
	"Usage: vtd-top [OPTIONS] FILE...                 the interactive view\n"
	"       vtd-top [OPTIONS] --trace-pipe [--enable] | --kmsg | -f FILE... | -\n"
	"       vtd-top -b [-n N] [-d SECS] [OPTIONS] FILE...\n"
	"       vtd-top --report [--json] [--fail-if EXPR]... [--baseline FILE]... FILE...\n"
	"       vtd-top --snapshot [--keys KEYS] [--size COLSxROWS] FILE...\n"
	"       vtd-top --list-metrics\n";

static const char more[] =
	"FILEs are traces in any format libvtd reads (dmesg, ftrace text, trace-cmd's\n"
	"trace.dat, QEMU's vtd_* log, vtdkit JSONL), plain, gzip or zstd, merged by time\n"
	"stamp: give a machine's dmesg and ftrace together.  '-' is standard input, read\n"
	"live.  In the interactive view F1 or ? lists the keys.\n"
	"Exit status: 0 ok; 1 a --fail-if threshold was crossed; 2 usage; 3 an input is not\n"
	"a trace or is corrupt; 4 I/O error; 5 internal error.\n";

/*
 * Under LeakSanitizer (make SAN=1): libtracecmd 1.3 leaks a few bytes of
 * an sscanf("%ms") per trace.dat it opens (tests/unit/t-trace.c has the
 * story); not ours, and not worth failing a run for.
 */
__attribute__((visibility("default"))) const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libtracecmd.so\nleak:libtraceevent.so\nleak:__isoc99_vsscanf\n";
}

/* ... and quietly: the suppressions' summary on stderr would change the output. */
__attribute__((visibility("default"))) const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}

static const char *const formats[] = { "dmesg", "ftrace", "qemu", "jsonl", "trace-cmd" };
#define NFORMATS (sizeof(formats) / sizeof(formats[0]))
/* In the order of enum top_view. */
static const char *const views[] = { "overview", "faults", "invalidations", "log" };
#define NVIEWS (sizeof(views) / sizeof(views[0]))

/* The index of 'arg' in 'list', or -1 after a usage error that names them all. */
static int one_of(struct cli *c, const char *opt, const char *what, const char *arg,
		  const char *const *list, size_t n)
{
	char all[128];
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (!strcmp(arg, list[i]))
			return (int)i;
		o += (size_t)snprintf(all + o, sizeof(all) - o, "%s%s", i ? ", " : "", list[i]);
	}
	cli_error(c, EXIT_USAGE, "%s: unknown %s '%s' (%s)", opt, what, arg, all);
	return -1;
}

/* Seconds as a positive number of nanoseconds, at most a day. */
static int seconds(struct cli *c, const char *opt, const char *arg, uint64_t *ns)
{
	char *end;
	double s = strtod(arg, &end);

	if (end == arg || *end || !(s >= 1e-6 && s <= 86400)) {
		cli_error(c, EXIT_USAGE, "%s: '%s' is not a number of seconds from 0.000001 to 86400",
			  opt, arg);
		return -1;
	}
	*ns = (uint64_t)llround(s * 1e9);
	return 0;
}

static int handle(struct cli *c, int key, const char *arg, void *ctx)
{
	struct top_opts *o = ctx;
	char why[256];

	switch (key) {
	case 'b': o->batch = 1; break;
	case 'n': return cli_num(c, "--iterations", arg, &o->frames);
	case 'd': return seconds(c, "--delay", arg, &o->delay_ns);
	case OPT_REPORT: o->report = 1; break;
	case 'p': o->pretty = 1; /* fall through */
	case 'j': o->json = 1; c->json = 1; break;
	case 'q': o->quiet = 1; break;
	case OPT_FAIL_IF:
		if (o->nexpr == TOP_MAX_EXPR) {
			cli_error(c, EXIT_USAGE, "--fail-if: at most %d thresholds", TOP_MAX_EXPR);
			return -1;
		}
		if (top_expr_parse(arg, &o->expr[o->nexpr], why, sizeof(why))) {
			cli_error(c, EXIT_USAGE, "--fail-if %s", why);
			return -1;
		}
		o->nexpr++;
		break;
	case OPT_LIST_METRICS: o->list_metrics = 1; break;
	case OPT_BASELINE:
		if (o->base.n == TOP_MAX_FILES) {
			cli_error(c, EXIT_USAGE, "--baseline: at most %d files", TOP_MAX_FILES);
			return -1;
		}
		o->base.path[o->base.n++] = arg;
		break;
	case 'F':
		if (one_of(c, "--format", "reader", arg, formats, NFORMATS) < 0)
			return -1;
		o->format = arg;
		break;
	case OPT_THREADS: {
		uint64_t n;

		if (cli_num(c, "--threads", arg, &n))
			return -1;
		if (!n || n > 64) {
			cli_error(c, EXIT_USAGE, "--threads: '%s' is not from 1 to 64", arg);
			return -1;
		}
		o->threads = (unsigned)n;
		break;
	}
	case OPT_TABLES: o->tables = arg; break;
	case OPT_RTADDR:
		o->has_rtaddr = 1;
		return cli_num(c, "--rtaddr", arg, &o->rtaddr);
	case OPT_REGS: o->regs = arg; break;
	case OPT_TRACE_PIPE: o->trace_pipe = 1; break;
	case OPT_ENABLE: o->enable = 1; break;
	case OPT_TRACEFS: o->tracefs = arg; break;
	case OPT_KMSG: o->kmsg = 1; break;
	case 'f': o->follow = 1; break;
	case OPT_SNAPSHOT: o->snapshot = 1; break;
	case OPT_KEYS: o->keys = arg; break;
	case OPT_SIZE: {
		char *x;
		long cols = strtol(arg, &x, 10), rows = *x == 'x' ? strtol(x + 1, &x, 10) : 0;

		if (*x || cols < 80 || rows < 24 || cols > 1000 || rows > 1000) {
			cli_error(c, EXIT_USAGE, "--size: '%s' is not COLSxROWS from 80x24 to "
				  "1000x1000", arg);
			return -1;
		}
		o->cols = (int)cols;
		o->rows = (int)rows;
		break;
	}
	case OPT_VIEW:
		if ((o->view = one_of(c, "--view", "view", arg, views, NVIEWS)) < 0)
			return -1;
		break;
	case OPT_WINDOW: return seconds(c, "--window", arg, &o->stat.window_ns);
	case OPT_STORM: return cli_num(c, "--storm", arg, &o->stat.storm_faults);
	}
	return 0;
}

static const char *const unit_names[] = {
	[VTD_TU_COUNT] = "count", [VTD_TU_NS] = "time", [VTD_TU_RATIO] = "ratio",
	[VTD_TU_RATE] = "rate", [VTD_TU_BYTES] = "bytes",
};

static void list_metrics(const struct top_opts *o)
{
	struct jsonw *w = o->json ? jsonw_new(stdout, o->pretty) : NULL;

	if (w)
		jsonw_start_array(w);
	for (unsigned i = 0; i < vtd_tstat_nmetrics(); i++) {
		const struct vtd_tstat_metric *m = vtd_tstat_metric_at(i);

		if (!w) {
			printf("%-24s %-6s %s\n", m->name, unit_names[m->unit], m->help);
			continue;
		}
		jsonw_start_object(w);
		jsonw_kstring(w, "name", m->name);
		jsonw_kstring(w, "unit", unit_names[m->unit]);
		jsonw_kstring(w, "help", m->help);
		jsonw_end_object(w);
	}
	if (w) {
		jsonw_end_array(w);
		jsonw_free(w);
	}
}

/* Which option combinations make sense: a usage error's text, or NULL. */
static const char *misuse(const struct top_opts *o, int nfiles)
{
	int live = o->trace_pipe || o->kmsg, tui = !o->batch && !o->report;

	if (o->list_metrics)
		return o->batch || o->report || nfiles ? "--list-metrics takes nothing else" : NULL;
	if ((o->batch && o->report) || (o->snapshot && !tui))
		return "-b, --report and --snapshot exclude each other";
	if (!nfiles && !live)
		return "no trace file; see --help";
	if (nfiles + live > TOP_MAX_FILES)
		return "too many trace files (at most 64)";
	if ((o->enable || o->tracefs) && !o->trace_pipe)
		return "--enable and --tracefs go with --trace-pipe";
	if (o->report && (live || o->follow))
		return "--report reads to the end, and --trace-pipe, --kmsg and -f have none: use -b "
		       "or the interactive view";
	if (o->keys && !o->snapshot)
		return "--keys goes with --snapshot";
	if (o->rows && !o->snapshot && !o->batch)
		return "--size goes with --snapshot and -b";
	if (o->view && o->report)
		return "--view goes with -b, --snapshot and the interactive view";
	if (tui && (o->nexpr || o->base.n || o->json || o->quiet))
		return "--fail-if, --baseline, --json and --quiet go with -b or --report";
	if (!o->batch && (o->frames || o->delay_ns))
		return "-n and -d go with -b";
	if (o->batch && (o->base.n || o->tables))
		return "--baseline and --tables go with --report or the interactive view";
	if (!o->tables && (o->regs || o->has_rtaddr))
		return "--rtaddr and --regs go with --tables";
	if (o->tables && !o->regs && !o->has_rtaddr)
		return "--tables needs --rtaddr or --regs to find the root table";
	if (o->quiet && o->json)
		return "--quiet and --json exclude each other";
	return NULL;
}

/* The operands and the live sources as one list; --enable switches the events on. */
static int sources(struct cli *c, struct top_opts *o, char **files, int n,
		   struct top_tracefs **tf)
{
	struct top_files *f = &o->files;
	char dir[4000];
	int rc;

	for (int i = 0; i < n; i++) {
		if (!strcmp(files[i], "-") && isatty(STDIN_FILENO)) {
			cli_error(c, EXIT_USAGE, "'-': standard input is a terminal; give a file, or "
				  "pipe the trace in");
			return EXIT_USAGE;
		}
		f->path[f->n] = files[i];
		f->live[f->n++] = o->follow || !strcmp(files[i], "-");
	}
	if (o->kmsg) {
		f->format[f->n] = "dmesg";
		f->live[f->n] = 1;
		f->path[f->n++] = "/dev/kmsg";
	}
	if (!o->trace_pipe)
		return 0;
	if ((rc = top_tracefs_find(c, o->tracefs, dir, sizeof(dir))))
		return rc;
	if ((size_t)snprintf(o->pipe_path, sizeof(o->pipe_path), "%.4000s/trace_pipe", dir) >=
	    sizeof(o->pipe_path)) {
		cli_error(c, EXIT_USAGE, "--tracefs: the path is too long");
		return EXIT_USAGE;
	}
	f->format[f->n] = "ftrace";
	f->live[f->n] = 1;
	f->path[f->n++] = o->pipe_path;
	return o->enable ? top_tracefs_enable(c, dir, tf) : 0;
}

/*
 * --snapshot: UTF-8 when the locale says so; the size, when not given, the
 * terminal's, else the least the view needs.
 */
static void screen_size(struct top_opts *o)
{
	struct winsize ws;
	const char *cs = setlocale(LC_CTYPE, "") ? nl_langinfo(CODESET) : "";

	o->utf8 = !strcmp(cs, "UTF-8");
	if (o->rows)
		return;
	o->cols = 80;
	o->rows = 24;
	if (o->snapshot && isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col >= 80 &&
	    ws.ws_row >= 24) {
		o->cols = ws.ws_col;
		o->rows = ws.ws_row;
	}
}

static int feed(const struct vtd_event *ev, void *ctx)
{
	vtd_tstat_feed(ctx, ev);
	return 0;
}

static int run(struct cli *c, struct top_run *r)
{
	const struct top_opts *o = r->o;
	struct vtd_error e = { 0 };
	int rc;

	if ((rc = vtd_tstat_new(&o->stat, &r->st, &e)))
		return cli_report(c, &e, rc);
	if (o->base.n) {
		if ((rc = vtd_tstat_new(&o->stat, &r->base, &e)))
			return cli_report(c, &e, rc);
		if ((rc = top_read(c, &o->base, o->format, r->base, feed, r->base, r->base_formats,
				   sizeof(r->base_formats))))
			return rc;
	}
	if (o->tables && (rc = top_explain_open(c, o, &r->ex)))
		return rc;
	if (o->snapshot)
		return top_snapshot(c, r);
	if (!o->batch && !o->report)
		return top_tui(c, r);
	if (o->batch)
		rc = top_batch(c, r);
	else
		rc = top_read(c, &o->files, o->format, r->st, feed, r->st, r->formats,
			      sizeof(r->formats));
	if (rc)
		return rc;
	for (unsigned i = 0; i < o->nexpr; i++) {
		const struct top_expr *x = &o->expr[i];
		const struct vtd_tstat_metric *m = vtd_tstat_metric_at((unsigned)x->metric);
		double v = vtd_tstat_value(r->st, (unsigned)x->metric);
		char s[32];

		if (!(r->crossed[i] = (uint8_t)top_expr_crossed(x, v)))
			continue;
		r->ncrossed++;
		top_value_str(m->unit, v, s, sizeof(s));
		fprintf(stderr, "%s: threshold crossed: %s (%s is %s)\n", c->prog, x->text, m->name, s);
	}
	if (o->report && !o->quiet) {
		if (o->json)
			top_report_json(stdout, r);
		else
			top_report_text(stdout, r);
	}
	if (fflush(stdout) || ferror(stdout)) {
		cli_error(c, EXIT_SOURCE, "cannot write the output");
		return EXIT_SOURCE;
	}
	return r->ncrossed ? EXIT_FINDING : EXIT_OK;
}

int main(int argc, char **argv)
{
	struct cli c = { .prog = "vtd-top", .opts = options, .usage = usage, .more = more };
	static struct top_opts o;
	struct top_run r = { .o = &o };
	struct top_tracefs *tf = NULL;
	int first = cli_parse(&c, argc, argv, handle, &o), rc;
	const char *why;

	if (first < 0)
		return EXIT_USAGE;
	if ((why = misuse(&o, argc - first))) {
		cli_error(&c, EXIT_USAGE, "%s", why);
		return EXIT_USAGE;
	}
	if (o.list_metrics) {
		list_metrics(&o);
		return EXIT_OK;
	}
	if ((rc = sources(&c, &o, argv + first, argc - first, &tf)))
		return rc;
	if (!o.delay_ns)
		o.delay_ns = 1000000000ull;
	if (!o.threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		o.threads = n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
	}
	o.files.threads = o.base.threads = o.threads;
	if (o.snapshot || o.batch)
		screen_size(&o);
	rc = run(&c, &r);
	top_tracefs_free(tf);
	cli_pci_done();
	top_explain_close(r.ex);
	vtd_tstat_free(r.st);
	vtd_tstat_free(r.base);
	return rc;
}
