/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvtd -- the second-stage walk (legacy multi-level tables and
 * scalable-mode SS), and legacy mode, which is root and context entries in
 * front of it: one file, so that the legacy walk compiles into one function.
 */
#include "walk-internal.h"

/* The condition for an input address beyond the second stage's width. */
static int beyond(int role)
{
	switch (role) {
	case SS_REQ:
		return C_BEYOND;
	case SS_NEST_OUT:
		return C_NEST_OUT_BEYOND;
	default:
		return C_NEST_BEYOND;
	}
}

/*
 * The effective permissions of a completed walk against the access.  In
 * legacy mode and in QEMU's numbering each level was checked on the way
 * (vtd-facts.md 5.2: QEMU checks before the reserved bits); the
 * specification's scalable mode judges the combined rights at the end.
 */
static int judge(struct walk *w, int role, unsigned access, unsigned perm, uint64_t pa)
{
	if (role == SS_NEST_TOP || role == SS_NEST_TABLE)
		return perm & VTD_ACC_R ? 0
			: walk_fault(w, role == SS_NEST_TOP ? C_NEST_TOP_R : C_NEST_R, pa);
	if ((access & VTD_ACC_W) && !(perm & VTD_ACC_W))
		return walk_fault(w, C_W, pa);
	if ((access & VTD_ACC_R) && !(perm & VTD_ACC_R))
		return walk_fault(w, C_R, pa);
	if ((access & VTD_ACC_X) && !(perm & VTD_ACC_X))
		return walk_fault(w, C_X, pa);
	return 0;
}

/*
 * The walk, inlined once per mode: legacy mode with its mode tests folded
 * away (the usual request takes the fast walk, walk-fast.c, before this),
 * QEMU's numbering, and the specification's scalable mode.
 */
static inline __attribute__((always_inline)) int
ss_walk(struct walk *restrict w, const struct ss_cfg *c, int role, uint64_t in, unsigned access,
	struct ss_out *o, const int sm, const int q, const int rec)
{
	const struct vtd_walk_prep *p = w->p;
	/* Reserved bits per level and leaf, with HAW, TM, SNP and CAP.SSLPS folded in. */
	const uint64_t (*rsvd)[2] = w->s->ss[sm];
	uint64_t table = c->root, v = 0, pa = 0, out = 0, size = 0;
	unsigned perm = VTD_ACC_R | VTD_ACC_W | VTD_ACC_X;
	/* Per-level permission checks: legacy mode, and QEMU (before reserved bits). */
	const int early = !sm || q;
	const int ad = sm && c->ad, ssee = sm && c->ssee;
	unsigned need = access & (VTD_ACC_R | VTD_ACC_W);
	const struct vtd_wentry *e = NULL;
	int level, rc;

	if (c->width < 64 && (in >> c->width))
		return walk_fault(w, beyond(role), table);
	for (level = c->levels; level >= 1; level--) {
		const struct vtd_wentry *lv = p->pg[0][level];
		unsigned shift = 12 + 9 * (unsigned)(level - 1);
		unsigned idx = (unsigned)(in >> shift) & 511;
		const uint8_t *src;
		uint8_t buf[8];
		unsigned lp;
		int leaf;

		pa = table + 8 * idx;
		rc = walk_read(w, pa, 8, buf, &src);
		if (rc)
			return rc < 0 ? rc
				: walk_fault(w, level == c->levels ? C_SS_TOP_READ : C_SS_READ, pa);
		v = le64(src);
		leaf = level == 1 || (v & lv[0].m_ps);
		e = &lv[leaf];
		walk_step(w, rec, e->l, pa, idx, level, src, 8);
		/*
		 * QEMU's read helper returns all ones for a failed read, so QEMU
		 * takes an entry that really is all ones for one (vtd-facts.md 9,
		 * tests/qemu/README.md fact 10).
		 */
		if (q && v == ~0ULL)
			return walk_fault(w, level == c->levels ? C_SS_TOP_READ : C_SS_READ, pa);

		lp = (unsigned)!!(v & e->m_r) * VTD_ACC_R | (unsigned)!!(v & e->m_w) * VTD_ACC_W;
		/* Legacy mode reports no execute right: X does not matter there. */
		if (sm && (ssee ? v & e->m_x : lp & VTD_ACC_R))
			lp |= VTD_ACC_X;
		if (!lp)
			return walk_fault(w, access & VTD_ACC_W ? C_SS_NP_W : C_SS_NP_R, pa);
		if (q && (need & ~lp))
			return walk_fault(w, access & VTD_ACC_W ? C_W : C_R, pa);
		if (v & rsvd[level][leaf])
			return walk_fault(w, C_SS_RSVD, pa);
		if (early && (need & ~lp))
			return walk_fault(w, access & VTD_ACC_W ? C_W : C_R, pa);
		perm &= lp;

		if (ad) {
			uint64_t set = (v & e->m_a ? 0 : e->m_a) |
				       (leaf && (access & VTD_ACC_W) && !(v & e->m_d) ? e->m_d : 0);

			if (set && w->ad_nosnoop)
				return walk_fault(w, C_SS_AD_NOSNOOP, pa);
			if (set && (rc = vtd__walk_ad(w, e, pa, v, set, 0)))
				return rc;
		}
		if (leaf) {
			size = 1ULL << shift;
			out = (v & e->m_addr & ~(size - 1)) | (in & (size - 1));
			break;
		}
		table = v & e->m_addr;
	}
	if (!early && (rc = judge(w, role, access, perm, pa)))
		return rc;
	o->out = out;
	o->size = size;
	o->perm = perm;
	o->level = level;
	o->leaf = v;
	o->leaf_pa = pa;
	o->le = e;
	return 0;
}

int vtd__ss_walk(struct walk *restrict w, const struct ss_cfg *c, int role, uint64_t in,
		 unsigned access, struct ss_out *o)
{
	if (!w->sm)
		return w->q ? ss_walk(w, c, role, in, access, o, 0, 1, w->rec)
			    : ss_walk(w, c, role, in, access, o, 0, 0, w->rec);
	return ss_walk(w, c, role, in, access, o, 1, w->q, w->rec);
}

/* The second-stage walk of the request, into the result. */
static inline __attribute__((always_inline)) int
second_stage(struct walk *restrict w, const struct ss_cfg *c, const int sm, const int q,
	     const int rec)
{
	struct vtd_translation *t = w->t;
	struct ss_out o;
	int rc;

	t->kind = VTD_XK_SECOND;
	rc = ss_walk(w, c, SS_REQ, w->rq->addr, w->rq->access, &o, sm, q, rec);
	if (rc)
		return rc;
	if (in_intr(o.out, o.size))
		return walk_fault(w, C_INTR, o.leaf_pa);
	t->out = o.out;
	t->page_size = o.size;
	t->perm = o.perm & (sm ? ~0u : (unsigned)(VTD_ACC_R | VTD_ACC_W));
	t->level = (uint8_t)o.level;
	t->snoop |= (uint8_t)(o.leaf >> o.le->s_snp & o.le->k_snp);
	t->emt = (uint8_t)(o.leaf >> o.le->s_emt & o.le->k_emt);
	t->ipat = (uint8_t)(o.leaf >> o.le->s_ipat & o.le->k_ipat);
	return 0;
}

int vtd__second_stage(struct walk *restrict w, const struct ss_cfg *c)
{
	if (!w->sm)
		return w->q ? second_stage(w, c, 0, 1, w->rec) : second_stage(w, c, 0, 0, w->rec);
	return second_stage(w, c, 1, w->q, w->rec);
}

/* ---- legacy mode ------------------------------------------------------------- */

static inline __attribute__((always_inline)) int
walk_legacy(struct walk *restrict w, const int q, const int rec)
{
	const struct vtd_walk_prep *p = w->p;
	const struct vtd_walk_set *s = w->s;
	const struct vtd_request *rq = w->rq;
	unsigned bus = rq->sid >> 8, devfn = rq->sid & 0xff;
	uint64_t re[2], ce[2], pa, tt, aw;
	struct ss_cfg c = { 0 };

	/* Page requests need scalable mode's context entries (PRE), with or without PASID. */
	if (rq->at == VTD_AT_PAGE_REQUEST)
		return walk_fault(w, C_TTM_PR, w->u->rtaddr);
	if (rq->has_pasid)
		return walk_fault(w, C_TTM_PASID, w->u->rtaddr);
	pa = w->rta + 16ull * bus;
	READ_OR(w, rd_table(w, rec, p->root_l.l, pa, bus, re, 16), C_ROOT_READ, pa);
	if (!wf(&p->rl.p, re))
		return walk_fault(w, C_ROOT_P, pa);
	if (rsvd_words(re, s->root_l, 2))
		return walk_fault(w, C_ROOT_RSVD, pa);

	pa = wa(&p->rl.ctp, re) + 16ull * devfn;
	READ_OR(w, rd_table(w, rec, p->ctx_l.l, pa, devfn, ce, 16), C_CTX_READ, pa);
	w->fpd |= (uint8_t)wf(&p->cl.fpd, ce);	/* meaningful even when P is clear */
	if (!wf(&p->cl.p, ce))
		return walk_fault(w, C_CTX_P, pa);
	if (rsvd_words(ce, s->ctx_l, 2))
		return walk_fault(w, C_CTX_RSVD, pa);
	w->t->did = (uint16_t)wf(&p->cl.did, ce);
	/* QEMU checks AW before TT, for pass-through entries too. */
	aw = wf(&p->cl.aw, ce);
	tt = wf(&p->cl.tt, ce);
	if (!sagaw_has(s, aw) || tt > 2 || !(s->tt_ok >> tt & 1))
		return walk_fault(w, C_CTX_INV, pa);
	if (rq->at != VTD_AT_UNTRANSLATED && tt != 1)
		return walk_fault(w, C_CTX_AT, pa);
	if (rq->at == VTD_AT_TRANSLATED) {
		w->t->kind = VTD_XK_TRANSLATED;
		vtd__identity(w, VTD_ACC_R | VTD_ACC_W);
		return 0;
	}
	if (tt == 2) {
		w->t->kind = VTD_XK_PASSTHROUGH;
		w->t->passthrough = 1;
		vtd__identity(w, VTD_ACC_R | VTD_ACC_W);
		return 0;
	}
	c.root = wa(&p->cl.ssptptr, ce);
	c.levels = (int)aw + 2;
	c.width = 30 + 9 * (unsigned)aw;
	if (s->mgaw < c.width)
		c.width = s->mgaw;
	return second_stage(w, &c, 0, q, rec);
}

int vtd__walk_legacy(struct walk *restrict w)
{
	return w->q ? walk_legacy(w, 1, w->rec) : walk_legacy(w, 0, w->rec);
}
