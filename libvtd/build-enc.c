/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- entry encoders: the one place that decides what an entry holds */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build-internal.h"
#include "regs.h"
#include "tables.h"

static int need(const struct vtd_layout *l, const char *name, const struct vtd_field **out,
		struct vtd_error *err)
{
	*out = vtd_field_find(l, name);
	if (!*out)
		return vtd_fail(err, VTD_EINTERNAL, "layout %s lacks field %s", l->name, name);
	return 0;
}

#define N(l, name, dst) do { if ((rc = need(l, name, dst, err))) return rc; } while (0)

static void pg_fields(struct bpg *g)
{
	/* Rows a layout lacks stay NULL: R/W/X are second stage's, P/RW/US/XD first's. */
	g->r = vtd_field_find(g->l, "R");
	g->w = vtd_field_find(g->l, "W");
	g->x = vtd_field_find(g->l, "X");
	g->snp = vtd_field_find(g->l, "SNP");
	g->p = vtd_field_find(g->l, "P");
	g->rw = vtd_field_find(g->l, "RW");
	g->us = vtd_field_find(g->l, "US");
	g->xd = vtd_field_find(g->l, "XD");
	g->ps = vtd_field_find(g->l, "PS");
	g->addr = vtd_field_find(g->l, "ADDR");
}

int vtd__bfields(struct bfields *F, struct vtd_error *err)
{
	int rc;

	memset(F, 0, sizeof(*F));
	for (int fs = 0; fs < 2; fs++)
		for (int lv = 1; lv <= 5; lv++)
			for (int leaf = 0; leaf < 2; leaf++) {
				struct bpg *g = &F->pg[fs][lv][leaf];

				g->l = vtd_paging_layout(fs, lv, leaf);
				if (g->l)
					pg_fields(g);
				if (g->l && !g->addr)
					return vtd_fail(err, VTD_EINTERNAL, "%s lacks ADDR", g->l->name);
			}
	N(&vtd_l_root_legacy, "P", &F->rl_p);
	N(&vtd_l_root_legacy, "CTP", &F->rl_ctp);
	N(&vtd_l_root_sm, "LP", &F->rs_lp);
	N(&vtd_l_root_sm, "LCTP", &F->rs_lctp);
	N(&vtd_l_root_sm, "UP", &F->rs_up);
	N(&vtd_l_root_sm, "UCTP", &F->rs_uctp);
	N(&vtd_l_context_legacy, "P", &F->cl_p);
	N(&vtd_l_context_legacy, "TT", &F->cl_tt);
	N(&vtd_l_context_legacy, "SSPTPTR", &F->cl_ptr);
	N(&vtd_l_context_legacy, "AW", &F->cl_aw);
	N(&vtd_l_context_legacy, "DID", &F->cl_did);
	N(&vtd_l_context_sm, "P", &F->cs_p);
	N(&vtd_l_context_sm, "DTE", &F->cs_dte);
	N(&vtd_l_context_sm, "PASIDE", &F->cs_paside);
	N(&vtd_l_context_sm, "PDTS", &F->cs_pdts);
	N(&vtd_l_context_sm, "PASIDDIRPTR", &F->cs_dir);
	N(&vtd_l_context_sm, "RID_PASID", &F->cs_rid);
	N(&vtd_l_pasid_dir, "P", &F->pd_p);
	N(&vtd_l_pasid_dir, "SMPTBLPTR", &F->pd_ptr);
	N(&vtd_l_pasid_entry, "P", &F->pe_p);
	N(&vtd_l_pasid_entry, "AW", &F->pe_aw);
	N(&vtd_l_pasid_entry, "PGTT", &F->pe_pgtt);
	N(&vtd_l_pasid_entry, "SSPTPTR", &F->pe_ssptr);
	N(&vtd_l_pasid_entry, "DID", &F->pe_did);
	N(&vtd_l_pasid_entry, "SRE", &F->pe_sre);
	N(&vtd_l_pasid_entry, "ERE", &F->pe_ere);
	N(&vtd_l_pasid_entry, "FSPM", &F->pe_fspm);
	N(&vtd_l_pasid_entry, "FSPTPTR", &F->pe_fsptr);
	N(&vtd_l_reg_rtaddr, "RTA", &F->rt_rta);
	N(&vtd_l_reg_rtaddr, "TTM", &F->rt_ttm);
	N(&vtd_l_reg_irta, "S", &F->ir_s);
	N(&vtd_l_reg_irta, "EIME", &F->ir_eime);
	N(&vtd_l_reg_irta, "IRTA", &F->ir_addr);
	return 0;
}

int vtd__rtaddr(const struct bfields *F, uint64_t rtaddr, uint64_t *root, int *sm,
		struct vtd_error *err)
{
	uint8_t b[8];
	uint64_t ttm;

	put_le64(b, rtaddr);
	ttm = vtd_field_raw(F->rt_ttm, b);
	*root = vtd_field_raw(F->rt_rta, b) << F->rt_rta->shift;
	*sm = (int)ttm;
	if (ttm > 1)
		return vtd_fail(err, VTD_ENOTSUP, "RTADDR 0x%llx: TTM %llu is neither legacy nor "
				"scalable", (unsigned long long)rtaddr, (unsigned long long)ttm);
	return 0;
}

/* ---- small helpers the builder, the reader and the analyses share ------------ */

int vtd__grow(void **v, size_t *cap, size_t n, size_t elem)
{
	size_t nc;
	void *x;

	if (n < *cap)
		return 0;
	nc = *cap ? *cap * 2 : 16;
	x = realloc(*v, nc * elem);
	if (!x)
		return -1;
	*v = x;
	*cap = nc;
	return 0;
}

int vtd__cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int vtd__all_zero(const uint8_t *e, size_t len)
{
	uint64_t acc = 0;
	size_t i = 0;

	for (; i + 8 <= len; i += 8)
		acc |= le64(e + i);
	for (; i < len; i++)
		acc |= e[i];
	return !acc;
}

/* The largest second-stage AW SAGAW lists (1 = 3 levels when it lists none). */
unsigned vtd__max_aw(const struct vtd_caps *c)
{
	for (unsigned aw = 3; aw >= 1; aw--)
		if (c->sagaw >> aw & 1)
			return aw;
	return 1;
}

unsigned vtd__dom_levels(const struct vtd_bdomain *d, const struct vtd_caps *c)
{
	if (d->levels)
		return d->levels;
	if (d->stage == VTD_STAGE_FIRST)
		return c->fs5lp ? 5 : 4;
	return vtd__max_aw(c) + 2;
}

int vtd__page_ok(const struct vtd_caps *c, int fs, uint64_t page)
{
	if (page == BPAGE)
		return 1;
	/* IA-32e always has 2 MiB pages; second stage only with SSLPS. */
	if (page == 1ULL << 21)
		return fs || (c->sslps & 1);
	if (page == 1ULL << 30)
		return fs ? c->fs1gp : (c->sslps >> 1) & 1;
	return 0;
}

uint64_t vtd__auto_page(const struct vtd_caps *c, int fs, uint64_t iova, uint64_t pa,
			uint64_t rem)
{
	for (uint64_t pg = 1ULL << 30; pg > BPAGE; pg >>= 9)
		if (rem >= pg && !((iova | pa) & (pg - 1)) && vtd__page_ok(c, fs, pg))
			return pg;
	return BPAGE;
}

uint64_t vtd__leaf_tmpl(const struct bfields *F, int fs, unsigned level, unsigned perm,
			int snoop, int user)
{
	const struct bpg *g = &F->pg[fs][level][1];
	uint64_t e = 0;

	if (fs) {
		/* Reads are implied by P; execute is denied per page by XD. */
		e |= bf_bits(g->p, 1) | bf_bits(g->rw, !!(perm & VTD_ACC_W)) |
		     bf_bits(g->us, !!user) | bf_bits(g->xd, !(perm & VTD_ACC_X));
	} else {
		e |= bf_bits(g->r, !!(perm & VTD_ACC_R)) | bf_bits(g->w, !!(perm & VTD_ACC_W)) |
		     bf_bits(g->x, !!(perm & VTD_ACC_X)) | bf_bits(g->snp, !!snoop);
	}
	if (level > 1)
		e |= bf_bits(g->ps, 1);
	return e;
}

uint64_t vtd__nonleaf(const struct bfields *F, int fs, unsigned level, uint64_t pa)
{
	const struct bpg *g = &F->pg[fs][level][0];

	/* Upper levels grant everything: the leaf alone decides the rights. */
	if (fs)
		return bf_bits(g->p, 1) | bf_bits(g->rw, 1) | bf_bits(g->us, 1) |
		       bf_addr(g->addr, pa);
	return bf_bits(g->r, 1) | bf_bits(g->w, 1) | bf_bits(g->x, 1) | bf_addr(g->addr, pa);
}

static const struct vtd_field *field_in(const struct vtd_layout *l, const struct vtd_field *f)
{
	if (f >= l->fields && f < l->fields + l->nfields)
		return f;
	return vtd_field_find(l, f->name);
}

void vtd__apply_raw(const struct vtd_layout *l, uint8_t *b, const struct vtd_braw *raw,
		    size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct vtd_field *f = raw[i].f ? field_in(l, raw[i].f) : NULL;

		if (f)
			vtd_field_set_raw(f, b, raw[i].raw, NULL);
		else if (!raw[i].f && raw[i].width && raw[i].lsb + raw[i].width <= l->size * 8u)
			vtd_bits_set(b, raw[i].lsb, raw[i].width, raw[i].raw);
	}
}

size_t vtd__raw_diff(const struct vtd_layout *l, const uint8_t *actual, const uint8_t *expect,
		     struct vtd_braw *out, size_t max)
{
	struct vtd_rsvd_run runs[64];
	unsigned nr = vtd_layout_rsvd_runs(l, l->size, runs, 64);
	size_t n = 0;

	for (unsigned i = 0; i < l->nfields; i++) {
		const struct vtd_field *f = &l->fields[i];
		uint64_t a = vtd_field_raw(f, actual);

		if (a != vtd_field_raw(f, expect) && n < max)
			out[n++] = (struct vtd_braw){ .f = f, .raw = a };
	}
	for (unsigned i = 0; i < nr && i < 64; i++) {
		uint64_t a = vtd_bits_get(actual, runs[i].lsb, runs[i].width);

		if (a != vtd_bits_get(expect, runs[i].lsb, runs[i].width) && n < max)
			out[n++] = (struct vtd_braw){ .lsb = runs[i].lsb, .width = runs[i].width,
						      .raw = a };
	}
	return n;
}

uint16_t vtd__pt_did(const struct vtd_plan *p, const struct vtd_bdevice *d)
{
	/* A pass-through device that names a domain shares its DID (for invalidations). */
	if (d->domain >= 0 && (size_t)d->domain < p->ndomains)
		return p->domains[d->domain].did;
	return 0;
}

void vtd__enc_ctx_legacy(const struct bfields *F, const struct vtd_caps *c,
			 const struct vtd_plan *p, const struct vtd_bdevice *d, uint64_t top,
			 unsigned levels, uint8_t out[16])
{
	memset(out, 0, 16);
	bf_put(F->cl_p, out, 1);
	if (d->kind == VTD_BDEV_PASSTHROUGH) {
		/* The spec asks for the largest AW the unit supports with TT 2. */
		bf_put(F->cl_tt, out, 2);
		bf_put(F->cl_aw, out, vtd__max_aw(c));
		bf_put(F->cl_did, out, vtd__pt_did(p, d));
	} else {
		bf_put(F->cl_tt, out, d->devtlb ? 1 : 0);
		bf_put_addr(F->cl_ptr, out, top);
		bf_put(F->cl_aw, out, levels - 2);
		if (d->domain >= 0 && (size_t)d->domain < p->ndomains)
			bf_put(F->cl_did, out, p->domains[d->domain].did);
	}
	vtd__apply_raw(&vtd_l_context_legacy, out, d->raw, d->nraw);
}

int vtd__paside(const struct vtd_caps *c, const struct vtd_bdevice *d)
{
	if (!c->pasid_bits)
		return 0;
	for (size_t i = 0; i < d->npasids; i++)
		if (d->pasids[i].pasid != d->rid_pasid)
			return 1;
	return 0;
}

unsigned vtd__pdts(const struct vtd_bdevice *d)
{
	uint32_t top = d->rid_pasid;
	unsigned s = 0;

	if (!d->pdts_auto)
		return d->pdts;
	for (size_t i = 0; i < d->npasids; i++)
		if (d->pasids[i].pasid > top)
			top = d->pasids[i].pasid;
	/* Directory entries 2^(s+7), each for 64 PASIDs. */
	while (s < 7 && (top >> 6) >= (1u << (s + 7)))
		s++;
	return s;
}

void vtd__enc_ctx_sm(const struct bfields *F, const struct vtd_caps *c,
		     const struct vtd_bdevice *d, unsigned pdts, uint64_t dir, uint8_t out[32])
{
	memset(out, 0, 32);
	bf_put(F->cs_p, out, 1);
	bf_put(F->cs_dte, out, !!d->devtlb);
	bf_put(F->cs_paside, out, (uint64_t)vtd__paside(c, d));
	bf_put(F->cs_pdts, out, pdts);
	bf_put_addr(F->cs_dir, out, dir);
	bf_put(F->cs_rid, out, d->rid_pasid);
	vtd__apply_raw(&vtd_l_context_sm, out, d->raw, d->nraw);
}

void vtd__enc_pe(const struct bfields *F, const struct vtd_caps *c, const struct vtd_bpasid *x,
		 uint64_t ss_top, unsigned ss_levels, uint16_t did, uint64_t fs_top,
		 unsigned fs_levels, uint8_t out[64])
{
	memset(out, 0, 64);
	bf_put(F->pe_p, out, 1);
	bf_put(F->pe_pgtt, out, x->pgtt);
	if (ss_top) {
		bf_put(F->pe_aw, out, ss_levels - 2);
		bf_put_addr(F->pe_ssptr, out, ss_top);
	} else if (x->pgtt == VTD_PGTT_PT) {
		/*
		 * The specification ignores AW with PGTT 4; QEMU 7.2 faults
		 * (0x58) on one SAGAW lacks, 0 included.  The largest suits both.
		 */
		bf_put(F->pe_aw, out, vtd__max_aw(c));
	}
	if (fs_top) {
		bf_put(F->pe_fspm, out, fs_levels == 5);
		bf_put_addr(F->pe_fsptr, out, fs_top);
	}
	bf_put(F->pe_did, out, did);
	bf_put(F->pe_sre, out, !!x->sre);
	bf_put(F->pe_ere, out, !!x->ere);
	vtd__apply_raw(&vtd_l_pasid_entry, out, x->raw, x->nraw);
}

unsigned vtd__irt_s(const struct vtd_plan *p)
{
	uint32_t top = 0;
	unsigned s = 0;

	if (!p->irt_size_auto)
		return p->irt_size_log2;
	for (size_t i = 0; i < p->nirtes; i++)
		if (p->irtes[i].index > top)
			top = p->irtes[i].index;
	while (s < 15 && top >= (1u << (s + 1)))
		s++;
	return s;
}

void vtd__problem(struct vtd_problems *ps, const char *where, int code, const uint64_t *addr,
		  const char *fmt, ...)
{
	size_t max = ps->max ? ps->max : 1000;
	struct vtd_problem *x;
	va_list ap;

	if (ps->n >= max) {
		ps->dropped++;
		return;
	}
	if (ps->n == ps->cap) {
		size_t nc = ps->cap ? ps->cap * 2 : 16;
		struct vtd_problem *v = realloc(ps->v, nc * sizeof(*v));

		if (!v) {
			ps->dropped++;
			return;
		}
		ps->v = v;
		ps->cap = nc;
	}
	x = &ps->v[ps->n++];
	memset(x, 0, sizeof(*x));
	x->where = where;
	x->code = code;
	if (addr) {
		x->addr = *addr;
		x->has_addr = 1;
	}
	va_start(ap, fmt);
	vsnprintf(x->msg, sizeof(x->msg), fmt, ap);
	va_end(ap);
}

void vtd_problems_free(struct vtd_problems *ps)
{
	if (!ps)
		return;
	free(ps->v);
	ps->v = NULL;
	ps->n = ps->cap = ps->dropped = 0;
}

const struct vtd_bmap *vtd__map_at(const struct vtd_bdomain *d, uint64_t a)
{
	size_t lo = 0, hi = d->nmaps;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (d->maps[mid].iova + d->maps[mid].size <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < d->nmaps && d->maps[lo].iova <= a ? &d->maps[lo] : NULL;
}
