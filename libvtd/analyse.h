/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- finding tables in memory, linting them, and what devices can reach */
#ifndef VTD_ANALYSE_H
#define VTD_ANALYSE_H

#include <stddef.h>
#include <stdint.h>

#include "build.h"
#include "error.h"
#include "mem.h"

/*
 * Three questions asked of tables that some other software wrote (a live
 * host's, a crash dump's): where are they (vtd_scan_roots, when no register
 * says), what is wrong with them (vtd_lint), and which host memory can each
 * device reach through them (vtd_reachable, over the plan vtd_plan_read
 * made of them).
 */

/* ---- scanning a source for root tables ------------------------------------------- */

struct vtd_scan_opts {
	uint64_t cap, ecap;		/* the unit's registers (a profile's when unknown) */
	unsigned haw;
	uint64_t from, to;		/* physical range to scan; to 0: everything */
	unsigned min_score;		/* report candidates scoring at least this (0: 50) */
	size_t max_hits;		/* stop after this many (0: 64) */
};

struct vtd_scan_hit {
	uint64_t pa;			/* the candidate root table */
	uint64_t rtaddr;		/* the RTADDR value that would select it (TTM set) */
	uint8_t scalable;		/* read as a scalable-mode root table */
	unsigned score;			/* 0..100: how sure; 10 when nothing below the page holds up */
	unsigned roots, contexts;	/* present root entries, and plausible context entries */
	unsigned tables;		/* plausible PASID / paging tables reached below */
	char why[240];			/* "12 present root entries, 30 context entries ..." */
};

/*
 * Look at every 4 KiB page the source holds (vtd_mem_next) in [from, to):
 * a page is a candidate root table when its present entries are well
 * formed (reserved bits clear, pointers inside the source) and the
 * context tables they point to hold well-formed present entries whose
 * pointers reach plausible PASID or paging structures.  Both modes are
 * tried.  Candidates are scored and passed to 'fn' best first; a non-zero
 * return from 'fn' stops.  Bounded: each candidate's check reads at most a
 * fixed number of pages.
 */
VTD_API int vtd_scan_roots(struct vtd_mem *m, const struct vtd_scan_opts *o,
			   int (*fn)(const struct vtd_scan_hit *h, void *ctx), void *ctx,
			   struct vtd_error *err);

/*
 * Judge one page as vtd_scan_roots judges each: 1 with '*h' filled whatever
 * the score, 0 when the page is no candidate in that mode (no present
 * entry, or an entry with reserved bits set), or a negative error code
 * when the page cannot be read.  Only o's haw is used (o may be NULL).
 */
VTD_API int vtd_scan_page(struct vtd_mem *m, const struct vtd_scan_opts *o, uint64_t pa,
			  int scalable, struct vtd_scan_hit *h, struct vtd_error *err);

/* ---- linting ----------------------------------------------------------------------- */

enum vtd_lint_kind {
	VTD_LINT_RSVD = 1,	/* reserved bits or values set in an entry */
	VTD_LINT_AW,		/* AW (levels) not in CAP.SAGAW */
	VTD_LINT_DID_SHARED,	/* one domain id names different tables */
	VTD_LINT_MSI,		/* a mapping covers the interrupt range 0xfee00000-0xfeefffff */
	VTD_LINT_TABLE_DMA,	/* a device can reach a table page by DMA (and rewrite it) */
	VTD_LINT_RMRR,		/* an RMRR range is not identity-mapped for its device */
	VTD_LINT_PT,		/* pass-through where ECAP.PT is clear */
	VTD_LINT_IRTE_SVT,	/* a present IRTE validates no source id */
	VTD_LINT_FEATURE,	/* an entry uses what CAP/ECAP lack (large pages, DT, ...) */
	VTD_LINT_PTR,		/* a pointer leads to memory the source lacks, or back up (a cycle) */
};

/* Short name of a kind ("rsvd", "did-shared", ...); "?" for none. */
VTD_API const char *vtd_lint_kind_name(int kind);

struct vtd_lint_finding {
	int kind;		/* enum vtd_lint_kind */
	uint64_t addr;		/* the entry's physical address */
	int has_sid;
	uint16_t sid;		/* the device concerned, when has_sid */
	char path[200];		/* "root-legacy[0x0]@0x1000 -> context-legacy[0x18]@0x2180" */
	char msg[200];
};

/* An RMRR: the device scope of one reserved-memory region (from the DMAR table). */
struct vtd_rmrr {
	uint64_t base, size;
	const uint16_t *sids;
	size_t nsids;
};

struct vtd_lint_opts {
	uint64_t cap, ecap;
	unsigned haw;
	const struct vtd_rmrr *rmrr;	/* may be NULL */
	size_t nrmrr;
};

/*
 * Check the tables behind RTADDR (and IRTA, when not 0) and call 'fn' for
 * each finding.  Returns the number of findings (>= 0), or a negative error
 * code when the tables cannot be read at all.  A non-zero return from 'fn'
 * stops.  With cap and ecap both 0 (unit unknown) the checks against them
 * (AW, PT, FEATURE) are skipped.  Each table is judged once however many
 * entries point at it; a domain's mappings are collected once per page of
 * its tables (an alias of a subtree inside one domain adds nothing).  An
 * entry with reserved bits set is reported and not followed.  The first-
 * stage tables of nested entries are guest memory: devices reaching them
 * are not TABLE_DMA findings.
 */
VTD_API long vtd_lint(struct vtd_mem *m, uint64_t rtaddr, uint64_t irta,
		      const struct vtd_lint_opts *o,
		      int (*fn)(const struct vtd_lint_finding *f, void *ctx), void *ctx,
		      struct vtd_error *err);

/* ---- reachable memory ---------------------------------------------------------------- */

struct vtd_reach_range {
	uint64_t base, size;		/* host physical */
	unsigned perm;			/* VTD_ACC_* the device has there */
};

struct vtd_reach {
	uint16_t sid;
	uint8_t has_pasid;
	uint32_t pasid;
	uint8_t all;			/* pass-through: all of memory */
	struct vtd_reach_range *ranges;	/* sorted, merged where perm is equal */
	size_t n;
	uint64_t total, writable;	/* bytes */
};

/*
 * Per device (and per PASID other than RID_PASID) of a plan: the host
 * memory its DMA reaches.  Second-stage output for second-stage and nested
 * entries (nested: the second stage bounds what the first may reach);
 * first-stage output for first-stage entries.  '*out' is an array of '*n'
 * (free with vtd_reach_free).
 */
VTD_API int vtd_reachable(const struct vtd_plan *p, struct vtd_reach **out, size_t *n,
			  struct vtd_error *err);
VTD_API void vtd_reach_free(struct vtd_reach *r, size_t n);

#endif
