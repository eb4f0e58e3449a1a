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

static int table(struct vtd_wtable *t, const struct vtd_layout *l, struct vtd_error *err)
{
	if (l->size % 8 || l->size > 64)
		return vtd_fail(err, VTD_EINTERNAL, "%s: not whole 64-bit words", l->name);
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
	return 0;
}

int vtd__walk_prep_fill(struct vtd_walk_prep *p, struct vtd_error *err)
{
	int rc, fs, lvl, leaf;

	memset(p, 0, sizeof(*p));
	if ((rc = table(&p->root_l, &vtd_l_root_legacy, err)) ||
	    (rc = table(&p->root_sm, &vtd_l_root_sm, err)) ||
	    (rc = table(&p->ctx_l, &vtd_l_context_legacy, err)) ||
	    (rc = table(&p->ctx_sm, &vtd_l_context_sm, err)) ||
	    (rc = table(&p->pdir, &vtd_l_pasid_dir, err)) ||
	    (rc = table(&p->pe, &vtd_l_pasid_entry, err)))
		return rc;
	for (fs = 0; fs < 2; fs++)
		for (lvl = 1; lvl <= 5; lvl++)
			for (leaf = 0; leaf < 2; leaf++)
				if ((rc = paging(&p->pg[fs][lvl][leaf],
						 vtd_paging_layout(fs, lvl, leaf), err)))
					return rc;
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
	p->magic = VTD_WALK_PREP_MAGIC;
	return 0;
}

int vtd_unit_prepare(struct vtd_unit *u, struct vtd_error *err)
{
	if (!u)
		return vtd_fail(err, VTD_EINVAL, "no unit");
	return vtd__walk_prep_fill(&u->prep, err);
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
	vtd__walk_prep_fill(&u->prep, NULL);
}
