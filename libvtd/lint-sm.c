/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- vtd_lint: scalable-mode context entries, PASID directories and tables */
#include <stdlib.h>
#include <string.h>

#include "lint-internal.h"
#include "tables.h"

/* What a present PASID entry uses that the unit may lack. */
static void pe_features(struct lint *L, const uint8_t *e, unsigned pgtt, uint64_t addr,
			uint16_t sid, unsigned idx)
{
	const struct bfields *F = &L->a.F;
	const struct vtd_caps *c = &L->a.c;
	const char *nm = vtd_l_pasid_entry.name;
	static const char *const what[] = { "", "first-stage (PGTT 1) but ECAP.FSTS",
		"second-stage (PGTT 2) but ECAP.SSTS", "nested (PGTT 3) but ECAP.NEST", "" };

	if (!L->caps)
		return;
	if (pgtt == VTD_PGTT_PT && !c->pt)
		vtd__lint_find(L, VTD_LINT_PT, addr, 1, sid, nm, idx,
			       "pass-through (PGTT 4) but ECAP.PT is clear");
	if ((pgtt == VTD_PGTT_FIRST && !c->fsts) || (pgtt == VTD_PGTT_SECOND && !c->ssts) ||
	    (pgtt == VTD_PGTT_NESTED && !c->nest))
		vtd__lint_find(L, VTD_LINT_FEATURE, addr, 1, sid, nm, idx, "%s is clear",
			       what[pgtt]);
	if ((pgtt == VTD_PGTT_FIRST || pgtt == VTD_PGTT_NESTED) && vtd_field_raw(F->pe_fspm, e) &&
	    !c->fs5lp)
		vtd__lint_find(L, VTD_LINT_FEATURE, addr, 1, sid, nm, idx,
			       "5-level first stage (FSPM 1) but CAP.FS5LP is clear");
	if (vtd_field_raw(F->pe_sre, e) && !c->srs)
		vtd__lint_find(L, VTD_LINT_FEATURE, addr, 1, sid, nm, idx,
			       "supervisor requests (SRE) but ECAP.SRS is clear");
	if (vtd_field_raw(F->pe_ere, e) && !c->ere)
		vtd__lint_find(L, VTD_LINT_FEATURE, addr, 1, sid, nm, idx,
			       "execute requests (ERE) but ECAP.ERS is clear");
}

static void pasid_entry(struct lint *L, uint16_t sid, uint32_t pasid, uint32_t rid_pasid,
			const uint8_t *e, uint64_t addr, unsigned idx, int first)
{
	const struct bfields *F = &L->a.F;
	const char *nm = vtd_l_pasid_entry.name;
	unsigned pgtt = (unsigned)vtd_field_raw(F->pe_pgtt, e);
	struct ldev d = { .sid = sid, .pasid = pasid, .has_pasid = pasid != rid_pasid,
			  .ss = -1, .fs = -1, .addr = addr };

	if (!vtd__qchk_ok(&L->a.pe, e)) {
		if (first)
			vtd__lint_rsvd(L, &vtd_l_pasid_entry, e, addr, 1, sid, idx);
		return;
	}
	if (first)
		pe_features(L, e, pgtt, addr, sid, idx);
	if (pgtt == VTD_PGTT_PT) {
		d.pt = 1;
		vtd__lint_dev(L, &d, nm, idx);
		return;
	}
	int ss = pgtt == VTD_PGTT_SECOND || pgtt == VTD_PGTT_NESTED;
	int fs = pgtt == VTD_PGTT_FIRST || pgtt == VTD_PGTT_NESTED;
	unsigned aw = (unsigned)vtd_field_raw(F->pe_aw, e);
	unsigned fsl = vtd_field_raw(F->pe_fspm, e) ? 5 : 4;
	uint16_t did = (uint16_t)vtd_field_raw(F->pe_did, e);
	uint64_t sstop = vtd_field_raw(F->pe_ssptr, e) << F->pe_ssptr->shift;
	uint64_t fstop = vtd_field_raw(F->pe_fsptr, e) << F->pe_fsptr->shift;

	if (ss && first) {
		vtd__lint_aw(L, aw, nm, idx, addr, sid);
		vtd__lint_did_range(L, did, nm, idx, addr, sid);
	}
	if (ss)
		vtd__lint_did(L, did, sstop, aw + 2, nm, idx, addr, sid);
	if (ss)
		d.ss = vtd__lint_domain(L, sstop, 0, aw + 2, nm, idx, addr, sid);
	/* Nested: the second stage takes guest-physical addresses, not DMA addresses. */
	if (d.ss >= 0 && pgtt == VTD_PGTT_SECOND)
		L->dom[d.ss].dma_input = 1;
	if (fs)
		d.fs = vtd__lint_domain(L, fstop, 1, fsl, nm, idx, addr, sid);
	if (d.fs >= 0)
		L->dom[d.fs].dma_input = 1;
	if (d.fs >= 0 && pgtt == VTD_PGTT_NESTED)
		L->dom[d.fs].nested = 1;
	vtd__lint_dev(L, &d, nm, idx);
}

/* One PASID table: 64 entries of 64 bytes. */
static void pasid_table(struct lint *L, uint16_t sid, uint64_t pt, uint32_t dir_idx,
			uint32_t rid_pasid, const char *dname, uint64_t daddr)
{
	uint8_t buf[4096];
	int first;

	if (vtd__lint_read(L, pt, buf, sizeof(buf), "PASID table", dname, dir_idx, daddr, 1, sid))
		return;
	if ((first = vtd__uset_add(&L->checked, lkey(pt, LK_PTBL))) < 0)
		L->oom = L->stop = 1;
	if (first > 0)
		vtd__lint_page(L, pt, VTD_PG_PASID_TABLE, -1);
	size_t mark = vtd__lint_push(L, dname, dir_idx, daddr);

	for (unsigned j = 0; j < 64 && !L->stop; j++) {
		const uint8_t *e = buf + 64 * j;

		if (vtd__all_zero(e, 64))
			continue;
		if (!vtd_field_raw(L->a.F.pe_p, e)) {
			if (first > 0 && !vtd__qchk_ok(&L->a.pe, e))
				vtd__lint_rsvd(L, &vtd_l_pasid_entry, e, pt + 64 * j, 1, sid, j);
			continue;
		}
		pasid_entry(L, sid, dir_idx << 6 | j, rid_pasid, e, pt + 64 * j, j, first > 0);
	}
	L->path[mark] = 0;
}

static void ctx_features(struct lint *L, const uint8_t *e, uint64_t addr, uint16_t sid,
			 unsigned idx)
{
	const struct bfields *F = &L->a.F;
	const char *nm = vtd_l_context_sm.name;

	if (!L->caps)
		return;
	if (vtd_field_raw(F->cs_dte, e) && !L->a.c.dt)
		vtd__lint_find(L, VTD_LINT_FEATURE, addr, 1, sid, nm, idx,
			       "device-TLB enabled (DTE) but ECAP.DT is clear");
	if (vtd_field_raw(F->cs_paside, e) && !L->a.c.pasid_bits)
		vtd__lint_find(L, VTD_LINT_FEATURE, addr, 1, sid, nm, idx,
			       "requests with PASID enabled (PASIDE) but ECAP.PASID is clear");
	if (vtd_field_raw(F->cs_rid, e) && !L->a.c.rps)
		vtd__lint_find(L, VTD_LINT_FEATURE, addr, 1, sid, nm, idx,
			       "RID_PASID %llu but ECAP.RPS is clear",
			       (unsigned long long)vtd_field_raw(F->cs_rid, e));
}

void vtd__lint_sm_ctx(struct lint *L, uint16_t sid, const uint8_t *e, uint64_t addr, int first)
{
	const struct bfields *F = &L->a.F;
	const char *nm = vtd_l_context_sm.name, *dn = vtd_l_pasid_dir.name;
	unsigned idx = sid & 0x7f;
	uint64_t dir = vtd_field_raw(F->cs_dir, e) << F->cs_dir->shift;
	size_t ndir = (size_t)1 << (vtd_field_raw(F->cs_pdts, e) + 7);
	uint32_t rid = (uint32_t)vtd_field_raw(F->cs_rid, e);
	uint8_t *db;
	int dfirst;

	if (!vtd__qchk_ok(&L->a.cs, e)) {
		if (first)
			vtd__lint_rsvd(L, &vtd_l_context_sm, e, addr, 1, sid, idx);
		return;
	}
	if (first)
		ctx_features(L, e, addr, sid, idx);
	if (!(db = malloc(ndir * 8))) {
		L->oom = L->stop = 1;
		return;
	}
	if (vtd__lint_read(L, dir, db, ndir * 8, "PASID directory", nm, idx, addr, 1, sid)) {
		free(db);
		return;
	}
	if ((dfirst = vtd__uset_add(&L->checked, lkey(dir, LK_DIR))) < 0)
		L->oom = L->stop = 1;
	for (size_t off = 0; dfirst > 0 && off < ndir * 8; off += 4096)
		vtd__lint_page(L, dir + off, VTD_PG_PASID_DIR, -1);
	size_t mark = vtd__lint_push(L, nm, idx, addr);

	for (size_t i = 0; i < ndir && !L->stop; i++) {
		const uint8_t *de = db + 8 * i;
		uint64_t daddr = dir + 8 * i;

		if (vtd__all_zero(de, 8))
			continue;
		if (!vtd__qchk_ok(&L->a.pd, de)) {
			if (dfirst > 0)
				vtd__lint_rsvd(L, &vtd_l_pasid_dir, de, daddr, 1, sid, (unsigned)i);
			continue;
		}
		if (vtd_field_raw(F->pd_p, de))
			pasid_table(L, sid, vtd_field_raw(F->pd_ptr, de) << F->pd_ptr->shift,
				    (uint32_t)i, rid, dn, daddr);
	}
	L->path[mark] = 0;
	free(db);
}
