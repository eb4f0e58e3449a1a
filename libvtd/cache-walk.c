/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvtd -- the cache model's walks.  A request the IOTLB could not answer
 * is walked by the engine over an overlay that pins the structures the
 * caches hold at their addresses: the engine then uses a cached context,
 * PASID or paging-structure entry exactly as hardware would, also after
 * memory changed.  Cached entries found only on the way (a PASID-cache
 * entry under a context read from memory, a paging-structure entry on the
 * path) are pinned as they are found, and the walk repeats when one of
 * them disagrees with what it read.  The walk's steps then fill the
 * caches (cache-fill.c).
 */
#include "cache-internal.h"

/* ---- pins ---------------------------------------------------------------------------- */

static int pin_at(const struct vtd_cache *c, uint64_t pa)
{
	for (unsigned i = 0; i < c->ov.n; i++)
		if (c->ov.pin[i].pa == pa)
			return (int)i;
	return -1;
}

/*
 * Pin a cached entry.  'seen': the walk just read that address, so the
 * pin counts as used (it would have answered the read) until a walk again.
 */
static void pin_add(struct vtd_cache *c, const struct vtd_pin *p, int id, unsigned level, int seen)
{
	if (!p->len || pin_at(c, p->pa) >= 0 || c->ov.n == VTD_OVERLAY_PINS)
		return;
	c->pin_id[c->ov.n] = (uint8_t)id;
	c->pin_level[c->ov.n] = (uint8_t)level;
	c->ov.pin[c->ov.n] = *p;
	c->ov.pin[c->ov.n++].used = (uint8_t)seen;
}

/* Do two copies of an entry agree in the bits that decide an answer? */
static int same(struct vtd_cache *c, const struct vtd_layout *l, const uint8_t *a, const uint8_t *b)
{
	const struct lmask *m = vtd__cache_lmask(c, l);

	for (unsigned w = 0; w < l->size / 8u; w++)
		if ((le64(a + 8 * w) ^ le64(b + 8 * w)) & m->keep[w])
			return 0;
	return 1;
}

/* Does memory still hold what a cached entry says? */
static int holds(struct vtd_cache *c, struct vtd_mem *m, const struct vtd_pin *p)
{
	uint8_t b[64];

	if (!p->len)
		return 1;
	return !vtd_mem_read(m, p->pa, b, p->len, NULL) && same(c, p->l, b, p->raw);
}

/* ---- reading a walk ------------------------------------------------------------------ */

static int walk(struct vtd_cache *c, const struct vtd_unit *u, const struct vtd_request *rq,
		struct vtd_translation *t, int write_ad, struct vtd_error *err)
{
	for (unsigned i = 0; i < c->ov.n; i++)
		c->ov.pin[i].used = 0;
	return vtd_translate(vtd__cache_unit(c, u, c->ov.n ? &c->ov.mem : u->mem, write_ad), rq, t,
			     err);
}

/* ---- finishing ----------------------------------------------------------------------- */

/* Drop the steps the caches supplied: pinned entries, and the levels a cached
 * paging-structure entry let the walk skip. */
static void filter_steps(struct vtd_cache *c, struct vtd_translation *t,
			 struct vtd_cache_info *ci, int paging_too)
{
	unsigned i, n = 0, low = 6;
	int stage = 0;

	for (i = 0; i < c->ov.n; i++) {
		if (!c->ov.pin[i].used || c->pin_id[i] == VTD_CACHE_N)
			continue;
		ci->used |= (uint8_t)(1u << c->pin_id[i]);
		if (c->pin_id[i] == VTD_CACHE_PSC && c->pin_level[i] < low) {
			low = c->pin_level[i];
			stage = vtd__cache_lmask(c, c->ov.pin[i].l)->cls;
		}
	}
	for (i = 0; i < t->nsteps; i++) {
		const struct vtd_walk_step *s = &t->steps[i];
		int cls = lm_of(c, s)->cls, p = pin_at(c, s->pa);

		if ((p >= 0 && c->ov.pin[p].used && c->pin_id[p] != VTD_CACHE_N) ||
		    (cls >= CL_SS && !paging_too) ||
		    (cls == stage && (unsigned)s->level >= low))
			continue;
		if (n != i)
			t->steps[n] = *s;
		n++;
	}
	t->nsteps = n;
}

/* The first cached entry (in walk order) that memory no longer holds. */
static int pins_stale(struct vtd_cache *c, const struct vtd_unit *u,
		      const struct vtd_translation *t, uint64_t *bad)
{
	for (unsigned i = 0; i < t->nsteps; i++) {
		int p = pin_at(c, t->steps[i].pa);

		if (p >= 0 && c->ov.pin[p].used && c->pin_id[p] != VTD_CACHE_N &&
		    !holds(c, u->mem, &c->ov.pin[p])) {
			*bad = c->ov.pin[p].pa;
			return 1;
		}
	}
	return 0;
}

static void mark_stale(struct vtd_cache *c, const struct vtd_unit *u,
		       const struct vtd_request *rq, struct vtd_cache_info *ci, uint64_t pa)
{
	ci->stale = 1;
	ci->stale_pa = pa;
	c->st.stale++;
	vtd__cache_fresh(c, u, rq, ci);
}

/* A cached fault (CM) answers, with nothing walked. */
static int neg_answer(struct vtd_cache *c, const struct vtd_unit *u, const struct vtd_request *rq,
		      struct vtd_translation *t, struct vtd_cache_info *ci, int id,
		      const struct answer *a, uint64_t *vgen, const struct vtd_pin *p1,
		      const struct vtd_pin *p2)
{
	ci->hit = (uint8_t)id;
	vtd__answer_put(a, rq, t);
	c->st.faults++;
	if (c->cfg.check_stale && *vgen != u->mem->gen) {
		if (!holds(c, u->mem, p1))
			mark_stale(c, u, rq, ci, p1->pa);
		else if (!holds(c, u->mem, p2))
			mark_stale(c, u, rq, ci, p2->pa);
		else
			*vgen = u->mem->gen;
	}
	return 0;
}

/*
 * A cache below the walk answers (an IOTLB entry once the walk named the
 * domain, or a cached PASID fault): the walk's context and PASID reads
 * stay as the explanation and fill their caches; its paging reads never
 * happened.
 */
static int answer_after_walk(struct vtd_cache *c, const struct vtd_unit *u,
			     const struct vtd_request *rq, struct vtd_translation *t,
			     struct vtd_cache_info *ci, const struct fast *f, int id, uint32_t slot)
{
	unsigned n;
	uint64_t bad;
	int stale = c->cfg.check_stale && pins_stale(c, u, t, &bad);

	vtd__fill_ctx(c, u, rq, t, ci, f, stale);
	if (id == VTD_CACHE_IOTLB)
		vtd__fill_pc(c, u, rq, t, ci, f, stale);
	filter_steps(c, t, ci, 0);
	if (id == VTD_CACHE_PASID) {
		unsigned k = 0;

		for (unsigned i = 0; i < t->nsteps; i++) {
			int cls = lm_of(c, &t->steps[i])->cls;

			if (cls != CL_PDIR && cls != CL_PE)
				t->steps[k++] = t->steps[i];
		}
		t->nsteps = k;
	}
	n = t->nsteps;
	if (n)
		c->st.walks++;
	if (id == VTD_CACHE_PASID) {
		struct pc_ent *e = &c->pc[slot];

		neg_answer(c, u, rq, t, ci, id, &e->neg_a, &e->vgen, &e->dir, &e->pe);
	} else {
		vtd__tlb_answer(c, u, rq, t, ci, id, slot);
		vtd__dtlb_from_tlb(c, rq, t, ci, slot);
	}
	t->nsteps = u->no_steps ? 0 : n;
	return 0;
}

/* ---- adopting what the caches hold for the path just walked -------------------------- */

/*
 * The PASID-cache entry under a context read from memory.  0: nothing new;
 * 1: pinned one memory disagrees with (walk again); 2: a cached fault answers.
 */
static int adopt_pasid(struct vtd_cache *c, const struct vtd_request *rq,
		       const struct vtd_translation *t, struct fast *f)
{
	int d = step_of(c, t, CL_PDIR, 1), p = step_of(c, t, CL_PE, 1);

	if (d < 0)
		return 0;
	if (!f->pc_looked) {
		const struct vtd_walk_step *ds = &t->steps[d];
		struct ckey k = key_pc(ds->pa - 8ull * ds->index, vtd__walk_pasid(c, rq, t));

		f->pc = ctab_find(&c->tab[VTD_CACHE_PASID], &k);
		count(c, VTD_CACHE_PASID, f->pc != NIL);
		f->pc_looked = 1;
	}
	if (f->pc == NIL)
		return 0;
	const struct pc_ent *e = &c->pc[f->pc];

	if (e->neg)
		return 2;
	pin_add(c, &e->dir, VTD_CACHE_PASID, 0, 1);
	pin_add(c, &e->pe, VTD_CACHE_PASID, 0, p > d && t->steps[p].pa == e->pe.pa);
	return !same(c, e->dir.l, e->dir.raw, t->steps[d].raw) ||
	       p < d || !same(c, e->pe.l, e->pe.raw, t->steps[p].raw);
}

/* Pin the paging-structure entries cached for this path; 1 when one disagrees with memory. */
static int adopt_psc(struct vtd_cache *c, const struct vtd_request *rq,
		     const struct vtd_translation *t, int first)
{
	int stage = t->kind == VTD_XK_FIRST ? CL_FS : CL_SS, rerun = 0, any = 0;

	for (unsigned i = 0; i < t->nsteps; i++) {
		const struct vtd_walk_step *s = &t->steps[i];
		const struct lmask *m = lm_of(c, s);

		if (m->cls != stage || m->leaf)
			continue;
		unsigned lvl = (unsigned)s->level;
		struct ckey k = key_psc(rq->addr >> span_shift(lvl), lvl, stage == CL_FS, t->did,
					tag_of(t));
		uint32_t j = ctab_find(&c->tab[VTD_CACHE_PSC], &k);

		/* An entry cached for another path to this address is not on this one. */
		if (j == NIL || c->psc[j].e.pa != s->pa)
			continue;
		any = 1;
		if (pin_at(c, s->pa) >= 0)
			continue;
		pin_add(c, &c->psc[j].e, VTD_CACHE_PSC, lvl, 1);
		rerun |= !same(c, s->layout, c->psc[j].e.raw, s->raw);
	}
	if (first)
		count(c, VTD_CACHE_PSC, any);
	return rerun;
}

/*
 * QEMU 7.2 with the context cached (vtd_do_iommu_translate's cc hit) checks
 * the PASID entry through vtd_ce_get_pasid_fpd, which looks at its type and
 * level but not its present bit, and then walks with what
 * vtd_ce_get_rid2pasid_entry read, present or not.  A walk the engine
 * stopped at a PASID entry only for P goes again with P seen set (a pin of
 * memory as QEMU takes it, not of a cache).  1 when it pinned one.
 */
static int qemu_pe_p(struct vtd_cache *c, const struct vtd_translation *t)
{
	int p = (int)t->nsteps - 1;
	struct vtd_pin pin;

	if (p < 0 || !t->fault || lm_of(c, &t->steps[p])->cls != CL_PE ||
	    fval(c->f.pe_p, t->steps[p].raw) || pin_at(c, t->steps[p].pa) >= 0)
		return 0;
	vtd__pin_of(c, &pin, &t->steps[p]);
	if (vtd_field_set_raw(c->f.pe_p, pin.raw, 1, NULL))
		return 0;
	pin_add(c, &pin, VTD_CACHE_N, 0, 0);
	return 1;
}

/* Kinds of answer the IOTLB holds in this model. */
static int tlb_kind(const struct vtd_cache *c, int kind)
{
	if (kind == VTD_XK_SECOND || kind == VTD_XK_FIRST || kind == VTD_XK_NESTED)
		return 1;
	/* vtd_do_iommu_translate: "let's ignore IOTLB caching as well for PT devices". */
	return kind == VTD_XK_PASSTHROUGH && !is_qemu(c);
}

int vtd__cache_slow(struct vtd_cache *c, const struct vtd_unit *u, const struct vtd_request *rq,
		    struct vtd_translation *t, struct vtd_cache_info *ci, struct fast *f,
		    struct vtd_error *err)
{
	int q = is_qemu(c), rc, r, psc_first = 1, pc_adopted = 0, stale = 0;
	/* Requests the engine refuses before reading anything reach no cache. */
	int lookups = (q || f->ttm <= 1) && (f->sm || !rq->has_pasid);
	int tlb_at = q ? rq->at == VTD_AT_UNTRANSLATED : rq->at != VTD_AT_TRANSLATED;
	uint64_t bad = 0;

	vtd__overlay_init(&c->ov, u->mem);
	if (lookups && present(c, VTD_CACHE_CONTEXT)) {
		if (!f->ctx_looked) {
			struct ckey k = key_ctx(rq->sid, f->sm, q ? f->tag : 0);

			f->ctx = ctab_find(&c->tab[VTD_CACHE_CONTEXT], &k);
			count(c, VTD_CACHE_CONTEXT, f->ctx != NIL);
			f->ctx_looked = 1;
		}
		if (f->ctx != NIL) {
			struct ctx_ent *e = &c->ctx[f->ctx];

			if (e->neg)
				return neg_answer(c, u, rq, t, ci, VTD_CACHE_CONTEXT, &e->neg_a,
						  &e->vgen, &e->root, &e->ctx);
			pin_add(c, &e->root, VTD_CACHE_CONTEXT, 0, 0);
			pin_add(c, &e->ctx, VTD_CACHE_CONTEXT, 0, 0);
		}
	}
	/* With the context cached, the PASID-cache key is known before the walk. */
	if (lookups && !q && f->sm && f->ctx != NIL && present(c, VTD_CACHE_PASID)) {
		const struct ctx_ent *ce = &c->ctx[f->ctx];

		if (!f->pc_looked) {
			uint32_t pasid = rq->has_pasid ? rq->pasid : ce->rid_pasid;
			struct ckey k = key_pc(ce->dirptr, pasid);

			f->pc = ctab_find(&c->tab[VTD_CACHE_PASID], &k);
			count(c, VTD_CACHE_PASID, f->pc != NIL);
			f->pc_looked = 1;
		}
		if (f->pc != NIL) {
			struct pc_ent *e = &c->pc[f->pc];

			if (e->neg)
				return neg_answer(c, u, rq, t, ci, VTD_CACHE_PASID, &e->neg_a,
						  &e->vgen, &e->dir, &e->pe);
			pin_add(c, &e->dir, VTD_CACHE_PASID, 0, 0);
			pin_add(c, &e->pe, VTD_CACHE_PASID, 0, 0);
			pc_adopted = 1;
		}
	}

	for (int iter = 0;; iter++) {
		if ((rc = walk(c, u, rq, t, 0, err)))
			return rc;
		if (iter == 8)
			break;
		if (lookups && q && f->sm && f->ctx != NIL && qemu_pe_p(c, t))
			continue;
		if (lookups && !q && f->sm && !pc_adopted && present(c, VTD_CACHE_PASID)) {
			r = adopt_pasid(c, rq, t, f);
			pc_adopted = f->pc != NIL;
			if (r == 2)
				return answer_after_walk(c, u, rq, t, ci, f, VTD_CACHE_PASID,
							 f->pc);
			if (r)
				continue;
		}
		if (lookups && tlb_at && !f->tlb_looked && present(c, VTD_CACHE_IOTLB) &&
		    tlb_kind(c, t->kind)) {
			uint32_t i = vtd__tlb_lookup(c, VTD_CACHE_IOTLB, rq->addr,
						     q ? rq->sid : t->did, tag_of(t),
						     q ? 0 : rq->priv);
			int hit = i != NIL && vtd__tlb_usable(c, &c->tlb[i], rq);

			f->tlb_looked = 1;
			count(c, VTD_CACHE_IOTLB, hit);
			if (hit)
				return answer_after_walk(c, u, rq, t, ci, f, VTD_CACHE_IOTLB, i);
		}
		if (lookups && !q && present(c, VTD_CACHE_PSC) &&
		    (t->kind == VTD_XK_SECOND || t->kind == VTD_XK_FIRST)) {
			r = adopt_psc(c, rq, t, psc_first);
			psc_first = 0;
			if (r)
				continue;
		}
		break;
	}
	/* The answer is the walk's: now store the accessed/dirty bits it sets, if asked to. */
	if (u->write_ad && !t->fault && (t->accessed || t->dirty) &&
	    (rc = walk(c, u, rq, t, 1, err)))
		return rc;
	if (c->cfg.check_stale)
		stale = pins_stale(c, u, t, &bad);
	if (lookups) {
		vtd__fill_ctx(c, u, rq, t, ci, f, stale);
		vtd__fill_pc(c, u, rq, t, ci, f, stale);
		vtd__fill_psc(c, rq, t, ci);
		if (tlb_at)
			vtd__fill_tlb(c, u, rq, t, ci, VTD_CACHE_IOTLB, stale);
		vtd__fill_tlb(c, u, rq, t, ci, VTD_CACHE_DEVTLB, stale);
	}
	/* vtd_do_iommu_translate's pass-through branch: vtd_pt_enable_fast_path. */
	if (q && !t->fault && t->kind == VTD_XK_PASSTHROUGH && !rq->has_pasid &&
	    rq->at == VTD_AT_UNTRANSLATED)
		vtd__qemu_pt_switch(c, u, rq->sid);
	filter_steps(c, t, ci, 1);
	if (t->nsteps || t->unbacked)
		c->st.walks++;
	if (t->fault)
		c->st.faults++;
	if (stale)
		mark_stale(c, u, rq, ci, bad);
	if (u->no_steps)
		t->nsteps = 0;
	return 0;
}
