/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtdkit benchmarks -- what every bench-*.c needs */
#ifndef VTD_BENCH_H
#define VTD_BENCH_H

#include <stdint.h>
#include <string.h>
#include <time.h>

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

#endif
