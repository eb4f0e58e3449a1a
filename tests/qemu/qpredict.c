/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qpredict -- the other half of the bare-mode differential check: run the
 * script that qprobe runs against QEMU through libvtd's translation engine
 * instead (QEMU 7.2 numbering, no caches) and compare each prediction with
 * the probe's expectation, which qprobe has verified against real QEMU.
 * Same options and script format as qprobe (tests/qemu/README.md).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "regs.h"
#include "script.h"
#include "text.h"
#include "walk.h"

static const struct cli_opt options[] = {
	SCRIPT_MACHINE_OPTIONS,
	{ 'e', "edu", "BDF", "ignored (qprobe's)", NULL },
	{ 'c', "caching-mode", NULL, "ignored (qprobe's)", NULL },
	{ 0, NULL, NULL, NULL, NULL },
};

struct opts {
	struct script_machine mach;
};

struct predictor {
	struct script sc;
	struct vtd_unit u;
	unsigned ok, bad, skipped;
};

#define fail(pr, ...) script_fail(&(pr)->sc, __VA_ARGS__)

static int be_load(void *ctx, const char *path, uint64_t pa)
{
	struct predictor *pr = ctx;
	struct vtd_error e = { 0 };
	uint8_t *data;
	size_t len;
	int rc;

	if (cli_read_file(path, 256u << 20, &data, &len, &e) < 0)
		return fail(pr, EXIT_SOURCE, "%s: %s", path, e.msg);
	rc = vtd_mem_write(pr->u.mem, pa, data, len, &e);
	free(data);
	return rc < 0 ? fail(pr, EXIT_USAGE, "load %s at 0x%llx: %s", path,
			     (unsigned long long)pa, e.msg) : 0;
}

static int be_write(void *ctx, uint64_t pa, const uint8_t *buf, size_t len)
{
	struct predictor *pr = ctx;
	struct vtd_error e = { 0 };

	if (vtd_mem_write(pr->u.mem, pa, buf, len, &e) < 0)
		return fail(pr, EXIT_DATA, "write at 0x%llx: %s", (unsigned long long)pa, e.msg);
	return 0;
}

static int be_enable(void *ctx, uint64_t rtaddr)
{
	struct predictor *pr = ctx;

	pr->u.rtaddr = rtaddr;
	pr->u.enabled = 1;
	return 0;
}

static int be_disable(void *ctx)
{
	struct predictor *pr = ctx;

	pr->u.enabled = 0;
	return 0;
}

/* What the engine says about a probe: "ok 0x300000", "0x05" or "suppressed". */
static int predict(struct predictor *pr, unsigned sid, int wr, uint64_t iova, uint64_t len,
		   struct vtd_translation *t, char *what, size_t size)
{
	struct vtd_request rq = { .sid = (uint16_t)sid, .access = wr ? VTD_ACC_W : VTD_ACC_R };
	struct vtd_error e = { 0 };
	uint64_t last = iova + len - 1, out = 0;
	int first = 1;

	/* A DMA crossing a page is translated page by page: the first fault wins. */
	for (uint64_t a = iova; ; a = (a | 0xfff) + 1) {
		rq.addr = a;
		if (vtd_translate(&pr->u, &rq, t, &e) < 0)
			return fail(pr, EXIT_INTERNAL, "translate 0x%llx: %s", (unsigned long long)a,
				    e.msg);
		if (t->fault)
			break;
		if (first)
			out = t->out;
		first = 0;
		if ((a | 0xfff) >= last)
			break;
	}
	if (t->fault && t->suppressed)
		snprintf(what, size, "suppressed 0x%02x", t->fault);
	else if (t->fault)
		snprintf(what, size, "0x%02x", t->fault);
	else
		snprintf(what, size, "ok 0x%llx", (unsigned long long)out);
	t->out = out;
	return 0;
}

static int be_probe(void *ctx, const struct script_probe *p)
{
	struct predictor *pr = ctx;
	static struct vtd_translation t;
	const char *name = p->name;
	char what[64], want[64], path[1024], label[64], bdf[8];
	int agree, rc;

	if (!name) {
		snprintf(label, sizeof(label), "line %u", pr->sc.line);
		name = label;
	}
	if (!p->expect && !p->has_pa)
		return 0;
	if (p->cache) {
		printf("ok - %s # SKIP needs the cache model\n", name);
		pr->skipped++;
		return 0;
	}
	rc = predict(pr, p->sid, p->write, p->iova, p->len, &t, what, sizeof(what));
	if (rc)
		return rc;
	switch (p->expect) {
	case EXPECT_NONE:
	case EXPECT_OK:
		agree = !t.fault && (!p->has_pa || t.out == p->pa);
		if (p->has_pa)
			snprintf(want, sizeof(want), "ok 0x%llx", (unsigned long long)p->pa);
		else
			snprintf(want, sizeof(want), "ok");
		break;
	case EXPECT_SUPPRESSED:
		agree = t.fault && t.suppressed;
		snprintf(want, sizeof(want), "suppressed");
		break;
	case EXPECT_DROPPED:
		/* Only an IOTLB hit drops a DMA silently: that needs the cache model. */
		agree = 0;
		snprintf(want, sizeof(want), "dropped (mark the probe \"cache\")");
		break;
	default:
		agree = t.fault == p->code && !t.suppressed;
		snprintf(want, sizeof(want), "0x%02x", p->code);
		break;
	}
	printf("%sok - %s: predicted %s, QEMU-verified expectation %s\n", agree ? "" : "not ",
	       name, what, want);
	if (!agree) {
		vtd_translation_path(&t, path, sizeof(path));
		printf("#   %s %s 0x%llx: %s\n", script_bdf_str(p->sid, bdf),
		       p->write ? "write" : "read", (unsigned long long)p->iova, path);
	}
	if (agree)
		pr->ok++;
	else
		pr->bad++;
	return 0;
}

/* Invalidations and registers only matter to caches, which this engine has none of. */
static int be_ccmd(void *ctx, uint64_t v) { (void)ctx; (void)v; return 0; }
static int be_iotlb(void *ctx, uint64_t v, uint64_t iva) { (void)ctx; (void)v; (void)iva; return 0; }
static int be_qi(void *ctx, const uint8_t *d, unsigned n) { (void)ctx; (void)d; (void)n; return 0; }

static const struct script_backend engine_backend = {
	.load = be_load, .write = be_write, .enable = be_enable, .disable = be_disable,
	.probe = be_probe, .ccmd = be_ccmd, .iotlb = be_iotlb, .qi = be_qi,
};

/* qprobe's other options concern QEMU only and are accepted and ignored. */
static int handle(struct cli *c, int key, const char *arg, void *ctx)
{
	struct opts *o = ctx;

	return script_machine_opt(c, key, arg, &o->mach) < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct opts o = { .mach = { .aw_bits = 39, .ram = 256ull << 20 } };
	struct cli c = {
		.prog = "qpredict", .opts = options,
		.usage = "Usage: qpredict [OPTIONS] SCRIPT.jsonl|-\n",
		.more = "Predicts each probe of a qprobe SCRIPT with libvtd's translation engine\n"
			"(QEMU 7.2 numbering, no caches) and prints one TAP line per probe that\n"
			"carries an expectation.  Probes marked \"cache\": true are skipped.  Exit\n"
			"status: 0 all agree, 1 a prediction differs, 2 usage, 3 bad script.\n",
	};
	struct predictor pr = { .sc = { .cli = &c } };
	struct vtd_error e = { 0 };
	uint8_t *text = NULL;
	size_t len;
	int rc = 0;

	int first = cli_parse(&c, argc, argv, handle, &o);
	if (first < 0)
		return EXIT_USAGE;
	if (argc - first != 1) {
		cli_error(&c, EXIT_USAGE, "expected one SCRIPT operand ('-' for stdin)");
		return EXIT_USAGE;
	}
	pr.sc.name = argv[first];
	if (cli_read_file(argv[first], 64u << 20, &text, &len, &e) < 0)
		return cli_report(&c, &e, -e.code);
	/* Guest RAM from 0, zeroed, as QEMU's; reads beyond it fail as QEMU's do. */
	if (vtd_mem_open_buffer(&pr.u.mem, &e) < 0 ||
	    vtd_mem_buffer_map(pr.u.mem, 0, NULL, (size_t)o.mach.ram, &e) < 0) {
		free(text);
		vtd_mem_close(pr.u.mem);
		return cli_report(&c, &e, -e.code);
	}
	vtd_unit_qemu_defaults(&pr.u, o.mach.scalable, o.mach.aw_bits);
	pr.sc.qi_width = o.mach.scalable ? 32 : 16;
	pr.u.numbering = VTD_NUM_QEMU72;
	for (unsigned i = 0; !rc && i < o.mach.nloads; i++)
		rc = script_load_spec(&pr.sc, o.mach.loads[i], &engine_backend, &pr);
	if (!rc)
		rc = script_run(&pr.sc, (char *)text, len, &engine_backend, &pr);
	free(text);
	vtd_mem_close(pr.u.mem);
	if (rc)
		return rc;
	printf("# %u predictions agree, %u differ, %u need the cache model\n", pr.ok, pr.bad,
	       pr.skipped);
	return pr.bad ? EXIT_FINDING : EXIT_OK;
}
