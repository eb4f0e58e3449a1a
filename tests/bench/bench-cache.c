/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Benchmark of the cache model's hit path: IOTLB-hit translations per
 * second through vtd_cache_translate, beside the same requests answered
 * by vtd_translate (a full walk each) and a bare open-addressing hash
 * table from page to output page, the floor for any lookup.  Legacy mode,
 * one device, 512 pages of a 4-level table, every page cached.  The hit
 * path runs with stale checking on (memory unchanged: the generation
 * counter spares the comparison), off, and with a write to memory before
 * every request (every hit compared with memory), in both models.
 *
 * Every figure is the best of a few rounds.  Nothing fails on time; the
 * run fails when an answer is wrong or a hit is not a hit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "cache.h"
#include "layout.h"
#include "regs.h"
#include "tables.h"
#include "walk.h"

#define BASE	0x100000ULL
#define SIZE	0x10000u
#define NPAGES	512u
#define N	(1u << 23)
#define ROUNDS	3
#define SID	0x18u
#define SCRATCH	(BASE + SIZE - 8)	/* a qword no table uses: the writes between requests */

/* bench-walk's legacy tables, for device SID. */
static void build(uint8_t *img)
{
	memset(img, 0, SIZE);
	legacy_tables(img, BASE, SID, NPAGES);
}

/* The i-th request's address: every page, with varying offsets. */
static inline uint64_t addr_of(unsigned i)
{
	return page_addr(i, NPAGES);
}

static inline uint64_t want_of(uint64_t addr)
{
	return 0x40000000ULL + addr;
}

/* ---- the floor: page -> output page in an open-addressing table ---------------------- */

struct bare {
	uint64_t key[2 * NPAGES], val[2 * NPAGES];
};

static inline unsigned bare_slot(uint64_t k)
{
	return (unsigned)((k * 0x9e3779b97f4a7c15ULL) >> 54) & (2 * NPAGES - 1);
}

static void bare_fill(struct bare *b)
{
	memset(b, 0xff, sizeof(*b));
	for (unsigned i = 0; i < NPAGES; i++) {
		uint64_t k = 0x1000ULL * i;
		unsigned s = bare_slot(k);

		while (b->key[s] != ~0ULL)
			s = (s + 1) & (2 * NPAGES - 1);
		b->key[s] = k;
		b->val[s] = want_of(k);
	}
}

static __attribute__((noinline)) uint64_t bare_lookup(const struct bare *b, uint64_t addr)
{
	uint64_t k = addr & ~0xfffULL;
	unsigned s = bare_slot(k);

	while (b->key[s] != k) {
		if (b->key[s] == ~0ULL)
			return ~0ULL;
		s = (s + 1) & (2 * NPAGES - 1);
	}
	return b->val[s] | (addr & 0xfff);
}

static uint64_t sink;

static double time_bare(const struct bare *b)
{
	double best = 0;

	for (int r = 0; r < ROUNDS; r++) {
		double t0 = now(), dt;

		for (unsigned i = 0; i < N; i++)
			sink += bare_lookup(b, addr_of(i));
		dt = now() - t0;
		if (!r || dt < best)
			best = dt;
	}
	return best;
}

static double time_walk(struct vtd_unit *u, struct vtd_translation *t, unsigned n)
{
	struct vtd_request rq = { .sid = SID, .access = VTD_ACC_R };
	double best = 0;

	for (int r = 0; r < ROUNDS; r++) {
		double t0 = now(), dt;

		for (unsigned i = 0; i < n; i++) {
			rq.addr = addr_of(i);
			vtd_translate(u, &rq, t, NULL);
			sink += t->out;
		}
		dt = now() - t0;
		if (!r || dt < best)
			best = dt;
	}
	return best;
}

/* IOTLB hits; with 'write', a store to memory before each (every hit then compares). */
static double time_cache(struct vtd_cache *c, struct vtd_unit *u, struct vtd_translation *t,
			 unsigned n, int write)
{
	struct vtd_request rq = { .sid = SID, .access = VTD_ACC_R };
	double best = 0;
	uint8_t b[8] = { 0 };

	for (int r = 0; r < ROUNDS; r++) {
		double t0 = now(), dt;

		for (unsigned i = 0; i < n; i++) {
			rq.addr = addr_of(i);
			if (write)
				vtd_mem_write(u->mem, SCRATCH, b, 8, NULL);
			vtd_cache_translate(c, u, &rq, t, NULL, NULL);
			sink += t->out;
		}
		dt = now() - t0;
		if (!r || dt < best)
			best = dt;
	}
	return best;
}

/* Warm the cache, then check that every page hits with the right answer. */
static int warm(struct vtd_cache *c, struct vtd_unit *u, struct vtd_translation *t,
		const char *name)
{
	struct vtd_request rq = { .sid = SID, .access = VTD_ACC_R };
	struct vtd_cache_info ci;

	for (int pass = 0; pass < 2; pass++)
		for (unsigned i = 0; i < NPAGES; i++) {
			rq.addr = 0x1000ULL * i + 0x123;
			if (vtd_cache_translate(c, u, &rq, t, &ci, NULL) || t->fault ||
			    t->out != want_of(rq.addr) || (pass && (ci.hit != VTD_CACHE_IOTLB || ci.stale))) {
				fprintf(stderr, "bench-cache: %s: page %u: fault 0x%x out 0x%llx hit %u\n",
					name, i, t->fault, (unsigned long long)t->out, ci.hit);
				return 0;
			}
		}
	return 1;
}

static struct vtd_cache *cache(int model, int check_stale)
{
	struct vtd_cache_cfg cfg;
	struct vtd_cache *c = NULL;
	struct vtd_error err = { 0 };

	vtd_cache_cfg_default(&cfg, model);
	cfg.check_stale = (uint8_t)check_stale;
	if (cfg.size[VTD_CACHE_IOTLB] < NPAGES)
		cfg.size[VTD_CACHE_IOTLB] = NPAGES;
	if (vtd_cache_new(&cfg, &c, &err)) {
		fprintf(stderr, "bench-cache: %s\n", err.msg);
		exit(1);
	}
	return c;
}

int main(void)
{
	static struct vtd_translation t;
	static struct bare b;
	uint8_t *img = malloc(SIZE);
	struct vtd_mem *mem = NULL;
	struct vtd_unit u = { 0 };
	struct vtd_error err = { 0 };
	double bare, walk;

	if (!img)
		return 1;
	build(img);
	if (vtd_mem_open_buffer(&mem, &err) || vtd_mem_buffer_map(mem, BASE, img, SIZE, &err)) {
		fprintf(stderr, "bench-cache: %s\n", err.msg);
		return 1;
	}
	u.mem = mem;
	vtd_unit_qemu_defaults(&u, 0, 48);
	reg_put(&u.rtaddr, &vtd_l_reg_rtaddr, "RTA", 0x101000);
	u.enabled = 1;
	bare_fill(&b);
	for (unsigned i = 0; i < NPAGES; i++)
		if (bare_lookup(&b, 0x1000ULL * i + 5) != want_of(0x1000ULL * i + 5))
			return 1;

	printf("%u requests (legacy mode, %u pages of a 4-level table, all cached), best of %d rounds\n",
	       N, NPAGES, ROUNDS);
	bare = time_bare(&b);
	walk = time_walk(&u, &t, N / 8);
	printf("  bare hash-table lookup            %8.1f M/s  (the floor)\n", N / bare / 1e6);
	printf("  vtd_translate (a walk each)       %8.1f M/s\n", N / 8 / walk / 1e6);

	static const struct {
		const char *name;
		int model, check, write;
	} runs[] = {
		{ "IOTLB hit, specification model", VTD_CMODEL_SPEC, 1, 0 },
		{ "IOTLB hit, stale checking off", VTD_CMODEL_SPEC, 0, 0 },
		{ "IOTLB hit, memory written each time", VTD_CMODEL_SPEC, 1, 1 },
		{ "IOTLB hit, QEMU 7.2 model", VTD_CMODEL_QEMU72, 1, 0 },
	};
	for (unsigned r = 0; r < VTD_NELEM(runs); r++) {
		struct vtd_cache *c = cache(runs[r].model, runs[r].check);
		unsigned n = runs[r].write ? N / 4 : N;
		double dt;

		if (!warm(c, &u, &t, runs[r].name))
			return 1;
		dt = time_cache(c, &u, &t, n, runs[r].write);
		printf("  %-34s%8.1f M/s  (%.1fx the walk, %.2fx the bare lookup)\n", runs[r].name,
		       n / dt / 1e6, (n / dt) / (N / 8 / walk), (n / dt) / (N / bare));
		if (vtd_cache_stats(c)->stale || vtd_cache_stats(c)->walks != NPAGES) {
			fprintf(stderr, "bench-cache: %s: %llu stale hits, %llu walks\n", runs[r].name,
				(unsigned long long)vtd_cache_stats(c)->stale,
				(unsigned long long)vtd_cache_stats(c)->walks);
			return 1;
		}
		vtd_cache_free(c);
	}
	fflush(stdout);
	fprintf(stderr, "(checksum %llu)\n", (unsigned long long)sink);
	vtd_mem_close(mem);
	free(img);
	return 0;
}
