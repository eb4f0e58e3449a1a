/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- the table reader's state, shared by its two halves (not installed) */
#ifndef VTD_BUILD_READ_INTERNAL_H
#define VTD_BUILD_READ_INTERNAL_H

#include "build-internal.h"

#define MAX_VISITS (1u << 20)	/* table pages one read may visit */
/*
 * Leaf entries one read may visit and mappings it may hold.  A few table
 * pages whose entries all point at one next table describe 512^4 leaves:
 * a dump's tables must not make the reader run for hours or fill memory.
 */
#define MAX_LEAVES (1u << 26)
#define MAX_MAPS (1u << 22)
#define MAX_RAW 24

struct rdom {
	uint64_t top;
	uint16_t did;
	uint8_t stage;
	unsigned levels;
	struct vtd_bmap *maps;
	size_t nmaps, cap;
	uint8_t run_nraw;		/* the last mapping's raw list, for coalescing */
	struct vtd_braw run_raw[MAX_RAW];
};

struct rd {
	struct vtd_mem *mem;
	struct bfields F;
	struct vtd_caps c;
	struct vtd_plan *out;
	struct rdom *dom;
	size_t ndom, dcap;
	uint64_t *pages;		/* every table page seen */
	size_t npages, pcap;
	size_t visits, leaves, maps;
	int shared;			/* a paging page is reached twice */
	struct vtd_error *err;
	char path[320];
};

int vtd__rd_oom(struct rd *r);
/* Read a table (and count it); errors name the address and the path to it. */
int vtd__rd_page(struct rd *r, uint64_t pa, void *buf, size_t len, const char *what);
/* Append "name[idx]@table" to the path; returns the length to cut back to. */
size_t vtd__rd_path(struct rd *r, const char *name, unsigned idx, uint64_t table);
/* The domain with these tables, walked the first time it is seen: its index in r->dom. */
int vtd__rd_domain(struct rd *r, uint64_t top, uint16_t did, uint8_t stage, unsigned levels,
		   int *out);

#endif
