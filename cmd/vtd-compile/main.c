/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtd-compile -- VT-d translation tables from a layout, and layouts from tables */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "compile.h"
#include "emit.h"
#include "regpage.h"
#include "text.h"

enum {
	OPT_NAME = 256, OPT_PROFILE, OPT_LIST_PROFILES, OPT_VERIFY, OPT_PROBES, OPT_FAULTS,
	OPT_STATS, OPT_TIME, OPT_RTADDR, OPT_IRTA, OPT_REGS,
};

static const struct cli_opt options[] = {
	{ 'o', "output", "FILE", "write the tables to FILE, in the format its extension names: "
	  ".bin image, .c C source (and .h beside it), .o ELF object, .json map (repeatable)",
	  "file" },
	{ 'F', "format", "KIND", "bin, c, elf or map: the format of the -o options that follow",
	  NULL },
	{ OPT_NAME, "name", "NAME", "symbol prefix of the C and ELF outputs (default vtd_tables)",
	  NULL },
	{ OPT_PROFILE, "profile", "NAME", "capability profile, in place of the layout's", NULL },
	{ OPT_LIST_PROFILES, "list-profiles", NULL, "list the capability profiles and exit",
	  NULL },
	{ OPT_VERIFY, "verify", NULL, "walk every mapping through the built tables with the "
	  "engine; exit 1 on a mismatch", NULL },
	{ OPT_PROBES, "probes", "FILE", "write a scenario of probes that check the tables "
	  "(vtd-sim -f, the QEMU harness)", "file" },
	{ OPT_FAULTS, "faults", "spec|qemu", "fault numbering of --probes: the specification's "
	  "(default) or QEMU 7.2's", NULL },
	{ OPT_STATS, "stats", NULL, "table pages used and the fewest possible, per kind, on "
	  "standard error", NULL },
	{ OPT_TIME, "time", NULL, "where the time went (reading, JSON parsing, layout, check, "
	  "building, verify, writing), on standard error", NULL },
	{ 'd', "decompile", "IMAGE[@BASE]", "read tables back into a layout (with --rtaddr); "
	  "IMAGE may be any memory source: elf:FILE, kdump:FILE, ...", "file" },
	{ OPT_RTADDR, "rtaddr", "VALUE", "--decompile: the root-table address register (TTM "
	  "bits select the mode)", NULL },
	{ OPT_IRTA, "irta", "VALUE", "--decompile: the interrupt-remapping table address "
	  "register", NULL },
	{ OPT_REGS, "regs", "FILE", "--decompile: CAP, ECAP, RTADDR and IRTA from a dump of the "
	  "register page (as vtd-decode regs reads)", "file" },
	{ 'j', "json", NULL, "print the result (and errors) as JSON", NULL },
	{ 'p', "pretty", NULL, "indent JSON output", NULL },
	{ 'q', "quiet", NULL, "print nothing on success", NULL },
	{ 0, NULL, NULL, NULL, NULL },
};

static const char usage[] =
	"Usage: vtd-compile [OPTIONS] LAYOUT            build tables ('-' reads standard input)\n"
	"       vtd-compile -d IMAGE[@BASE] --rtaddr VALUE [--irta VALUE] [-o FILE.json]\n"
	"       vtd-compile -d SOURCE --regs FILE [--verify] [-o FILE.json]\n";

static const char more[] =
	"A layout (formats/layout.md) says which device reaches which memory at which\n"
	"address; vtd-compile builds the root, context, PASID, paging and interrupt-\n"
	"remapping tables for it at the layout's placement.  Every problem is reported\n"
	"as FILE:LINE:COL: /json/pointer: message, and then nothing is written.  Outputs\n"
	"appear all together, each complete, or not at all.\n"
	"Exit status: 0 ok; 1 --verify or --probes found the tables disagree with the\n"
	"layout; 2 usage; 3 bad layout or bad tables; 4 I/O error; 5 internal error.\n";

#define MAX_OUT 16

struct out {
	const char *path;
	enum emit_format fmt;
};

struct opts {
	struct out out[MAX_OUT];
	unsigned nout;
	enum emit_format next_fmt;
	const char *name, *profile, *probes, *decompile;
	int list_profiles, verify, stats, time, json, pretty, quiet;
	uint8_t qemu;			/* --faults qemu */
	uint64_t rtaddr, irta;
	int has_rtaddr, has_irta;
	const char *regs;
};

static int handle(struct cli *c, int key, const char *arg, void *ctx)
{
	struct opts *o = ctx;

	switch (key) {
	case 'o':
		if (o->nout == MAX_OUT) {
			cli_error(c, EXIT_USAGE, "at most %d outputs", MAX_OUT);
			return -1;
		}
		o->out[o->nout].path = arg;
		o->out[o->nout++].fmt = o->next_fmt;
		break;
	case 'F':
		if ((o->next_fmt = emit_format_by_name(arg)) == EMIT_NONE) {
			cli_error(c, EXIT_USAGE, "--format must be bin, c, elf or map, not '%s'", arg);
			return -1;
		}
		break;
	case OPT_NAME:
		if (!emit_name_ok(arg)) {
			cli_error(c, EXIT_USAGE, "--name '%s' is not a C identifier of at most %d "
				  "bytes", arg, EMIT_NAME_MAX);
			return -1;
		}
		o->name = arg;
		break;
	case OPT_PROFILE:
		if (!vtd_profile_find(arg)) {
			cli_error(c, EXIT_USAGE, "unknown profile '%s' (see --list-profiles)", arg);
			return -1;
		}
		o->profile = arg;
		break;
	case OPT_LIST_PROFILES: o->list_profiles = 1; break;
	case OPT_VERIFY: o->verify = 1; break;
	case OPT_PROBES: o->probes = arg; break;
	case OPT_FAULTS: return cli_faults(c, arg, &o->qemu);
	case OPT_STATS: o->stats = 1; break;
	case OPT_TIME: o->time = 1; break;
	case 'd': o->decompile = arg; break;
	case OPT_RTADDR:
		o->has_rtaddr = 1;
		return cli_num(c, "--rtaddr", arg, &o->rtaddr);
	case OPT_IRTA:
		o->has_irta = 1;
		return cli_num(c, "--irta", arg, &o->irta);
	case OPT_REGS: o->regs = arg; break;
	case 'j': o->json = 1; c->json = 1; break;
	case 'p': o->pretty = 1; break;
	case 'q': o->quiet = 1; break;
	}
	return 0;
}

static int list_profiles(const struct opts *o)
{
	const struct vtd_profile *p;
	struct json_object *a = o->json ? json_object_new_array() : NULL;
	unsigned i;

	for (i = 0; (p = vtd_profile_at(i)); i++) {
		if (a) {
			struct json_object *e = json_object_new_object();

			json_object_object_add(e, "name", json_object_new_string(p->name));
			json_object_object_add(e, "desc", json_object_new_string(p->desc));
			json_object_object_add(e, "cap", cli_json_hex(p->cap));
			json_object_object_add(e, "ecap", cli_json_hex(p->ecap));
			json_object_object_add(e, "haw", json_object_new_int((int)p->haw));
			json_object_object_add(e, "default", json_object_new_boolean(i == 0));
			json_object_array_add(a, e);
		} else {
			printf("%-10s %s%s\n", p->name, p->desc, i ? "" : " (default)");
		}
	}
	if (a) {
		struct json_object *r = json_object_new_object();

		json_object_object_add(r, "profiles", a);
		cli_print_json(r, o->pretty);
		json_object_put(r);
	}
	return EXIT_OK;
}

/* ---- problems ---------------------------------------------------------------- */

/*
 * Print every problem, "FILE:LINE:COL: /pointer: message", on standard
 * error, and as {"problems": [...], "error": ...} in JSON mode.
 */
static int report(struct cli *c, const struct opts *o, const char *file, const char *text,
		  size_t len, struct cdiags *d, int code, const char *what)
{
	struct json_object *a = o->json ? json_object_new_array() : NULL;
	size_t i;

	cdiags_locate(d, text, len);
	for (i = 0; i < d->n; i++) {
		const struct cdiag *g = &d->v[i];

		if (g->ptr[0])
			fprintf(stderr, "%s:%u:%u: %s: %s\n", file, g->line, g->col, g->ptr, g->msg);
		else
			fprintf(stderr, "%s:%u:%u: %s\n", file, g->line, g->col, g->msg);
		if (a) {
			struct json_object *e = json_object_new_object();

			json_object_object_add(e, "file", json_object_new_string(file));
			json_object_object_add(e, "line", json_object_new_int((int)g->line));
			json_object_object_add(e, "col", json_object_new_int((int)g->col));
			json_object_object_add(e, "pointer", json_object_new_string(g->ptr));
			json_object_object_add(e, "message", json_object_new_string(g->msg));
			json_object_array_add(a, e);
		}
	}
	if (d->dropped)
		fprintf(stderr, "%s: ... and %zu more problems\n", c->prog, d->dropped);
	if (a) {
		struct json_object *r = json_object_new_object(), *e = json_object_new_object();
		char msg[200];

		snprintf(msg, sizeof(msg), "%zu %s%s", d->n + d->dropped, what,
			 code == EXIT_FINDING ? "" : "; nothing written");
		json_object_object_add(e, "code", json_object_new_string(code == EXIT_FINDING ?
									  "finding" : "data"));
		json_object_object_add(e, "exit", json_object_new_int(code));
		json_object_object_add(e, "message", json_object_new_string(msg));
		json_object_object_add(r, "error", e);
		json_object_object_add(r, "problems", a);
		cli_print_json(r, o->pretty);
		json_object_put(r);
	}
	return code;
}

/* ---- outputs ---------------------------------------------------------------- */

struct sink {
	struct cli_out co;
	const char *path;
	enum emit_format fmt;	/* kind 0: the emitter's format */
	int kind;		/* 0 emitter, 1 C header, 2 probes, 3 layout */
	char *hpath;		/* C: its header's path (owned) */
};

static char *header_path(const char *c)
{
	size_t n = strlen(c);
	char *h = malloc(n + 3);

	if (!h)
		return NULL;
	memcpy(h, c, n + 1);
	if (n > 2 && !strcmp(c + n - 2, ".c"))
		h[n - 1] = 'h';
	else
		strcpy(h + n, ".h");
	return h;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/* Check the outputs before doing any work: formats known, at most one on stdout. */
static int plan_outputs(struct cli *c, struct opts *o)
{
	unsigned i, stdo = 0;

	for (i = 0; i < o->nout; i++) {
		struct out *w = &o->out[i];
		int is_std = !strcmp(w->path, "-");

		if (o->decompile) {
			w->fmt = EMIT_MAP;
		} else if (w->fmt == EMIT_NONE && (is_std || (w->fmt = emit_format_by_path(w->path))
							   == EMIT_NONE)) {
			cli_error(c, EXIT_USAGE, "'%s': cannot tell the format from the name; use -F "
				  "bin|c|elf|map before -o", w->path);
			return -1;
		}
		if (is_std && w->fmt == EMIT_C && !o->decompile) {
			cli_error(c, EXIT_USAGE, "C source goes with a header beside it: give -o "
				  "FILE.c, not standard output");
			return -1;
		}
		stdo += is_std;
	}
	if (o->probes && !strcmp(o->probes, "-"))
		stdo++;
	if (stdo > 1 || (stdo && o->json)) {
		cli_error(c, EXIT_USAGE, stdo > 1 ? "only one output can go to standard output"
						  : "--json prints on standard output: give the "
						    "outputs files");
		return -1;
	}
	if (o->decompile && o->nout > 1) {
		cli_error(c, EXIT_USAGE, "--decompile writes one layout: give -o once");
		return -1;
	}
	return 0;
}

static int open_sinks(struct sink *s, unsigned n, struct vtd_error *e)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (!cli_out_open(&s[i].co, s[i].path, e)) {
			while (i--)
				cli_out_close(&s[i].co, 0, NULL);
			return -e->code;
		}
	return 0;
}

/* Close every sink: keep them all when 'keep' and every one closes well. */
static int close_sinks(struct sink *s, unsigned n, int keep, struct vtd_error *e)
{
	unsigned i;
	int rc = 0;

	/* Flush and sync first, so that a failure leaves nothing renamed. */
	for (i = 0; i < n && keep; i++)
		if (s[i].co.f != stdout && (fflush(s[i].co.f) || ferror(s[i].co.f))) {
			vtd_fail(e, VTD_EIO, "cannot write '%s': %s", s[i].path, strerror(errno));
			keep = 0;
			rc = -VTD_EIO;
		}
	for (i = 0; i < n; i++) {
		int r = cli_out_close(&s[i].co, keep, e);

		if (r < 0 && !rc) {
			rc = r;
			keep = 0;
		}
	}
	return rc;
}

/* ---- the two jobs ---------------------------------------------------------------- */

/*
 * Where a compile spends its time, for --stats: the benchmark compares
 * building the tables with parsing the layout that asks for them.
 */
enum { T_READ, T_PARSE, T_LAYOUT, T_CHECK, T_BUILD, T_VERIFY, T_WRITE, T_N };
static const char *const phase_name[T_N] = {
	"read", "parse", "layout", "check", "build", "verify", "write",
};
struct phases {
	double t[T_N];
	struct timespec last;
};

static void phase_start(struct phases *ph)
{
	clock_gettime(CLOCK_MONOTONIC, &ph->last);
}

static void phase_end(struct phases *ph, int which)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ph->t[which] += (double)(now.tv_sec - ph->last.tv_sec) +
			(double)(now.tv_nsec - ph->last.tv_nsec) / 1e9;
	ph->last = now;
}

static void phases_text(const struct phases *ph, FILE *f)
{
	fprintf(f, "time:");
	for (int i = 0; i < T_N; i++)
		fprintf(f, " %s %.3f s%s", phase_name[i], ph->t[i], i + 1 < T_N ? "," : "\n");
	if (ph->t[T_PARSE] >= 0.001)
		fprintf(f, "build: %.1f%% of the JSON parse\n", 100 * ph->t[T_BUILD] / ph->t[T_PARSE]);
}

static struct json_object *phases_json(const struct phases *ph)
{
	struct json_object *o = json_object_new_object();

	for (int i = 0; i < T_N; i++)
		json_object_object_add(o, phase_name[i], json_object_new_double(ph->t[i]));
	return o;
}

static void stats_text(const struct vtd_image *img, FILE *f)
{
	unsigned counts[16] = { 0 }, k;
	size_t i;

	for (i = 0; i < img->npages; i++)
		counts[img->pages[i].kind & 15]++;
	fprintf(f, "pages: %zu used, %zu minimum;", img->npages, img->min_pages);
	for (k = 0; k < 16; k++)
		if (counts[k])
			fprintf(f, " %s %u", emit_page_kind(k), counts[k]);
	fprintf(f, "\n");
}

static struct json_object *stats_json(const struct vtd_image *img)
{
	struct json_object *o = json_object_new_object(), *kinds = json_object_new_object();
	unsigned counts[16] = { 0 }, k;
	size_t i;

	for (i = 0; i < img->npages; i++)
		counts[img->pages[i].kind & 15]++;
	json_object_object_add(o, "pages", json_object_new_int64((int64_t)img->npages));
	json_object_object_add(o, "min_pages", json_object_new_int64((int64_t)img->min_pages));
	for (k = 0; k < 16; k++)
		if (counts[k])
			json_object_object_add(kinds, emit_page_kind(k),
					       json_object_new_int((int)counts[k]));
	json_object_object_add(o, "kinds", kinds);
	return o;
}

/*
 * --verify's mismatches when the tables were read back, as compile's
 * report() gives a layout's: {"error": ..., "verify": ..., "problems": [...]},
 * every mismatch kept (standard error shows the first 20).
 */
static void mismatches_json(const struct opts *o, const struct vtd_problems *ps, long probes)
{
	struct json_object *r = json_object_new_object(), *e = json_object_new_object();
	struct json_object *v = json_object_new_object(), *a = json_object_new_array();
	char msg[100];

	snprintf(msg, sizeof(msg), "%zu mismatches; nothing written", ps->n + ps->dropped);
	json_object_object_add(e, "code", json_object_new_string("finding"));
	json_object_object_add(e, "exit", json_object_new_int(EXIT_FINDING));
	json_object_object_add(e, "message", json_object_new_string(msg));
	json_object_object_add(r, "error", e);
	json_object_object_add(v, "probes", json_object_new_int64(probes));
	json_object_object_add(v, "mismatches", json_object_new_int64((int64_t)(ps->n +
										   ps->dropped)));
	json_object_object_add(r, "verify", v);
	for (size_t i = 0; i < ps->n; i++) {
		struct json_object *m = json_object_new_object();

		if (ps->v[i].where)
			json_object_object_add(m, "where", json_object_new_string(ps->v[i].where));
		if (ps->v[i].has_addr)
			json_object_object_add(m, "addr", cli_json_hex(ps->v[i].addr));
		json_object_object_add(m, "message", json_object_new_string(ps->v[i].msg));
		json_object_array_add(a, m);
	}
	json_object_object_add(r, "problems", a);
	cli_print_json(r, o->pretty);
	json_object_put(r);
}

static int decompile(struct cli *c, struct opts *o)
{
	const struct vtd_profile *pr = o->profile ? vtd_profile_find(o->profile)
						  : vtd_profile_at(0);
	struct vtd_error e = { 0 };
	struct vtd_plan plan = { 0 };
	struct vtd_problems ps = { 0 };
	struct vtd_mem *mem;
	struct json_object *doc;
	struct sink s = { .path = o->nout ? o->out[0].path : "-", .kind = 3 };
	uint64_t cap = pr->cap, ecap = pr->ecap, rtaddr = o->rtaddr, irta = o->irta;
	unsigned haw = pr->haw;
	long nverify = -1;
	int rc;

	if (o->regs) {
		struct regpage rp;

		if ((rc = regpage_load(o->regs, &rp, &e)))
			return cli_report(c, &e, rc);
		/* The unit's own registers; its HAW is the DMAR table's, so MGAW stands in. */
		cap = rp.cap;
		ecap = rp.ecap;
		if (!o->profile)
			haw = regpage_haw(cap, ecap);
		if (!o->has_rtaddr)
			rtaddr = rp.rtaddr;
		if (!o->has_irta)
			irta = rp.irta;
	}
	if ((rc = vtd_mem_open(o->decompile, &mem, &e)))
		return cli_report(c, &e, rc);
	rc = vtd_plan_read(mem, rtaddr, irta, cap, ecap, haw, &plan, &e);
	if (!rc && o->verify) {
		/* The plan must describe the tables it came from: walk those. */
		struct vtd_unit u = { .mem = mem, .rtaddr = rtaddr, .cap = cap, .ecap = ecap,
				      .haw = haw, .enabled = 1, .no_steps = 1,
				      .numbering = o->qemu ? VTD_NUM_QEMU72 : VTD_NUM_SPEC };

		if (!(rc = vtd_unit_prepare(&u, &e)) &&
		    (nverify = vtd_plan_verify(&plan, &u, 0, &ps, &e)) < 0)
			rc = (int)nverify;
	}
	vtd_mem_close(mem);
	if (rc) {
		vtd_problems_free(&ps);
		vtd_plan_free(&plan);
		return cli_report(c, &e, rc);
	}
	if (ps.n) {
		for (size_t i = 0; i < ps.n && i < 20; i++)
			fprintf(stderr, "%s: %s%s%s\n", c->prog, ps.v[i].where ? ps.v[i].where : "",
				ps.v[i].where ? ": " : "", ps.v[i].msg);
		if (ps.n > 20 || ps.dropped)
			fprintf(stderr, "%s: ... and %zu more mismatches\n", c->prog,
				ps.n - (ps.n > 20 ? 20 : ps.n) + ps.dropped);
		if (o->json)
			mismatches_json(o, &ps, nverify);
		vtd_problems_free(&ps);
		vtd_plan_free(&plan);
		return EXIT_FINDING;
	}
	vtd_problems_free(&ps);
	if (!(doc = layout_write(&plan, o->regs && !o->profile ? NULL : pr->name))) {
		vtd_plan_free(&plan);
		cli_error(c, EXIT_INTERNAL, "out of memory");
		return EXIT_INTERNAL;
	}
	if (!(rc = open_sinks(&s, 1, &e))) {
		layout_print(s.co.f, doc);
		rc = close_sinks(&s, 1, 1, &e);
	}
	json_object_put(doc);
	vtd_plan_free(&plan);
	if (rc)
		return cli_report(c, &e, rc);
	if (nverify >= 0 && !o->quiet)
		fprintf(stderr, "verify: %ld probes, the layout describes the tables\n", nverify);
	if (o->json && s.co.f != stdout) {
		struct json_object *r = json_object_new_object();

		json_object_object_add(r, "layout", json_object_new_string(s.path));
		if (nverify >= 0)
			json_object_object_add(r, "verify", json_object_new_int64(nverify));
		cli_print_json(r, o->pretty);
		json_object_put(r);
	}
	return EXIT_OK;
}

static int write_outputs(struct opts *o, const char *file, const struct vtd_plan *p,
			 const struct vtd_image *img, struct cdiags *d, struct probe_stats *ps,
			 struct vtd_error *e)
{
	struct sink s[2 * MAX_OUT + 1];
	struct emit_opts eo = { .name = o->name, .source = base_name(file) };
	unsigned n = 0, i;
	int rc = 0;

	memset(s, 0, sizeof(s));
	for (i = 0; i < o->nout; i++) {
		s[n].path = o->out[i].path;
		s[n].fmt = o->out[i].fmt;
		s[n++].kind = 0;
		if (o->out[i].fmt == EMIT_C) {
			if (!(s[n - 1].hpath = header_path(o->out[i].path))) {
				rc = vtd_fail(e, VTD_ENOMEM, "out of memory");
				goto out;
			}
			s[n].path = s[n - 1].hpath;
			s[n++].kind = 1;
		}
	}
	if (o->probes) {
		s[n].path = o->probes;
		s[n++].kind = 2;
	}
	if (!n || (rc = emit_check(p, img, &eo, e)))
		goto out;
	if ((rc = open_sinks(s, n, e)))
		goto out;
	for (i = 0; i < n && !rc; i++) {
		FILE *f = s[i].co.f;

		switch (s[i].kind) {
		case 0:
			if (s[i].fmt == EMIT_C)
				eo.header = base_name(s[i + 1].path);
			switch (s[i].fmt) {
			case EMIT_BIN: rc = emit_bin(f, p, img, &eo, e); break;
			case EMIT_C: rc = emit_c(f, p, img, &eo, e); break;
			case EMIT_ELF: rc = emit_elf(f, p, img, &eo, e); break;
			case EMIT_MAP: rc = emit_map(f, p, img, &eo, e); break;
			default: rc = vtd_fail(e, VTD_EINTERNAL, "no format for '%s'", s[i].path);
			}
			break;
		case 1:
			rc = emit_c_header(f, p, img, &eo, e);
			break;
		case 2:
			rc = probes_write(f, p, img, o->qemu, ps, d, e);
			break;
		}
	}
	/* Nothing is kept when any output failed or the probes found a mismatch. */
	{
		int keep = !rc && !d->n && !d->dropped;
		int crc = close_sinks(s, n, keep, e);

		if (!rc)
			rc = crc;
	}
out:
	for (i = 0; i < n; i++)
		free(s[i].hpath);
	return rc;
}

static int compile(struct cli *c, struct opts *o, const char *file)
{
	const char *name = strcmp(file, "-") ? file : "<stdin>";
	struct vtd_error e = { 0 };
	struct vtd_plan plan = { 0 };
	struct vtd_image img = { 0 };
	struct vtd_problems ps = { 0 };
	struct cdiags d = { 0 };
	struct probe_stats pst = { 0 };
	struct json_object *root = NULL;
	const char *pname;
	uint8_t *text = NULL;
	size_t len = 0;
	long nverify = -1;
	struct phases ph = { 0 };
	int rc;

	phase_start(&ph);
	if ((rc = cli_read_file(file, (size_t)1 << 30, &text, &len, &e)))
		return cli_report(c, &e, rc);
	phase_end(&ph, T_READ);
	rc = cli_parse_json(name, (const char *)text, len, &root, &e);
	phase_end(&ph, T_PARSE);
	if (rc) {
		if (o->json)
			cli_error(c, EXIT_DATA, "%s: %s", e.where, e.msg);
		else
			fprintf(stderr, "%s: %s\n", e.where, e.msg);
		free(text);
		return EXIT_DATA;
	}
	rc = layout_read(root, o->profile, &plan, &pname, &d);
	phase_end(&ph, T_LAYOUT);
	if (rc) {
		rc = report(c, o, name, (const char *)text, len, &d, EXIT_DATA, "problems");
		goto out;
	}
	rc = (int)vtd_plan_check(&plan, &ps);
	phase_end(&ph, T_CHECK);
	if (rc) {
		cdiags_from_problems(&d, &ps);
		rc = report(c, o, name, (const char *)text, len, &d, EXIT_DATA, "problems");
		goto out;
	}
	rc = vtd_build(&plan, &img, &ps, &e);
	phase_end(&ph, T_BUILD);
	if (rc) {
		if (ps.n) {
			cdiags_from_problems(&d, &ps);
			rc = report(c, o, name, (const char *)text, len, &d, EXIT_DATA, "problems");
		} else {
			rc = cli_report(c, &e, rc);
		}
		goto out;
	}
	if (o->verify) {
		struct vtd_unit u;

		if ((rc = image_unit(&plan, &img, o->qemu, &u, &e))) {
			rc = cli_report(c, &e, rc);
			goto out;
		}
		nverify = vtd_plan_verify(&plan, &u, 0, &ps, &e);
		vtd_mem_close(u.mem);
		phase_end(&ph, T_VERIFY);
		if (nverify < 0) {
			rc = cli_report(c, &e, (int)nverify);
			goto out;
		}
		if (ps.n) {
			cdiags_from_problems(&d, &ps);
			rc = report(c, o, name, (const char *)text, len, &d, EXIT_FINDING,
				    "mismatches");
			goto out;
		}
	}
	rc = write_outputs(o, name, &plan, &img, &d, &pst, &e);
	phase_end(&ph, T_WRITE);
	if (rc) {
		rc = cli_report(c, &e, rc);
		goto out;
	}
	if (d.n || d.dropped) {
		rc = report(c, o, name, (const char *)text, len, &d, EXIT_FINDING, "mismatches");
		goto out;
	}
	if (o->json) {
		struct json_object *r = json_object_new_object(), *a = json_object_new_array();
		unsigned i;

		json_object_object_add(r, "layout", json_object_new_string(name));
		json_object_object_add(r, "profile", pname ? json_object_new_string(pname) : NULL);
		json_object_object_add(r, "mode", json_object_new_string(plan.scalable ? "scalable"
										      : "legacy"));
		json_object_object_add(r, "base", cli_json_hex(img.base));
		json_object_object_add(r, "size", cli_json_hex(img.size));
		json_object_object_add(r, "rtaddr", cli_json_hex(img.rtaddr));
		json_object_object_add(r, "irta", cli_json_hex(img.irta));
		json_object_object_add(r, "pages", json_object_new_int64((int64_t)img.npages));
		for (i = 0; i < o->nout; i++) {
			struct json_object *w = json_object_new_object();

			json_object_object_add(w, "path", json_object_new_string(o->out[i].path));
			json_object_object_add(w, "format",
					       json_object_new_string(emit_format_name(o->out[i].fmt)));
			json_object_array_add(a, w);
		}
		json_object_object_add(r, "outputs", a);
		if (o->probes) {
			struct json_object *pr = json_object_new_object();

			json_object_object_add(pr, "path", json_object_new_string(o->probes));
			json_object_object_add(pr, "probes", json_object_new_int64((int64_t)pst.probes));
			json_object_object_add(pr, "skipped",
					       json_object_new_int64((int64_t)pst.skipped));
			json_object_object_add(r, "probes", pr);
		}
		if (nverify >= 0) {
			struct json_object *v = json_object_new_object();

			json_object_object_add(v, "probes", json_object_new_int64(nverify));
			json_object_object_add(v, "mismatches", json_object_new_int(0));
			json_object_object_add(r, "verify", v);
		}
		if (o->stats)
			json_object_object_add(r, "stats", stats_json(&img));
		if (o->time)
			json_object_object_add(r, "seconds", phases_json(&ph));
		cli_print_json(r, o->pretty);
		json_object_put(r);
	} else {
		int to_stdout = (o->probes && !strcmp(o->probes, "-"));
		unsigned i;
		FILE *f;

		for (i = 0; i < o->nout; i++)
			to_stdout |= !strcmp(o->out[i].path, "-");
		f = to_stdout ? stderr : stdout;
		if (!o->quiet) {
			fprintf(f, "%s: %zu pages at 0x%" PRIx64 ", rtaddr 0x%" PRIx64, name,
				img.npages, img.base, img.rtaddr);
			if (img.irta)
				fprintf(f, ", irta 0x%" PRIx64, img.irta);
			fprintf(f, "\n");
			if (nverify >= 0)
				fprintf(f, "verify: %ld probes, no mismatch\n", nverify);
			if (o->probes)
				fprintf(f, "probes: %lu written to %s\n", pst.probes, o->probes);
		}
		if (o->stats)
			stats_text(&img, stderr);
		if (o->time)
			phases_text(&ph, stderr);
	}
	rc = EXIT_OK;
out:
	cdiags_free(&d);
	vtd_problems_free(&ps);
	vtd_image_free(&img);
	vtd_plan_free(&plan);
	json_object_put(root);
	free(text);
	return rc;
}

int main(int argc, char **argv)
{
	struct cli c = { .prog = "vtd-compile", .opts = options, .usage = usage, .more = more };
	struct opts o = { 0 };
	int first = cli_parse(&c, argc, argv, handle, &o);

	if (first < 0)
		return EXIT_USAGE;
	if (o.list_profiles)
		return list_profiles(&o);
	if (o.decompile) {
		if (argc - first > 0) {
			cli_error(&c, EXIT_USAGE, "--decompile takes no LAYOUT operand");
			return EXIT_USAGE;
		}
		if (!o.has_rtaddr && !o.regs) {
			cli_error(&c, EXIT_USAGE, "--decompile needs --rtaddr or --regs");
			return EXIT_USAGE;
		}
		if (o.probes || o.stats || o.time) {
			cli_error(&c, EXIT_USAGE, "--probes, --stats and --time go with a LAYOUT, "
				  "not --decompile");
			return EXIT_USAGE;
		}
		if (plan_outputs(&c, &o))
			return EXIT_USAGE;
		return decompile(&c, &o);
	}
	if (argc - first != 1) {
		cli_error(&c, EXIT_USAGE, argc - first ? "one LAYOUT at a time"
						       : "no LAYOUT (a file, or - for standard input); "
							 "see --help");
		return EXIT_USAGE;
	}
	if (o.has_rtaddr || o.has_irta || o.regs) {
		cli_error(&c, EXIT_USAGE, "--rtaddr, --irta and --regs go with --decompile");
		return EXIT_USAGE;
	}
	if (plan_outputs(&c, &o))
		return EXIT_USAGE;
	return compile(&c, &o, argv[first]);
}
