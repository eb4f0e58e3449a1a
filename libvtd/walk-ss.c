/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- the second-stage walk (legacy multi-level tables and scalable-mode SS) */
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
 * The walk, inlined twice: once for legacy mode (the hot path of most
 * users, with its mode tests folded away) and once for the rest.
 */
static inline __attribute__((always_inline)) int
ss_walk(struct walk *restrict w, const struct ss_cfg *c, int role, uint64_t in, unsigned access,
	struct ss_out *o, const int sm, const int q)
{
	const struct vtd_walk_prep *p = w->p;
	const uint64_t *ecap = &w->ecap;
	uint64_t table = c->root, v = 0, pa = 0;
	unsigned perm = VTD_ACC_R | VTD_ACC_W | VTD_ACC_X;
	unsigned sslps = (unsigned)wf(&p->cap.sslps, &w->cap);
	/* Per-level permission checks: legacy mode, and QEMU (before reserved bits). */
	const int early = !sm || q;
	const int ad = sm && c->ad, ssee = sm && c->ssee;
	/* TM is reserved without device-TLBs, SNP without snoop control in legacy mode. */
	int tm_rsvd = !wf(&p->ecap.dt, ecap), snp_rsvd = !sm && !wf(&p->ecap.sc, ecap);
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
		uint64_t rsvd;
		int leaf;

		pa = table + 8 * idx;
		rc = walk_read(w, pa, 8, buf, &src);
		if (rc)
			return rc < 0 ? rc
				: walk_fault(w, level == c->levels ? C_SS_TOP_READ : C_SS_READ, pa);
		v = le64(src);
		leaf = level == 1 || (v & lv[0].m_ps);
		e = &lv[leaf];
		walk_step8(w, e->l, pa, idx, level, src);

		lp = (unsigned)!!(v & e->m_r) * VTD_ACC_R | (unsigned)!!(v & e->m_w) * VTD_ACC_W;
		if (ssee ? v & e->m_x : lp & VTD_ACC_R)
			lp |= VTD_ACC_X;
		if (!lp)
			return walk_fault(w, access & VTD_ACC_W ? C_SS_NP_W : C_SS_NP_R, pa);
		if (q && (need & ~lp))
			return walk_fault(w, access & VTD_ACC_W ? C_W : C_R, pa);

		rsvd = e->rsvd | (e->haw & w->hawbits);
		if (leaf) {
			rsvd |= (tm_rsvd ? e->m_tm : 0) | (snp_rsvd ? e->m_snp : 0);
			if (level > 1 && !(sslps >> (level - 2) & 1))
				rsvd |= e->m_ps;	/* a page size CAP.SSLPS lacks */
		}
		if (v & rsvd)
			return walk_fault(w, C_SS_RSVD, pa);
		if (early && (need & ~lp))
			return walk_fault(w, access & VTD_ACC_W ? C_W : C_R, pa);
		perm &= lp;

		if (ad) {
			uint64_t set = (v & e->m_a ? 0 : e->m_a) |
				       (leaf && (access & VTD_ACC_W) && !(v & e->m_d) ? e->m_d : 0);

			if (set && w->ad_nosnoop)
				return walk_fault(w, C_SS_AD_NOSNOOP, pa);
			if (set && (rc = vtd__walk_ad(w, pa, v | set, !!(set & e->m_a),
						      !!(set & e->m_d), 0)))
				return rc;
		}
		if (leaf) {
			o->size = 1ULL << shift;
			o->out = (v & e->m_addr & ~(o->size - 1)) | (in & (o->size - 1));
			break;
		}
		table = v & e->m_addr;
	}
	if (!early && (rc = judge(w, role, access, perm, pa)))
		return rc;
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
		return w->q ? ss_walk(w, c, role, in, access, o, 0, 1)
			    : ss_walk(w, c, role, in, access, o, 0, 0);
	return ss_walk(w, c, role, in, access, o, 1, w->q);
}
