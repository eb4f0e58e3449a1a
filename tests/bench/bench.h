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
#define PUT(img, pa, l, ...) do { \
	static const char *const n_[] = { __VA_ARGS__ }; \
	put(img, BASE, pa, l, n_, v_, VTD_NELEM(n_)); \
} while (0)

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
