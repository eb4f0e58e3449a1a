/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target: scanning for root tables, linting and reachability over
 * arbitrary memory.  A 16-byte header holds the registers, the rest is
 * physical memory from address 0:
 *
 *   0..7   RTADDR (TTM picks legacy or scalable mode)
 *   8..15  IRTA
 *
 * The scan must end, with hits that are pages of the source, scored 0-100,
 * best first; linting the header's tables and the best hits' must end with
 * a count or an error, every finding of a known kind with a path; a plan
 * read from the tables must give reachable ranges that are sorted and
 * disjoint.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t le(const uint8_t *p)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

struct hits {
	uint64_t mem;		/* bytes of memory */
	unsigned last;		/* previous score */
	size_t n;
	uint64_t rtaddr[2];
};

static int on_hit(const struct vtd_scan_hit *h, void *ctx)
{
	struct hits *hs = ctx;

	if (h->score > 100 || (h->pa & 0xfff) || h->pa + 4096 > hs->mem || !h->roots ||
	    (hs->n && h->score > hs->last) || !memchr(h->why, 0, sizeof(h->why)) ||
	    (h->rtaddr & ~0xfffULL) != h->pa) {
		fprintf(stderr, "fuzz-scan: bad hit 0x%llx score %u\n", (unsigned long long)h->pa,
			h->score);
		abort();
	}
	hs->last = h->score;
	if (hs->n < 2)
		hs->rtaddr[hs->n] = h->rtaddr;
	hs->n++;
	return 0;
}

static int on_find(const struct vtd_lint_finding *f, void *ctx)
{
	(void)ctx;
	if (f->kind < VTD_LINT_RSVD || f->kind > VTD_LINT_PTR || !f->path[0] ||
	    !memchr(f->path, 0, sizeof(f->path)) || !memchr(f->msg, 0, sizeof(f->msg)) ||
	    !f->msg[0] || !strcmp(vtd_lint_kind_name(f->kind), "?")) {
		fprintf(stderr, "fuzz-scan: bad finding kind %d\n", f->kind);
		abort();
	}
	return 0;
}

static void lint_one(struct vtd_mem *m, uint64_t rtaddr, uint64_t irta,
		     const struct vtd_profile *pr)
{
	struct vtd_lint_opts o = { .cap = pr->cap, .ecap = pr->ecap, .haw = pr->haw };
	uint16_t sids[2] = { 0x0010, 0x0100 };
	struct vtd_rmrr rm = { .base = 0x1000, .size = 0x3000, .sids = sids, .nsids = 2 };
	struct vtd_error err = { 0 };
	long n;

	o.rmrr = &rm;
	o.nrmrr = 1;
	n = vtd_lint(m, rtaddr, irta, &o, on_find, NULL, &err);
	if (n == -VTD_EINTERNAL || (n < 0 && (err.code != -n || !err.msg[0]))) {
		fprintf(stderr, "fuzz-scan: lint: %ld %s\n", n, err.msg);
		abort();
	}
}

static void reach(struct vtd_mem *m, uint64_t rtaddr, const struct vtd_profile *pr)
{
	struct vtd_plan plan = { 0 };
	struct vtd_reach *r = NULL;
	size_t n = 0;

	if (vtd_plan_read(m, rtaddr, 0, pr->cap, pr->ecap, pr->haw, &plan, NULL))
		return;
	int rc = vtd_reachable(&plan, &r, &n, NULL);

	if (rc && rc != -VTD_ENOMEM && rc != -VTD_EINVAL)
		abort();
	for (size_t i = 0; !rc && i < n; i++) {
		uint64_t total = 0;

		for (size_t j = 0; j < r[i].n; j++) {
			const struct vtd_reach_range *x = &r[i].ranges[j];

			if (!x->size || !x->perm || (j && x->base < r[i].ranges[j - 1].base +
						   r[i].ranges[j - 1].size))
				abort();
			total += x->size;
		}
		if (!r[i].all && total != r[i].total)
			abort();
	}
	vtd_reach_free(r, n);
	vtd_plan_free(&plan);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vtd_mem *m = NULL;
	struct vtd_scan_opts so = { .min_score = 1, .max_hits = 8 };
	struct hits hs = { 0 };
	uint64_t rtaddr, irta;
	const struct vtd_profile *pr;
	int rc;

	if (size < 16 || size > (1u << 20) + 16)
		return 0;
	if (vtd_mem_open_buffer(&m, NULL))
		abort();
	if (size > 16 && vtd_mem_buffer_map(m, 0, data + 16, size - 16, NULL))
		abort();
	rtaddr = le(data);
	irta = le(data + 8);
	pr = vtd_profile_find((rtaddr >> 10 & 3) == 1 ? "server" : "client");
	so.haw = pr->haw;
	hs.mem = size - 16;
	rc = vtd_scan_roots(m, &so, on_hit, &hs, NULL);
	if (rc)
		abort();
	lint_one(m, rtaddr, irta, pr);
	for (size_t i = 0; i < hs.n && i < 2; i++)
		lint_one(m, hs.rtaddr[i], 0, vtd_profile_find(hs.rtaddr[i] >> 10 & 1 ? "server" :
							      "client"));
	reach(m, rtaddr, pr);
	vtd_mem_close(m);
	return 0;
}
