/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Benchmark of the translation engine against the obvious alternative in
 * the same run: a bare pointer-chasing loop over the same tables with
 * hand-written masks and no checks beyond the present bits, the practical
 * limit for any walker.  Three walks: legacy mode (root, context, 4
 * second-stage levels), scalable-mode second stage (root, context, PASID
 * directory and table, the same 4 levels) and scalable-mode first stage
 * (root, context, PASID directory and table, 4 first-stage levels).  The
 * engine runs twice for each: recording its steps, and with no_steps (the
 * answers alone, what the cache model and batch simulation want); and a
 * third time the full walk, which a unit whose registers changed since it
 * was prepared takes (the fast walks need the masks of its registers).
 *
 * Every figure is the best of a few rounds, and the three of a walk take
 * turns within a round: on a shared machine the fastest round is the one
 * least disturbed, and each side gets the same chances.  Nothing fails on
 * time; the run fails when the walkers disagree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "layout.h"
#include "regs.h"
#include "tables.h"
#include "walk.h"

#define BASE	0x100000ULL
#define SIZE	0x20000u
#define NPAGES	512u		/* PTEs of each page table */
#define N	(1u << 21)
#define ROUNDS	5

/*
 * The tables.  Legacy: root 0x101000, context 0x102000, second stage
 * PML4 0x103000 ... PT 0x106000.  Scalable: root 0x108000, context
 * 0x109000, PASID directory 0x10a000, PASID table 0x10b000; PASID 0 is
 * second stage over the legacy tables, PASID 1 first stage over PML4
 * 0x110000 ... PT 0x113000, with A and D already set (a walk in the
 * steady state stores nothing).
 */
#define SID_L	0x18u		/* legacy device */
#define SID_SS	0x18u		/* scalable, RID_PASID 0: second stage */
#define SID_FS	0x20u		/* scalable, RID_PASID 1: first stage */
#define RT_L	0x101000ULL
#define RT_S	0x108000ULL

static void build(uint8_t *img)
{
	memset(img, 0, SIZE);
	legacy_tables(img, BASE, SID_L, NPAGES);	/* root RT_L */

	{ const uint64_t v_[] = { 1, 0x109000 }; PUT(img, RT_S, &vtd_l_root_sm, "LP", "LCTP"); }
	{ const uint64_t v_[] = { 1, 0x10a000, 0 };
	  PUT(img, 0x109000 + SID_SS * 32, &vtd_l_context_sm, "P", "PASIDDIRPTR", "RID_PASID"); }
	{ const uint64_t v_[] = { 1, 0x10a000, 1 };
	  PUT(img, 0x109000 + SID_FS * 32, &vtd_l_context_sm, "P", "PASIDDIRPTR", "RID_PASID"); }
	{ const uint64_t v_[] = { 1, 0x10b000 }; PUT(img, 0x10a000, &vtd_l_pasid_dir, "P", "SMPTBLPTR"); }
	{ const uint64_t v_[] = { 1, 2, 2, 0x103000, 2 };
	  PUT(img, 0x10b000, &vtd_l_pasid_entry, "P", "PGTT", "AW", "SSPTPTR", "DID"); }
	{ const uint64_t v_[] = { 1, 1, 2, 0x110000, 3 };
	  PUT(img, 0x10b040, &vtd_l_pasid_entry, "P", "PGTT", "AW", "FSPTPTR", "DID"); }
	{ const uint64_t v_[] = { 1, 1, 1, 1, 0x111000 };
	  PUT(img, 0x110000, &vtd_l_fs_pml4e, "P", "RW", "US", "A", "ADDR"); }
	{ const uint64_t v_[] = { 1, 1, 1, 1, 0x112000 };
	  PUT(img, 0x111000, &vtd_l_fs_pdpe, "P", "RW", "US", "A", "ADDR"); }
	{ const uint64_t v_[] = { 1, 1, 1, 1, 0x113000 };
	  PUT(img, 0x112000, &vtd_l_fs_pde, "P", "RW", "US", "A", "ADDR"); }
	for (unsigned i = 0; i < NPAGES; i++) {
		const uint64_t v_[] = { 1, 1, 1, 1, 1, 0x40000000ULL + 0x1000ULL * i };
		PUT(img, 0x113000 + 8 * i, &vtd_l_fs_pte, "P", "RW", "US", "A", "D", "ADDR");
	}
}

#define ADDR_MASK 0x000ffffffffff000ULL

/* 4 (or AW + 2) paging levels from 'table': 'present' bits, hand-written masks. */
static inline uint64_t levels(const uint8_t *img, uint64_t t, int n, uint64_t present,
			      uint64_t addr)
{
	for (int level = n; level >= 1; level--) {
		uint64_t e = rd64(img + (t - BASE) + 8 * ((addr >> (12 + 9 * (level - 1))) & 511));

		if (!(e & present))
			return ~0ULL;
		t = e & ADDR_MASK;
	}
	return t | (addr & 0xfff);
}

/*
 * The bare walks, kept out of line as the engine is: a caller that hoisted
 * the root and context reads out of its loop would measure something else.
 */
static __attribute__((noinline)) uint64_t chase_legacy(const uint8_t *img, unsigned sid,
							uint64_t addr)
{
	uint64_t re = rd64(img + (RT_L - BASE) + 16 * (sid >> 8)), ce, ce_hi;

	if (!(re & 1))
		return ~0ULL;
	ce = rd64(img + ((re & ~0xfffULL) - BASE) + 16 * (sid & 0xff));
	ce_hi = rd64(img + ((re & ~0xfffULL) - BASE) + 16 * (sid & 0xff) + 8);
	if (!(ce & 1))
		return ~0ULL;
	return levels(img, ce & ADDR_MASK, (int)(ce_hi & 7) + 2, 3, addr);
}

/* Scalable mode down to the PASID entry (lower context table, RID_PASID): its address. */
static inline const uint8_t *chase_pe(const uint8_t *img, unsigned sid)
{
	uint64_t re = rd64(img + (RT_S - BASE) + 16 * (sid >> 8)), ce, de;
	uint32_t pasid;
	const uint8_t *c;

	if (!(re & 1))
		return NULL;
	c = img + ((re & ~0xfffULL) - BASE) + 32 * (sid & 0x7f);
	ce = rd64(c);
	pasid = (uint32_t)(rd64(c + 8) & 0xfffff);
	if (!(ce & 1))
		return NULL;
	de = rd64(img + ((ce & ~0xfffULL) - BASE) + 8 * (pasid >> 6));
	if (!(de & 1))
		return NULL;
	c = img + ((de & ~0xfffULL) - BASE) + 64 * (pasid & 63);
	return rd64(c) & 1 ? c : NULL;
}

static __attribute__((noinline)) uint64_t chase_ss(const uint8_t *img, unsigned sid, uint64_t addr)
{
	const uint8_t *pe = chase_pe(img, sid);
	uint64_t w0;

	if (!pe)
		return ~0ULL;
	w0 = rd64(pe);
	return levels(img, w0 & ~0xfffULL, (int)(w0 >> 2 & 7) + 2, 3, addr);
}

static __attribute__((noinline)) uint64_t chase_fs(const uint8_t *img, unsigned sid, uint64_t addr)
{
	const uint8_t *pe = chase_pe(img, sid);

	if (!pe)
		return ~0ULL;
	return levels(img, rd64(pe + 16) & ~0xfffULL, 4, 1, addr);
}

struct walk_cfg {
	const char *title;
	struct vtd_unit *u;
	unsigned sid;
	unsigned nsteps;	/* the engine records */
	uint64_t (*chase)(const uint8_t *img, unsigned sid, uint64_t addr);
};

static uint64_t sink;

/* The address of the i-th walk: every page of the table, with varying offsets. */
static inline uint64_t addr_of(unsigned i)
{
	return page_addr(i, NPAGES);
}

static double time_bare(const struct walk_cfg *c, const uint8_t *img)
{
	double t0 = now();

	for (unsigned i = 0; i < N; i++)
		sink += c->chase(img, c->sid, addr_of(i));
	return now() - t0;
}

/* 'n' walks of the unit (seconds per N walks). */
static double time_engine(const struct walk_cfg *c, struct vtd_unit *u, struct vtd_translation *t,
			  int no_steps, unsigned n)
{
	struct vtd_request rq = { .sid = (uint16_t)c->sid, .access = VTD_ACC_W };
	double t0, dt;

	u->no_steps = (uint8_t)no_steps;
	t0 = now();
	for (unsigned i = 0; i < n; i++) {
		rq.addr = addr_of(i);
		vtd_translate(u, &rq, t, NULL);
		sink += t->out;
	}
	dt = now() - t0;
	u->no_steps = 0;
	return dt * N / n;
}

/*
 * The timings of a walk, in rounds that take turns, each the best of its
 * rounds: the bare loop, the engine with and without steps, and the full
 * walk (what the fast walks leave to it), as a unit whose registers changed
 * since vtd_unit_prepare() gets: here ECAP.QI, which no walk reads.
 */
static void time_all(const struct walk_cfg *c, const uint8_t *img, struct vtd_translation *t,
		     double best[4])
{
	static struct vtd_unit stale;

	stale = *c->u;
	reg_put(&stale.ecap, &vtd_l_reg_ecap, "QI", 0);
	for (int r = 0; r < ROUNDS; r++) {
		double dt[4] = { time_bare(c, img), time_engine(c, c->u, t, 0, N),
				 time_engine(c, c->u, t, 1, N), time_engine(c, &stale, t, 0, N / 4) };

		for (int k = 0; k < 4; k++)
			if (!r || dt[k] < best[k])
				best[k] = dt[k];
	}
}

/* Both engine paths and the bare walk give one answer for every page. */
static int agree(const struct walk_cfg *c, const uint8_t *img, struct vtd_translation *t)
{
	struct vtd_request rq = { .sid = (uint16_t)c->sid, .access = VTD_ACC_W };
	struct vtd_error err = { 0 };

	for (unsigned i = 0; i < NPAGES; i++) {
		uint64_t want;
		unsigned nsteps;

		rq.addr = 0x1000ULL * i + 0x123;
		want = c->chase(img, c->sid, rq.addr);
		c->u->no_steps = 0;
		if (vtd_translate(c->u, &rq, t, &err) || t->fault || t->out != want)
			goto bad;
		nsteps = t->nsteps;
		c->u->no_steps = 1;
		if (vtd_translate(c->u, &rq, t, &err) || t->fault || t->out != want || t->nsteps)
			goto bad;
		c->u->no_steps = 0;
		if (nsteps != c->nsteps)
			goto bad;
		continue;
bad:
		fprintf(stderr, "bench-walk: %s: engine (%s) and bare walk disagree at 0x%llx "
			"(fault 0x%x, %u steps)%s%s\n", c->title, c->u->no_steps ? "no_steps" : "steps",
			(unsigned long long)rq.addr, t->fault, t->nsteps, err.msg[0] ? ": " : "",
			err.msg);
		c->u->no_steps = 0;
		return 0;
	}
	return 1;
}

int main(void)
{
	static struct vtd_translation t;
	uint8_t *img = malloc(SIZE);
	struct vtd_mem *mem = NULL;
	struct vtd_unit ul = { 0 }, us = { 0 };
	struct vtd_error err = { 0 };
	struct vtd_request rq = { .sid = SID_L, .access = VTD_ACC_W };
	double t0, unprep;
	unsigned i;

	if (!img)
		return 1;
	build(img);
	if (vtd_mem_open_buffer(&mem, &err) || vtd_mem_buffer_map(mem, BASE, img, SIZE, &err)) {
		fprintf(stderr, "bench-walk: %s\n", err.msg);
		return 1;
	}
	ul.mem = us.mem = mem;
	vtd_unit_qemu_defaults(&ul, 0, 48);
	reg_put(&ul.rtaddr, &vtd_l_reg_rtaddr, "RTA", RT_L);
	ul.enabled = 1;
	vtd_unit_qemu_defaults(&us, 1, 48);
	reg_put(&us.ecap, &vtd_l_reg_ecap, "FSTS", 1);	/* first-stage translation */
	reg_put(&us.ecap, &vtd_l_reg_ecap, "RPS", 1);	/* RID_PASID other than 0 */
	reg_put(&us.rtaddr, &vtd_l_reg_rtaddr, "RTA", RT_S);
	reg_put(&us.rtaddr, &vtd_l_reg_rtaddr, "TTM", 1);
	us.enabled = 1;
	/* Prepared with the registers set: what they make of the tables is resolved once. */
	if (vtd_unit_prepare(&us, &err)) {
		fprintf(stderr, "bench-walk: %s\n", err.msg);
		return 1;
	}

	const struct walk_cfg cfgs[] = {
		{ "legacy mode: root, context, 4 second-stage levels", &ul, SID_L, 6, chase_legacy },
		{ "scalable mode, second stage: root, context, PASID directory and table, "
		  "4 levels", &us, SID_SS, 8, chase_ss },
		{ "scalable mode, first stage: root, context, PASID directory and table, "
		  "4 levels", &us, SID_FS, 8, chase_fs },
	};

	for (i = 0; i < VTD_NELEM(cfgs); i++)
		if (!agree(&cfgs[i], img, &t))
			return 1;

	printf("%u walks each, best of %d rounds; ratios are to the bare loop over the same tables\n",
	       N, ROUNDS);
	for (i = 0; i < VTD_NELEM(cfgs); i++) {
		const struct walk_cfg *c = &cfgs[i];
		double best[4], bare;

		time_all(c, img, &t, best);
		bare = best[0];
		printf("%s:\n", c->title);
		printf("  bare pointer chasing       %8.1f M walks/s  (baseline)\n", N / bare / 1e6);
		printf("  vtd_translate, steps       %8.1f M walks/s  (%.2fx; %u steps recorded)\n",
		       N / best[1] / 1e6, bare / best[1], c->nsteps);
		printf("  vtd_translate, no_steps    %8.1f M walks/s  (%.2fx)\n", N / best[2] / 1e6,
		       bare / best[2]);
		printf("  full walk, steps           %8.1f M walks/s  (%.2fx; registers changed since "
		       "vtd_unit_prepare)\n", N / best[3] / 1e6, bare / best[3]);
	}

	/* A unit that was never prepared resolves the layouts on every request. */
	ul.prep.magic = 0;
	t0 = now();
	for (i = 0; i < N / 256; i++) {
		rq.addr = 0x1000ULL * (i % NPAGES);
		vtd_translate(&ul, &rq, &t, NULL);
		sink += t.out;
	}
	unprep = now() - t0;
	printf("legacy mode, unprepared unit:\n");
	printf("  vtd_translate, steps       %8.2f M walks/s\n", N / 256 / unprep / 1e6);
	fprintf(stderr, "(checksum %llu)\n", (unsigned long long)sink);
	vtd_mem_close(mem);
	free(img);
	return 0;
}
