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
	const uint64_t *ecap = &w->ecap, *cap = &w->cap;
	uint64_t de[2] = { 0, 0 }, pa, pgtt, aw, fspm;
	int bad;

	pa = wa(&p->cs.dirptr, ce) + 8ull * (pasid >> 6);
	READ_OR(w, vtd__rd_table(w, &p->pdir, pa, pasid >> 6, de), C_DIR_READ, pa);
	w->fpd |= (uint8_t)wf(&p->pd.fpd, de);
	if (!wf(&p->pd.p, de))
		return walk_fault(w, C_DIR_P, pa);
	if (!w->q && vtd__table_rsvd(w, &p->pdir, de))
		return walk_fault(w, C_DIR_RSVD, pa);

	pa = wa(&p->pd.tblptr, de) + 64ull * (pasid & 63);
	READ_OR(w, vtd__rd_table(w, &p->pe, pa, pasid & 63, pe), C_PE_READ, pa);
	w->fpd |= (uint8_t)wf(&p->pa.fpd, pe);
	pgtt = wf(&p->pa.pgtt, pe);
	aw = wf(&p->pa.aw, pe);
	fspm = wf(&p->pa.fspm, pe);
	if (w->q) {
		if (w->u->flts)
			bad = pgtt != 1 && !(pgtt == 4 && wf(&p->ecap.pt, ecap));
		else
			bad = pgtt < 1 || pgtt > 4 || (pgtt == 4 && !wf(&p->ecap.pt, ecap));
		if (bad || !vtd__sagaw_has(w, aw))
			return walk_fault(w, C_PE_INV, pa);
		if (!wf(&p->pa.p, pe))
			return walk_fault(w, C_PE_P, pa);
		return 0;
	}
	if (!wf(&p->pa.p, pe))
		return walk_fault(w, C_PE_P, pa);
	/*
	 * Reserved: undeclared bits, the table pointers the PGTT uses beyond
	 * HAW, and fields whose capability the unit lacks.
	 */
	bad = 0;
	for (unsigned i = 0; i < 8; i++)
		bad |= (pe[i] & p->pe.rsvd[i]) != 0;
	if ((pgtt == 2 || pgtt == 3) && (wa(&p->pa.ssptptr, pe) & w->hawbits))
		bad = 1;
	if ((pgtt == 1 || pgtt == 3) && (wa(&p->pa.fsptptr, pe) & w->hawbits))
		bad = 1;
	if ((wf(&p->pa.ssade, pe) && !wf(&p->ecap.ssads, ecap)) ||
	    (wf(&p->pa.eafe, pe) && !wf(&p->ecap.eafs, ecap)) ||
	    (wf(&p->pa.sre, pe) && !wf(&p->ecap.srs, ecap)) ||
	    (wf(&p->pa.ere, pe) && !wf(&p->ecap.ers, ecap)) ||
	    (wf(&p->pa.pgsnp, pe) && !wf(&p->ecap.sc, ecap)) ||
	    ((wf(&p->pa.cd, pe) | wf(&p->pa.emte, pe) | wf(&p->pa.emt, pe) | wf(&p->pa.pwt, pe) |
	      wf(&p->pa.pcd, pe) | wf(&p->pa.pat, pe)) && !wf(&p->ecap.mts, ecap)))
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
	if ((pgtt == 2 || pgtt == 3) && !vtd__sagaw_has(w, aw))
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
	const struct vtd_request *rq = w->rq;
	const uint64_t *ecap = &w->ecap;
	struct vtd_translation *t = w->t;
	unsigned bus = rq->sid >> 8, devfn = rq->sid & 0xff, upper = devfn >= 128;
	uint64_t re[2], ce[4], pa, pgtt, rid_pasid;
	uint32_t pasid;
	int rc;

	pa = wa(&p->rt.rta, &w->u->rtaddr) + 16ull * bus;
	READ_OR(w, vtd__rd_table(w, &p->root_sm, pa, bus, re), C_ROOT_READ, pa);
	if (!wf(upper ? &p->rs.up : &p->rs.lp, re))
		return walk_fault(w, C_ROOT_P, pa);
	if (vtd__table_rsvd(w, &p->root_sm, re))
		return walk_fault(w, C_ROOT_RSVD, pa);

	pa = wa(upper ? &p->rs.uctp : &p->rs.lctp, re) + 32ull * (devfn & 0x7f);
	READ_OR(w, vtd__rd_table(w, &p->ctx_sm, pa, devfn & 0x7f, ce), C_CTX_READ, pa);
	w->fpd |= (uint8_t)wf(&p->cs.fpd, ce);
	if (!wf(&p->cs.p, ce))
		return walk_fault(w, C_CTX_P, pa);
	rid_pasid = wf(&p->cs.rid_pasid, ce);
	if (vtd__table_rsvd(w, &p->ctx_sm, ce))
		return walk_fault(w, C_CTX_RSVD, pa);
	if (!w->q) {
		/* Fields whose capability is absent are reserved too. */
		if ((wf(&p->cs.rid_priv, ce) && !wf(&p->ecap.rprivs, ecap)) ||
		    (wf(&p->cs.dte, ce) && !wf(&p->ecap.dt, ecap)) ||
		    (wf(&p->cs.pre, ce) && !wf(&p->ecap.prs, ecap)) ||
		    (wf(&p->cs.paside, ce) && !wf(&p->ecap.pasid, ecap)))
			return walk_fault(w, C_CTX_RSVD, pa);
		if (rid_pasid && !wf(&p->ecap.rps, ecap))
			return walk_fault(w, C_RID_PASID, pa);
		if (rq->at != VTD_AT_UNTRANSLATED && !wf(&p->cs.dte, ce))
			return walk_fault(w, C_CTX_AT, pa);
		if (rq->has_pasid && !wf(&p->cs.paside, ce))
			return walk_fault(w, C_PASIDE, pa);
	}
	pasid = rq->has_pasid ? rq->pasid : (uint32_t)rid_pasid;
	if (!w->q) {
		uint64_t pdts = wf(&p->cs.pdts, ce);

		/* A directory for more PASIDs than the unit supports (ECAP.PSS + 1 bits). */
		if (wf(&p->ecap.pasid, ecap) &&
		    pdts + 7 + 6 > vtd_field_value(p->ecap.pss.f, wf(&p->ecap.pss, ecap)))
			return walk_fault(w, C_CTX_INV, pa);
		if ((pasid >> 6) >= (1ull << (pdts + 7)))
			return walk_fault(w, C_PDTS, pa);
	}
	if (rq->at == VTD_AT_TRANSLATED) {
		t->kind = VTD_XK_TRANSLATED;
		vtd__identity(w, VTD_ACC_R | VTD_ACC_W | VTD_ACC_X);
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
	vtd__need_mgaw(w);
	t->has_pasid = 1;
	t->pasid = pasid;
	t->did = (uint16_t)wf(&p->pa.did, w->pe);
	t->snoop = (uint8_t)wf(&p->pa.pgsnp, w->pe);
	w->ad_nosnoop = !w->q && !wf(&p->pa.pwsnp, w->pe) && wf(&p->ecap.smpwc, ecap);
	pgtt = wf(&p->pa.pgtt, w->pe);
	if (!w->q) {
		if (w->priv && !wf(&p->pa.sre, w->pe))
			return walk_fault(w, C_SRE, t->steps[t->nsteps - 1].pa);
		if ((rq->access & VTD_ACC_X) && !wf(&p->pa.ere, w->pe))
			return walk_fault(w, C_ERE, t->steps[t->nsteps - 1].pa);
	}
	if (pgtt == 4) {
		t->kind = VTD_XK_PASSTHROUGH;
		t->passthrough = 1;
		vtd__identity(w, VTD_ACC_R | VTD_ACC_W | VTD_ACC_X);
		/* QEMU's pass-through fast path never looks at the window. */
		if (!w->q && in_intr(t->out, 4096))
			return walk_fault(w, C_INTR, t->steps[t->nsteps - 1].pa);
		return 0;
	}
	if (w->q ? w->u->flts : pgtt == 1 || pgtt == 3)
		return vtd__fs_walk(w, !w->q && pgtt == 3);
	/* QEMU 7.2 walks the second stage for PGTT 1, 2 and 3 alike. */
	struct ss_cfg c = {
		.root = wa(&p->pa.ssptptr, w->pe),
		.levels = (int)wf(&p->pa.aw, w->pe) + 2,
		.width = 30 + 9 * (unsigned)wf(&p->pa.aw, w->pe),
		.ad = !w->q && wf(&p->pa.ssade, w->pe),
		.ssee = !w->q && wf(&p->pa.ssee, w->pe),
	};
	if (w->mgaw < c.width)
		c.width = w->mgaw;
	return vtd__second_stage(w, &c);
}
