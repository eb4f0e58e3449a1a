/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- the cache model's fills: what a walk's steps leave in each cache */
#include "cache-internal.h"

#include <stdlib.h>

#include "tables.h"

void vtd__pin_of(struct vtd_cache *c, struct vtd_pin *p, const struct vtd_walk_step *s)
{
	const struct lmask *m = vtd__cache_lmask(c, s->layout);

	memset(p, 0, sizeof(*p));
	p->pa = s->pa;
	p->l = s->layout;
	p->len = (uint8_t)s->layout->size;
	memcpy(p->raw, s->raw, p->len);
	memcpy(p->setm, m->ad, sizeof(p->setm));
}

/* Is the entry a step read not present (what CM caches)? */
static int not_present(struct vtd_cache *c, const struct vtd_walk_step *s, unsigned devfn)
{
	switch (lm_of(c, s)->cls) {
	case CL_ROOT:
		if (s->layout == &vtd_l_root_sm)
			return !step_field(s, devfn >= 128 ? "UP" : "LP");
		return !step_field(s, "P");
	case CL_CTX:
	case CL_PDIR:
	case CL_PE:
	case CL_FS:
		return !step_field(s, "P");
	case CL_SS:
		return !step_field(s, "R") && !step_field(s, "W");
	}
	return 0;
}

/* The walk stopped at step i because that entry is not present. */
static int stopped_np(struct vtd_cache *c, const struct vtd_translation *t, int i, unsigned devfn)
{
	return i >= 0 && t->fault && (unsigned)i + 1 == t->nsteps &&
	       not_present(c, &t->steps[i], devfn);
}

static struct answer answer_of(const struct vtd_translation *t)
{
	return (struct answer){
		.out = t->fault ? 0 : t->out & ~(t->page_size - 1),
		.shift = (uint8_t)(t->page_size ? __builtin_ctzll(t->page_size) : 0),
		.fault_addr = t->fault_addr, .pasid = t->pasid, .fault = t->fault, .did = t->did,
		.suppressed = t->suppressed, .perm = (uint8_t)t->perm, .level = t->level,
		.passthrough = t->passthrough, .snoop = t->snoop, .emt = t->emt, .ipat = t->ipat,
		.kind = t->kind, .has_pasid = t->has_pasid,
	};
}

/* ---- fills --------------------------------------------------------------------------- */

struct evarg {
	struct vtd_cache *c;
	int id;
};

static void on_evict(void *arg, uint32_t slot)
{
	struct evarg *a = arg;

	a->c->st.evictions[a->id]++;
	vtd__cache_drop(a->c, a->id, slot);
}

/* A slot for the key, replacing an entry under the same key (no eviction, no invalidation). */
static uint32_t put_key(struct vtd_cache *c, struct vtd_cache_info *ci, int id,
			const struct ckey *k)
{
	struct evarg a = { c, id };
	uint32_t i = ctab_find(&c->tab[id], k);

	if (i != NIL)
		vtd__cache_drop(c, id, i);
	i = vtd__ctab_insert(&c->tab[id], k, on_evict, &a);
	c->st.fills[id]++;
	ci->filled |= (uint8_t)(1u << id);
	return i;
}

/* The generation an entry filled now is true at: never, when it rests on stale parts. */
static uint64_t gen_now(const struct vtd_unit *u, int stale)
{
	return stale ? ~0ULL : u->mem->gen;
}

void vtd__fill_ctx(struct vtd_cache *c, const struct vtd_unit *u, const struct vtd_request *rq,
		     const struct vtd_translation *t, struct vtd_cache_info *ci,
		     const struct fast *f, int stale)
{
	int q = is_qemu(c), r = step_of(c, t, CL_ROOT, 0), x = step_of(c, t, CL_CTX, 0);
	int ok, neg = 0;

	if (!present(c, VTD_CACHE_CONTEXT) || f->ctx != NIL || r < 0)
		return;
	/*
	 * QEMU fills after the context and the PASID structures it checks with
	 * it, and caches no fault, caching mode or not (vtd_do_iommu_translate).
	 */
	ok = x >= 0 && (!t->fault || t->kind != VTD_XK_NONE ||
			(!q && (unsigned)x + 1 < t->nsteps));
	if (!ok) {
		unsigned devfn = rq->sid & 0xff;

		neg = !q && c->cfg.cm &&
		      (stopped_np(c, t, x, devfn) || (x < 0 && stopped_np(c, t, r, devfn)));
		if (!neg)
			return;
	}
	struct ckey k = key_ctx(rq->sid, f->sm, q ? f->tag : 0);
	struct ctx_ent *e = &c->ctx[put_key(c, ci, VTD_CACHE_CONTEXT, &k)];

	memset(e, 0, sizeof(*e));
	vtd__pin_of(c, &e->root, &t->steps[r]);
	if (x >= 0) {
		const uint8_t *raw = t->steps[x].raw;

		vtd__pin_of(c, &e->ctx, &t->steps[x]);
		if (f->sm) {
			e->dirptr = vtd_field_value(c->f.ctx_dirptr, fval(c->f.ctx_dirptr, raw));
			e->rid_pasid = (uint32_t)fval(c->f.ctx_rid_pasid, raw);
		} else {
			e->did = (uint16_t)fval(c->f.ctx_did, raw);
		}
	}
	/* Not-present entries are cached in the special domain 0 (what CM=1 software flushes). */
	if (neg)
		e->did = 0;
	e->sm = f->sm;
	e->sid = rq->sid;
	e->tag = f->tag;
	e->neg = (uint8_t)neg;
	if (neg)
		e->neg_a = answer_of(t);
	e->vgen = gen_now(u, stale);
}

/* The PASID the walk's directory and PASID-table steps are for. */
uint32_t vtd__walk_pasid(struct vtd_cache *c, const struct vtd_request *rq,
			   const struct vtd_translation *t)
{
	int x = step_of(c, t, CL_CTX, 0);

	if (rq->has_pasid || x < 0)
		return rq->pasid;
	return (uint32_t)fval(c->f.ctx_rid_pasid, t->steps[x].raw);
}

void vtd__fill_pc(struct vtd_cache *c, const struct vtd_unit *u, const struct vtd_request *rq,
		    const struct vtd_translation *t, struct vtd_cache_info *ci,
		    const struct fast *f, int stale)
{
	int d = step_of(c, t, CL_PDIR, 1), p = step_of(c, t, CL_PE, 1), ok, neg = 0;

	if (is_qemu(c) || !present(c, VTD_CACHE_PASID) || f->pc != NIL || d < 0)
		return;
	if (p < d)
		p = -1;
	ok = p >= 0 && (!t->fault || t->kind != VTD_XK_NONE);
	if (!ok) {
		neg = c->cfg.cm && (stopped_np(c, t, d, 0) || stopped_np(c, t, p, 0));
		if (!neg)
			return;
	}
	const struct vtd_walk_step *ds = &t->steps[d];
	struct ckey k = key_pc(ds->pa - 8ull * ds->index, vtd__walk_pasid(c, rq, t));
	struct pc_ent *e = &c->pc[put_key(c, ci, VTD_CACHE_PASID, &k)];

	memset(e, 0, sizeof(*e));
	vtd__pin_of(c, &e->dir, ds);
	if (p >= 0)
		vtd__pin_of(c, &e->pe, &t->steps[p]);
	if (p >= 0 && !neg)
		e->did = (uint16_t)fval(c->f.pe_did, t->steps[p].raw);
	e->pasid = (uint32_t)k.b;
	e->neg = (uint8_t)neg;
	if (neg)
		e->neg_a = answer_of(t);
	e->vgen = gen_now(u, stale);
}

void vtd__fill_psc(struct vtd_cache *c, const struct vtd_request *rq,
		     const struct vtd_translation *t, struct vtd_cache_info *ci)
{
	int stage = t->kind == VTD_XK_FIRST ? CL_FS : CL_SS;

	if (is_qemu(c) || !present(c, VTD_CACHE_PSC) ||
	    (t->kind != VTD_XK_SECOND && t->kind != VTD_XK_FIRST))
		return;
	for (unsigned i = 0; i < t->nsteps; i++) {
		const struct vtd_walk_step *s = &t->steps[i];
		const struct lmask *m = lm_of(c, s);

		/* The entry the walk stopped at decided nothing to cache. */
		if (m->cls != stage || m->leaf || (t->fault && i + 1 == t->nsteps))
			continue;
		unsigned lvl = (unsigned)s->level;
		struct ckey k = key_psc(rq->addr >> span_shift(lvl), lvl, stage == CL_FS, t->did,
					tag_of(t));

		if (ctab_find(&c->tab[VTD_CACHE_PSC], &k) != NIL)
			continue;
		struct psc_ent *e = &c->psc[put_key(c, ci, VTD_CACHE_PSC, &k)];

		vtd__pin_of(c, &e->e, s);
		e->prefix = rq->addr >> span_shift((unsigned)s->level);
		e->tag = tag_of(t);
		e->did = t->did;
		e->level = (uint8_t)s->level;
		e->stage = stage == CL_FS;
	}
}

int vtd__deps_of(struct vtd_cache *c, const struct vtd_translation *t, struct deps *e)
{
	uint32_t n = 0;

	for (unsigned i = 0; i < t->nsteps; i++) {
		const struct lmask *m = lm_of(c, &t->steps[i]);

		for (unsigned w = 0; w < t->steps[i].layout->size / 8u; w++)
			n += m->keep[w] != 0;
	}
	e->v = malloc((n ? n : 1) * sizeof(*e->v));
	if (!e->v)
		return -1;
	e->n = 0;
	for (unsigned i = 0; i < t->nsteps; i++) {
		const struct vtd_walk_step *s = &t->steps[i];
		const struct lmask *m = lm_of(c, s);

		for (unsigned w = 0; w < s->layout->size / 8u; w++)
			if (m->keep[w])
				/* The qword's index in its entry rides in the low bits. */
				e->v[e->n++] = (struct dep){ (s->pa + 8 * w) | w,
							     le64(s->raw + 8 * w), m->keep[w] };
	}
	return 0;
}

/* The leaf step of the answer's own stage, or -1. */
static int leaf_step(struct vtd_cache *c, const struct vtd_translation *t, int cls)
{
	int found = -1;

	for (unsigned i = 0; i < t->nsteps; i++) {
		const struct lmask *m = lm_of(c, &t->steps[i]);

		if (m->cls == cls && m->leaf)
			found = (int)i;
	}
	return found;
}

/* Does a later write through this entry need no dirty-bit update? */
static int dirty_ok(struct vtd_cache *c, const struct vtd_translation *t)
{
	int fs = t->kind == VTD_XK_FIRST || t->kind == VTD_XK_NESTED;
	int l = leaf_step(c, t, fs ? CL_FS : CL_SS), p = step_of(c, t, CL_PE, 1);

	if (is_qemu(c) || t->kind == VTD_XK_PASSTHROUGH || l < 0)
		return 1;
	if (!fs && (p < 0 || !fval(c->f.pe_ssade, t->steps[p].raw)))
		return 1;	/* second stage without SSADE tracks nothing */
	return t->dirty || step_field(&t->steps[l], "D");
}

void vtd__fill_tlb(struct vtd_cache *c, const struct vtd_unit *u, const struct vtd_request *rq,
		     const struct vtd_translation *t, struct vtd_cache_info *ci, int id, int stale)
{
	int q = is_qemu(c), k_ok = t->kind == VTD_XK_SECOND || t->kind == VTD_XK_FIRST ||
				   t->kind == VTD_XK_NESTED;
	int last = (int)t->nsteps - 1, neg = 0;
	unsigned level, id16, priv = q ? 0 : rq->priv;
	uint32_t tag = id == VTD_CACHE_DEVTLB ? (rq->has_pasid ? rq->pasid : TAG_NONE) : tag_of(t);
	struct deps dep;

	if (!present(c, id))
		return;
	if (id == VTD_CACHE_DEVTLB) {
		int l = leaf_step(c, t, CL_SS);

		/* Transient mappings (TM) stay out of device-TLBs. */
		if (rq->at != VTD_AT_TRANSLATION_REQ || t->fault ||
		    (l >= 0 && step_field(&t->steps[l], "TM")))
			return;
	} else if (q) {
		/* vtd_do_iommu_translate fills after a successful walk, never for pass-through. */
		if (rq->at != VTD_AT_UNTRANSLATED || t->fault || !k_ok)
			return;
	} else {
		if (rq->at == VTD_AT_TRANSLATED)
			return;
		if (t->fault) {
			neg = c->cfg.cm && (t->kind == VTD_XK_SECOND || t->kind == VTD_XK_FIRST) &&
			      last >= 0 && lm_of(c, &t->steps[last])->cls >= CL_SS &&
			      stopped_np(c, t, last, 0);
			if (!neg)
				return;
		} else if (!k_ok && t->kind != VTD_XK_PASSTHROUGH) {
			return;
		}
	}
	if (neg) {
		level = (unsigned)t->steps[last].level;
		level = level > 3 ? 3 : level;
	} else {
		level = t->page_size >= (1ULL << 30) ? 3 : t->page_size >= (1ULL << 21) ? 2 : 1;
	}
	id16 = id == VTD_CACHE_DEVTLB || q ? rq->sid : t->did;
	if (vtd__deps_of(c, t, &dep))
		return;
	uint64_t page = rq->addr & ~((1ULL << span_shift(level)) - 1);
	struct ckey k = key_tlb(page, level, id16, tag, priv);
	uint32_t i = put_key(c, ci, id, &k);
	struct tlb_ent *e = id == VTD_CACHE_IOTLB ? &c->tlb[i] : &c->dtlb[i];

	dep.tag = tag;
	dep.sid = rq->sid;
	*deps_of_slot(c, id, i) = dep;
	memset(e, 0, sizeof(*e));
	/*
	 * The walk's rights as they are, so that a hit answers as the walk did:
	 * the engine already leaves out execute where the PASID entry lets no
	 * request execute (ERE) and in QEMU's numbering (IOMMUAccessFlags).
	 */
	e->a = answer_of(t);
	if (!neg) {
		e->a.out = t->out & ~((1ULL << span_shift(level)) - 1);
		e->a.shift = (uint8_t)span_shift(level);
	}
	e->vgen = gen_now(u, stale);
	e->level = (uint8_t)level;
	int fl = leaf_step(c, t, CL_FS);

	e->global = fl >= 0 && step_field(&t->steps[fl], "G");
	e->d_ok = (uint8_t)(neg || dirty_ok(c, t));
	int sl = leaf_step(c, t, CL_SS);

	e->tm = sl >= 0 && step_field(&t->steps[sl], "TM");
	c->nlevel[id][level]++;
}

/* A translation request the IOTLB answered: the device keeps a copy. */
void vtd__dtlb_from_tlb(struct vtd_cache *c, const struct vtd_request *rq,
			  const struct vtd_translation *t, struct vtd_cache_info *ci, uint32_t slot)
{
	const struct tlb_ent *s = &c->tlb[slot];
	const struct deps *sd = &c->tdep[slot];
	struct tlb_ent tmp = *s;
	struct deps dep = *sd;

	if (!present(c, VTD_CACHE_DEVTLB) || rq->at != VTD_AT_TRANSLATION_REQ || t->fault || s->tm)
		return;
	dep.v = malloc((sd->n ? sd->n : 1) * sizeof(*dep.v));
	if (!dep.v)
		return;
	memcpy(dep.v, sd->v, sd->n * sizeof(*dep.v));
	dep.tag = rq->has_pasid ? rq->pasid : TAG_NONE;
	dep.sid = rq->sid;
	struct ckey k = key_tlb(tlb_page(c, VTD_CACHE_IOTLB, slot), tmp.level, rq->sid, dep.tag,
				rq->priv);
	uint32_t i = put_key(c, ci, VTD_CACHE_DEVTLB, &k);

	c->dtlb[i] = tmp;
	c->ddep[i] = dep;
	c->nlevel[VTD_CACHE_DEVTLB][tmp.level]++;
}

