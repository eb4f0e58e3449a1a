/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Benchmark of the translation engine against the obvious alternative in
 * the same run: a bare pointer-chasing loop over the same tables (root,
 * context, 4 second-stage levels) with hand-written masks and no checks
 * beyond the present bits, the practical limit for any walker.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "layout.h"
#include "tables.h"
#include "walk.h"

#define BASE	0x100000ULL
#define SIZE	0x10000u
#define NPAGES	512u		/* PTEs of the one page table */
#define N	(1u << 22)

/* Build an entry from field values through its layout, and place it. */
static void put(uint8_t *img, uint64_t pa, const struct vtd_layout *l, const char *const *names,
		const uint64_t *values, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		const struct vtd_field *f = vtd_field_find(l, names[i]);
		uint64_t raw;

		if (!f || vtd_field_raw_of(f, values[i], &raw, NULL) ||
		    vtd_field_set_raw(f, img + (pa - BASE), raw, NULL)) {
			fprintf(stderr, "bench-walk: cannot set %s.%s\n", l->name, names[i]);
			exit(1);
		}
	}
}

#define PUT(img, pa, l, ...) do { \
	static const char *const n_[] = { __VA_ARGS__ }; \
	put(img, pa, l, n_, v_, VTD_NELEM(n_)); \
} while (0)

/* The tables: root 0x101000, context 0x102000, PML4 0x103000 ... PT 0x106000. */
static void build(uint8_t *img)
{
	memset(img, 0, SIZE);
	{ const uint64_t v_[] = { 1, 0x102000 }; PUT(img, 0x101000, &vtd_l_root_legacy, "P", "CTP"); }
	{ const uint64_t v_[] = { 1, 0, 0x103000, 2, 1 };
	  PUT(img, 0x102000 + 0x18 * 16, &vtd_l_context_legacy, "P", "TT", "SSPTPTR", "AW", "DID"); }
	{ const uint64_t v_[] = { 1, 1, 0x104000 }; PUT(img, 0x103000, &vtd_l_ss_pml4e, "R", "W", "ADDR"); }
	{ const uint64_t v_[] = { 1, 1, 0x105000 }; PUT(img, 0x104000, &vtd_l_ss_pdpe, "R", "W", "ADDR"); }
	{ const uint64_t v_[] = { 1, 1, 0x106000 }; PUT(img, 0x105000, &vtd_l_ss_pde, "R", "W", "ADDR"); }
	for (unsigned i = 0; i < NPAGES; i++) {
		const uint64_t v_[] = { 1, 1, 0x40000000ULL + 0x1000ULL * i };
		PUT(img, 0x106000 + 8 * i, &vtd_l_ss_pte, "R", "W", "ADDR");
	}
}

/* The bare walk: present bits and hand-written masks, nothing else. */
static uint64_t chase(const uint8_t *img, uint64_t rta, unsigned sid, uint64_t addr)
{
	uint64_t re = rd64(img + (rta - BASE) + 16 * (sid >> 8)), ce, ce_hi, t;
	int level, levels;

	if (!(re & 1))
		return ~0ULL;
	ce = rd64(img + ((re & ~0xfffULL) - BASE) + 16 * (sid & 0xff));
	ce_hi = rd64(img + ((re & ~0xfffULL) - BASE) + 16 * (sid & 0xff) + 8);
	if (!(ce & 1))
		return ~0ULL;
	levels = (int)(ce_hi & 7) + 2;
	t = ce & 0x000ffffffffff000ULL;
	for (level = levels; level >= 1; level--) {
		uint64_t e = rd64(img + (t - BASE) + 8 * ((addr >> (12 + 9 * (level - 1))) & 511));

		if (!(e & 3))
			return ~0ULL;
		t = e & 0x000ffffffffff000ULL;
	}
	return t | (addr & 0xfff);
}

int main(void)
{
	static struct vtd_translation t;
	uint8_t *img = malloc(SIZE);
	struct vtd_unit u = { 0 };
	struct vtd_error err = { 0 };
	struct vtd_request rq = { .sid = 0x18, .access = VTD_ACC_W };
	uint64_t sink = 0;
	double t0, bare, eng, unprep;
	unsigned i;

	if (!img)
		return 1;
	build(img);
	if (vtd_mem_open_buffer(&u.mem, &err) || vtd_mem_buffer_map(u.mem, BASE, img, SIZE, &err)) {
		fprintf(stderr, "bench-walk: %s\n", err.msg);
		return 1;
	}
	vtd_unit_qemu_defaults(&u, 0, 48);
	u.rtaddr = 0x101000;
	u.enabled = 1;

	/* Check both walkers agree before timing them. */
	for (i = 0; i < NPAGES; i++) {
		rq.addr = 0x1000ULL * i + 0x123;
		if (vtd_translate(&u, &rq, &t, &err) || t.fault || t.nsteps != 6 ||
		    t.out != chase(img, u.rtaddr, rq.sid, rq.addr)) {
			fprintf(stderr, "bench-walk: engine and bare walk disagree at 0x%llx (fault 0x%x)\n",
				(unsigned long long)rq.addr, t.fault);
			return 1;
		}
	}

	t0 = now();
	for (i = 0; i < N; i++)
		sink += chase(img, u.rtaddr, rq.sid, 0x1000ULL * (i % NPAGES) + (i & 0xfff));
	bare = now() - t0;

	t0 = now();
	for (i = 0; i < N; i++) {
		rq.addr = 0x1000ULL * (i % NPAGES) + (i & 0xfff);
		vtd_translate(&u, &rq, &t, NULL);
		sink += t.out;
	}
	eng = now() - t0;

	/* A unit that was never prepared resolves the layouts on every request. */
	u.prep.magic = 0;
	t0 = now();
	for (i = 0; i < N / 64; i++) {
		rq.addr = 0x1000ULL * (i % NPAGES);
		vtd_translate(&u, &rq, &t, NULL);
		sink += t.out;
	}
	unprep = now() - t0;

	printf("4-level second-stage walks (legacy mode: root, context, 4 levels), %u walks:\n", N);
	printf("  bare pointer chasing      %8.1f M walks/s  (baseline)\n", N / bare / 1e6);
	printf("  vtd_translate             %8.1f M walks/s  (%.2fx of baseline; 6 steps recorded)\n",
	       N / eng / 1e6, bare / eng);
	printf("  vtd_translate, unprepared %8.2f M walks/s\n", N / 64 / unprep / 1e6);
	fprintf(stderr, "(checksum %llu)\n", (unsigned long long)sink);
	vtd_mem_close(u.mem);
	free(img);
	return 0;
}
