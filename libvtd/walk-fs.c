/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- the first-stage walk (IA-32e tables), alone or nested over the second stage */
#include "walk-internal.h"

int vtd__fs_walk(struct walk *restrict w, int nested)
{
	const struct vtd_walk_prep *p = w->p;
	const struct vtd_request *rq = w->rq;
	struct vtd_translation *t = w->t;
	const uint64_t *pe = w->pe;
	uint64_t pe_pa = w->pe_pa;
	uint64_t in = rq->addr, table, v = 0, epa = 0, out = 0, size = 0;
	int write = (rq->access & VTD_ACC_W) != 0;
	int user = w->q || !w->priv;	/* QEMU knows no supervisor requests */
	int wpe = (int)wf(&p->pa.wpe, pe);
	unsigned rw = 1, us = 1, xd = 0, width, perm;
	int levels = wf(&p->pa.fspm, pe) ? 5 : 4, level, rc;
	const struct vtd_wentry *e = NULL;
	struct ss_out so = { 0 };
	struct ss_cfg sc = {
		.root = wa(&p->pa.ssptptr, pe),
		.levels = (int)wf(&p->pa.aw, pe) + 2,
		.width = 30 + 9 * (unsigned)wf(&p->pa.aw, pe),
		.ad = (uint8_t)wf(&p->pa.ssade, pe),
		.ssee = (uint8_t)wf(&p->pa.ssee, pe),
	};

	if (sc.width > w->s->mgaw)
		sc.width = w->s->mgaw;
	t->kind = nested ? VTD_XK_NESTED : VTD_XK_FIRST;
	width = levels == 5 ? 57 : 48;
	if (w->q) {
		/* QEMU: 4-level only, canonical w.r.t. the PASID entry's AW (vtd-facts.md 9.4). */
		if (levels != 4)
			return walk_fault(w, C_PE_INV, pe_pa);
		width = sc.width;
	}
	/* Canonical: the bits above the top translated bit copy it. */
	if (width < 64 && (in >> (width - 1)) && (in >> (width - 1)) != ~0ULL >> (width - 1))
		return walk_fault(w, C_NONCANON, pe_pa);

	table = wa(&p->pa.fsptptr, pe);
	for (level = levels; level >= 1; level--) {
		unsigned shift = 12 + 9 * (unsigned)(level - 1);
		unsigned idx = (unsigned)(in >> shift) & 511;
		const uint8_t *src;
		uint8_t buf[8];
		uint64_t set;
		int leaf;

		epa = table + 8 * idx;
		if (nested && (rc = vtd__ss_walk(w, &sc,
						 level == levels ? SS_NEST_TOP : SS_NEST_TABLE, epa,
						 VTD_ACC_R, &so)))
			return rc;
		if (nested)
			epa = so.out;
		rc = walk_read(w, epa, 8, buf, &src);
		if (rc)
			return rc < 0 ? rc
				: walk_fault(w, level == levels ? C_FS_TOP_READ : C_FS_READ, epa);
		v = le64(src);
		leaf = level == 1 || (v & p->pg[1][level][0].m_ps);
		e = &p->pg[1][level][leaf];
		walk_step(w, w->rec, e->l, epa, idx, level, src, 8);

		if (!(v & e->m_p))
			return walk_fault(w, C_FS_P, epa);
		if (w->q) {
			/* QEMU checks the rights at every level, before reserved bits. */
			if (!(v & e->m_us))
				return walk_fault(w, C_US, epa);
			if (write && !(v & e->m_rw))
				return walk_fault(w, C_FS_W, epa);
		}
		/* HAW and CAP.FS1GP (1 GiB pages) folded in. */
		if (v & w->s->fs[level][leaf])
			return walk_fault(w, C_FS_RSVD, epa);
		rw &= !!(v & e->m_rw);
		us &= !!(v & e->m_us);
		xd |= !!(v & e->m_xd);

		set = (v & e->m_a ? 0 : e->m_a) | (leaf && write && !(v & e->m_d) ? e->m_d : 0);
		if (set) {
			if (w->ad_nosnoop)
				return walk_fault(w, C_FS_AD_NOSNOOP, epa);
			if (nested) {
				/* The A/D store writes the table page: the second stage must allow it. */
				if (!(so.perm & VTD_ACC_W))
					return walk_fault(w, C_NEST_W, epa);
				if (sc.ad && so.le->m_d && !(so.leaf & so.le->m_d) &&
				    (rc = vtd__walk_ad(w, so.le, so.leaf_pa, so.leaf, so.le->m_d,
						       0)))
					return rc;
			}
			if ((rc = vtd__walk_ad(w, e, epa, v, set, 1)))
				return rc;
		}
		if (leaf) {
			size = 1ULL << shift;
			out = (v & e->m_addr & ~(size - 1)) | (in & (size - 1));
			break;
		}
		table = v & e->m_addr;
	}
	if (user && !us)
		return walk_fault(w, C_US, epa);
	if (write && !rw && (user || wpe))
		return walk_fault(w, C_FS_W, epa);
	if ((rq->access & VTD_ACC_X) && (xd || (!user && us)))
		return walk_fault(w, C_X, epa);	/* supervisors never execute user pages */
	perm = VTD_ACC_R | (rw || (!user && !wpe) ? VTD_ACC_W : 0) |
	       (!xd && (user || !us) ? VTD_ACC_X : 0);
	t->level = (uint8_t)level;
	if (nested) {
		if ((rc = vtd__ss_walk(w, &sc, SS_NEST_OUT, out, rq->access, &so)))
			return rc;
		out = so.out;
		perm &= so.perm;
		if (so.size < size)
			size = so.size;
		epa = so.leaf_pa;
		t->snoop |= (uint8_t)(so.leaf >> so.le->s_snp & so.le->k_snp);
		t->emt = (uint8_t)(so.leaf >> so.le->s_emt & so.le->k_emt);
		t->ipat = (uint8_t)(so.leaf >> so.le->s_ipat & so.le->k_ipat);
	}
	if (in_intr(out, size))
		return walk_fault(w, C_INTR, epa);
	t->out = out;
	t->page_size = size;
	t->perm = perm;
	return 0;
}
