/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- the translation front end, and what the walks share */
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

int vtd__walk_ad(struct walk *restrict w, const struct vtd_wentry *e, uint64_t pa, uint64_t v,
		 uint64_t set, int fs)
{
	uint64_t val = v | set;
	int a = !!(set & e->m_a), d = !!(set & e->m_d);
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

void vtd__identity(struct walk *restrict w, unsigned perm)
{
	struct vtd_translation *t = w->t;

	t->out = w->rq->addr;
	t->page_size = 4096;
	t->perm = perm;
	t->level = 0;
}

/* ---- the front end ---------------------------------------------------------------- */

static int bad_request(const struct vtd_request *rq, struct vtd_error *err)
{
	unsigned a = rq->access;

	if (!a || (a & ~(unsigned)(VTD_ACC_R | VTD_ACC_W | VTD_ACC_X)) ||
	    ((a & VTD_ACC_X) && !(a & VTD_ACC_R)))
		return vtd_fail(err, VTD_EINVAL, "access 0x%x: R or W, and X only with R", a);
	if (rq->at > VTD_AT_PAGE_REQUEST)
		return vtd_fail(err, VTD_EINVAL, "request type %u is unknown", rq->at);
	if (rq->has_pasid && rq->pasid > 0xfffff)
		return vtd_fail(err, VTD_EINVAL, "PASID 0x%x is wider than 20 bits", rq->pasid);
	if (rq->priv && !rq->has_pasid)
		return vtd_fail(err, VTD_EINVAL, "a privileged request needs a PASID");
	return 0;
}

/*
 * The request in a prepared unit, walked in full.  'p' is the unit's prep,
 * or a copy the caller resolved for a unit that was never prepared.
 */
static inline __attribute__((always_inline)) int
translate(const struct vtd_unit *u, const struct vtd_walk_prep *p, const struct vtd_request *rq,
	  struct vtd_translation *t, struct vtd_error *err)
{
	struct vtd_walk_set own;
	struct walk w;
	uint64_t ttm, rta;
	int rc;

	/* Only the head of the result: the steps are written as they are read. */
	memset(t, 0, offsetof(struct vtd_translation, steps));
	w.u = u;
	w.p = p;
	w.rq = rq;
	w.t = t;
	w.err = err;
	w.q = u->numbering == VTD_NUM_QEMU72;
	w.fpd = 0;
	w.priv = 0;
	w.ad_nosnoop = 0;
	w.rec = !u->no_steps;
	w.cond = C_NONE;
	w.cap = u->cap;
	w.ecap = u->ecap;
	w.pe_pa = 0;
	w.nad = 0;
	if (!u->enabled) {
		/* Untranslated DMA passes; a page request has nothing to ask of a unit that is off. */
		t->kind = VTD_XK_DISABLED;
		if (rq->at != VTD_AT_PAGE_REQUEST)
			vtd__identity(&w, VTD_ACC_R | VTD_ACC_W | (w.q ? 0 : VTD_ACC_X));
		return 0;
	}
	/* The root table's range of the source, which usually holds every table. */
	rta = wa(&p->rt.rta, &u->rtaddr);
	w.sptr = walk_src(u, p, rta, &w.sbase, &w.ssize);
	if (!w.sptr)
		w.sbase = w.ssize = 0;
	ttm = wf(&p->rt.ttm, &u->rtaddr);
	/*
	 * QEMU looks at bit 10 (SMT) alone, and only when the unit has
	 * scalable mode (ECAP.SMTS): a legacy unit ignores it (fact 12).
	 */
	w.sm = (uint8_t)(w.q ? (ttm & 1) && wf(&p->ecap.smts, &w.ecap) : ttm == 1);
	/* What the registers make of the tables: prepared, or this walk's own, part by part. */
	w.s = &p->set;
	w.own = NULL;
	w.own_parts = 0;
	if (!p->set.valid || p->set.cap != u->cap || p->set.ecap != u->ecap ||
	    p->set.haw != u->haw) {
		w.s = w.own = &own;
		walk_need(&w, VTD_SET_COMMON | (w.sm ? VTD_SET_SM : VTD_SET_LEGACY));
	}
	/* QEMU keeps the root-table address below HAW and drops the bits above (fact 11). */
	if (w.q)
		rta &= ~w.s->hawbits;
	w.rta = rta;
	if (!w.q && ttm > 1) {
		/* Reserved, or abort-DMA mode: everything blocked, nothing recorded. */
		walk_fault(&w, C_RTADDR, u->rtaddr);
		w.sm = 1;
		rc = 1;
		if (ttm == 3 && wf(&p->ecap.adms, &w.ecap)) {
			t->fault = (uint16_t)vtd__cond_code(C_RTADDR, 1, 0);
			t->suppressed = 1;
			return 0;
		}
	} else {
		rc = w.sm ? vtd__walk_sm(&w) : vtd__walk_legacy(&w);
	}
	if (rc == 0 && w.nad)
		rc = apply_ad(&w);
	if (rc < 0)
		return rc;
	/* QEMU's answers (IOMMUTLBEntry) carry read and write only: it knows no execute right. */
	if (w.q)
		t->perm &= VTD_ACC_R | VTD_ACC_W;
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

int vtd__translate_full(const struct vtd_unit *u, const struct vtd_request *rq,
			struct vtd_translation *t, struct vtd_error *err)
{
	return translate(u, &u->prep, rq, t, err);
}

/* A unit that was never prepared: the layouts resolved for this request (slow). */
static __attribute__((noinline)) int
translate_unprepared(const struct vtd_unit *u, const struct vtd_request *rq,
		     struct vtd_translation *t, struct vtd_error *err)
{
	struct vtd_walk_prep local;
	int rc;

	if ((rc = vtd__walk_prep_fill(&local, err)))
		return rc;
	return translate(u, &local, rq, t, err);
}

/* Anything else: the argument checks, then the full walk. */
static __attribute__((noinline)) int
translate_checked(const struct vtd_unit *u, const struct vtd_request *rq,
		  struct vtd_translation *t, struct vtd_error *err)
{
	int rc;

	if (!u || !rq || !t || !u->mem)
		return vtd_fail(err, VTD_EINVAL, "translate: no unit, request, result or memory");
	if ((rc = bad_request(rq, err)))
		return rc;
	if (u->prep.magic != VTD_WALK_PREP_MAGIC)
		return translate_unprepared(u, rq, t, err);
	return vtd__translate_full(u, rq, t, err);
}

/* Read, write or both, perhaps with execute: the accesses bad_request() accepts. */
#define ACCESS_OK (1u << VTD_ACC_R | 1u << VTD_ACC_W | 1u << (VTD_ACC_R | VTD_ACC_W) | \
		   1u << (VTD_ACC_R | VTD_ACC_X) | 1u << (VTD_ACC_R | VTD_ACC_W | VTD_ACC_X))

int vtd_translate(const struct vtd_unit *u, const struct vtd_request *rq,
		  struct vtd_translation *t, struct vtd_error *err)
{
	/* A valid untranslated request to a prepared unit (bad_request()'s rules): the fast walks'. */
	if (u && rq && t && u->mem && rq->at == VTD_AT_UNTRANSLATED && rq->access < 8 &&
	    (ACCESS_OK >> rq->access & 1) && (rq->has_pasid ? rq->pasid <= 0xfffff : !rq->priv) &&
	    u->prep.magic == VTD_WALK_PREP_MAGIC)
		return u->no_steps ? vtd__fast_answer(u, rq, t, err) : vtd__fast_steps(u, rq, t, err);
	return translate_checked(u, rq, t, err);
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
