/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- what the cache model's files share (not installed) */
#ifndef VTD_CACHE_INTERNAL_H
#define VTD_CACHE_INTERNAL_H

#include <string.h>

#include "cache.h"
#include "mem-internal.h"

#define NIL 0xffffffffu

/* The PASID tag of a request without PASID in legacy mode (PASIDs have 20 bits). */
#define TAG_NONE 0x100000u

/* ---- one cache's slots: keys, lookup and replacement (cache-tab.c) -------------- */

struct ckey {
	uint64_t a, b;
};

struct cslot {
	struct ckey k;
	uint32_t nfree;		/* free list (fully associative) */
	uint8_t live;
};

/*
 * Fully associative caches find keys in an open-addressing index (linear
 * probing) that holds the keys themselves: a hit reads one index line
 * before the entry.
 */
struct cidx {
	struct ckey k;
	uint32_t slot;		/* NIL: an empty place */
	uint32_t home;		/* where the key's probe starts */
};

/*
 * Recency (LRU) and age (FIFO) are stamps in an array of their own: a hit
 * stores one word where a linked list would touch three entries, and the
 * victim is the oldest stamp, looked for only when a full cache fills.
 */
struct ctab {
	unsigned size, ways, nsets, count;
	uint8_t replace;
	struct cslot *s;
	uint64_t *stamp;	/* last use (LRU) or fill (FIFO) */
	struct cidx *idx;	/* fully associative only */
	uint32_t imask, freel;
	uint64_t clock;
	uint32_t *rng;		/* the cache's xorshift state (RANDOM) */
	uint32_t memo;		/* the slot found last (NIL: not kept) */
	uint8_t use_memo;	/* context and PASID caches: requests come in runs */
};

static inline uint64_t ckey_hash(const struct ckey *k)
{
	uint64_t h = (k->a ^ (k->b * 0x9e3779b97f4a7c15ULL)) * 0xc2b2ae3d27d4eb4fULL;

	return h ^ (h >> 31);
}

static inline int ckey_eq(const struct ckey *x, const struct ckey *y)
{
	return x->a == y->a && x->b == y->b;
}

int vtd__ctab_init(struct ctab *t, unsigned size, unsigned ways, uint8_t replace, uint32_t *rng);
void vtd__ctab_free(struct ctab *t);

static inline __attribute__((always_inline)) uint32_t ctab_used(struct ctab *t, uint32_t i)
{
	if (t->replace == VTD_REPLACE_LRU)
		t->stamp[i] = ++t->clock;
	return i;
}

/* The slot holding 'k', or NIL; a hit counts as a use for LRU. */
static inline __attribute__((always_inline)) uint32_t
ctab_find(struct ctab *t, const struct ckey *k)
{
	uint64_t h;
	uint32_t i;

	if (!t->ways) {
		i = t->memo;
		if (i != NIL && t->s[i].live && ckey_eq(&t->s[i].k, k))
			return ctab_used(t, i);
		h = ckey_hash(k);
		for (uint32_t p = (uint32_t)h & t->imask;; p = (p + 1) & t->imask) {
			const struct cidx *x = &t->idx[p];

			if (x->slot == NIL)
				return NIL;
			if (ckey_eq(&x->k, k)) {
				if (t->use_memo)
					t->memo = x->slot;
				return ctab_used(t, x->slot);
			}
		}
	}
	h = ckey_hash(k);
	uint32_t base = (uint32_t)(((h >> 32) * t->nsets) >> 32) * t->ways;

	for (i = base; i < base + t->ways; i++)
		if (t->s[i].live && ckey_eq(&t->s[i].k, k))
			return ctab_used(t, i);
	return NIL;
}

/*
 * A slot for a new key (which must not be present), made free as the
 * policy says: each victim is handed to 'evict' before it is reused.
 */
uint32_t vtd__ctab_insert(struct ctab *t, const struct ckey *k,
			  void (*evict)(void *arg, uint32_t slot), void *arg);
void vtd__ctab_remove(struct ctab *t, uint32_t i);

/* ---- what entries hold ------------------------------------------------------------ */

/* An outcome as the head of struct vtd_translation holds it. */
struct answer {
	uint64_t out;		/* output page base (success) */
	uint64_t fault_addr;
	uint32_t pasid;
	uint16_t fault, did;
	uint8_t shift;		/* page size: 2^shift bytes (success) */
	uint8_t suppressed, perm, level, passthrough, snoop, emt, ipat, kind, has_pasid;
};

/* A qword of memory an entry rests on: the bits in 'mask' must still read 'val'. */
struct dep {
	uint64_t pa, val, mask;
};

/* What invalidations and stale checks read of an IOTLB or device-TLB entry. */
struct deps {
	struct dep *v;		/* what it rests on */
	uint32_t n;
	uint32_t tag;		/* PASID tag */
	uint16_t sid;
};

/*
 * An IOTLB or device-TLB entry: what a hit reads, in one cache line.  Its
 * page is in its key; the rest is in 'deps'.
 */
struct tlb_ent {
	uint64_t vgen;		/* memory generation it was last found true at */
	struct answer a;
	uint8_t level;		/* of the key: 1 .. 3 */
	uint8_t global;		/* a first-stage leaf with G: PASID-selective spares it */
	uint8_t d_ok;		/* a write needs no dirty-bit update */
	uint8_t tm;		/* a transient mapping: never copied into a device-TLB */
} __attribute__((aligned(64)));

/* Context- and PASID-cache entries: what the fast path reads first comes first. */
struct ctx_ent {
	uint16_t did, sid;
	uint8_t neg, sm;
	uint32_t rid_pasid, tag;
	uint64_t dirptr, vgen;
	struct answer neg_a;	/* with 'neg' (CM): the fault it answers */
	struct vtd_pin root, ctx;
};

struct pc_ent {
	uint16_t did;
	uint8_t neg;
	uint32_t pasid;
	uint64_t vgen;
	struct answer neg_a;
	struct vtd_pin dir, pe;
};

struct psc_ent {
	struct vtd_pin e;
	uint64_t prefix;	/* input address >> the entry's span */
	uint32_t tag;
	uint16_t did;
	uint8_t level, stage;
};

/* What a recorded structure is. */
enum cls { CL_OTHER = 0, CL_ROOT, CL_CTX, CL_PDIR, CL_PE, CL_SS, CL_FS };

/* Per layout the engine records: the bits that decide an answer, and the A/D bits. */
struct lmask {
	const struct vtd_layout *l;
	uint64_t keep[8], ad[8];
	uint8_t cls, leaf;
};

#define LMASK_MAX 32

/* Resolved rows of the fields the model decodes (layout-driven, found once). */
struct cfields {
	const struct vtd_field *ttm, *ctx_did, *ctx_dirptr, *ctx_rid_pasid, *pe_p, *pe_did,
		*pe_ssade;
	const struct vtd_field *cap_mamv, *cap_esrtps, *ecap_dit, *ecap_pds, *ecap_smts, *ecap_prs;
};

struct vtd_cache {
	struct vtd_cache_cfg cfg;
	struct vtd_cache_stats st;
	struct ctab tab[VTD_CACHE_N];
	struct ctx_ent *ctx;
	struct pc_ent *pc;
	struct tlb_ent *tlb, *dtlb;
	struct deps *tdep, *ddep;	/* beside tlb and dtlb */
	struct psc_ent *psc;
	unsigned nlevel[VTD_CACHE_N][4];	/* IOTLB/device-TLB entries per key level */
	uint32_t rng;
	uint8_t ttm_shift;		/* RTADDR.TTM, resolved for the fast path */
	uint32_t ttm_mask;
	uint8_t smts_shift;		/* ECAP.SMTS, likewise */
	struct cfields f;
	unsigned nlm;
	struct lmask lm[LMASK_MAX];
	/* The engine's unit for walks: the caller's, with memory and options of ours. */
	struct vtd_unit wu;
	const struct vtd_unit *wu_of;	/* the unit wu.prep was copied from, */
	uint32_t wu_magic;		/* and its prep.magic then */
	struct vtd_overlay ov;
	/* QEMU 7.2's pass-through fast path (cache-qemu.c): the source-ids whose
	 * address space bypasses the unit, and the unit last seen. */
	struct ptfast *pt;
	unsigned npt, cappt;
	const struct vtd_unit *last_u;
	uint8_t pin_id[VTD_OVERLAY_PINS];	/* the cache each pin came from */
	uint8_t pin_level[VTD_OVERLAY_PINS];	/* paging-structure pins: their level */
	struct vtd_translation *scratch;	/* the fresh walk of a stale hit */
};

/* A source-id whose DMA QEMU sends around the unit, and the entries that made it so. */
struct ptfast {
	uint16_t sid;
	uint64_t vgen;
	struct deps d;
};

/* ---- helpers shared by cache.c, cache-walk.c and cache-inv.c ----------------------- */


static inline int is_qemu(const struct vtd_cache *c)
{
	return c->cfg.model == VTD_CMODEL_QEMU72;
}

static inline int present(const struct vtd_cache *c, int id)
{
	return c->cfg.size[id] != 0;
}

/* A field of a structure held as bytes. */
static inline uint64_t fval(const struct vtd_field *f, const uint8_t *raw)
{
	return f ? vtd_field_raw(f, raw) : 0;
}

/* Key builders: every cache's tag in two words. */
static inline struct ckey key_ctx(unsigned sid, int sm, uint32_t tag)
{
	return (struct ckey){ sid | (uint64_t)sm << 16 | (uint64_t)tag << 17, 0 };
}

static inline struct ckey key_pc(uint64_t dirptr, uint32_t pasid)
{
	return (struct ckey){ dirptr, pasid };
}

/* IOTLB: (DID, PASID, privilege, page) in the specification; (SID, PASID, page) in QEMU. */
static inline struct ckey key_tlb(uint64_t page, unsigned level, unsigned id16, uint32_t tag,
				  unsigned priv)
{
	return (struct ckey){ page | level, id16 | (uint64_t)tag << 16 | (uint64_t)priv << 40 };
}

static inline struct ckey key_psc(uint64_t prefix, unsigned level, unsigned stage, unsigned did,
				  uint32_t tag)
{
	return (struct ckey){ prefix << 8 | level << 1 | stage, did | (uint64_t)tag << 16 };
}

/* Bytes an entry at this paging level spans (a non-leaf: the table below it). */
static inline unsigned span_shift(unsigned level)
{
	return 12 + 9 * (level - 1);
}

const struct lmask *vtd__cache_lmask(struct vtd_cache *c, const struct vtd_layout *l);

/* An IOTLB or device-TLB entry's input page (from its key). */
static inline uint64_t tlb_page(const struct vtd_cache *c, int id, uint32_t slot)
{
	return c->tab[id].s[slot].k.a & ~0xfffULL;
}

static inline struct deps *deps_of_slot(struct vtd_cache *c, int id, uint32_t slot)
{
	return id == VTD_CACHE_IOTLB ? &c->tdep[slot] : &c->ddep[slot];
}

/* Remove one entry (payload freed, level counts kept). */
void vtd__cache_drop(struct vtd_cache *c, int id, uint32_t slot);

/* The caller's unit, for walks: memory 'mem', steps on, 'write_ad' as given. */
struct vtd_unit *vtd__cache_unit(struct vtd_cache *c, const struct vtd_unit *u,
				 struct vtd_mem *mem, int write_ad);

/* What the fast path learnt before it handed a request to the slow one. */
struct fast {
	uint32_t ctx, pc;	/* slots found (NIL: missed or not looked up) */
	uint32_t tag;		/* the request's PASID tag, as far as known */
	uint8_t ttm, sm;	/* RTADDR.TTM; scalable mode */
	uint8_t ctx_looked, pc_looked, tlb_looked;	/* counted already */
};

/* The IOTLB or device-TLB slot holding 'addr' at any page size, or NIL (not counted). */
uint32_t vtd__tlb_lookup(struct vtd_cache *c, int id, uint64_t addr, unsigned id16, uint32_t tag,
			 unsigned priv);

/* Can this entry answer the request, in this model? */
int vtd__tlb_usable(const struct vtd_cache *c, const struct tlb_ent *e,
		    const struct vtd_request *rq);

/* Answer from an IOTLB or device-TLB entry: rights (QEMU's drop), staleness, stats. */
int vtd__tlb_answer(struct vtd_cache *c, const struct vtd_unit *u, const struct vtd_request *rq,
		    struct vtd_translation *t, struct vtd_cache_info *ci, int id, uint32_t slot);

static inline void count(struct vtd_cache *c, int id, int hit)
{
	if (hit)
		c->st.hits[id]++;
	else
		c->st.misses[id]++;
}

int vtd__cache_slow(struct vtd_cache *c, const struct vtd_unit *u, const struct vtd_request *rq,
		    struct vtd_translation *t, struct vtd_cache_info *ci, struct fast *f,
		    struct vtd_error *err);

/* An answer into t (no steps). */
void vtd__answer_put(const struct answer *a, const struct vtd_request *rq,
		     struct vtd_translation *t);

/* Compare deps with memory; 0 when all hold, else 1 with the first failing address. */
int vtd__deps_check(struct vtd_mem *m, const struct dep *d, uint32_t n, uint64_t *bad_pa);

/* Every qword of every structure a walk read, with the bits that matter. */
int vtd__deps_of(struct vtd_cache *c, const struct vtd_translation *t, struct deps *e);

/* cache-qemu.c: QEMU 7.2's pass-through fast path. */
int vtd__qemu_pt_answer(struct vtd_cache *c, const struct vtd_unit *u,
			const struct vtd_request *rq, struct vtd_translation *t,
			struct vtd_cache_info *ci);
void vtd__qemu_pt_switch(struct vtd_cache *c, const struct vtd_unit *u, unsigned sid);
void vtd__qemu_pt_switch_all(struct vtd_cache *c, const struct vtd_unit *u);
void vtd__qemu_pt_clear(struct vtd_cache *c);

/* ---- reading a walk's steps (cache-walk.c, cache-fill.c) ---------------------------- */

static inline const struct lmask *lm_of(struct vtd_cache *c, const struct vtd_walk_step *s)
{
	return vtd__cache_lmask(c, s->layout);
}

/* The first (or last) step of a class, or -1. */
static inline int step_of(struct vtd_cache *c, const struct vtd_translation *t, int cls, int last)
{
	int found = -1;

	for (unsigned i = 0; i < t->nsteps; i++)
		if (lm_of(c, &t->steps[i])->cls == cls) {
			found = (int)i;
			if (!last)
				break;
		}
	return found;
}

/* A field of a step's entry, by name. */
static inline uint64_t step_field(const struct vtd_walk_step *s, const char *name)
{
	const struct vtd_field *f = vtd_field_find(s->layout, name);

	return f ? vtd_field_raw(f, s->raw) : 0;
}

static inline uint32_t tag_of(const struct vtd_translation *t)
{
	return t->has_pasid ? t->pasid : TAG_NONE;
}

/* A cached entry of the step's structure, as read. */
void vtd__pin_of(struct vtd_cache *c, struct vtd_pin *p, const struct vtd_walk_step *s);

/* cache-fill.c: what a walk leaves in the caches ('stale': it rests on stale parts). */
void vtd__fill_ctx(struct vtd_cache *c, const struct vtd_unit *u, const struct vtd_request *rq,
		   const struct vtd_translation *t, struct vtd_cache_info *ci,
		   const struct fast *f, int stale);
void vtd__fill_pc(struct vtd_cache *c, const struct vtd_unit *u, const struct vtd_request *rq,
		  const struct vtd_translation *t, struct vtd_cache_info *ci,
		  const struct fast *f, int stale);
void vtd__fill_psc(struct vtd_cache *c, const struct vtd_request *rq,
		   const struct vtd_translation *t, struct vtd_cache_info *ci);
void vtd__fill_tlb(struct vtd_cache *c, const struct vtd_unit *u, const struct vtd_request *rq,
		   const struct vtd_translation *t, struct vtd_cache_info *ci, int id, int stale);
/* A translation request the IOTLB answered: the device keeps a copy. */
void vtd__dtlb_from_tlb(struct vtd_cache *c, const struct vtd_request *rq,
			const struct vtd_translation *t, struct vtd_cache_info *ci, uint32_t slot);
/* The PASID the walk's directory and PASID-table steps are for. */
uint32_t vtd__walk_pasid(struct vtd_cache *c, const struct vtd_request *rq,
			 const struct vtd_translation *t);

/* The fresh, uncached answer for a stale one. */
void vtd__cache_fresh(struct vtd_cache *c, const struct vtd_unit *u, const struct vtd_request *rq,
		      struct vtd_cache_info *ci);

#endif
