/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- what the translation engine's files share (not installed) */
#ifndef VTD_WALK_INTERNAL_H
#define VTD_WALK_INTERNAL_H

#include <string.h>

#include "mem-internal.h"
#include "walk.h"

/* The row that stands for a field a layout does not have: always reads 0. */
extern const struct vtd_field vtd__nofield;

int vtd__walk_prep_fill(struct vtd_walk_prep *p, struct vtd_error *err);

/*
 * What these registers make of the resolved tables (struct vtd_walk_set),
 * in parts.  A request to a unit whose registers changed since it was
 * prepared fills its own copy part by part, as its walk comes to need
 * them (walk_need()); the parts it never needs stay undefined.
 */
#define VTD_SET_COMMON	0x01	/* the key, and what every walk reads */
#define VTD_SET_LEGACY	0x02	/* legacy root and context entries, its second stage */
#define VTD_SET_SM	0x04	/* scalable root, context and PASID structures */
#define VTD_SET_SS1	0x08	/* the scalable second stage */
#define VTD_SET_FS	0x10	/* the first stage */
#define VTD_SET_FAST	0x20	/* the fast walks' (after all others), and 'valid' */
#define VTD_SET_ALL	0x3f
void vtd__walk_set_fill(const struct vtd_walk_prep *p, uint64_t cap, uint64_t ecap, unsigned haw,
			struct vtd_walk_set *s, unsigned parts);

/*
 * Fault conditions, named for what went wrong; each numbering maps them to
 * a reason code (walk-fault.c).  Legacy mode and QEMU 7.2 share the legacy
 * codes; the specification's scalable mode has its own.
 */
enum vtd_cond {
	C_NONE = 0,
	C_RTADDR,		/* RTADDR.TTM reserved (or abort-DMA mode) */
	C_TTM_PASID,		/* request with PASID in legacy mode */
	C_TTM_PR,		/* page request in legacy mode */
	C_ROOT_READ, C_ROOT_P, C_ROOT_RSVD,
	C_CTX_READ, C_CTX_P, C_CTX_RSVD, C_CTX_INV,
	C_CTX_AT,		/* translation(-request) blocked by the context */
	C_PASIDE, C_PDTS, C_RID_PASID,
	C_PRE,			/* page request, the context's PRE clear */
	C_DIR_READ, C_DIR_P, C_DIR_RSVD,
	C_PE_READ, C_PE_P, C_PE_RSVD, C_PE_INV,
	C_ERE, C_SRE,
	C_FS_READ, C_FS_P, C_FS_RSVD, C_FS_TOP_READ,
	C_NEST_BEYOND,		/* a first-stage table address beyond the second stage */
	C_NEST_TOP_R,		/* second stage denies reading the top first-stage table */
	C_NEST_R,		/* ... a lower first-stage table */
	C_NEST_W,		/* ... writing A/D into a first-stage table */
	C_SS_READ, C_SS_TOP_READ,
	C_SS_NP_R, C_SS_NP_W,	/* second-stage entry not present (read / write request) */
	C_SS_RSVD,
	C_SS_AD_NOSNOOP, C_FS_AD_NOSNOOP,
	C_SS_AD_FAIL, C_FS_AD_FAIL,	/* an A/D store failed */
	C_NONCANON, C_US, C_X,
	C_BEYOND,		/* input address beyond the address width */
	C_NEST_OUT_BEYOND,	/* first-stage output beyond the second stage */
	C_W, C_R,		/* write / read not permitted */
	C_FS_W,			/* write not permitted by the first stage */
	C_INTR,			/* output in the interrupt address range */
	C_COUNT
};

/* The reason code of a condition; 0 when the numbering has none. */
unsigned vtd__cond_code(int cond, int scalable, int qemu);

/* Does FPD suppress this reason code in this numbering? */
int vtd__qualified(unsigned code, int qemu);

/* A pending accessed/dirty store, made only when the walk succeeds. */
struct vtd_ad {
	uint64_t pa, val;	/* the entry's address and its new value */
	uint8_t a, d;		/* sets A, sets D */
	uint8_t fs;		/* a first-stage entry */
};

#define VTD_AD_MAX 48

struct walk {
	const struct vtd_unit *u;
	const struct vtd_walk_prep *p;
	const struct vtd_walk_set *s;	/* the registers' part, p->set or 'own' */
	struct vtd_walk_set *own;	/* this request's, when the unit's registers changed */
	unsigned own_parts;		/* VTD_SET_* filled in 'own' */
	const struct vtd_request *rq;
	struct vtd_translation *t;
	struct vtd_error *err;
	uint8_t sm, q;		/* scalable mode; QEMU 7.2 numbering */
	uint8_t fpd;		/* an FPD bit was set on the way */
	uint8_t priv;		/* supervisor request (after RID_PRIV) */
	uint8_t ad_nosnoop;	/* A/D updates would need snooped walks the entry disables */
	uint8_t rec;		/* record the steps (the unit's no_steps clear) */
	int cond;		/* the fault condition, C_NONE on success */
	uint64_t cap, ecap;
	uint64_t rta;		/* the root table's address, as the numbering reads RTADDR */
	uint64_t pe[8];		/* the PASID entry in use (scalable mode) */
	uint64_t pe_pa;		/* where it was read: faults found after the walk name it */
	const uint8_t *sptr;	/* the last in-process range of the source */
	uint64_t sbase, ssize;
	unsigned nad;
	struct vtd_ad ad[VTD_AD_MAX];
};

/* A resolved field of a structure held as little-endian 64-bit words. */
static inline uint64_t wf(const struct vtd_wfield *x, const uint64_t *w)
{
	return (w[x->w] >> x->shift) & x->mask;
}

/* An address field's value. */
static inline uint64_t wa(const struct vtd_wfield *x, const uint64_t *w)
{
	return wf(x, w) << x->vshift;
}

/* A field's bits within its word. */
static inline uint64_t wmask(const struct vtd_field *f)
{
	uint64_t m = f->width >= 64 ? ~0ULL : (1ULL << f->width) - 1;

	return m << (f->lsb & 63);
}

/*
 * Does the page of 'size' bytes (a power of two) holding 'out' overlap the
 * interrupt address range 0xFEEx_xxxx?  Like QEMU, the whole page counts,
 * not the access.  Both are aligned to their sizes, so they overlap when
 * 'out' and the range agree above the larger of the two.
 */
static inline int in_intr(uint64_t out, uint64_t size)
{
	return !((out ^ 0xfee00000ULL) & ~((size - 1) | 0xfffffULL));
}

/* Stop the walk with a condition at a structure's address; returns 1. */
static inline int walk_fault(struct walk *w, int cond, uint64_t pa)
{
	w->cond = cond;
	w->t->fault_addr = pa;
	return 1;
}

int vtd__walk_read_slow(struct walk *w, uint64_t pa, size_t len, uint8_t *buf,
			const uint8_t **out);

/*
 * The source's memory when it is a single in-process range: the prepared
 * copy (p->src) while the source's own span still equals it, so that the
 * first table read need not wait for the loads through u->mem (they only
 * confirm the copy), else the source's own.  NULL when it is not one such
 * range.  The caller bounds every read by *base and *size; no call, so
 * that the fast walks keep their registers.
 */
static inline __attribute__((always_inline)) const uint8_t *
walk_span(const struct vtd_unit *u, const struct vtd_walk_prep *p, uint64_t *base,
	  uint64_t *size)
{
	const struct vtd_mem *m = u->mem;

	if (!(((uintptr_t)m->span ^ (uintptr_t)p->src.ptr) | (m->span_base ^ p->src.base) |
	      (m->span_size ^ p->src.size))) {
		*base = p->src.base;
		*size = p->src.size;
		return p->src.ptr;
	}
	*base = m->span_base;
	*size = m->span_size;
	return m->span;
}

/* The range of the source that holds 'pa' (vtd__mem_span_fast), else that span. */
static inline __attribute__((always_inline)) const uint8_t *
walk_src(const struct vtd_unit *u, const struct vtd_walk_prep *p, uint64_t pa, uint64_t *base,
	 uint64_t *size)
{
	uint64_t b = 0, z = 0;
	const uint8_t *x = walk_span(u, p, base, size);

	if (x && pa - *base < *size)
		return x;
	/* Copies: the caller's own stay out of memory (no address taken). */
	x = vtd__mem_span(u->mem, pa, &b, &z);
	if (x) {
		*base = b;
		*size = z;
	}
	return x;
}

/*
 * Read 'len' bytes at 'pa' (a pointer into the source's memory when it
 * keeps them, else a copy in 'buf').  0, 1 when the source does not hold
 * them (the caller's read-error condition), or a negative error.  The
 * last in-process range is remembered: tables usually share one.
 */
static inline int walk_read(struct walk *w, uint64_t pa, size_t len, uint8_t *buf,
			    const uint8_t **out)
{
	uint64_t off = pa - w->sbase;

	if (off < w->ssize && len <= w->ssize - off) {
		*out = w->sptr + off;
		return 0;
	}
	return vtd__walk_read_slow(w, pa, len, buf, out);
}

/*
 * Record a structure read, as the explanation shows it, with its 'size'
 * bytes (a constant at every call, so the copy stays in registers).  'rec'
 * is w->rec, or a constant where a walk is compiled once per value.
 */
static inline __attribute__((always_inline)) void
walk_step(struct walk *w, const int rec, const struct vtd_layout *l, uint64_t pa, unsigned index,
	  int level, const uint8_t *raw, const size_t size)
{
	struct vtd_translation *t = w->t;
	struct vtd_walk_step *s;

	if (!rec || t->nsteps >= VTD_WALK_MAX_STEPS)
		return;
	s = &t->steps[t->nsteps++];
	s->layout = l;
	s->pa = pa;
	s->index = index;
	s->level = level;
	memcpy(s->raw, raw, size);
}

/*
 * Queue the store of an 8-byte entry 'v' of layout 'e' with the A/D bits
 * 'set' added (merging with one queued for the same entry).
 */
int vtd__walk_ad(struct walk *w, const struct vtd_wentry *e, uint64_t pa, uint64_t v,
		 uint64_t set, int fs);

/* ---- shared by the walks (walk.c) ---------------------------------------------- */

/* Read failures: 1 (the caller's condition) stays 1, errors stay errors. */
#define READ_OR(w, call, cond, pa) do { \
	int rc_ = (call); \
	if (rc_) \
		return rc_ < 0 ? rc_ : walk_fault(w, cond, pa); \
} while (0)

/*
 * Read a root, context or PASID structure of 'size' bytes (a constant: the
 * layout's, which vtd__walk_prep_fill checked) into 64-bit words and
 * record it.
 */
static inline __attribute__((always_inline)) int
rd_table(struct walk *restrict w, const int rec, const struct vtd_layout *l, uint64_t pa,
	 unsigned index, uint64_t *v, const size_t size)
{
	const uint8_t *src;
	uint8_t buf[64];
	int rc = walk_read(w, pa, size, buf, &src);

	if (rc)
		return rc;
	walk_step(w, rec, l, pa, index, 0, src, size);
#pragma GCC unroll 8
	for (size_t i = 0; i < size / 8; i++)
		v[i] = le64(src + 8 * i);
	return 0;
}

/* Does a structure of 'nw' words set a bit of its reserved masks (struct vtd_walk_set)? */
static inline int rsvd_words(const uint64_t *v, const uint64_t *rsvd, const unsigned nw)
{
	uint64_t bad = 0;

#pragma GCC unroll 8
	for (unsigned i = 0; i < nw; i++)
		bad |= v[i] & rsvd[i];
	return bad != 0;
}

/* Make sure w->s holds these parts (VTD_SET_*): p->set has all, 'own' what was asked. */
static inline void walk_need(struct walk *w, unsigned parts)
{
	if (w->own && (parts & ~w->own_parts)) {
		vtd__walk_set_fill(w->p, w->u->cap, w->u->ecap, w->u->haw, w->own,
				   parts & ~w->own_parts);
		w->own_parts |= parts;
	}
}

/* Does CAP.SAGAW list this AW value (of those the engine walks, 3 to 5 levels)? */
static inline int sagaw_has(const struct vtd_walk_set *s, uint64_t aw)
{
	return aw < 4 && (s->sagaw >> aw & 1);
}

/* The request's address unchanged, as a 4 KiB mapping with these rights. */
void vtd__identity(struct walk *restrict w, unsigned perm);

/* The second-stage walk of the request (PGTT 2, or QEMU's scalable mode), into the result. */
struct ss_cfg;
int vtd__second_stage(struct walk *restrict w, const struct ss_cfg *c);

/* A prepared unit's request walked in full (walk.c): what the fast walks give up on. */
int vtd__translate_full(const struct vtd_unit *u, const struct vtd_request *rq,
			struct vtd_translation *t, struct vtd_error *err);

/*
 * A valid untranslated request to a prepared unit (walk-fast.c): the fast
 * walk, without or with steps, else vtd__translate_full().
 */
int vtd__fast_answer(const struct vtd_unit *u, const struct vtd_request *rq,
		     struct vtd_translation *t, struct vtd_error *err);
int vtd__fast_steps(const struct vtd_unit *u, const struct vtd_request *rq,
		    struct vtd_translation *t, struct vtd_error *err);

/* Legacy mode (walk-ss.c) and scalable mode (walk-sm.c), from the root entry on. */
int vtd__walk_legacy(struct walk *restrict w);
int vtd__walk_sm(struct walk *restrict w);

/* ---- the second stage and legacy mode (walk-ss.c) ------------------------------- */

enum ss_role {
	SS_REQ,		/* the request's own address (second-stage only) */
	SS_NEST_TOP,	/* the top first-stage table of a nested walk */
	SS_NEST_TABLE,	/* a lower first-stage table */
	SS_NEST_OUT,	/* the output of the first stage */
};

struct ss_cfg {
	uint64_t root;		/* top table */
	int levels;		/* 3..5 */
	unsigned width;		/* input address bits */
	uint8_t ad;		/* set A/D (SSADE) */
	uint8_t ssee;		/* X bits count (SSEE); else execute follows read */
};

struct ss_out {
	uint64_t out, size;	/* output address; bytes the leaf maps */
	unsigned perm;		/* VTD_ACC_* allowed by every level */
	int level;		/* of the leaf */
	uint64_t leaf, leaf_pa;	/* the leaf entry and its address */
	const struct vtd_wentry *le;	/* its layout */
};

int vtd__ss_walk(struct walk *restrict w, const struct ss_cfg *c, int role, uint64_t in,
		 unsigned access, struct ss_out *o);

/* ---- the first stage (walk-fs.c) ------------------------------------------------- */

/* First-stage (or nested) walk of the request from the PASID entry in w->pe. */
int vtd__fs_walk(struct walk *restrict w, int nested);

#endif
