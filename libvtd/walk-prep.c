/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- the engine's view of the descriptor tables, and QEMU's unit defaults */
#include "walk-internal.h"

#include "regs.h"
#include "tables.h"

const struct vtd_field vtd__nofield = {
	.name = "-", .key = "-", .lsb = 0, .width = 0, .kind = VTD_UINT, .desc = "absent",
};

/* A field row by name: the engine reads it as (word >> lsb) & mask. */
static int res(const struct vtd_layout *l, const char *name, int need,
	       const struct vtd_field **out, struct vtd_error *err)
{
	const struct vtd_field *f = vtd_field_find(l, name);

	*out = &vtd__nofield;
	if (!f)
		return need ? vtd_fail(err, VTD_EINTERNAL, "%s has no field %s", l->name, name) : 0;
	if (f->lsb % 64 + f->width > 64)
		return vtd_fail(err, VTD_EINTERNAL, "%s.%s crosses a 64-bit word", l->name, name);
	*out = f;
	return 0;
}

/* The same, resolved to a word, a shift and a mask. */
static int resw(const struct vtd_layout *l, const char *name, int need, struct vtd_wfield *out,
		struct vtd_error *err)
{
	const struct vtd_field *f;
	int rc = res(l, name, need, &f, err);

	if (rc)
		return rc;
	out->f = f;
	out->mask = f->width >= 64 ? ~0ULL : (1ULL << f->width) - 1;
	out->w = (uint8_t)(f->lsb / 64);
	out->shift = (uint8_t)(f->lsb % 64);
	out->vshift = f->kind == VTD_ADDR ? f->shift : 0;
	return 0;
}

/* A resolved field of a root or context entry as masks per word (struct vtd_wf16). */
static void w16(struct vtd_wf16 *o, const struct vtd_wfield *x)
{
	o->m[0] = o->m[1] = 0;
	o->m[x->w & 1] = x->mask << x->shift;
	o->shift = x->shift;
	o->vshift = x->vshift;
}

#define RP(l, name, dst) do { if ((rc = res(l, name, 1, dst, err))) return rc; } while (0)
#define OP(l, name, dst) do { if ((rc = res(l, name, 0, dst, err))) return rc; } while (0)
#define R(l, name, dst) do { if ((rc = resw(l, name, 1, dst, err))) return rc; } while (0)
#define O(l, name, dst) do { if ((rc = resw(l, name, 0, dst, err))) return rc; } while (0)

/* Reserved bits (no field) and HAW-ruled address bits, per 64-bit word. */
static void words_of(const struct vtd_layout *l, uint64_t *rsvd, uint64_t *haw, unsigned nw)
{
	uint8_t mask[64];
	unsigned i;

	vtd_layout_rsvd_mask(l, l->size, mask);
	for (i = 0; i < nw; i++) {
		rsvd[i] = i * 8 < l->size ? le64(mask + 8 * i) : 0;
		haw[i] = 0;
	}
	for (i = 0; i < l->nfields; i++) {
		const struct vtd_field *f = &l->fields[i];

		if (f->kind == VTD_ADDR && (f->flags & VTD_FF_HAW) && f->lsb / 64 < nw)
			haw[f->lsb / 64] |= wmask(f);
	}
}

/* The walks read each structure with its size as a constant: 'size' is that constant. */
static int table(struct vtd_wtable *t, const struct vtd_layout *l, unsigned size,
		 struct vtd_error *err)
{
	if (l->size != size)
		return vtd_fail(err, VTD_EINTERNAL, "%s: %u bytes, the engine reads %u", l->name,
				l->size, size);
	t->l = l;
	words_of(l, t->rsvd, t->haw, 8);
	return 0;
}

static int paging(struct vtd_wentry *e, const struct vtd_layout *l, struct vtd_error *err)
{
	int rc;

	if (!l) {
		e->l = NULL;
		return 0;
	}
	if (l->size != 8)
		return vtd_fail(err, VTD_EINTERNAL, "%s: paging entries are 8 bytes", l->name);
	e->l = l;
	words_of(l, &e->rsvd, &e->haw, 1);
	OP(l, "R", &e->r);
	OP(l, "W", &e->w);
	OP(l, "X", &e->x);
	OP(l, "EMT", &e->emt);
	OP(l, "IPAT", &e->ipat);
	OP(l, "SNP", &e->snp);
	OP(l, "TM", &e->tm);
	OP(l, "P", &e->p);
	OP(l, "RW", &e->rw);
	OP(l, "US", &e->us);
	OP(l, "XD", &e->xd);
	OP(l, "PS", &e->ps);
	OP(l, "A", &e->a);
	OP(l, "D", &e->d);
	RP(l, "ADDR", &e->addr);
	if (e->addr->kind != VTD_ADDR || e->addr->shift != e->addr->lsb)
		return vtd_fail(err, VTD_EINTERNAL, "%s.ADDR is not an address in place", l->name);
	e->m_r = wmask(e->r);
	e->m_w = wmask(e->w);
	e->m_x = wmask(e->x);
	e->m_snp = wmask(e->snp);
	e->m_tm = wmask(e->tm);
	e->m_p = wmask(e->p);
	e->m_rw = wmask(e->rw);
	e->m_us = wmask(e->us);
	e->m_xd = wmask(e->xd);
	e->m_ps = wmask(e->ps);
	e->m_a = wmask(e->a);
	e->m_d = wmask(e->d);
	e->m_addr = wmask(e->addr);
	e->k_snp = wmask(e->snp) >> (e->snp->lsb & 63);
	e->s_snp = (uint8_t)(e->snp->lsb & 63);
	e->k_emt = wmask(e->emt) >> (e->emt->lsb & 63);
	e->s_emt = (uint8_t)(e->emt->lsb & 63);
	e->k_ipat = wmask(e->ipat) >> (e->ipat->lsb & 63);
	e->s_ipat = (uint8_t)(e->ipat->lsb & 63);
	return 0;
}

int vtd__walk_prep_fill(struct vtd_walk_prep *p, struct vtd_error *err)
{
	int rc, fs, lvl, leaf;

	memset(p, 0, sizeof(*p));
	if ((rc = table(&p->root_l, &vtd_l_root_legacy, 16, err)) ||
	    (rc = table(&p->root_sm, &vtd_l_root_sm, 16, err)) ||
	    (rc = table(&p->ctx_l, &vtd_l_context_legacy, 16, err)) ||
	    (rc = table(&p->ctx_sm, &vtd_l_context_sm, 32, err)) ||
	    (rc = table(&p->pdir, &vtd_l_pasid_dir, 8, err)) ||
	    (rc = table(&p->pe, &vtd_l_pasid_entry, 64, err)))
		return rc;
	for (fs = 0; fs < 2; fs++)
		for (lvl = 1; lvl <= 5; lvl++)
			for (leaf = 0; leaf < 2; leaf++)
				if ((rc = paging(&p->pg[fs][lvl][leaf],
						 vtd_paging_layout(fs, lvl, leaf), err)))
					return rc;
	/* The fast walks judge rights on whole walks: they need them alike at every level. */
	p->ss_rw_same = 1;
	p->ss_r = p->pg[0][1][1].m_r;
	p->ss_w = p->pg[0][1][1].m_w;
	p->ss_x = p->pg[0][1][1].m_x;
	for (lvl = 1; lvl <= 5; lvl++) {
		for (leaf = 0; leaf < 2; leaf++)
			if (p->pg[0][lvl][leaf].l && (p->pg[0][lvl][leaf].m_r != p->ss_r ||
						      p->pg[0][lvl][leaf].m_w != p->ss_w ||
						      p->pg[0][lvl][leaf].m_x != p->ss_x))
				p->ss_rw_same = 0;
		/* Any bit makes a level-1 entry a leaf: the fast walks stop there unless it is 0. */
		p->ssl[lvl].leaf = lvl == 1 ? ~0ULL : p->pg[0][lvl][0].m_ps;
		p->ssl[lvl].table = p->pg[0][lvl][0].m_addr;
		p->ssl[lvl].page = p->pg[0][lvl][1].m_addr;
	}
	for (lvl = 1; lvl <= 5; lvl++)
		for (leaf = 0; leaf < 2; leaf++) {
			const struct vtd_wentry *e = &p->pg[0][lvl][leaf];

			p->ssr[lvl][leaf] = (struct vtd_ss_rsvd){ .rsvd = e->rsvd, .haw = e->haw,
				.tm = e->m_tm, .snp = e->m_snp, .ps = e->m_ps };
		}
	p->fs_same = 1;
	p->fs_p = p->pg[1][1][1].m_p;
	p->fs_rw = p->pg[1][1][1].m_rw;
	p->fs_us = p->pg[1][1][1].m_us;
	p->fs_xd = p->pg[1][1][1].m_xd;
	p->fs_a = p->pg[1][1][1].m_a;
	for (lvl = 1; lvl <= 5; lvl++)
		for (leaf = 0; leaf < 2; leaf++) {
			const struct vtd_wentry *e = &p->pg[1][lvl][leaf];

			if (e->l && (e->m_p != p->fs_p || e->m_rw != p->fs_rw || e->m_us != p->fs_us ||
				     e->m_xd != p->fs_xd || e->m_a != p->fs_a))
				p->fs_same = 0;
		}
	/* Every level the engine walks needs its table layout. */
	for (fs = 0; fs < 2; fs++)
		for (lvl = 1; lvl <= 5; lvl++)
			if (!p->pg[fs][lvl][lvl == 1].l)
				return vtd_fail(err, VTD_EINTERNAL, "no paging layout for level %d",
						lvl);

	R(&vtd_l_root_legacy, "P", &p->rl.p);
	R(&vtd_l_root_legacy, "CTP", &p->rl.ctp);
	R(&vtd_l_root_sm, "LP", &p->rs.lp);
	R(&vtd_l_root_sm, "LCTP", &p->rs.lctp);
	R(&vtd_l_root_sm, "UP", &p->rs.up);
	R(&vtd_l_root_sm, "UCTP", &p->rs.uctp);

	R(&vtd_l_context_legacy, "P", &p->cl.p);
	R(&vtd_l_context_legacy, "FPD", &p->cl.fpd);
	R(&vtd_l_context_legacy, "TT", &p->cl.tt);
	R(&vtd_l_context_legacy, "SSPTPTR", &p->cl.ssptptr);
	R(&vtd_l_context_legacy, "AW", &p->cl.aw);
	R(&vtd_l_context_legacy, "DID", &p->cl.did);

	R(&vtd_l_context_sm, "P", &p->cs.p);
	R(&vtd_l_context_sm, "FPD", &p->cs.fpd);
	R(&vtd_l_context_sm, "DTE", &p->cs.dte);
	R(&vtd_l_context_sm, "PASIDE", &p->cs.paside);
	R(&vtd_l_context_sm, "PRE", &p->cs.pre);
	R(&vtd_l_context_sm, "PDTS", &p->cs.pdts);
	R(&vtd_l_context_sm, "PASIDDIRPTR", &p->cs.dirptr);
	R(&vtd_l_context_sm, "RID_PASID", &p->cs.rid_pasid);
	O(&vtd_l_context_sm, "RID_PRIV", &p->cs.rid_priv);

	R(&vtd_l_pasid_dir, "P", &p->pd.p);
	R(&vtd_l_pasid_dir, "FPD", &p->pd.fpd);
	R(&vtd_l_pasid_dir, "SMPTBLPTR", &p->pd.tblptr);

	R(&vtd_l_pasid_entry, "P", &p->pa.p);
	R(&vtd_l_pasid_entry, "FPD", &p->pa.fpd);
	R(&vtd_l_pasid_entry, "AW", &p->pa.aw);
	O(&vtd_l_pasid_entry, "SSEE", &p->pa.ssee);
	R(&vtd_l_pasid_entry, "PGTT", &p->pa.pgtt);
	R(&vtd_l_pasid_entry, "SSADE", &p->pa.ssade);
	R(&vtd_l_pasid_entry, "SSPTPTR", &p->pa.ssptptr);
	R(&vtd_l_pasid_entry, "DID", &p->pa.did);
	R(&vtd_l_pasid_entry, "PWSNP", &p->pa.pwsnp);
	R(&vtd_l_pasid_entry, "PGSNP", &p->pa.pgsnp);
	O(&vtd_l_pasid_entry, "CD", &p->pa.cd);
	O(&vtd_l_pasid_entry, "EMTE", &p->pa.emte);
	O(&vtd_l_pasid_entry, "EMT", &p->pa.emt);
	O(&vtd_l_pasid_entry, "PWT", &p->pa.pwt);
	O(&vtd_l_pasid_entry, "PCD", &p->pa.pcd);
	O(&vtd_l_pasid_entry, "PAT", &p->pa.pat);
	R(&vtd_l_pasid_entry, "SRE", &p->pa.sre);
	R(&vtd_l_pasid_entry, "ERE", &p->pa.ere);
	R(&vtd_l_pasid_entry, "FSPM", &p->pa.fspm);
	R(&vtd_l_pasid_entry, "WPE", &p->pa.wpe);
	R(&vtd_l_pasid_entry, "EAFE", &p->pa.eafe);
	R(&vtd_l_pasid_entry, "FSPTPTR", &p->pa.fsptptr);

	R(&vtd_l_reg_cap, "SAGAW", &p->cap.sagaw);
	R(&vtd_l_reg_cap, "MGAW", &p->cap.mgaw);
	for (unsigned raw = 0; raw < 64; raw++) {
		uint64_t v = vtd_field_value(p->cap.mgaw.f, raw);

		p->mgaw_of[raw] = (uint8_t)(v > 255 ? 255 : v);	/* widths compare below 64 */
	}
	R(&vtd_l_reg_cap, "SSLPS", &p->cap.sslps);
	R(&vtd_l_reg_cap, "FS1GP", &p->cap.fs1gp);
	R(&vtd_l_reg_cap, "FS5LP", &p->cap.fs5lp);

	R(&vtd_l_reg_ecap, "DT", &p->ecap.dt);
	R(&vtd_l_reg_ecap, "PT", &p->ecap.pt);
	R(&vtd_l_reg_ecap, "SC", &p->ecap.sc);
	R(&vtd_l_reg_ecap, "MTS", &p->ecap.mts);
	R(&vtd_l_reg_ecap, "NEST", &p->ecap.nest);
	R(&vtd_l_reg_ecap, "PRS", &p->ecap.prs);
	R(&vtd_l_reg_ecap, "ERS", &p->ecap.ers);
	R(&vtd_l_reg_ecap, "SRS", &p->ecap.srs);
	R(&vtd_l_reg_ecap, "EAFS", &p->ecap.eafs);
	R(&vtd_l_reg_ecap, "PSS", &p->ecap.pss);
	R(&vtd_l_reg_ecap, "PASID", &p->ecap.pasid);
	R(&vtd_l_reg_ecap, "SMTS", &p->ecap.smts);
	R(&vtd_l_reg_ecap, "SSADS", &p->ecap.ssads);
	R(&vtd_l_reg_ecap, "SSTS", &p->ecap.ssts);
	R(&vtd_l_reg_ecap, "FSTS", &p->ecap.fsts);
	R(&vtd_l_reg_ecap, "SMPWC", &p->ecap.smpwc);
	R(&vtd_l_reg_ecap, "RPS", &p->ecap.rps);
	R(&vtd_l_reg_ecap, "ADMS", &p->ecap.adms);
	R(&vtd_l_reg_ecap, "RPRIVS", &p->ecap.rprivs);

	R(&vtd_l_reg_rtaddr, "TTM", &p->rt.ttm);
	R(&vtd_l_reg_rtaddr, "RTA", &p->rt.rta);

	w16(&p->fl.ctp, &p->rl.ctp);
	w16(&p->fl.aw, &p->cl.aw);
	w16(&p->fl.ssptptr, &p->cl.ssptptr);
	w16(&p->fl.did, &p->cl.did);
	w16(&p->fl.rta, &p->rt.rta);
	w16(&p->fl.ttm, &p->rt.ttm);
	/*
	 * The fast legacy walk reads the addresses in place (as paging
	 * entries' ADDR), the values unshifted, AW as an index into the 8 of
	 * the set's aw_beyond, and the rights needed and allowed as entry bits
	 * where VTD_ACC_* have them; the fast scalable walk the same, and TTM
	 * 1 in place.
	 */
	p->fl_fit = p->ss_rw_same && p->ss_r == VTD_ACC_R && p->ss_w == VTD_ACC_W &&
		    p->fl.ctp.shift == p->fl.ctp.vshift &&
		    p->fl.ssptptr.shift == p->fl.ssptptr.vshift &&
		    p->fl.rta.shift == p->fl.rta.vshift && !p->fl.aw.vshift && !p->fl.did.vshift &&
		    p->cl.aw.mask <= 7;
	p->fl.ttm_sm = p->fl.ttm.m[0] & (1ULL << p->fl.ttm.shift);
	p->sm_fit = p->ss_rw_same && p->ss_r == VTD_ACC_R && p->ss_w == VTD_ACC_W &&
		    p->ss_x == VTD_ACC_X && p->fl.ttm_sm && p->fs_same && p->fs_p && p->fs_a;
	p->fl.root_p[p->rl.p.w] = p->rl.p.mask << p->rl.p.shift;
	p->fl.ctx_p[p->cl.p.w] = p->cl.p.mask << p->cl.p.shift;
	p->fl.ctx_tt[p->cl.tt.w] = p->cl.tt.mask << p->cl.tt.shift;
	p->magic = VTD_WALK_PREP_MAGIC;
	return 0;
}

/* A resolved field's bits within its word. */
static uint64_t inplace(const struct vtd_wfield *x)
{
	return x->mask << x->shift;
}

/* A reserved mask per word with the HAW-ruled address bits added. */
static void with_haw(const struct vtd_wtable *t, uint64_t hawbits, uint64_t *out, unsigned nw)
{
	for (unsigned i = 0; i < nw; i++)
		out[i] = t->rsvd[i] | (t->haw[i] & hawbits);
}

/* Bits of an address field whose value would reach 'hawbits' (shifted out bits do not). */
static uint64_t addr_beyond(const struct vtd_wfield *x, uint64_t hawbits)
{
	return (x->mask & (hawbits >> x->vshift)) << x->shift;
}

/* A field's bits, when its capability is absent: a set field is then reserved. */
static void absent(uint64_t *words, const struct vtd_wfield *x, uint64_t cap_bit)
{
	if (!cap_bit)
		words[x->w] |= inplace(x);
}

/* Second-stage paging entries, of legacy (sm 0) or scalable mode (prep's ssr). */
static void fill_ss(const struct vtd_walk_prep *p, const uint64_t *e, uint64_t sslps,
		    uint64_t hawbits, int sm, uint64_t (*out)[2])
{
	/* TM needs device-TLBs; SNP snoop control, in legacy mode. */
	const uint64_t tm = wf(&p->ecap.dt, e) ? 0 : ~0ULL;
	const uint64_t snp = !sm && !wf(&p->ecap.sc, e) ? ~0ULL : 0;

	for (int lvl = 1; lvl <= 5; lvl++) {
		const struct vtd_ss_rsvd *r = p->ssr[lvl];

		out[lvl][0] = r[0].rsvd | (r[0].haw & hawbits);
	}
	/* Leaves: a page size CAP.SSLPS lacks too (bit 0: 2 MiB, level 2). */
	for (int lvl = 1; lvl <= 5; lvl++) {
		const uint64_t ps = lvl > 1 && !(sslps >> (lvl - 2) & 1) ? ~0ULL : 0;
		const struct vtd_ss_rsvd *r = &p->ssr[lvl][1];

		/* A level without a leaf layout has no bits (its row is all 0). */
		out[lvl][1] = !p->pg[0][lvl][1].l ? 0 :
			      r->rsvd | (r->haw & hawbits) | (r->tm & tm) | (r->snp & snp) | (r->ps & ps);
	}
}

void vtd__walk_set_fill(const struct vtd_walk_prep *p, uint64_t cap, uint64_t ecap, unsigned haw,
			struct vtd_walk_set *s, unsigned parts)
{
	const uint64_t *c = &cap, *e = &ecap;
	const uint64_t hawbits = haw && haw < 64 ? ~0ULL << haw : 0;
	const uint64_t sslps = wf(&p->cap.sslps, c);
	int lvl, leaf, sm;

	if (parts & VTD_SET_COMMON) {
		s->cap = cap;
		s->ecap = ecap;
		s->haw = haw;
		s->hawbits = hawbits;
		/* AW 4 (6 levels) is reserved, and the engine walks 5 levels at most. */
		s->sagaw = (uint8_t)(wf(&p->cap.sagaw, c) & 0xf);
		/* TT 0 always, 1 (device-TLBs) with ECAP.DT, 2 (pass-through) with ECAP.PT. */
		s->tt_ok = (uint8_t)(1 | (wf(&p->ecap.dt, e) ? 2 : 0) | (wf(&p->ecap.pt, e) ? 4 : 0));
		s->mgaw = wf(&p->cap.mgaw, c) < 64 ? p->mgaw_of[wf(&p->cap.mgaw, c)] :
			  (unsigned)vtd_field_value(p->cap.mgaw.f, wf(&p->cap.mgaw, c));
	}
	if (parts & VTD_SET_LEGACY) {
		with_haw(&p->root_l, hawbits, s->root_l, 2);
		with_haw(&p->ctx_l, hawbits, s->ctx_l, 2);
		fill_ss(p, e, sslps, hawbits, 0, s->ss[0]);
	}
	if (parts & VTD_SET_SM) {
		s->pasid = (uint8_t)!!wf(&p->ecap.pasid, e);
		s->pss = vtd_field_value(p->ecap.pss.f, wf(&p->ecap.pss, e));
		with_haw(&p->root_sm, hawbits, s->root_sm, 2);
		with_haw(&p->ctx_sm, hawbits, s->ctx_sm, 4);
		with_haw(&p->pdir, hawbits, s->pdir, 1);
		memcpy(s->ctx_sm_spec, s->ctx_sm, sizeof(s->ctx_sm));
		absent(s->ctx_sm_spec, &p->cs.rid_priv, wf(&p->ecap.rprivs, e));
		absent(s->ctx_sm_spec, &p->cs.dte, wf(&p->ecap.dt, e));
		absent(s->ctx_sm_spec, &p->cs.pre, wf(&p->ecap.prs, e));
		absent(s->ctx_sm_spec, &p->cs.paside, wf(&p->ecap.pasid, e));

		/* The PASID entry's table pointers are HAW-checked only where PGTT uses them. */
		memcpy(s->pe_spec, p->pe.rsvd, sizeof(s->pe_spec));
		absent(s->pe_spec, &p->pa.ssade, wf(&p->ecap.ssads, e));
		absent(s->pe_spec, &p->pa.eafe, wf(&p->ecap.eafs, e));
		absent(s->pe_spec, &p->pa.sre, wf(&p->ecap.srs, e));
		absent(s->pe_spec, &p->pa.ere, wf(&p->ecap.ers, e));
		absent(s->pe_spec, &p->pa.pgsnp, wf(&p->ecap.sc, e));
		absent(s->pe_spec, &p->pa.cd, wf(&p->ecap.mts, e));
		absent(s->pe_spec, &p->pa.emte, wf(&p->ecap.mts, e));
		absent(s->pe_spec, &p->pa.emt, wf(&p->ecap.mts, e));
		absent(s->pe_spec, &p->pa.pwt, wf(&p->ecap.mts, e));
		absent(s->pe_spec, &p->pa.pcd, wf(&p->ecap.mts, e));
		absent(s->pe_spec, &p->pa.pat, wf(&p->ecap.mts, e));
		s->pe_ss_haw = addr_beyond(&p->pa.ssptptr, hawbits);
		s->pe_ss_w = p->pa.ssptptr.w;
		s->pe_fs_haw = addr_beyond(&p->pa.fsptptr, hawbits);
		s->pe_fs_w = p->pa.fsptptr.w;
	}
	if (parts & VTD_SET_SS1)
		fill_ss(p, e, sslps, hawbits, 1, s->ss[1]);
	if (parts & VTD_SET_FS) {
		for (lvl = 1; lvl <= 5; lvl++)
			for (leaf = 0; leaf < 2; leaf++) {
				const struct vtd_wentry *fe = &p->pg[1][lvl][leaf];

				s->fs[lvl][leaf] = fe->rsvd | (fe->haw & hawbits);
			}
		if (!wf(&p->cap.fs1gp, c))
			s->fs[3][1] |= p->pg[1][3][1].m_ps;	/* 1 GiB pages need CAP.FS1GP */
	}
	if (!(parts & VTD_SET_FAST))
		return;

	s->sm_ok = p->sm_fit;
	s->rps = (uint8_t)!!wf(&p->ecap.rps, e);
	s->ssts = (uint8_t)!!wf(&p->ecap.ssts, e);
	s->fsts = (uint8_t)!!wf(&p->ecap.fsts, e);
	s->smpwc = (uint8_t)!!wf(&p->ecap.smpwc, e);
	s->fs5lp = (uint8_t)!!wf(&p->cap.fs5lp, c);
	for (unsigned i = 0; i < 2; i++) {
		s->fl_root_pz[i] = p->fl.root_p[i] | s->root_l[i];
		s->fl_ctx_pz[i] = p->fl.ctx_p[i] | s->ctx_l[i] | p->fl.ctx_tt[i];
	}
	for (unsigned aw = 0; aw < 8; aw++) {
		s->aw_width[aw] = (uint8_t)(!sagaw_has(s, aw) ? 0 :
					    30 + 9 * aw < s->mgaw ? 30 + 9 * aw : s->mgaw);
		/* Bit 0 for a width of 0 too: (in | 1) & aw_beyond fails for every input. */
		s->aw_beyond[aw] = s->aw_width[aw] && s->aw_width[aw] < 64 ?
				   ~0ULL << s->aw_width[aw] : ~0ULL;
	}
	for (lvl = 1; lvl <= 5; lvl++)
		for (sm = 0; sm < 2; sm++) {
			struct vtd_fast_level *l = sm ? &s->sm_lv[lvl] : &s->fl_lv[lvl];
			const struct vtd_wentry *pg = &p->pg[0][lvl][1];

			l->l_table = p->pg[0][lvl][0].l;
			l->l_page = pg->l;
			l->leaf = p->ssl[lvl].leaf;
			l->table = p->ssl[lvl].table;
			l->rsvd_table = s->ss[sm][lvl][0];
			l->page = p->ssl[lvl].page;
			l->rsvd_page = s->ss[sm][lvl][1];
			l->stop = l->leaf | l->rsvd_table;
			l->k_snp = pg->k_snp;
			l->k_emt = pg->k_emt;
			l->k_ipat = pg->k_ipat;
			l->s_snp = pg->s_snp;
			l->s_emt = pg->s_emt;
			l->s_ipat = pg->s_ipat;
			l->level = (uint8_t)lvl;
		}
	for (lvl = 1; lvl <= 5; lvl++) {
		struct vtd_fs_level *l = &s->fs_lv[lvl];

		l->l_table = p->pg[1][lvl][0].l;
		l->l_page = p->pg[1][lvl][1].l;
		/* A level-1 entry that passed the P test is not 0: any bit makes it a leaf. */
		l->leaf = lvl == 1 ? ~0ULL : p->pg[1][lvl][0].m_ps;
		l->table = p->pg[1][lvl][0].m_addr;
		l->rsvd_table = s->fs[lvl][0];
		l->page = p->pg[1][lvl][1].m_addr;
		l->rsvd_page = s->fs[lvl][1];
		l->d = p->pg[1][lvl][1].m_d;
		l->level = (uint8_t)lvl;
	}
	/*
	 * QEMU takes an all-ones paging entry for a failed read, and drops the
	 * RTADDR bits at and above HAW.  The fast legacy walk gives the first
	 * to the full walk, which it does unasked when the reserved bits of
	 * every level refuse all ones (else it does not run for QEMU), and the
	 * second in both numberings.
	 */
	int ones = 0;
	for (lvl = 1; lvl <= 5; lvl++) {
		const struct vtd_fast_level *l = &s->fl_lv[lvl];

		ones |= l->leaf ? !l->rsvd_page : !l->rsvd_table;
	}
	const uint64_t stop = p->fl.ttm.m[0] | (p->fl.rta.m[0] & hawbits);

	s->fl_stop[0] = p->fl_fit && !(stop & 1) ? stop : ~0ULL;
	s->fl_stop[1] = p->fl_fit && !(stop & 1) && !ones ? stop : ~0ULL;
	s->valid = 1;
}

int vtd_unit_prepare(struct vtd_unit *u, struct vtd_error *err)
{
	int rc;

	if (!u)
		return vtd_fail(err, VTD_EINVAL, "no unit");
	if ((rc = vtd__walk_prep_fill(&u->prep, err)))
		return rc;
	memset(&u->prep.set, 0, sizeof(u->prep.set));
	vtd__walk_set_fill(&u->prep, u->cap, u->ecap, u->haw, &u->prep.set, VTD_SET_ALL);
	if (u->mem) {
		u->prep.src.ptr = u->mem->span;
		u->prep.src.base = u->mem->span_base;
		u->prep.src.size = u->mem->span_size;
	}
	return 0;
}

/* Set a register field by name (the names are the layout's; a unit test pins them). */
static void setf(const struct vtd_layout *l, uint64_t *reg, const char *name, uint64_t raw)
{
	const struct vtd_field *f = vtd_field_find(l, name);
	uint8_t b[8];

	if (!f)
		return;
	put_le64(b, *reg);
	vtd_field_set_raw(f, b, raw, NULL);
	*reg = le64(b);
}

void vtd_unit_qemu_defaults(struct vtd_unit *u, int scalable, unsigned aw_bits)
{
	const struct vtd_layout *c = &vtd_l_reg_cap, *e = &vtd_l_reg_ecap;
	uint64_t cap = 0, ecap = 0;

	if (aw_bits != 48)
		aw_bits = 39;
	/* QEMU 7.2 vtd_init(): what tests/data/regs/qemu72-*.regs hold. */
	setf(c, &cap, "ND", 6);
	setf(c, &cap, "SAGAW", aw_bits >= 48 ? 0x6 : 0x2);	/* bit 1: 39-bit, bit 2: 48-bit */
	setf(c, &cap, "MGAW", aw_bits - 1);
	setf(c, &cap, "FRO", 0x220 / 16);
	setf(c, &cap, "SSLPS", 0x3);				/* 2 MiB and 1 GiB */
	setf(c, &cap, "PSI", 1);
	setf(c, &cap, "MAMV", 18);
	setf(c, &cap, "DWD", 1);
	setf(c, &cap, "DRD", 1);
	setf(e, &ecap, "QI", 1);
	setf(e, &ecap, "IR", 1);
	setf(e, &ecap, "PT", 1);
	setf(e, &ecap, "IRO", 0xf0 / 16);
	setf(e, &ecap, "MHMV", 15);
	if (scalable) {
		setf(e, &ecap, "SRS", 1);
		setf(e, &ecap, "SMTS", 1);
		setf(e, &ecap, "SSTS", 1);
	}
	u->cap = cap;
	u->ecap = ecap;
	u->haw = aw_bits;
	vtd_unit_prepare(u, NULL);
}
