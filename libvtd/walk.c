/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- the translation front end, legacy mode, and what the walks share */
#include "walk-internal.h"

#include <stdio.h>

int vtd__walk_read_slow(struct walk *restrict w, uint64_t pa, size_t len, uint8_t *buf,
			const uint8_t **out)
{
	uint64_t base, size;
	const uint8_t *p = vtd__mem_span_fast(w->u->mem, pa, &base, &size);
	int rc;

	if (p && len <= size - (pa - base)) {
		w->sptr = p;
		w->sbase = base;
		w->ssize = size;
		*out = p + (pa - base);
		return 0;
	}
	rc = vtd_mem_read(w->u->mem, pa, buf, len, w->err);
	if (rc == -VTD_EUNMAPPED) {
		/* A hole is an answer (the read-error fault), not an error. */
		vtd_error_clear(w->err);
		w->t->unbacked = 1;
		return 1;
	}
	*out = buf;
	return rc;
}

int vtd__walk_ad(struct walk *restrict w, uint64_t pa, uint64_t val, int a, int d, int fs)
{
	unsigned i;

	for (i = 0; i < w->nad; i++)
		if (w->ad[i].pa == pa)
			break;
	if (i == w->nad) {
		if (w->nad == VTD_AD_MAX)
			return vtd_fail(w->err, VTD_EINTERNAL, "too many accessed/dirty updates");
		w->ad[w->nad++] = (struct vtd_ad){ .pa = pa, .val = val, .fs = (uint8_t)fs };
	}
	w->ad[i].val |= val;
	w->ad[i].a |= (uint8_t)a;
	w->ad[i].d |= (uint8_t)d;
	return 0;
}

/*
 * The walk succeeded: report the A/D bits it sets and, when asked and the
 * source takes writes, store them.  A store that fails on a writable
 * source is the A/D-update fault.
 */
static int apply_ad(struct walk *restrict w)
{
	unsigned i;
	int rc;

	for (i = 0; i < w->nad; i++) {
		struct vtd_ad *ad = &w->ad[i];
		uint8_t b[8];

		w->t->accessed |= ad->a;
		w->t->dirty |= ad->d;
		if (!w->u->write_ad)
			continue;
		put_le64(b, ad->val);
		rc = vtd_mem_write(w->u->mem, ad->pa, b, 8, w->err);
		if (rc == -VTD_ENOTSUP) {
			vtd_error_clear(w->err);
			continue;
		}
		if (rc == -VTD_EUNMAPPED) {
			vtd_error_clear(w->err);
			return walk_fault(w, ad->fs ? C_FS_AD_FAIL : C_SS_AD_FAIL, ad->pa);
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* Reserved bits of a table structure: undeclared bits, and addresses beyond HAW. */
int vtd__table_rsvd(struct walk *restrict w, const struct vtd_wtable *s, const uint64_t *v)
{
	unsigned i, nw = s->l->size / 8;
	uint64_t bad = (v[0] & (s->rsvd[0] | (s->haw[0] & w->hawbits))) |
		       (v[1] & (s->rsvd[1] | (s->haw[1] & w->hawbits)));

	for (i = 2; i < nw; i++)
		bad |= v[i] & (s->rsvd[i] | (s->haw[i] & w->hawbits));
	return bad != 0;
}

/* Read a root, context or PASID structure into 64-bit words and record it. */
int vtd__rd_table(struct walk *restrict w, const struct vtd_wtable *s, uint64_t pa,
		    unsigned index, uint64_t *v)
{
	const uint8_t *src;
	uint8_t buf[64];
	unsigned i;
	int rc = walk_read(w, pa, s->l->size, buf, &src);
	struct vtd_walk_step *st;

	if (rc)
		return rc;
	st = walk_step(w, s->l, pa, index, 0);
	/* Constant sizes let the compiler copy in registers. */
	switch (s->l->size) {
	case 16:
		v[0] = le64(src);
		v[1] = le64(src + 8);
		if (st)
			memcpy(st->raw, src, 16);
		return 0;
	case 32:
		if (st)
			memcpy(st->raw, src, 32);
		break;
	default:
		if (st)
			memcpy(st->raw, src, s->l->size);
	}
	for (i = 0; i < s->l->size / 8u; i++)
		v[i] = le64(src + 8 * i);
	return 0;
}

/* CAP.MGAW as a width in bits (only the walks that need it ask). */
void vtd__need_mgaw(struct walk *restrict w)
{
	w->mgaw = (unsigned)vtd_field_value(w->p->cap.mgaw.f, wf(&w->p->cap.mgaw, &w->cap));
}

int vtd__sagaw_has(struct walk *restrict w, uint64_t aw)
{
	return aw < 5 && (wf(&w->p->cap.sagaw, &w->cap) >> aw & 1);
}

void vtd__identity(struct walk *restrict w, unsigned perm)
{
	struct vtd_translation *t = w->t;

	t->out = w->rq->addr;
	t->page_size = 4096;
	t->perm = perm;
	t->level = 0;
}

/* Second stage for the request: the legacy walk or PGTT = 2. */
int vtd__second_stage(struct walk *restrict w, const struct ss_cfg *c)
{
	struct vtd_translation *t = w->t;
	struct ss_out o;
	int rc;

	t->kind = VTD_XK_SECOND;
	rc = vtd__ss_walk(w, c, SS_REQ, w->rq->addr, w->rq->access, &o);
	if (rc)
		return rc;
	if (in_intr(o.out, o.size))
		return walk_fault(w, C_INTR, o.leaf_pa);
	t->out = o.out;
	t->page_size = o.size;
	t->perm = o.perm & (w->sm ? ~0u : (unsigned)(VTD_ACC_R | VTD_ACC_W));
	t->level = (uint8_t)o.level;
	t->snoop |= (uint8_t)fget(o.le->snp, o.leaf);
	t->emt = (uint8_t)fget(o.le->emt, o.leaf);
	t->ipat = (uint8_t)fget(o.le->ipat, o.leaf);
	return 0;
}

/* ---- legacy mode ------------------------------------------------------------- */

int vtd__walk_legacy(struct walk *restrict w)
{
	const struct vtd_walk_prep *p = w->p;
	const struct vtd_request *rq = w->rq;
	unsigned bus = rq->sid >> 8, devfn = rq->sid & 0xff;
	uint64_t re[2], ce[2], pa, tt, aw;
	struct ss_cfg c = { 0 };

	if (rq->has_pasid)
		return walk_fault(w, C_TTM_PASID, w->u->rtaddr);
	pa = wa(&p->rt.rta, &w->u->rtaddr) + 16ull * bus;
	READ_OR(w, vtd__rd_table(w, &p->root_l, pa, bus, re), C_ROOT_READ, pa);
	if (!wf(&p->rl.p, re))
		return walk_fault(w, C_ROOT_P, pa);
	if (vtd__table_rsvd(w, &p->root_l, re))
		return walk_fault(w, C_ROOT_RSVD, pa);

	pa = wa(&p->rl.ctp, re) + 16ull * devfn;
	READ_OR(w, vtd__rd_table(w, &p->ctx_l, pa, devfn, ce), C_CTX_READ, pa);
	w->fpd |= (uint8_t)wf(&p->cl.fpd, ce);	/* meaningful even when P is clear */
	if (!wf(&p->cl.p, ce))
		return walk_fault(w, C_CTX_P, pa);
	if (vtd__table_rsvd(w, &p->ctx_l, ce))
		return walk_fault(w, C_CTX_RSVD, pa);
	w->t->did = (uint16_t)wf(&p->cl.did, ce);
	/* QEMU checks AW before TT, for pass-through entries too. */
	aw = wf(&p->cl.aw, ce);
	tt = wf(&p->cl.tt, ce);
	if (!vtd__sagaw_has(w, aw) || tt == 3 || (tt == 1 && !wf(&p->ecap.dt, &w->ecap)) ||
	    (tt == 2 && !wf(&p->ecap.pt, &w->ecap)))
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
	vtd__need_mgaw(w);
	if (w->mgaw < c.width)
		c.width = w->mgaw;
	return vtd__second_stage(w, &c);
}

/* ---- the front end ---------------------------------------------------------------- */

static int bad_request(const struct vtd_request *rq, struct vtd_error *err)
{
	unsigned a = rq->access;

	if (!a || (a & ~(unsigned)(VTD_ACC_R | VTD_ACC_W | VTD_ACC_X)) ||
	    ((a & VTD_ACC_X) && !(a & VTD_ACC_R)))
		return vtd_fail(err, VTD_EINVAL, "access 0x%x: R or W, and X only with R", a);
	if (rq->at > VTD_AT_TRANSLATED)
		return vtd_fail(err, VTD_EINVAL, "address type %u is reserved", rq->at);
	if (rq->has_pasid && rq->pasid > 0xfffff)
		return vtd_fail(err, VTD_EINVAL, "PASID 0x%x is wider than 20 bits", rq->pasid);
	if (rq->priv && !rq->has_pasid)
		return vtd_fail(err, VTD_EINVAL, "a privileged request needs a PASID");
	return 0;
}

int vtd_translate(const struct vtd_unit *u, const struct vtd_request *rq,
		  struct vtd_translation *t, struct vtd_error *err)
{
	struct vtd_walk_prep local;
	struct walk w;
	uint64_t ttm;
	int rc;

	if (!u || !rq || !t || !u->mem)
		return vtd_fail(err, VTD_EINVAL, "translate: no unit, request, result or memory");
	if ((rc = bad_request(rq, err)))
		return rc;
	w.p = &u->prep;
	if (u->prep.magic != VTD_WALK_PREP_MAGIC) {
		if ((rc = vtd__walk_prep_fill(&local, err)))
			return rc;
		w.p = &local;
	}
	/* Only the head of the result: the steps are written as they are read. */
	memset(t, 0, offsetof(struct vtd_translation, steps));
	w.u = u;
	w.rq = rq;
	w.t = t;
	w.err = err;
	w.q = u->numbering == VTD_NUM_QEMU72;
	w.fpd = 0;
	w.priv = 0;
	w.ad_nosnoop = 0;
	w.cond = C_NONE;
	w.hawbits = u->haw && u->haw < 64 ? ~0ULL << u->haw : 0;
	w.cap = u->cap;
	w.ecap = u->ecap;
	w.nad = 0;
	w.sptr = NULL;
	w.sbase = w.ssize = 0;
	if (!u->enabled) {
		t->kind = VTD_XK_DISABLED;
		vtd__identity(&w, VTD_ACC_R | VTD_ACC_W | VTD_ACC_X);
		return 0;
	}
	ttm = wf(&w.p->rt.ttm, &u->rtaddr);
	/* QEMU looks at bit 10 (SMT) alone. */
	w.sm = (uint8_t)(w.q ? ttm & 1 : ttm == 1);
	if (!w.q && ttm > 1) {
		/* Reserved, or abort-DMA mode: everything blocked, nothing recorded. */
		walk_fault(&w, C_RTADDR, u->rtaddr);
		w.sm = 1;
		rc = 1;
		if (ttm == 3 && wf(&w.p->ecap.adms, &w.ecap)) {
			t->fault = (uint16_t)vtd__cond_code(C_RTADDR, 1, 0);
			t->suppressed = 1;
			return 0;
		}
	} else {
		rc = w.sm ? vtd__walk_sm(&w) : vtd__walk_legacy(&w);
	}
	if (rc == 0)
		rc = apply_ad(&w);
	if (rc < 0)
		return rc;
	if (rc > 0) {
		t->fault = (uint16_t)vtd__cond_code(w.cond, w.sm, w.q);
		t->suppressed = (uint8_t)(w.fpd && vtd__qualified(t->fault, w.q));
		t->out = 0;
		t->page_size = 0;
		t->perm = 0;
		t->accessed = t->dirty = 0;
	}
	return 0;
}

void vtd_translation_path(const struct vtd_translation *t, char *buf, size_t size)
{
	size_t n = 0;
	unsigned i;

	if (!size)
		return;
	buf[0] = 0;
#define ADD(...) do { \
	int k_ = snprintf(buf + n, n < size ? size - n : 0, __VA_ARGS__); \
	if (k_ > 0) n += (size_t)k_; \
	if (n >= size) n = size - 1; \
} while (0)
	if (!t) {
		ADD("(none)");
		return;
	}
	for (i = 0; i < t->nsteps && i < VTD_WALK_MAX_STEPS; i++) {
		const struct vtd_walk_step *s = &t->steps[i];

		ADD("%s%s[%#x] @%#llx", i ? " -> " : "", s->layout ? s->layout->name : "?",
		    s->index, (unsigned long long)s->pa);
	}
	if (t->fault)
		ADD("%sfault 0x%02x%s%s", t->nsteps ? " -> " : "", t->fault,
		    t->suppressed ? " (suppressed)" : "", t->unbacked ? " (unbacked)" : "");
	else
		ADD("%s%#llx", t->nsteps ? " -> " : "", (unsigned long long)t->out);
#undef ADD
}
