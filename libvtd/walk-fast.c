/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvtd -- the fast walks: the usual request (a present, valid walk to an
 * answer) through a source held in memory, with every test an AND against
 * masks vtd_unit_prepare() resolved.  They answer or give up; the full
 * walk (walk.c and the others) answers whatever they give up on, from the
 * start, and alone knows which fault comes first.  What they answer must
 * be what the full walk answers: t-walk and fuzz-walk compare the two.
 */
#include "walk-internal.h"

/* An address field of a root or context entry held in two words, in place (prep's fl_fit). */
static inline uint64_t fa16(const struct vtd_wf16 *f, uint64_t w0, uint64_t w1)
{
	return (w0 & f->m[0]) | (w1 & f->m[1]);
}

/* Any other field of one (struct vtd_wf16, no vshift). */
static inline uint64_t fv16(const struct vtd_wf16 *f, uint64_t w0, uint64_t w1)
{
	return ((w0 & f->m[0]) | (w1 & f->m[1])) >> f->shift;
}

/* A step of the fast walk, as walk_step records it. */
static inline void fast_step(struct vtd_translation *t, unsigned n, const struct vtd_layout *l,
			     uint64_t pa, unsigned index, int level, const uint8_t *raw,
			     const size_t size)
{
	struct vtd_walk_step *st = &t->steps[n];

	st->layout = l;
	st->pa = pa;
	st->index = index;
	st->level = level;
	memcpy(st->raw, raw, size);
}

/* What the second-stage levels of a fast walk found. */
struct fast_leaf {
	uint64_t v, acc;	/* the leaf; the AND of every level's entry */
	uint64_t out, size;
	const struct vtd_fast_level *lv;	/* the leaf's level */
};

/* Where the second-stage levels of a fast walk are, and at the leaf what it maps. */
struct fast_pos {
	uint64_t tb, v, acc;		/* table (an offset into the range), entry, AND of all */
	uint64_t out, size;
	const struct vtd_fast_level *lv;
};

enum { FL_GIVE_UP, FL_TABLE, FL_LEAF };

/*
 * One level of fast_levels(), 'level' a constant: a load and an AND
 * against what stops the walk (a leaf, or a reserved bit of a table
 * entry); at a leaf, its reserved bits and the interrupt range.  The
 * rights are judged once, on the AND of all levels: an entry without them
 * may lead on into the range (every read stays inside it), never to an
 * answer.
 */
static inline __attribute__((always_inline)) int
fast_level(const uint8_t *mem, uint64_t base, uint64_t lim8, uint64_t in,
	   const struct vtd_fast_level *lv, const unsigned level, struct fast_pos *x,
	   struct vtd_translation *t, unsigned *n, const int rec)
{
	const uint64_t psz = 1ULL << (9 * level + 3);
	uint64_t off = x->tb + ((in >> (9 * level)) & (511 << 3)), v, out;

	if (off >= lim8)
		return FL_GIVE_UP;
	v = le64(mem + off);
	x->acc &= v;
	if (!(v & lv->stop)) {
		if (rec)
			fast_step(t, (*n)++, lv->l_table, base + off, (unsigned)(off - x->tb) / 8,
				  (int)level, mem + off, 8);
		x->tb = (v & lv->table) - base;
		return FL_TABLE;
	}
	out = (v & lv->page & ~(psz - 1)) | (in & (psz - 1));
	if (!(v & lv->leaf) || (v & lv->rsvd_page) || in_intr(out, psz))
		return FL_GIVE_UP;
	if (rec)
		fast_step(t, (*n)++, lv->l_page, base + off, (unsigned)(off - x->tb) / 8, (int)level,
			  mem + off, 8);
	x->v = v;
	x->out = out;
	x->size = psz;
	x->lv = lv;
	return FL_LEAF;
}

/*
 * The second-stage levels of a fast walk: from 'table' at level 'levels'
 * (of 'lvs', s->fl_lv or s->sm_lv) down to the leaf, one fast_level() each,
 * unrolled so that every level's shifts are constants, then the rights
 * needed ('needm', entry bits) against those of every level; 'lim8' bounds
 * the offsets of 8-byte reads into the range at 'mem' ('base').  0 when
 * the walk does not answer the usual way.
 */
static inline __attribute__((always_inline)) int
fast_levels(const uint8_t *mem, uint64_t base, uint64_t lim8, uint64_t in, uint64_t table,
	    unsigned levels, const struct vtd_fast_level *lvs, uint64_t needm,
	    struct vtd_translation *t, unsigned *n, const int rec, struct fast_leaf *o)
{
	struct fast_pos x = { .tb = table - base, .acc = ~0ULL };
	int r;

	switch (levels) {
	case 5:
		if ((r = fast_level(mem, base, lim8, in, &lvs[5], 5, &x, t, n, rec)) != FL_TABLE)
			break;
		/* fallthrough */
	case 4:
		if ((r = fast_level(mem, base, lim8, in, &lvs[4], 4, &x, t, n, rec)) != FL_TABLE)
			break;
		/* fallthrough */
	case 3:
		if ((r = fast_level(mem, base, lim8, in, &lvs[3], 3, &x, t, n, rec)) != FL_TABLE)
			break;
		/* fallthrough */
	case 2:
		if ((r = fast_level(mem, base, lim8, in, &lvs[2], 2, &x, t, n, rec)) != FL_TABLE)
			break;
		/* fallthrough */
	case 1:
		r = fast_level(mem, base, lim8, in, &lvs[1], 1, &x, t, n, rec);
		break;
	default:
		return 0;
	}
	/* Any bit makes a level-1 entry a leaf: one that is 0 stops as a table (r). */
	if (r != FL_LEAF || (x.acc & needm) != needm)
		return 0;
	o->v = x.v;
	o->acc = x.acc;
	o->out = x.out;
	o->size = x.size;
	o->lv = x.lv;
	return 1;
}

/*
 * The usual legacy-mode request: root and context entry present without a
 * reserved bit, TT 0, every table in the source's in-process range, the
 * rights the request needs at every level and an output outside the
 * interrupt range.  1 with the answer (and with 'rec', the steps) in 't',
 * else 0 (a request with PASID, pass-through, device-TLB types, a fault).
 * The caller saw that it may run (the set's fl_stop).
 */
static inline __attribute__((always_inline)) int
fast_legacy(const struct vtd_unit *u, const struct vtd_request *rq, struct vtd_translation *t,
	    const int rec)
{
	const struct vtd_walk_prep *p = &u->prep;
	const struct vtd_walk_set *s = &p->set;
	const struct vtd_fast_level *lv;
	const uint64_t in = rq->addr;
	const unsigned bus = rq->sid >> 8, devfn = rq->sid & 0xff;
	const uint8_t *mem;
	uint64_t rta, base, size, lim8, lim16, off, r0, r1, c0, c1, aw, v;
	struct fast_leaf o;
	unsigned n = 2;

	if (rq->has_pasid)
		return 0;
	rta = u->rtaddr & p->fl.rta.m[0];
	/*
	 * Every read below is bounded by the range: a root table outside it
	 * gives up there, and so does a source without one (NULL, size 0).
	 */
	mem = walk_span(u, p, &base, &size);
	if (size < 16)
		return 0;
	/* Reads of 8 and 16 bytes at 'off' fit the range when off < lim8, lim16. */
	lim8 = size - 7;
	lim16 = size - 15;

	off = rta + 16ull * bus - base;
	if (off >= lim16)
		return 0;
	r0 = le64(mem + off);
	r1 = le64(mem + off + 8);
	if (((r0 & s->fl_root_pz[0]) ^ p->fl.root_p[0]) | ((r1 & s->fl_root_pz[1]) ^ p->fl.root_p[1]))
		return 0;
	if (rec)
		fast_step(t, 0, p->root_l.l, base + off, bus, 0, mem + off, 16);

	off = fa16(&p->fl.ctp, r0, r1) + 16ull * devfn - base;
	if (off >= lim16)
		return 0;
	c0 = le64(mem + off);
	c1 = le64(mem + off + 8);
	if (((c0 & s->fl_ctx_pz[0]) ^ p->fl.ctx_p[0]) | ((c1 & s->fl_ctx_pz[1]) ^ p->fl.ctx_p[1]))
		return 0;
	if (rec)
		fast_step(t, 1, p->ctx_l.l, base + off, devfn, 0, mem + off, 16);
	/* AW is 3 bits (prep's fl_fit): per value, the input bits beyond its width, or all. */
	aw = fv16(&p->fl.aw, c0, c1) & 7;
	if ((in | 1) & s->aw_beyond[aw])
		return 0;

	/* The rights needed, as entry bits: where VTD_ACC_R and _W have them (fl_fit). */
	if (!fast_levels(mem, base, lim8, in, fa16(&p->fl.ssptptr, c0, c1), (unsigned)aw + 2,
			 s->fl_lv, rq->access & (VTD_ACC_R | VTD_ACC_W), t, &n, rec, &o))
		return 0;
	lv = o.lv;
	v = o.v;

	/* Every field of the head, as the full walk's memset and its answer leave them. */
	_Static_assert(offsetof(struct vtd_translation, steps) == 56,
		       "fast_legacy sets every field of the head");
	t->fault = 0;
	t->suppressed = 0;
	t->unbacked = 0;
	t->fault_addr = 0;
	t->out = o.out;
	t->page_size = o.size;
	t->perm = (unsigned)(o.acc & (VTD_ACC_R | VTD_ACC_W));
	t->did = (uint16_t)fv16(&p->fl.did, c0, c1);
	t->level = lv->level;
	t->passthrough = 0;
	t->snoop = (uint8_t)(v >> lv->s_snp & lv->k_snp);
	t->emt = (uint8_t)(v >> lv->s_emt & lv->k_emt);
	t->ipat = (uint8_t)(v >> lv->s_ipat & lv->k_ipat);
	t->accessed = 0;
	t->dirty = 0;
	t->kind = VTD_XK_SECOND;
	t->has_pasid = 0;
	t->pasid = 0;
	t->nsteps = rec ? n : 0;
	return 1;
}

/*
 * The usual scalable-mode request in the specification's numbering, as
 * fast_legacy() does legacy mode: root, context, PASID directory and
 * PASID entry, then a second-stage (PGTT 2, without SSADE) or first-stage
 * (PGTT 1) walk with nothing to store (A/D bits reported, not written).
 * Anything else returns 0 for the full walk.  The success conditions are
 * those of vtd__walk_sm(), pasid_entry(), ss_walk() and vtd__fs_walk(): a
 * change there is a change here.
 */
static inline __attribute__((always_inline)) int
fast_sm(const struct vtd_unit *u, const struct vtd_request *rq, struct vtd_translation *t,
	const int rec)
{
	const struct vtd_walk_prep *p = &u->prep;
	const struct vtd_walk_set *s = &p->set;
	const uint64_t in = rq->addr;
	const unsigned access = rq->access, bus = rq->sid >> 8, devfn = rq->sid & 0xff;
	const int upper = devfn >= 128;
	const uint8_t *mem;
	uint64_t base, size, off, pa, re[2], ce[4], de[1], pe[8], pgtt, aw, pdts, rid_pasid;
	uint64_t v = 0, out = 0, psz = 0;
	uint32_t pasid;
	unsigned n = 4, perm, priv;
	int level;

	if (!s->sm_ok || u->numbering != VTD_NUM_SPEC)
		return 0;
	pa = wa(&p->rt.rta, &u->rtaddr) + 16ull * bus;
	mem = walk_span(u, p, &base, &size);
	if (!mem || size < 64)
		return 0;
	/* A read of n bytes at 'off' fits the range when off <= size - n. */
#define FITS(off, n) ((off) <= size - (n))
	off = pa - base;
	if (!FITS(off, 16))
		return 0;
	re[0] = le64(mem + off);
	re[1] = le64(mem + off + 8);
	if (!wf(upper ? &p->rs.up : &p->rs.lp, re) || rsvd_words(re, s->root_sm, 2))
		return 0;
	if (rec)
		fast_step(t, 0, p->root_sm.l, pa, bus, 0, mem + off, 16);

	pa = wa(upper ? &p->rs.uctp : &p->rs.lctp, re) + 32ull * (devfn & 0x7f);
	off = pa - base;
	if (!FITS(off, 32))
		return 0;
	for (unsigned i = 0; i < 4; i++)
		ce[i] = le64(mem + off + 8 * i);
	if (!wf(&p->cs.p, ce) || rsvd_words(ce, s->ctx_sm_spec, 4))
		return 0;
	rid_pasid = wf(&p->cs.rid_pasid, ce);
	pdts = wf(&p->cs.pdts, ce);
	if ((rid_pasid && !s->rps) || (rq->has_pasid && !wf(&p->cs.paside, ce)) ||
	    (s->pasid && pdts + 7 + 6 > s->pss))
		return 0;
	pasid = rq->has_pasid ? rq->pasid : (uint32_t)rid_pasid;
	if ((pasid >> 6) >= (1ull << (pdts + 7)))
		return 0;
	priv = rq->has_pasid ? rq->priv : (unsigned)wf(&p->cs.rid_priv, ce);
	if (rec)
		fast_step(t, 1, p->ctx_sm.l, pa, devfn & 0x7f, 0, mem + off, 32);

	pa = wa(&p->cs.dirptr, ce) + 8ull * (pasid >> 6);
	off = pa - base;
	if (!FITS(off, 8))
		return 0;
	de[0] = le64(mem + off);
	if (!wf(&p->pd.p, de) || (de[0] & s->pdir[0]))
		return 0;
	if (rec)
		fast_step(t, 2, p->pdir.l, pa, pasid >> 6, 0, mem + off, 8);

	pa = wa(&p->pd.tblptr, de) + 64ull * (pasid & 63);
	off = pa - base;
	if (!FITS(off, 64))
		return 0;
	for (unsigned i = 0; i < 8; i++)
		pe[i] = le64(mem + off + 8 * i);
	if (!wf(&p->pa.p, pe) || rsvd_words(pe, s->pe_spec, 8))
		return 0;
	pgtt = wf(&p->pa.pgtt, pe);
	aw = wf(&p->pa.aw, pe);
	if (pgtt == 2) {
		if ((pe[s->pe_ss_w] & s->pe_ss_haw) || !s->ssts || !sagaw_has(s, aw) ||
		    wf(&p->pa.ssade, pe))
			return 0;
	} else if (pgtt == 1) {
		uint64_t fspm = wf(&p->pa.fspm, pe);

		if ((pe[s->pe_fs_w] & s->pe_fs_haw) || !s->fsts || fspm > 1 || (fspm && !s->fs5lp))
			return 0;
	} else {
		return 0;
	}
	/* Without ERE nothing executes: the rights below say so (vtd__walk_sm's noexec). */
	const int ere = (int)wf(&p->pa.ere, pe);

	if ((priv && !wf(&p->pa.sre, pe)) || ((access & VTD_ACC_X) && !ere))
		return 0;
	if (rec)
		fast_step(t, 3, p->pe.l, pa, pasid & 63, 0, mem + off, 64);

	/* Head fields the walks below do not set, as the full walk's memset leaves them. */
	t->fault = 0;
	t->suppressed = 0;
	t->unbacked = 0;
	t->fault_addr = 0;
	t->passthrough = 0;
	t->accessed = 0;
	t->dirty = 0;
	t->emt = 0;
	t->ipat = 0;
	t->has_pasid = 1;
	t->pasid = pasid;
	t->did = (uint16_t)wf(&p->pa.did, pe);
	t->snoop = (uint8_t)wf(&p->pa.pgsnp, pe);

	if (pgtt == 2) {
		/* Second stage: every level must hold the rights needed; X follows R without SSEE. */
		const int ssee = (int)wf(&p->pa.ssee, pe);
		const uint64_t needm = (access & (VTD_ACC_R | VTD_ACC_W)) |
				       (access & VTD_ACC_X ? (ssee ? VTD_ACC_X : VTD_ACC_R) : 0);
		const unsigned width = s->aw_width[aw];	/* AW is valid: sagaw_has() */
		struct fast_leaf o;

		if ((in >> width) || !fast_levels(mem, base, size - 7, in, wa(&p->pa.ssptptr, pe),
						  (unsigned)aw + 2, s->sm_lv, needm, t, &n, rec, &o))
			return 0;
		out = o.out;
		psz = o.size;
		level = o.lv->level;
		perm = (unsigned)(o.acc & (VTD_ACC_R | VTD_ACC_W)) |
		       (unsigned)(ssee ? o.acc & VTD_ACC_X : (o.acc & VTD_ACC_R) << 2);
		perm &= ere ? ~0u : ~(unsigned)VTD_ACC_X;
		t->snoop |= (uint8_t)(o.v >> o.lv->s_snp & o.lv->k_snp);
		t->emt = (uint8_t)(o.v >> o.lv->s_emt & o.lv->k_emt);
		t->ipat = (uint8_t)(o.v >> o.lv->s_ipat & o.lv->k_ipat);
		t->kind = VTD_XK_SECOND;
	} else {
		/* First stage, as vtd__fs_walk() without nesting. */
		const int write = (access & VTD_ACC_W) != 0, user = !priv;
		const int wpe = (int)wf(&p->pa.wpe, pe);
		const int levels = wf(&p->pa.fspm, pe) ? 5 : 4;
		const unsigned width = levels == 5 ? 57 : 48;
		const int ad_nosnoop = !wf(&p->pa.pwsnp, pe) && s->smpwc;
		const struct vtd_fs_level *lv = &s->fs_lv[levels];
		const uint64_t lim8 = size - 7;
		/* The AND and the OR of every level's entry (P, RW, US, XD, A alike in all). */
		uint64_t every = ~0ULL, some = 0, tb;
		unsigned sh3, rw, us, xd, a, d;

		if ((in >> (width - 1)) && (in >> (width - 1)) != ~0ULL >> (width - 1))
			return 0;
		tb = wa(&p->pa.fsptptr, pe) - base;
		for (sh3 = 9 * (unsigned)levels;; sh3 -= 9, lv--) {
			off = tb + ((in >> sh3) & (511 << 3));
			if (off >= lim8)
				return 0;
			v = le64(mem + off);
			if (!(v & p->fs_p))
				return 0;
			every &= v;
			some |= v;
			if (v & lv->leaf)
				break;
			if (v & lv->rsvd_table)
				return 0;
			if (rec)
				fast_step(t, n++, lv->l_table, base + off, (unsigned)(off - tb) / 8, lv->level,
					  mem + off, 8);
			tb = (v & lv->table) - base;
		}
		if (v & lv->rsvd_page)
			return 0;
		if (rec)
			fast_step(t, n++, lv->l_page, base + off, (unsigned)(off - tb) / 8, lv->level,
				  mem + off, 8);
		level = lv->level;
		psz = 1ULL << (sh3 + 3);
		out = (v & lv->page & ~(psz - 1)) | (in & (psz - 1));
		rw = !!(every & p->fs_rw);
		us = !!(every & p->fs_us);
		xd = !!(some & p->fs_xd);
		/* A/D bits to set are reported; storing them (write_ad) is the full walk's. */
		a = !(every & p->fs_a);
		d = write && lv->d && !(v & lv->d);
		if ((a || d) && (ad_nosnoop || u->write_ad))
			return 0;
		if ((user && !us) || (write && !rw && (user || wpe)) ||
		    ((access & VTD_ACC_X) && (xd || (!user && us))) || in_intr(out, psz))
			return 0;
		perm = VTD_ACC_R | (rw || (!user && !wpe) ? VTD_ACC_W : 0) |
		       (!xd && ere && (user || !us) ? VTD_ACC_X : 0);
		t->accessed = (uint8_t)a;
		t->dirty = (uint8_t)d;
		t->kind = VTD_XK_FIRST;
	}
#undef FITS
	t->out = out;
	t->page_size = psz;
	t->perm = perm;
	t->level = (uint8_t)level;
	t->nsteps = rec ? n : 0;
	return 1;
}

/*
 * The scalable-mode walks, apart: their PASID structures need more
 * registers and stack than legacy mode, which should not pay for them on
 * entry.  1 with the answer, else 0.
 */
static __attribute__((noinline, flatten)) int
fast_sm_answer(const struct vtd_unit *u, const struct vtd_request *rq, struct vtd_translation *t)
{
	return fast_sm(u, rq, t, 0);
}

static __attribute__((noinline, flatten)) int
fast_sm_steps(const struct vtd_unit *u, const struct vtd_request *rq, struct vtd_translation *t)
{
	return fast_sm(u, rq, t, 1);
}

/*
 * A prepared unit whose registers are still those it was prepared for
 * (the masks are theirs), with translation enabled, and an untranslated
 * request that vtd_translate() found valid.
 */
static inline __attribute__((always_inline)) int
fast_walk(const struct vtd_unit *u, const struct vtd_request *rq, struct vtd_translation *t,
	  const int rec)
{
	const struct vtd_walk_prep *p = &u->prep;
	const struct vtd_walk_set *s = &p->set;
	const uint64_t r = u->rtaddr;

	if (!s->valid || ((s->cap ^ u->cap) | (s->ecap ^ u->ecap) | (s->haw ^ u->haw)) ||
	    !u->enabled)
		return 0;
	/* TTM 0 is legacy mode in both numberings (fl_stop says when that walk may run). */
	if (!((r | 1) & s->fl_stop[u->numbering == VTD_NUM_QEMU72]))
		return fast_legacy(u, rq, t, rec);
	return (r & p->fl.ttm.m[0]) == p->fl.ttm_sm &&
	       (rec ? fast_sm_steps(u, rq, t) : fast_sm_answer(u, rq, t));
}

/*
 * Apart from the front end, so that the walks have the registers to
 * themselves and the front end needs none; flattened, so that the
 * source's range lookup is inline.
 */
__attribute__((flatten)) int
vtd__fast_answer(const struct vtd_unit *u, const struct vtd_request *rq, struct vtd_translation *t,
		 struct vtd_error *err)
{
	return fast_walk(u, rq, t, 0) ? 0 : vtd__translate_full(u, rq, t, err);
}

__attribute__((flatten)) int
vtd__fast_steps(const struct vtd_unit *u, const struct vtd_request *rq, struct vtd_translation *t,
		struct vtd_error *err)
{
	return fast_walk(u, rq, t, 1) ? 0 : vtd__translate_full(u, rq, t, err);
}
