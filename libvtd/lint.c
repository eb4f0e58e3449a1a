/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvtd -- vtd_lint: root, context and PASID tables, the interrupt table.
 *
 * The walk goes down like the hardware's, but over every present entry
 * and without stopping at the first problem: an entry with reserved bits
 * set is reported and not followed (the hardware would fault there), a
 * pointer that leads nowhere is reported at the entry that holds it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint-internal.h"
#include "tables.h"

static const char *const kind_names[] = {
	[VTD_LINT_RSVD] = "rsvd",	  [VTD_LINT_AW] = "aw",
	[VTD_LINT_DID_SHARED] = "did-shared", [VTD_LINT_MSI] = "msi",
	[VTD_LINT_TABLE_DMA] = "table-dma", [VTD_LINT_RMRR] = "rmrr",
	[VTD_LINT_PT] = "pt",		  [VTD_LINT_IRTE_SVT] = "irte-svt",
	[VTD_LINT_FEATURE] = "feature",	  [VTD_LINT_PTR] = "ptr",
};

const char *vtd_lint_kind_name(int kind)
{
	if (kind <= 0 || (size_t)kind >= VTD_NELEM(kind_names) || !kind_names[kind])
		return "?";
	return kind_names[kind];
}

/* ---- findings ---------------------------------------------------------------------- */

int vtd__lint_grow(struct lint *L, void **v, size_t *cap, size_t n, size_t elem)
{
	if (vtd__grow(v, cap, n, elem)) {
		L->oom = L->stop = 1;
		return -1;
	}
	return 0;
}

/* A long path keeps its root end and its entry end. */
static void path_copy(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src), head = 60;

	if (len < n) {
		memcpy(dst, src, len + 1);
		return;
	}
	snprintf(dst, n, "%.*s ... %s", (int)head, src, src + len - (n - head - 6));
}

static void vfind(struct lint *L, int kind, uint64_t addr, int has_sid, uint16_t sid,
		  const char *path, const char *fmt, va_list ap)
{
	struct vtd_lint_finding f;

	if (L->stop)
		return;
	memset(&f, 0, sizeof(f));
	f.kind = kind;
	f.addr = addr;
	f.has_sid = has_sid;
	f.sid = sid;
	path_copy(f.path, sizeof(f.path), path);
	vsnprintf(f.msg, sizeof(f.msg), fmt, ap);
	L->n++;
	if (L->fn(&f, L->ctx))
		L->stop = 1;
}

void vtd__lint_find(struct lint *L, int kind, uint64_t addr, int has_sid, uint16_t sid,
		    const char *name, unsigned idx, const char *fmt, ...)
{
	char path[sizeof(L->path) + 64];
	va_list ap;

	snprintf(path, sizeof(path), "%s%s%s[0x%x]@0x%llx", L->path, L->path[0] ? " -> " : "",
		 name, idx, (unsigned long long)addr);
	va_start(ap, fmt);
	vfind(L, kind, addr, has_sid, sid, path, fmt, ap);
	va_end(ap);
}

void vtd__lint_find_at(struct lint *L, int kind, uint64_t addr, int has_sid, uint16_t sid,
		       const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfind(L, kind, addr, has_sid, sid, path, fmt, ap);
	va_end(ap);
}

void vtd__lint_rsvd(struct lint *L, const struct vtd_layout *l, const uint8_t *e, uint64_t addr,
		    int has_sid, uint16_t sid, unsigned idx)
{
	struct vtd_check_opts co = { .haw = L->a.c.haw };
	struct vtd_finding fd[2];
	unsigned n = vtd_layout_check(l, e, l->size, &co, fd, 2);

	if (!n)		/* vtd__qchk_ok and vtd_layout_check disagree: say so, not nothing */
		vtd__lint_find(L, VTD_LINT_RSVD, addr, has_sid, sid, l->name, idx,
			       "%s: reserved bits or values set", l->name);
	else
		vtd__lint_find(L, VTD_LINT_RSVD, addr, has_sid, sid, l->name, idx, "%s: %s%s",
			       l->name, fd[0].msg, n > 1 ? " (and more)" : "");
}

size_t vtd__lint_push(struct lint *L, const char *name, unsigned idx, uint64_t addr)
{
	size_t n = strlen(L->path);

	snprintf(L->path + n, sizeof(L->path) - n, "%s%s[0x%x]@0x%llx", n ? " -> " : "", name,
		 idx, (unsigned long long)addr);
	return n;
}

int vtd__lint_page(struct lint *L, uint64_t pa, uint8_t kind, int dom)
{
	if (vtd__lint_grow(L, (void **)&L->pages, &L->pcap, L->npages, sizeof(*L->pages)))
		return -1;
	L->pages[L->npages++] = (struct tpage){ .pa = pa & ~0xfffULL, .kind = kind,
					       .dom = dom };
	return 0;
}

/* Read a table; on failure a PTR finding at the entry that points to it. */
int vtd__lint_read(struct lint *L, uint64_t pa, void *buf, size_t len, const char *what,
		      const char *name, unsigned idx, uint64_t addr, int has_sid, uint16_t sid)
{
	int rc = vtd_mem_read(L->m, pa, buf, len, NULL);

	if (rc)
		vtd__lint_find(L, VTD_LINT_PTR, addr, has_sid, sid, name, idx,
			       "the %s at 0x%llx cannot be read: %s", what,
			       (unsigned long long)pa, vtd_strerror(-rc));
	return rc;
}

int vtd__lint_dev(struct lint *L, const struct ldev *d, const char *name, unsigned idx)
{
	char path[sizeof(L->path) + 64];

	if (vtd__lint_grow(L, (void **)&L->dev, &L->vcap, L->ndev, sizeof(*L->dev)))
		return -1;
	snprintf(path, sizeof(path), "%s%s%s[0x%x]@0x%llx", L->path, L->path[0] ? " -> " : "",
		 name, idx, (unsigned long long)d->addr);
	L->dev[L->ndev] = *d;
	if (!(L->dev[L->ndev].path = strdup(path))) {
		L->oom = L->stop = 1;
		return -1;
	}
	L->ndev++;
	return 0;
}

/* One domain id naming two second-stage trees: caches tagged by it mix them up. */
void vtd__lint_did(struct lint *L, uint16_t did, uint64_t top, unsigned levels,
		      const char *name, unsigned idx, uint64_t addr, uint16_t sid)
{
	for (size_t i = 0; i < L->ndid; i++) {
		const struct ldid *x = &L->did[i];

		if (x->did != did)
			continue;
		if (x->top != top || x->levels != levels)
			vtd__lint_find(L, VTD_LINT_DID_SHARED, addr, 1, sid, name, idx,
				       "DID %u names the %u-level tables at 0x%llx here and the "
				       "%u-level tables at 0x%llx in the entry at 0x%llx",
				       did, levels, (unsigned long long)top, x->levels,
				       (unsigned long long)x->top, (unsigned long long)x->addr);
		return;
	}
	if (vtd__lint_grow(L, (void **)&L->did, &L->didcap, L->ndid, sizeof(*L->did)))
		return;
	L->did[L->ndid++] = (struct ldid){ .did = did, .top = top, .addr = addr, .levels = levels };
}

void vtd__lint_aw(struct lint *L, unsigned aw, const char *name, unsigned idx, uint64_t addr,
		     uint16_t sid)
{
	if (L->caps && aw < 8 && !(L->a.c.sagaw >> aw & 1))
		vtd__lint_find(L, VTD_LINT_AW, addr, 1, sid, name, idx,
			       "AW %u (%u-level tables) is not in CAP.SAGAW 0x%x", aw, aw + 2,
			       L->a.c.sagaw);
}

void vtd__lint_did_range(struct lint *L, uint16_t did, const char *name, unsigned idx,
		      uint64_t addr, uint16_t sid)
{
	if (L->caps && L->a.c.nd_bits < 16 && did >> L->a.c.nd_bits)
		vtd__lint_find(L, VTD_LINT_FEATURE, addr, 1, sid, name, idx,
			       "DID %u is beyond CAP.ND (%u domains)", did, 1u << L->a.c.nd_bits);
}

/* ---- legacy mode ---------------------------------------------------------------------- */

static void legacy_ctx(struct lint *L, uint16_t sid, const uint8_t *e, uint64_t addr, int first)
{
	const struct bfields *F = &L->a.F;
	const char *nm = vtd_l_context_legacy.name;
	unsigned idx = sid & 0xff;
	uint64_t tt = vtd_field_raw(F->cl_tt, e);
	struct ldev d = { .sid = sid, .ss = -1, .fs = -1, .addr = addr };

	if (!vtd__qchk_ok(&L->a.cl, e)) {
		if (first)
			vtd__lint_rsvd(L, &vtd_l_context_legacy, e, addr, 1, sid, idx);
		return;
	}
	if (first && tt == 2 && L->caps && !L->a.c.pt)
		vtd__lint_find(L, VTD_LINT_PT, addr, 1, sid, nm, idx,
			       "pass-through (TT 2) but ECAP.PT is clear");
	if (first && tt == 1 && L->caps && !L->a.c.dt)
		vtd__lint_find(L, VTD_LINT_FEATURE, addr, 1, sid, nm, idx,
			       "device-TLB translation (TT 1) but ECAP.DT is clear");
	if (tt == 2) {
		d.pt = 1;
		vtd__lint_dev(L, &d, nm, idx);
		return;
	}
	unsigned aw = (unsigned)vtd_field_raw(F->cl_aw, e);
	uint16_t did = (uint16_t)vtd_field_raw(F->cl_did, e);
	uint64_t top = vtd_field_raw(F->cl_ptr, e) << F->cl_ptr->shift;

	if (first) {
		vtd__lint_aw(L, aw, nm, idx, addr, sid);
		vtd__lint_did_range(L, did, nm, idx, addr, sid);
	}
	vtd__lint_did(L, did, top, aw + 2, nm, idx, addr, sid);
	d.ss = vtd__lint_domain(L, top, 0, aw + 2, nm, idx, addr, sid);
	if (d.ss >= 0)
		L->dom[d.ss].dma_input = 1;
	vtd__lint_dev(L, &d, nm, idx);
}

/* A context table: its entries judged once, its devices recorded for each bus using it. */
static void ctx_table(struct lint *L, unsigned bus, uint64_t ct, int upper, const char *rname,
		      uint64_t raddr)
{
	uint8_t buf[4096];
	unsigned esz = L->sm ? 32 : 16, n = 4096 / esz;
	int first;

	if (vtd__lint_read(L, ct, buf, sizeof(buf), "context table", rname, bus, raddr, 0, 0))
		return;
	if ((first = vtd__uset_add(&L->checked, lkey(ct, LK_CTX))) < 0)
		L->oom = L->stop = 1;
	if (first)
		vtd__lint_page(L, ct, VTD_PG_CONTEXT, -1);
	size_t mark = vtd__lint_push(L, rname, bus, raddr);

	for (unsigned i = 0; i < n && !L->stop; i++) {
		const uint8_t *e = buf + esz * i;
		uint16_t sid = (uint16_t)(bus << 8 | (unsigned)upper << 7 | i);

		if (!vtd_field_raw(L->sm ? L->a.F.cs_p : L->a.F.cl_p, e)) {
			if (first > 0 && !vtd__all_zero(e, esz) &&
			    !vtd__qchk_ok(L->sm ? &L->a.cs : &L->a.cl, e))
				vtd__lint_rsvd(L, L->sm ? &vtd_l_context_sm : &vtd_l_context_legacy,
					       e, ct + esz * i, 1, sid, i);
			continue;
		}
		if (L->sm)
			vtd__lint_sm_ctx(L, sid, e, ct + esz * i, first > 0);
		else
			legacy_ctx(L, sid, e, ct + esz * i, first > 0);
	}
	L->path[mark] = 0;
}

static void root_table(struct lint *L, uint64_t root, const uint8_t *rt)
{
	const struct bfields *F = &L->a.F;
	const struct vtd_layout *rl = L->sm ? &vtd_l_root_sm : &vtd_l_root_legacy;

	for (unsigned bus = 0; bus < 256 && !L->stop; bus++) {
		const uint8_t *e = rt + 16 * bus;
		uint64_t addr = root + 16 * bus;

		if (vtd__all_zero(e, 16))
			continue;
		if (!vtd__qchk_ok(L->sm ? &L->a.rs : &L->a.rl, e)) {
			vtd__lint_rsvd(L, rl, e, addr, 0, 0, bus);
			continue;
		}
		for (int up = 0; up < (L->sm ? 2 : 1); up++) {
			const struct vtd_field *p = L->sm ? (up ? F->rs_up : F->rs_lp) : F->rl_p;
			const struct vtd_field *c = L->sm ? (up ? F->rs_uctp : F->rs_lctp) : F->rl_ctp;

			if (vtd_field_raw(p, e))
				ctx_table(L, bus, vtd_field_raw(c, e) << c->shift, up, rl->name,
					  addr);
		}
	}
}

/* ---- the interrupt-remapping table ----------------------------------------------------- */

static void irt(struct lint *L, uint64_t irta)
{
	const struct bfields *F = &L->a.F;
	uint8_t b[8];
	uint64_t base, n;
	uint8_t *t;

	put_le64(b, irta);
	base = vtd_field_raw(F->ir_addr, b) << F->ir_addr->shift;
	n = 2ULL << vtd_field_raw(F->ir_s, b);
	if (L->caps && !L->a.c.ir)
		vtd__lint_find_at(L, VTD_LINT_FEATURE, base, 0, 0, "IRTA",
				  "an interrupt-remapping table but ECAP.IR is clear");
	if (!(t = malloc(n * 16))) {
		L->oom = L->stop = 1;
		return;
	}
	if (vtd_mem_read(L->m, base, t, n * 16, NULL)) {
		vtd__lint_find_at(L, VTD_LINT_PTR, base, 0, 0, "IRTA",
				  "the interrupt-remapping table at 0x%llx (%llu entries) cannot "
				  "be read", (unsigned long long)base, (unsigned long long)n);
		free(t);
		return;
	}
	for (uint64_t pg = 0; pg < n * 16; pg += 4096)
		vtd__lint_page(L, base + pg, VTD_PG_IRT, -1);
	for (uint64_t i = 0; i < n && !L->stop; i++) {
		const uint8_t *e = t + 16 * i;
		int posted = vtd_field_raw(L->a.irr_im, e) != 0;
		const struct vtd_layout *l = posted ? &vtd_l_irte_posted : &vtd_l_irte_remapped;
		uint64_t addr = base + 16 * i;

		if (vtd__all_zero(e, 16))
			continue;
		if (!vtd__qchk_ok(posted ? &L->a.irp : &L->a.irr, e)) {
			vtd__lint_rsvd(L, l, e, addr, 0, 0, (unsigned)i);
			continue;
		}
		if (!vtd_field_raw(L->a.irp.p, e))
			continue;
		if (posted && L->caps && !L->a.pi)
			vtd__lint_find(L, VTD_LINT_FEATURE, addr, 0, 0, l->name, (unsigned)i,
				       "a posted-format entry but CAP.PI is clear");
		/* SVT sits at the same bits in both formats (the layouts say so). */
		if (!vtd_field_raw(L->a.irr_svt, e))
			vtd__lint_find(L, VTD_LINT_IRTE_SVT, addr, 0, 0, l->name, (unsigned)i,
				       "present entry with SVT 0: any device may raise this "
				       "interrupt");
	}
	free(t);
}

/* ---- the entry point -------------------------------------------------------------------- */

static void lint_free(struct lint *L)
{
	for (size_t i = 0; i < L->ndom; i++)
		free(L->dom[i].r);
	for (size_t i = 0; i < L->ndev; i++)
		free(L->dev[i].path);
	free(L->dom);
	free(L->dev);
	free(L->did);
	free(L->pages);
	vtd__uset_free(&L->checked);
	vtd__uset_free(&L->seen);
}

long vtd_lint(struct vtd_mem *m, uint64_t rtaddr, uint64_t irta, const struct vtd_lint_opts *o,
	      int (*fn)(const struct vtd_lint_finding *f, void *ctx), void *ctx,
	      struct vtd_error *err)
{
	struct vtd_lint_opts d = { 0 };
	struct lint *L;
	uint8_t rt[4096];
	uint64_t root;
	long rc;

	if (!m || !fn)
		return vtd_fail(err, VTD_EINVAL, "no memory source or callback");
	if (!o)
		o = &d;
	if (!(L = calloc(1, sizeof(*L))))
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	L->m = m;
	L->o = o;
	L->fn = fn;
	L->ctx = ctx;
	L->caps = o->cap || o->ecap;
	if ((rc = vtd__achk_init(&L->a, o->cap, o->ecap, o->haw, err)))
		goto out;
	if ((rc = vtd__rtaddr(&L->a.F, rtaddr, &root, &L->sm, err)))
		goto out;
	if ((rc = vtd_mem_read(m, root, rt, sizeof(rt), err))) {
		vtd_error_where(err, "0x%llx root table", (unsigned long long)root);
		goto out;
	}
	vtd__uset_add(&L->checked, lkey(root, LK_ROOT));
	vtd__lint_page(L, root, VTD_PG_ROOT, -1);
	if (L->sm && L->caps && !L->a.c.sm)
		vtd__lint_find_at(L, VTD_LINT_FEATURE, root, 0, 0, "RTADDR",
				  "a scalable-mode root table but ECAP.SMTS is clear");
	root_table(L, root, rt);
	if (irta && !L->stop)
		irt(L, irta);
	if (!L->stop)
		vtd__lint_post(L);
	rc = L->oom ? vtd_fail(err, VTD_ENOMEM, "out of memory linting the tables") : L->n;
out:
	lint_free(L);
	free(L);
	return rc;
}
