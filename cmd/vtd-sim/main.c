/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtd-sim -- DMA requests through VT-d tables, caches and invalidations */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "regs.h"
#include "sim.h"
#include "text.h"

enum {
	OPT_CAP = 256, OPT_ECAP, OPT_REGS, OPT_FAULTS, OPT_CACHE, OPT_WRITE_AD, OPT_STATS, OPT_TAP,
};

static const struct cli_opt options[] = {
	SCRIPT_MACHINE_OPTIONS,
	{ 'M', "mem", "SPEC", "tables from a memory source instead of RAM, read-only: "
	  "elf:VMCORE, kdump:VMCORE, kcore:, devmem:, FILE@BASE, ...", "file" },
	{ 'r', "rtaddr", "VALUE", "root-table address register (with -s the mode bit is "
	  "implied); enables translation", NULL },
	{ OPT_CAP, "cap", "VALUE", "capability register (default: QEMU's intel-iommu)", NULL },
	{ OPT_ECAP, "ecap", "VALUE", "extended capability register (default: QEMU's)", NULL },
	{ OPT_REGS, "regs", "FILE", "take CAP, ECAP, RTADDR and GSTS.TES from a register-page dump",
	  "file" },
	{ OPT_FAULTS, "faults", "spec|qemu", "fault numbering and cache model: the specification's "
	  "(default) or QEMU 7.2's", NULL },
	{ 'c', "caching-mode", NULL, "caching mode (CM=1): not-present entries are cached too", NULL },
	{ OPT_CACHE, "cache", "SPEC", "cache sizes and policy, e.g. iotlb=64,psc=0,ways=4,"
	  "replace=fifo; 'off' walks every request", NULL },
	{ OPT_WRITE_AD, "write-ad", NULL, "store accessed/dirty bits in memory as hardware does", NULL },
	{ 'f', "file", "FILE", "requests or a scenario, one per line ('-' for standard input)",
	  "file" },
	{ 'e', "explain", NULL, "print every entry each walk read", NULL },
	{ 'j', "json", NULL, "one JSON object per answer", NULL },
	{ 'q', "quiet", NULL, "print no answers, only errors (and --stats)", NULL },
	{ OPT_STATS, "stats", NULL, "print request and cache statistics at the end", NULL },
	{ OPT_TAP, "tap", NULL, "one TAP line per answer that carries an expectation", NULL },
	{ 'o', "output", "FILE", "write the answers to FILE, which appears only when complete",
	  "file" },
	{ 0, NULL, NULL, NULL, NULL },
};

static const char usage[] =
	"Usage: vtd-sim [OPTIONS] BDF ACCESS ADDRESS [pasid=N] [priv] [at=KIND] [expect=RESULT]\n"
	"       vtd-sim [OPTIONS] -f FILE|-      requests and scenario operations, one per line\n";

static const char more[] =
	"The machine: RAM from address 0 (-m) holding the images of -l, or a memory\n"
	"source such as a crash dump (-M, read-only), and a remapping unit with QEMU's\n"
	"capabilities (-s, -a, --cap, --ecap, --regs) pointed at -r.  ACCESS is\n"
	"read, write or exec; KIND untranslated, translation-request, translated or\n"
	"page-request (a PRI page request: checked, queued, not translated).  A\n"
	"FILE line is a text request like the operands (with expect=RESULT), a JSON\n"
	"request, or a scenario operation (formats/scenario.md): request, probe, write,\n"
	"set, unmap, load, enable, disable, inv, qi, regs, stats.\n"
	"Exit status: 0 ok; 1 a request faulted, was dropped or answered stale (with\n"
	"expectations in the input: an expectation was not met); 2 usage; 3 bad input;\n"
	"4 source or I/O error; 5 internal error.\n";

static int handle(struct cli *c, int key, const char *arg, void *ctx)
{
	struct sim_opts *o = ctx;
	int mr = script_machine_opt(c, key, arg, &o->mach);

	if (mr)
		return mr < 0 ? -1 : 0;
	switch (key) {
	case 'M': o->mem = arg; break;
	case 'r':
		o->has_rtaddr = 1;
		return cli_num(c, "--rtaddr", arg, &o->rtaddr);
	case OPT_CAP:
		o->has_cap = 1;
		return cli_num(c, "--cap", arg, &o->cap);
	case OPT_ECAP:
		o->has_ecap = 1;
		return cli_num(c, "--ecap", arg, &o->ecap);
	case OPT_REGS: o->regs = arg; break;
	case OPT_FAULTS: return cli_faults(c, arg, &o->qemu);
	case 'c': o->cm = 1; break;
	case OPT_CACHE: o->cache_spec = arg; break;
	case OPT_WRITE_AD: o->write_ad = 1; break;
	case 'f': o->file = arg; break;
	case 'e': o->explain = 1; break;
	case 'j': o->json = 1; c->json = 1; break;
	case 'q': o->quiet = 1; break;
	case OPT_STATS: o->stats = 1; break;
	case OPT_TAP: o->tap = 1; break;
	case 'o': o->output = arg; break;
	}
	return 0;
}

static int run(struct sim *s, struct sim_opts *o, int nargs, char **args)
{
	struct script_request r;
	FILE *in;
	int rc;

	if (nargs) {
		s->sc.name = "request";
		if ((rc = script_request_words(&s->sc, args, (unsigned)nargs, &r)))
			return rc;
		return sim_backend.request(s, &r);
	}
	s->sc.name = o->file;
	if (!strcmp(o->file, "-")) {
		s->sc.name = "<stdin>";
		return script_run_file(&s->sc, stdin, &sim_backend, s);
	}
	if (!(in = fopen(o->file, "r"))) {
		cli_error(s->sc.cli, EXIT_SOURCE, "%s: %s", o->file, strerror(errno));
		return EXIT_SOURCE;
	}
	rc = script_run_file(&s->sc, in, &sim_backend, s);
	fclose(in);
	return rc;
}

int main(int argc, char **argv)
{
	struct cli c = { .prog = "vtd-sim", .opts = options, .usage = usage, .more = more };
	struct sim_opts o = { .mach = { .aw_bits = 39, .ram = 256ull << 20 } };
	struct sim *s;
	struct cli_out out;
	struct vtd_error e = { 0 };
	int first = cli_parse(&c, argc, argv, handle, &o), rc;

	if (first < 0)
		return EXIT_USAGE;
	if ((argc - first > 0) == !!o.file) {
		cli_error(&c, EXIT_USAGE, o.file ? "give requests as operands or with -f, not both"
						 : "no request (BDF ACCESS ADDRESS, or -f FILE); see --help");
		return EXIT_USAGE;
	}
	if (o.mem && o.mach.nloads) {
		cli_error(&c, EXIT_USAGE, "--mem names the whole memory: it does not take --load");
		return EXIT_USAGE;
	}
	if (o.json + o.tap + o.quiet > 1) {
		cli_error(&c, EXIT_USAGE, "--json, --tap and --quiet exclude each other");
		return EXIT_USAGE;
	}
	if (!(s = sim_new(&c, &o)))
		return EXIT_INTERNAL;
	if (!(s->out = cli_out_open(&out, o.output, &e)))
		rc = cli_report(&c, &e, -e.code);
	else if (!(rc = sim_setup(s, &o)))
		rc = run(s, &o, argc - first, argv + first);
	if (!rc && o.stats)
		sim_print_stats(s);
	if (!rc)
		sim_print_end(s);
	if (s->out && cli_out_close(&out, !rc, &e) < 0 && !rc)
		rc = cli_report(&c, &e, -e.code);
	if (!rc && (s->n.expected ? s->n.mismatched
				  : s->n.faults + s->n.dropped + s->n.suppressed + s->n.stale))
		rc = EXIT_FINDING;
	sim_free(s);
	return rc;
}
