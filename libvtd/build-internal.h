/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- what the table builder, reader and verifier share (not installed) */
#ifndef VTD_BUILD_INTERNAL_H
#define VTD_BUILD_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "build.h"
#include "mem-internal.h"

#define BPAGE 4096ULL

/* A paging-entry layout with the rows the builder writes. */
struct bpg {
	const struct vtd_layout *l;
	const struct vtd_field *r, *w, *x, *snp, *p, *rw, *us, *xd, *ps, *addr;
};

/*
 * Every field the builder writes or the reader interprets, resolved once
 * per call so that the per-entry work is a table lookup.
 */
struct bfields {
	struct bpg pg[2][6][2];		/* [first stage][level][leaf] */
	const struct vtd_field *rl_p, *rl_ctp, *rs_lp, *rs_lctp, *rs_up, *rs_uctp;
	const struct vtd_field *cl_p, *cl_tt, *cl_ptr, *cl_aw, *cl_did;
	const struct vtd_field *cs_p, *cs_dte, *cs_paside, *cs_pdts, *cs_dir, *cs_rid;
	const struct vtd_field *pd_p, *pd_ptr;
	const struct vtd_field *pe_p, *pe_aw, *pe_pgtt, *pe_ssptr, *pe_did, *pe_sre, *pe_ere,
		*pe_fspm, *pe_fsptr;
	const struct vtd_field *rt_rta, *rt_ttm, *ir_s, *ir_eime, *ir_addr;
};

int vtd__bfields(struct bfields *f, struct vtd_error *err);

/* RTADDR's root table and mode (1: scalable); VTD_ENOTSUP for a TTM that is neither. */
int vtd__rtaddr(const struct bfields *F, uint64_t rtaddr, uint64_t *root, int *sm,
		struct vtd_error *err);

/* Make room for element n of a growing array (doubling); -1 when out of memory. */
int vtd__grow(void **v, size_t *cap, size_t n, size_t elem);
/* qsort's comparison of uint64_t. */
int vtd__cmp_u64(const void *a, const void *b);
/* Is every byte of the entry zero? */
int vtd__all_zero(const uint8_t *e, size_t len);

/* A field's raw value placed in a 64-bit word (fields of 8-byte entries). */
static inline uint64_t bf_bits(const struct vtd_field *f, uint64_t raw)
{
	uint64_t m = f->width >= 64 ? ~0ULL : (1ULL << f->width) - 1;

	return (raw & m) << (f->lsb & 63);
}

static inline uint64_t bf_get(const struct vtd_field *f, uint64_t word)
{
	uint64_t m = f->width >= 64 ? ~0ULL : (1ULL << f->width) - 1;

	return (word >> (f->lsb & 63)) & m;
}

/* An address field's bits in place for address 'pa'. */
static inline uint64_t bf_addr(const struct vtd_field *f, uint64_t pa)
{
	return bf_bits(f, pa >> f->shift);
}

/* Is a paging entry present: P for the first stage, R or W for the second? */
static inline int bpg_present(const struct bpg *g, int fs, uint64_t w)
{
	return fs ? bf_get(g->p, w) != 0 : (bf_get(g->r, w) | bf_get(g->w, w)) != 0;
}

/* Rights a paging entry grants (VTD_ACC_*; above a leaf, what it leaves to the entries below). */
static inline unsigned bpg_rights(const struct bpg *g, int fs, uint64_t w)
{
	if (fs)
		return VTD_ACC_R | (bf_get(g->rw, w) ? VTD_ACC_W : 0) |
		       (bf_get(g->xd, w) ? 0 : VTD_ACC_X);
	return (bf_get(g->r, w) ? VTD_ACC_R : 0) | (bf_get(g->w, w) ? VTD_ACC_W : 0) |
	       (bf_get(g->x, w) ? VTD_ACC_X : 0);
}

static inline void bf_put(const struct vtd_field *f, uint8_t *b, uint64_t raw)
{
	vtd_field_set_raw(f, b, raw, NULL);
}

static inline void bf_put_addr(const struct vtd_field *f, uint8_t *b, uint64_t pa)
{
	vtd_field_set_raw(f, b, pa >> f->shift, NULL);
}

/* The mapping of a domain (maps sorted, disjoint) that covers input address a, or NULL. */
const struct vtd_bmap *vtd__map_at(const struct vtd_bdomain *d, uint64_t a);
unsigned vtd__max_aw(const struct vtd_caps *c);
/* Levels a domain's tables have under the profile (0 in the plan: the largest). */
unsigned vtd__dom_levels(const struct vtd_bdomain *d, const struct vtd_caps *c);
/* Bytes one entry at 'level' maps. */
static inline uint64_t bspan(unsigned level)
{
	return 1ULL << (12 + 9 * (level - 1));
}
static inline unsigned bidx(uint64_t iova, unsigned level)
{
	return (unsigned)(iova >> (12 + 9 * (level - 1))) & 511;
}

/* The largest page the profile allows at this point of a mapping: 4K, 2M or 1G. */
uint64_t vtd__auto_page(const struct vtd_caps *c, int fs, uint64_t iova, uint64_t pa,
			uint64_t rem);
/* Is a page size legal for the stage under the profile? */
int vtd__page_ok(const struct vtd_caps *c, int fs, uint64_t page);
static inline unsigned bpage_level(uint64_t page)
{
	return page == (1ULL << 30) ? 3 : page == (1ULL << 21) ? 2 : 1;
}

/* ---- entry encoders, shared by the builder and the reader ------------------- */

/* A leaf entry without its address: the mapping's attributes, page size 'level'. */
uint64_t vtd__leaf_tmpl(const struct bfields *F, int fs, unsigned level, unsigned perm,
			int snoop, int user);
/* A non-leaf entry pointing at 'pa'. */
uint64_t vtd__nonleaf(const struct bfields *F, int fs, unsigned level, uint64_t pa);
/* Raw fields onto an entry of layout 'l' (a field of another layout by its name). */
void vtd__apply_raw(const struct vtd_layout *l, uint8_t *b, const struct vtd_braw *raw,
		    size_t n);
/* The raw fields that turn 'expect' into 'actual' (fields, then reserved runs). */
size_t vtd__raw_diff(const struct vtd_layout *l, const uint8_t *actual, const uint8_t *expect,
		     struct vtd_braw *out, size_t max);

void vtd__enc_ctx_legacy(const struct bfields *F, const struct vtd_caps *c,
			 const struct vtd_plan *p, const struct vtd_bdevice *d, uint64_t top,
			 unsigned levels, uint8_t out[16]);
void vtd__enc_ctx_sm(const struct bfields *F, const struct vtd_caps *c,
		     const struct vtd_bdevice *d, unsigned pdts, uint64_t dir, uint8_t out[32]);
/* 'ss_top'/'fs_top' 0 when the PGTT uses none. */
void vtd__enc_pe(const struct bfields *F, const struct vtd_caps *c, const struct vtd_bpasid *x,
		 uint64_t ss_top, unsigned ss_levels, uint16_t did, uint64_t fs_top,
		 unsigned fs_levels, uint8_t out[64]);
/* Does the device's context entry enable requests with PASID? */
int vtd__paside(const struct vtd_caps *c, const struct vtd_bdevice *d);
/* PDTS the device's directory gets. */
unsigned vtd__pdts(const struct vtd_bdevice *d);
/* IRTA.S the plan's table gets. */
unsigned vtd__irt_s(const struct vtd_plan *p);
/* The DID a pass-through device's entry carries. */
uint16_t vtd__pt_did(const struct vtd_plan *p, const struct vtd_bdevice *d);

/* ---- the builder's state ----------------------------------------------------- */

struct bdedup {			/* open addressing: page content hash -> page */
	uint64_t *key;		/* hash, 0 = empty */
	uint64_t *pa;
	size_t cap, n;
};

struct bld {
	const struct vtd_plan *p;
	struct vtd_caps c;
	struct bfields F;
	int auto_pages;			/* ignore forced page sizes (the ideal count) */
	int dedup;
	/* Allocation: a cursor over the region, skipping exclusions. */
	uint64_t base, end, cur;
	struct vtd_brange *ex;		/* sorted, merged, page aligned */
	size_t nex;
	size_t used;			/* pages allocated */
	uint8_t *bytes;			/* from base to 'cap' bytes */
	size_t cap;
	struct vtd_bpage *pages;	/* in address order */
	size_t npages, pcap;
	struct bdedup dd;
	/*
	 * Without dedup, whether it could have shared anything: pages are
	 * hashed with their table pointers blanked, and two alike mean maybe.
	 */
	int sig;
	struct bdedup sigs;
	int maybe_dup;
	uint64_t *top;			/* per domain */
	struct vtd_problems *ps;
	int oom;
};

/* 'n' contiguous pages; their address.  Sets b->oom on failure (returns 0). */
uint64_t vtd__balloc(struct bld *b, size_t n, uint8_t kind);
static inline uint8_t *bat(struct bld *b, uint64_t pa)
{
	return b->bytes + (pa - b->base);
}
/* Build one domain's tables (its extra identity pages 'extra', sorted, may be NULL). */
int vtd__build_domain(struct bld *b, int di, const struct vtd_bmap *extra, size_t nextra);
/* The pages of a built first-stage domain's tables (sorted, unique, malloc'd). */
uint64_t *vtd__domain_pages(struct bld *b, int di, size_t *n);
void vtd__bld_free(struct bld *b);

/* A scalable device's PASID entries with the RID_PASID one its kind/domain implies (malloc'd). */
struct vtd_bpasid *vtd__dev_pasids(const struct vtd_plan *p, const struct vtd_bdevice *d,
				   size_t *n);

/* ---- problems ---------------------------------------------------------------------- */

__attribute__((format(printf, 5, 6)))
void vtd__problem(struct vtd_problems *ps, const char *where, int code, const uint64_t *addr,
		  const char *fmt, ...);

#endif
