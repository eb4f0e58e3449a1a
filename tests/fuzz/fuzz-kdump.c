/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target: any file opens as a "kdump:" source (plain or
 * flattened) or fails with a message, and a dump that opens answers every
 * page read with its bytes or a coded, explained error: never a crash,
 * never a silent failure.  What vtd_mem_next lists is sorted, disjoint,
 * made of whole pages, and is exactly what reads do not call a hole.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz-source.h"
#include "mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Runs listed per input: every seed's, bounded for speed. */
#define MAX_RUNS 256

struct run {
	uint64_t base, size;
};

/* The runs from 0; -1 when there are more than MAX_RUNS. */
static int list_runs(struct vtd_mem *m, struct run *r)
{
	uint64_t from = 0;
	int n = 0, rc;

	while ((rc = vtd_mem_next(m, from, &r[n].base, &r[n].size)) == 1) {
		const struct run *g = &r[n];

		if (!g->size || g->base < from || (n && g->base <= r[n - 1].base + r[n - 1].size))
			abort();
		/* Whole pages of at least 512 bytes (from 0, nothing is cut). */
		if ((g->base | g->size) & 511)
			abort();
		from = g->base + g->size;
		if (++n == MAX_RUNS || !from)
			return n == MAX_RUNS ? -1 : n;
	}
	if (rc)
		abort();
	return n;
}

static int in_runs(const struct run *r, int n, uint64_t pa)
{
	for (int i = 0; i < n; i++)
		if (pa - r[i].base < r[i].size)
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct run runs[MAX_RUNS];
	/* Pages of the seeds (block sizes 512 and 4096), a straddle, the top. */
	static const uint64_t probe[] = { 0, 0x200, 0x400, 0x600, 0x800, 0xa00, 0xc00, 0xdfc,
					  0x1000, 0x2000, 0x3000, 0x5000, 0x100000,
					  0xfffffffffffff000ULL };
	struct vtd_mem *m = NULL;
	struct vtd_error err;
	uint8_t buf[64];
	size_t i;
	int fd, rc, nruns;

	fd = fuzz_open_source("kdump", data, size, &m);
	if (fd < 0)
		return 0;
	nruns = list_runs(m, runs);
	/* Twice each: the second read comes from the page cache and must agree. */
	for (i = 0; i < sizeof(probe) / sizeof(probe[0]); i++) {
		uint8_t again[sizeof(buf)];
		int rc2;

		vtd_error_clear(&err);
		rc = vtd_mem_read(m, probe[i], buf, sizeof(buf), &err);
		if (rc && (rc != -VTD_EUNMAPPED && rc != -VTD_EFORMAT))
			abort();
		if (rc && (err.code != -rc || !err.msg[0]))
			abort();
		rc2 = vtd_mem_read(m, probe[i], again, sizeof(again), &err);
		if (rc2 != rc || (!rc && memcmp(buf, again, sizeof(buf))))
			abort();
		/* A hole is a page the runs leave out; a listed page is never one. */
		if (nruns >= 0) {
			rc = vtd_mem_read(m, probe[i], buf, 1, &err);
			if ((rc == -VTD_EUNMAPPED) == in_runs(runs, nruns, probe[i]))
				abort();
		}
	}
	vtd_mem_close(m);
	close(fd);
	return 0;
}
