/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtdkit benchmarks -- what every bench-*.c needs */
#ifndef VTD_BENCH_H
#define VTD_BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "layout.h"
#include "tables.h"

static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A little-endian qword, as the hand-written baselines read entries. */
static inline uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/*
 * Tables are built through the layouts, as everywhere: set the named
 * fields of the entry at 'pa' in an image that starts at 'base'.
 */
static inline void put(uint8_t *img, uint64_t base, uint64_t pa, const struct vtd_layout *l,
		       const char *const *names, const uint64_t *values, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		const struct vtd_field *f = vtd_field_find(l, names[i]);
		uint64_t raw;

		if (!f || vtd_field_raw_of(f, values[i], &raw, NULL) ||
		    vtd_field_set_raw(f, img + (pa - base), raw, NULL)) {
			fprintf(stderr, "bench: cannot set %s.%s\n", l->name, names[i]);
			exit(1);
		}
	}
}

/* PUT(img, pa, layout, "FIELD", ...) with the values in a local array v_[], image at BASE. */
#define PUT_AT(img, base, pa, l, ...) do { \
	static const char *const n_[] = { __VA_ARGS__ }; \
	put(img, base, pa, l, n_, v_, VTD_NELEM(n_)); \
} while (0)
#define PUT(img, pa, l, ...) PUT_AT(img, BASE, pa, l, __VA_ARGS__)

/*
 * The legacy tables the benchmarks walk, in an image at 'base': root
 * 0x101000, context 0x102000 (device 'sid': AW 2, DID 1), second stage
 * PML4 0x103000 ... PT 0x106000, whose 'npages' PTEs map page i to
 * 0x40000000 + page i, read and write.
 */
static inline void legacy_tables(uint8_t *img, uint64_t base, unsigned sid, unsigned npages)
{
	{ const uint64_t v_[] = { 1, 0x102000 };
	  PUT_AT(img, base, 0x101000, &vtd_l_root_legacy, "P", "CTP"); }
	{ const uint64_t v_[] = { 1, 0, 0x103000, 2, 1 };
	  PUT_AT(img, base, 0x102000 + sid * 16, &vtd_l_context_legacy, "P", "TT", "SSPTPTR", "AW",
		 "DID"); }
	{ const uint64_t v_[] = { 1, 1, 0x104000 };
	  PUT_AT(img, base, 0x103000, &vtd_l_ss_pml4e, "R", "W", "ADDR"); }
	{ const uint64_t v_[] = { 1, 1, 0x105000 };
	  PUT_AT(img, base, 0x104000, &vtd_l_ss_pdpe, "R", "W", "ADDR"); }
	{ const uint64_t v_[] = { 1, 1, 0x106000 };
	  PUT_AT(img, base, 0x105000, &vtd_l_ss_pde, "R", "W", "ADDR"); }
	for (unsigned i = 0; i < npages; i++) {
		const uint64_t v_[] = { 1, 1, 0x40000000ULL + 0x1000ULL * i };
		PUT_AT(img, base, 0x106000 + 8 * i, &vtd_l_ss_pte, "R", "W", "ADDR");
	}
}

/* The i-th request's address: every one of 'npages' pages, with varying offsets. */
static inline uint64_t page_addr(unsigned i, unsigned npages)
{
	return 0x1000ULL * (i % npages) + (i & 0xfff);
}

/* Set one field of a register value. */
static inline void reg_put(uint64_t *reg, const struct vtd_layout *l, const char *name,
			   uint64_t value)
{
	const struct vtd_field *f = vtd_field_find(l, name);
	uint8_t b[8];
	uint64_t raw;

	memcpy(b, reg, 8);
	if (!f || vtd_field_raw_of(f, value, &raw, NULL) || vtd_field_set_raw(f, b, raw, NULL)) {
		fprintf(stderr, "bench: cannot set %s.%s\n", l->name, name);
		exit(1);
	}
	memcpy(reg, b, 8);
}

#endif
