/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- scalable mode: root, context, PASID directory and PASID entry */
#include "walk-internal.h"

/*
 * The PASID directory and table entry of 'pasid' into pe.  QEMU 7.2 checks
 * PGTT and AW when it reads the entry, before its present bit, and reports
 * all of it as 0x58 (vtd-facts.md 5.3 steps 7-12).
 */
static int pasid_entry(struct walk *restrict w, const uint64_t *ce, uint32_t pasid, uint64_t *pe)
{
	const struct vtd_walk_prep *p = w->p;
	const struct vtd_walk_set *s = w->s;
	const uint64_t *ecap = &w->ecap, *cap = &w->cap;
	uint64_t de[1], pa, pgtt, aw, fspm;
	int bad;

	pa = wa(&p->cs.dirptr, ce) + 8ull * (pasid >> 6);
	READ_OR(w, rd_table(w, w->rec, p->pdir.l, pa, pasid >> 6, de, 8), C_DIR_READ, pa);
	w->fpd |= (uint8_t)wf(&p->pd.fpd, de);
	if (!wf(&p->pd.p, de))
		return walk_fault(w, C_DIR_P, pa);
	if (!w->q && rsvd_words(de, s->pdir, 1))
		return walk_fault(w, C_DIR_RSVD, pa);

	pa = wa(&p->pd.tblptr, de) + 64ull * (pasid & 63);
	READ_OR(w, rd_table(w, w->rec, p->pe.l, pa, pasid & 63, pe, 64), C_PE_READ, pa);
	w->pe_pa = pa;
	w->fpd |= (uint8_t)wf(&p->pa.fpd, pe);
	pgtt = wf(&p->pa.pgtt, pe);
	aw = wf(&p->pa.aw, pe);
	fspm = wf(&p->pa.fspm, pe);
	if (w->q) {
		if (w->u->flts)
			bad = pgtt != 1 && !(pgtt == 4 && wf(&p->ecap.pt, ecap));
		else
			bad = pgtt < 1 || pgtt > 4 || (pgtt == 4 && !wf(&p->ecap.pt, ecap));
		if (bad || !sagaw_has(s, aw))
			return walk_fault(w, C_PE_INV, pa);
		if (!wf(&p->pa.p, pe))
			return walk_fault(w, C_PE_P, pa);
		return 0;
	}
	if (!wf(&p->pa.p, pe))
		return walk_fault(w, C_PE_P, pa);
	/*
	 * Reserved: undeclared bits and fields whose capability the unit lacks
	 * (both in s->pe_spec), and the table pointers the PGTT uses beyond HAW.
	 */
	bad = rsvd_words(pe, s->pe_spec, 8);
	if ((pgtt == 2 || pgtt == 3) && (pe[s->pe_ss_w] & s->pe_ss_haw))
		bad = 1;
	if ((pgtt == 1 || pgtt == 3) && (pe[s->pe_fs_w] & s->pe_fs_haw))
		bad = 1;
	if (bad)
		return walk_fault(w, C_PE_RSVD, pa);
	switch (pgtt) {
	case 1:
		bad = !wf(&p->ecap.fsts, ecap);
		break;
	case 2:
		bad = !wf(&p->ecap.ssts, ecap);
		break;
	case 3:
		bad = !wf(&p->ecap.nest, ecap) || !wf(&p->ecap.fsts, ecap) ||
		      !wf(&p->ecap.ssts, ecap);
		break;
	case 4:
		bad = !wf(&p->ecap.pt, ecap);
		break;
	default:
		bad = 1;
	}
	if ((pgtt == 2 || pgtt == 3) && !sagaw_has(s, aw))
		bad = 1;
	if ((pgtt == 1 || pgtt == 3) && (fspm > 1 || (fspm == 1 && !wf(&p->cap.fs5lp, cap))))
		bad = 1;
	if (bad)
		return walk_fault(w, C_PE_INV, pa);
	return 0;
}

int vtd__walk_sm(struct walk *restrict w)
{
	const struct vtd_walk_prep *p = w->p;
	const struct vtd_walk_set *s = w->s;
	const struct vtd_request *rq = w->rq;
	const uint64_t *ecap = &w->ecap;
	struct vtd_translation *t = w->t;
	unsigned bus = rq->sid >> 8, devfn = rq->sid & 0xff, upper = devfn >= 128;
	uint64_t re[2], ce[4], pa, pgtt, rid_pasid;
	uint32_t pasid;
	int rc;

	pa = w->rta + 16ull * bus;
	READ_OR(w, rd_table(w, w->rec, p->root_sm.l, pa, bus, re, 16), C_ROOT_READ, pa);
	if (!wf(upper ? &p->rs.up : &p->rs.lp, re))
		return walk_fault(w, C_ROOT_P, pa);
	if (rsvd_words(re, s->root_sm, 2))
		return walk_fault(w, C_ROOT_RSVD, pa);

	pa = wa(upper ? &p->rs.uctp : &p->rs.lctp, re) + 32ull * (devfn & 0x7f);
	READ_OR(w, rd_table(w, w->rec, p->ctx_sm.l, pa, devfn & 0x7f, ce, 32), C_CTX_READ, pa);
	w->fpd |= (uint8_t)wf(&p->cs.fpd, ce);
	if (!wf(&p->cs.p, ce))
		return walk_fault(w, C_CTX_P, pa);
	rid_pasid = wf(&p->cs.rid_pasid, ce);
	/* The specification also reserves the fields of capabilities the unit lacks. */
	if (rsvd_words(ce, w->q ? s->ctx_sm : s->ctx_sm_spec, 4))
		return walk_fault(w, C_CTX_RSVD, pa);
	if (!w->q) {
		if (rid_pasid && !wf(&p->ecap.rps, ecap))
			return walk_fault(w, C_RID_PASID, pa);
		if (rq->at != VTD_AT_UNTRANSLATED && rq->at != VTD_AT_PAGE_REQUEST &&
		    !wf(&p->cs.dte, ce))
			return walk_fault(w, C_CTX_AT, pa);
	}
	/* Later QEMUs (the PRI series) check PRE too: QEMU 7.2 knows no page requests. */
	if (rq->at == VTD_AT_PAGE_REQUEST && !wf(&p->cs.pre, ce))
		return walk_fault(w, C_PRE, pa);
	if (!w->q && rq->has_pasid && !wf(&p->cs.paside, ce))
		return walk_fault(w, C_PASIDE, pa);
	pasid = rq->has_pasid ? rq->pasid : (uint32_t)rid_pasid;
	if (!w->q) {
		uint64_t pdts = wf(&p->cs.pdts, ce);

		/* A directory for more PASIDs than the unit supports (ECAP.PSS + 1 bits). */
		if (s->pasid && pdts + 7 + 6 > s->pss)
			return walk_fault(w, C_CTX_INV, pa);
		if ((pasid >> 6) >= (1ull << (pdts + 7)))
			return walk_fault(w, C_PDTS, pa);
	}
	if (rq->at == VTD_AT_TRANSLATED) {
		t->kind = VTD_XK_TRANSLATED;
		vtd__identity(w, VTD_ACC_R | VTD_ACC_W | VTD_ACC_X);
		return 0;
	}
	/*
	 * A page request goes to the page-request queue once the context lets
	 * it: no PASID structure is read, nothing is translated.
	 */
	if (rq->at == VTD_AT_PAGE_REQUEST) {
		t->kind = VTD_XK_PAGE_REQUEST;
		return 0;
	}
	w->priv = rq->has_pasid ? rq->priv : (uint8_t)wf(&p->cs.rid_priv, ce);

	/*
	 * QEMU 7.2 validates the RID_PASID entry as part of the context entry,
	 * whatever PASID the request carries, and then reads the request's.
	 */
	if (w->q && pasid != rid_pasid && (rc = pasid_entry(w, ce, (uint32_t)rid_pasid, w->pe)))
		return rc;
	if ((rc = pasid_entry(w, ce, pasid, w->pe)))
		return rc;
	t->has_pasid = 1;
	t->pasid = pasid;
	t->did = (uint16_t)wf(&p->pa.did, w->pe);
	t->snoop = (uint8_t)wf(&p->pa.pgsnp, w->pe);
	w->ad_nosnoop = !w->q && !wf(&p->pa.pwsnp, w->pe) && wf(&p->ecap.smpwc, ecap);
	pgtt = wf(&p->pa.pgtt, w->pe);
	if (!w->q) {
		if (w->priv && !wf(&p->pa.sre, w->pe))
			return walk_fault(w, C_SRE, w->pe_pa);
		if ((rq->access & VTD_ACC_X) && !wf(&p->pa.ere, w->pe))
			return walk_fault(w, C_ERE, w->pe_pa);
	}
	/*
	 * Without ERE no request may execute through this PASID entry, whatever
	 * the paging entries say: the answer's rights say so too, so that a
	 * cache keeping them answers as the walk does.
	 */
	const unsigned noexec = !w->q && !wf(&p->pa.ere, w->pe) ? VTD_ACC_X : 0;

	if (pgtt == 4) {
		t->kind = VTD_XK_PASSTHROUGH;
		t->passthrough = 1;
		vtd__identity(w, (VTD_ACC_R | VTD_ACC_W | VTD_ACC_X) & ~noexec);
		/* QEMU's pass-through fast path never looks at the window. */
		if (!w->q && in_intr(t->out, 4096))
			return walk_fault(w, C_INTR, w->pe_pa);
		return 0;
	}
	if (w->q ? w->u->flts : pgtt == 1 || pgtt == 3) {
		walk_need(w, VTD_SET_FS | (!w->q && pgtt == 3 ? VTD_SET_SS1 : 0));
		rc = vtd__fs_walk(w, !w->q && pgtt == 3);
	} else {
		walk_need(w, VTD_SET_SS1);
		/* QEMU 7.2 walks the second stage for PGTT 1, 2 and 3 alike. */
		struct ss_cfg c = {
			.root = wa(&p->pa.ssptptr, w->pe),
			.levels = (int)wf(&p->pa.aw, w->pe) + 2,
			.width = 30 + 9 * (unsigned)wf(&p->pa.aw, w->pe),
			.ad = !w->q && wf(&p->pa.ssade, w->pe),
			.ssee = !w->q && wf(&p->pa.ssee, w->pe),
		};
		if (s->mgaw < c.width)
			c.width = s->mgaw;
		rc = vtd__second_stage(w, &c);
	}
	if (!rc)
		t->perm &= ~noexec;
	return rc;
}
