/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- the cache model: lifecycle, statistics and the lookups that answer without a walk */
#include "cache-internal.h"

#include <stdlib.h>

#include "regs.h"
#include "tables.h"

void vtd_cache_cfg_default(struct vtd_cache_cfg *cfg, enum vtd_cache_model model)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->model = (uint8_t)model;
	cfg->check_stale = 1;
	cfg->seed = 1;
	if (model == VTD_CMODEL_QEMU72) {
		/*
		 * One context-cache entry per device address space (vtd_as), never
		 * evicted: sized beyond any machine the harness builds.  The IOTLB
		 * holds VTD_IOTLB_MAX_SIZE (1024) entries and empties itself when
		 * full (vtd_update_iotlb).  No PASID cache, paging-structure cache
		 * or device-TLB in 7.2 (vtd_do_iommu_translate reads PASID entries
		 * from memory on every walk).
		 */
		cfg->size[VTD_CACHE_CONTEXT] = 1024;
		cfg->size[VTD_CACHE_IOTLB] = 1024;
		cfg->replace = VTD_REPLACE_FLUSH;
		return;
	}
	cfg->size[VTD_CACHE_CONTEXT] = 64;
	cfg->size[VTD_CACHE_PASID] = 64;
	cfg->size[VTD_CACHE_IOTLB] = 512;
	cfg->size[VTD_CACHE_PSC] = 64;
	cfg->size[VTD_CACHE_DEVTLB] = 64;
	cfg->replace = VTD_REPLACE_LRU;
}

static const struct vtd_field *row(const struct vtd_layout *l, const char *name)
{
	return vtd_field_find(l, name);
}

static int resolve(struct cfields *f, struct vtd_error *err)
{
	f->ttm = row(&vtd_l_reg_rtaddr, "TTM");
	f->ctx_did = row(&vtd_l_context_legacy, "DID");
	f->ctx_dirptr = row(&vtd_l_context_sm, "PASIDDIRPTR");
	f->ctx_rid_pasid = row(&vtd_l_context_sm, "RID_PASID");
	f->pe_p = row(&vtd_l_pasid_entry, "P");
	f->pe_did = row(&vtd_l_pasid_entry, "DID");
	f->pe_ssade = row(&vtd_l_pasid_entry, "SSADE");
	f->cap_mamv = row(&vtd_l_reg_cap, "MAMV");
	f->cap_esrtps = row(&vtd_l_reg_cap, "ESRTPS");
	f->ecap_dit = row(&vtd_l_reg_ecap, "DIT");
	f->ecap_pds = row(&vtd_l_reg_ecap, "PDS");
	f->ecap_smts = row(&vtd_l_reg_ecap, "SMTS");
	f->ecap_prs = row(&vtd_l_reg_ecap, "PRS");
	const struct vtd_field *const *p = &f->ttm, *const *end = &f->ecap_prs;

	for (; p <= end; p++)
		if (!*p)
			return vtd_fail(err, VTD_EINTERNAL, "cache: a field the model decodes is "
					"missing from the descriptor tables");
	return 0;
}

/* TLB entries start on cache lines: a hit reads one. */
static struct tlb_ent *tlb_alloc(size_t n)
{
	struct tlb_ent *e = aligned_alloc(64, n * sizeof(*e));

	if (e)
		memset(e, 0, n * sizeof(*e));
	return e;
}

int vtd_cache_new(const struct vtd_cache_cfg *cfg, struct vtd_cache **out, struct vtd_error *err)
{
	struct vtd_cache *c;
	int id, rc;

	if (!cfg || !out)
		return vtd_fail(err, VTD_EINVAL, "cache: no configuration or result");
	*out = NULL;
	if (cfg->replace > VTD_REPLACE_FLUSH || cfg->model > VTD_CMODEL_QEMU72)
		return vtd_fail(err, VTD_EINVAL, "cache: replacement %u or model %u is unknown",
				cfg->replace, cfg->model);
	for (id = 0; id < VTD_CACHE_N; id++) {
		static const char *const names[VTD_CACHE_N] = {
			"context cache", "PASID cache", "IOTLB", "paging-structure cache",
			"device-TLB",
		};

		if (cfg->size[id] > (1u << 24))
			return vtd_fail(err, VTD_EINVAL, "%s: %u entries is more than 2^24",
					names[id], cfg->size[id]);
		if (cfg->ways && cfg->size[id] % cfg->ways)
			return vtd_fail(err, VTD_EINVAL, "%s: %u entries is no whole number of "
					"%u-way sets", names[id], cfg->size[id], cfg->ways);
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	c->cfg = *cfg;
	c->rng = cfg->seed ? cfg->seed : 1;
	if ((rc = resolve(&c->f, err))) {
		free(c);
		return rc;
	}
	c->ttm_shift = (uint8_t)c->f.ttm->lsb;
	c->ttm_mask = (1u << c->f.ttm->width) - 1;
	c->smts_shift = (uint8_t)c->f.ecap_smts->lsb;
	for (id = 0; id < VTD_CACHE_N; id++)
		if (vtd__ctab_init(&c->tab[id], cfg->size[id], cfg->ways, cfg->replace, &c->rng))
			goto oom;
	c->tab[VTD_CACHE_CONTEXT].use_memo = c->tab[VTD_CACHE_PASID].use_memo = 1;
	c->ctx = calloc(cfg->size[VTD_CACHE_CONTEXT] + 1, sizeof(*c->ctx));
	c->pc = calloc(cfg->size[VTD_CACHE_PASID] + 1, sizeof(*c->pc));
	c->tlb = tlb_alloc(cfg->size[VTD_CACHE_IOTLB] + 1);
	c->dtlb = tlb_alloc(cfg->size[VTD_CACHE_DEVTLB] + 1);
	c->tdep = calloc(cfg->size[VTD_CACHE_IOTLB] + 1, sizeof(*c->tdep));
	c->ddep = calloc(cfg->size[VTD_CACHE_DEVTLB] + 1, sizeof(*c->ddep));
	c->psc = calloc(cfg->size[VTD_CACHE_PSC] + 1, sizeof(*c->psc));
	c->scratch = malloc(sizeof(*c->scratch));
	if (!c->ctx || !c->pc || !c->tlb || !c->psc || !c->dtlb || !c->tdep || !c->ddep ||
	    !c->scratch)
		goto oom;
	*out = c;
	return 0;
oom:
	vtd_cache_free(c);
	return vtd_fail(err, VTD_ENOMEM, "out of memory");
}

void vtd__cache_drop(struct vtd_cache *c, int id, uint32_t slot)
{
	if (id == VTD_CACHE_IOTLB || id == VTD_CACHE_DEVTLB) {
		struct deps *d = deps_of_slot(c, id, slot);

		free(d->v);
		d->v = NULL;
		d->n = 0;
		c->nlevel[id][(id == VTD_CACHE_IOTLB ? c->tlb : c->dtlb)[slot].level]--;
	}
	vtd__ctab_remove(&c->tab[id], slot);
}

static void empty(struct vtd_cache *c)
{
	for (int id = 0; id < VTD_CACHE_N; id++)
		for (uint32_t i = 0; i < c->tab[id].size; i++)
			if (c->tab[id].s[i].live)
				vtd__cache_drop(c, id, i);
	vtd__qemu_pt_clear(c);
}

void vtd_cache_free(struct vtd_cache *c)
{
	if (!c)
		return;
	for (int id = 0; id < VTD_CACHE_N; id++) {
		if (c->tab[id].s)
			for (uint32_t i = 0; i < c->tab[id].size; i++)
				if (c->tab[id].s[i].live)
					vtd__cache_drop(c, id, i);
		vtd__ctab_free(&c->tab[id]);
	}
	free(c->ctx);
	free(c->pc);
	free(c->tlb);
	free(c->psc);
	free(c->dtlb);
	free(c->tdep);
	free(c->ddep);
	vtd__qemu_pt_clear(c);
	free(c->pt);
	free(c->scratch);
	free(c);
}

const struct vtd_cache_cfg *vtd_cache_config(const struct vtd_cache *c)
{
	return &c->cfg;
}

const struct vtd_cache_stats *vtd_cache_stats(const struct vtd_cache *c)
{
	return &c->st;
}

void vtd_cache_flush(struct vtd_cache *c)
{
	if (c)
		empty(c);
}

int vtd_cache_event(struct vtd_cache *c, const struct vtd_unit *u, enum vtd_cache_event ev)
{
	int flush;

	if (!c)
		return 0;
	if (u)
		c->last_u = u;
	if (is_qemu(c))
		/* vtd_handle_gcmd_srtp and vtd_handle_gcmd_te call vtd_reset_caches. */
		flush = ev == VTD_CEV_SRTP || ev == VTD_CEV_TE;
	else
		/* The specification leaves the caches alone unless CAP.ESRTPS. */
		flush = ev == VTD_CEV_SRTP && u &&
			((u->cap >> c->f.cap_esrtps->lsb) & 1);
	if (flush)
		empty(c);
	/* ... and then vtd_address_space_refresh_all decides every fast path again. */
	if (flush && is_qemu(c))
		vtd__qemu_pt_switch_all(c, u);
	return flush;
}

/* ---- masks per layout ---------------------------------------------------------------- */

static void clear_bits(uint64_t *w, unsigned lsb, unsigned width, uint64_t *into)
{
	for (unsigned b = lsb; b < lsb + width && b < 512; b++) {
		w[b / 64] &= ~(1ULL << (b % 64));
		if (into)
			into[b / 64] |= 1ULL << (b % 64);
	}
}

const struct lmask *vtd__cache_lmask(struct vtd_cache *c, const struct vtd_layout *l)
{
	struct lmask *m;
	unsigned i, paging;

	for (i = 0; i < c->nlm; i++)
		if (c->lm[i].l == l)
			return &c->lm[i];
	/* Worked out once per layout: names are compared only here. */
	paging = l->family && !strcmp(l->family, "paging");
	/* The engine records fewer layouts than there are slots; reuse the last if not. */
	m = &c->lm[c->nlm < LMASK_MAX ? c->nlm++ : LMASK_MAX - 1];
	memset(m, 0, sizeof(*m));
	m->l = l;
	for (i = 0; i < 8 && i < l->size / 8u; i++)
		m->keep[i] = ~0ULL;
	/* Software-available bits and the accessed/dirty bits hardware sets decide nothing. */
	for (i = 0; i < l->nfields; i++) {
		const struct vtd_field *f = &l->fields[i];
		int ad = paging && (!strcmp(f->name, "A") || !strcmp(f->name, "D") ||
				    !strcmp(f->name, "EA"));

		if (f->kind == VTD_IGN || ad)
			clear_bits(m->keep, f->lsb, f->width, ad ? m->ad : NULL);
	}
	if (l == &vtd_l_root_legacy || l == &vtd_l_root_sm)
		m->cls = CL_ROOT;
	else if (l == &vtd_l_context_legacy || l == &vtd_l_context_sm)
		m->cls = CL_CTX;
	else if (l == &vtd_l_pasid_dir)
		m->cls = CL_PDIR;
	else if (l == &vtd_l_pasid_entry)
		m->cls = CL_PE;
	else if (paging)
		m->cls = l->name[0] == 'f' ? CL_FS : CL_SS;
	for (int lvl = 1; lvl <= 5 && paging; lvl++)
		if (vtd_paging_layout(m->cls == CL_FS, lvl, 1) == l)
			m->leaf = 1;
	return m;
}

/* ---- answers ------------------------------------------------------------------------- */

static inline __attribute__((always_inline)) void
answer_put(const struct answer *a, const struct vtd_request *rq, struct vtd_translation *t)
{
	memset(t, 0, offsetof(struct vtd_translation, steps));
	t->fault = a->fault;
	t->suppressed = a->suppressed;
	t->fault_addr = a->fault_addr;
	if (!a->fault) {
		t->page_size = 1ULL << a->shift;
		t->out = a->out | (rq->addr & (t->page_size - 1));
		t->perm = a->perm;
	}
	t->did = a->did;
	t->level = a->level;
	t->passthrough = a->passthrough;
	t->snoop = a->snoop;
	t->emt = a->emt;
	t->ipat = a->ipat;
	t->kind = a->kind;
	t->has_pasid = a->has_pasid;
	t->pasid = a->pasid;
}

void vtd__answer_put(const struct answer *a, const struct vtd_request *rq,
		     struct vtd_translation *t)
{
	answer_put(a, rq, t);
}

int vtd__deps_check(struct vtd_mem *m, const struct dep *d, uint32_t n, uint64_t *bad_pa)
{
	const uint8_t *p = NULL;
	uint64_t base = 0, size = 0;

	for (uint32_t i = 0; i < n; i++) {
		uint64_t pa = d[i].pa & ~7ULL, off = pa - base, v;
		uint8_t b[8];

		if (!p || off >= size || size - off < 8) {
			p = vtd__mem_span_fast(m, pa, &base, &size);
			off = pa - base;
		}
		if (p && off < size && size - off >= 8) {
			v = le64(p + off);
		} else if (!vtd_mem_read(m, pa, b, 8, NULL)) {
			v = le64(b);
			p = NULL;
		} else {
			*bad_pa = pa - 8 * (d[i].pa & 7);
			return 1;
		}
		if ((v ^ d[i].val) & d[i].mask) {
			/* The entry's address: the low bits hold the qword's index in it. */
			*bad_pa = pa - 8 * (d[i].pa & 7);
			return 1;
		}
	}
	return 0;
}

struct vtd_unit *vtd__cache_unit(struct vtd_cache *c, const struct vtd_unit *u,
				 struct vtd_mem *mem, int write_ad)
{
	struct vtd_unit *w = &c->wu;

	/*
	 * The prepared tables follow the registers: copy them when those
	 * changed.  w's cap, ecap and haw are set here alone, so they are the
	 * registers the copy was made for.
	 */
	if (c->wu_of != u || w->cap != u->cap || w->ecap != u->ecap || w->haw != u->haw ||
	    c->wu_magic != u->prep.magic) {
		memcpy(&w->prep, &u->prep, sizeof(w->prep));
		c->wu_of = u;
		c->wu_magic = u->prep.magic;
		w->cap = u->cap;
		w->ecap = u->ecap;
		w->haw = u->haw;
		if (u->prep.magic != VTD_WALK_PREP_MAGIC)
			vtd_unit_prepare(w, NULL);
	}
	w->mem = mem;
	w->rtaddr = u->rtaddr;
	w->enabled = u->enabled;
	w->numbering = u->numbering;
	w->flts = u->flts;
	w->write_ad = (uint8_t)write_ad;
	w->no_steps = 0;
	return w;
}

void vtd__cache_fresh(struct vtd_cache *c, const struct vtd_unit *u, const struct vtd_request *rq,
		      struct vtd_cache_info *ci)
{
	struct vtd_unit *w = vtd__cache_unit(c, u, u->mem, 0);

	w->no_steps = 1;
	if (!vtd_translate(w, rq, c->scratch, NULL)) {
		ci->fresh_fault = c->scratch->fault;
		ci->fresh_out = c->scratch->fault ? 0 : c->scratch->out;
	}
	w->no_steps = 0;
}

/* ---- the fast path: answers from the IOTLB and device-TLB ---------------------------- */

/* 4 KiB, then 2 MiB, then 1 GiB keys: the order vtd_lookup_iotlb probes in. */
static inline __attribute__((always_inline)) uint32_t
tlb_find(struct vtd_cache *c, int id, uint64_t addr, unsigned id16, uint32_t tag, unsigned priv)
{
	for (unsigned lvl = 1; lvl <= 3; lvl++) {
		if (!c->nlevel[id][lvl])
			continue;
		uint64_t page = addr & ~((1ULL << span_shift(lvl)) - 1);
		struct ckey k = key_tlb(page, lvl, id16, tag, priv);
		uint32_t i = ctab_find(&c->tab[id], &k);

		if (i != NIL)
			return i;
	}
	return NIL;
}

uint32_t vtd__tlb_lookup(struct vtd_cache *c, int id, uint64_t addr, unsigned id16, uint32_t tag,
			 unsigned priv)
{
	return tlb_find(c, id, addr, id16, tag, priv);
}

/*
 * Can this entry answer the request?  A specification IOTLB that lacks a
 * right the request needs, or the dirty bit a write must set, walks again
 * (the walk decides the fault, or refills); QEMU answers from its IOTLB
 * whatever the rights (vtd_do_iommu_translate checks none on a hit).
 */
static inline int tlb_usable(const struct vtd_cache *c, const struct tlb_ent *e,
			     const struct vtd_request *rq)
{
	if (e->a.fault || is_qemu(c))
		return 1;
	if (rq->access & ~e->a.perm)
		return 0;
	return !(rq->access & VTD_ACC_W) || e->d_ok;
}

int vtd__tlb_usable(const struct vtd_cache *c, const struct tlb_ent *e,
		    const struct vtd_request *rq)
{
	return tlb_usable(c, e, rq);
}

/* The stale check of a hit that found memory written since the entry was last true. */
static __attribute__((noinline)) void recheck(struct vtd_cache *c, const struct vtd_unit *u,
					      const struct vtd_request *rq,
					      struct vtd_cache_info *ci, struct tlb_ent *e,
					      const struct deps *d)
{
	uint64_t bad;

	if (!vtd__deps_check(u->mem, d->v, d->n, &bad)) {
		e->vgen = u->mem->gen;
		return;
	}
	c->st.stale++;
	if (ci) {
		ci->stale = 1;
		ci->stale_pa = bad;
		vtd__cache_fresh(c, u, rq, ci);
	}
}

static inline __attribute__((always_inline)) int
tlb_answer(struct vtd_cache *c, const struct vtd_unit *u, const struct vtd_request *rq,
	   struct vtd_translation *t, struct vtd_cache_info *ci, int id, uint32_t slot)
{
	struct tlb_ent *e = id == VTD_CACHE_IOTLB ? &c->tlb[slot] : &c->dtlb[slot];

	if (ci)
		ci->hit = (uint8_t)id;
	answer_put(&e->a, rq, t);
	if (is_qemu(c) && !t->fault &&
	    (rq->access & (VTD_ACC_R | VTD_ACC_W) & ~t->perm)) {
		/*
		 * QEMU's IOTLB hit skips vtd_iova_to_slpte's rights check: the
		 * memory core refuses the access and nothing is recorded.  The
		 * reason a walk would give: VTD_FR_WRITE or VTD_FR_READ.
		 */
		t->fault = rq->access & VTD_ACC_W ? 0x05 : 0x06;
		t->out = t->page_size = 0;
		t->perm = 0;
		if (ci)
			ci->dropped = 1;
		c->st.dropped++;
	}
	if (c->cfg.check_stale && e->vgen != u->mem->gen)
		recheck(c, u, rq, ci, e, deps_of_slot(c, id, slot));
	if (t->fault)
		c->st.faults++;
	return 0;
}

int vtd__tlb_answer(struct vtd_cache *c, const struct vtd_unit *u, const struct vtd_request *rq,
		    struct vtd_translation *t, struct vtd_cache_info *ci, int id, uint32_t slot)
{
	return tlb_answer(c, u, rq, t, ci, id, slot);
}

static int valid_request(const struct vtd_request *rq)
{
	unsigned a = rq->access;

	return a && !(a & ~(unsigned)(VTD_ACC_R | VTD_ACC_W | VTD_ACC_X)) &&
	       (!(a & VTD_ACC_X) || (a & VTD_ACC_R)) && rq->at <= VTD_AT_TRANSLATED &&
	       (!rq->has_pasid || rq->pasid <= 0xfffff) && (!rq->priv || rq->has_pasid);
}

/*
 * The common case, kept lean: an untranslated request that the context
 * (and PASID) cache and then the IOTLB answer.  It commits nothing unless
 * it answers; anything else goes to translate(), which looks up again and
 * counts for itself.
 */
static inline __attribute__((always_inline)) int
fast(struct vtd_cache *restrict c, const struct vtd_unit *restrict u,
     const struct vtd_request *restrict rq, struct vtd_translation *restrict t,
     struct vtd_cache_info *restrict ci)
{
	unsigned ttm = (unsigned)(u->rtaddr >> c->ttm_shift) & c->ttm_mask, id16, priv = 0;
	uint32_t i, pc = NIL, tag;
	int q = is_qemu(c);

	if (!present(c, VTD_CACHE_IOTLB))
		return 0;
	if (q) {
		/*
		 * vtd_do_iommu_translate: the IOTLB first, but for scalable mode
		 * without PASID; SMT counts only on a unit with ECAP.SMTS.
		 */
		unsigned sm = ttm & (unsigned)(u->ecap >> c->smts_shift) & 1;

		if (sm != rq->has_pasid)
			return 0;
		id16 = rq->sid;
		tag = sm ? rq->pasid : TAG_NONE;
	} else {
		if (ttm > 1 || (!ttm && rq->has_pasid) || !present(c, VTD_CACHE_CONTEXT))
			return 0;
		struct ckey k = key_ctx(rq->sid, (int)ttm, 0);
		uint32_t x = ctab_find(&c->tab[VTD_CACHE_CONTEXT], &k);

		if (x == NIL || c->ctx[x].neg)
			return 0;
		const struct ctx_ent *ce = &c->ctx[x];

		id16 = ce->did;
		tag = TAG_NONE;
		if (ttm) {
			if (!present(c, VTD_CACHE_PASID))
				return 0;
			tag = rq->has_pasid ? rq->pasid : ce->rid_pasid;
			k = key_pc(ce->dirptr, tag);
			pc = ctab_find(&c->tab[VTD_CACHE_PASID], &k);
			if (pc == NIL || c->pc[pc].neg)
				return 0;
			id16 = c->pc[pc].did;
		}
		priv = rq->priv;
	}
	i = tlb_find(c, VTD_CACHE_IOTLB, rq->addr, id16, tag, priv);
	if (i == NIL || !tlb_usable(c, &c->tlb[i], rq))
		return 0;
	c->st.requests++;
	if (!q) {
		c->st.hits[VTD_CACHE_CONTEXT]++;
		if (pc != NIL)
			c->st.hits[VTD_CACHE_PASID]++;
	}
	c->st.hits[VTD_CACHE_IOTLB]++;
	if (ci) {
		memset(ci, 0, sizeof(*ci));
		ci->used = (uint8_t)(q ? 0 : 1u << VTD_CACHE_CONTEXT |
					    (ttm ? 1u << VTD_CACHE_PASID : 0));
	}
	return !tlb_answer(c, u, rq, t, ci, VTD_CACHE_IOTLB, i);
}

static int translate(struct vtd_cache *c, const struct vtd_unit *u, const struct vtd_request *rq,
		     struct vtd_translation *t, struct vtd_cache_info *ci, struct vtd_error *err)
{
	struct vtd_cache_info local;
	struct fast f = { .ctx = NIL, .pc = NIL };
	uint32_t i;
	int q, hit;

	if (!ci)
		ci = &local;
	memset(ci, 0, sizeof(*ci));
	ci->hit = VTD_CACHE_N;
	c->st.requests++;
	if (!u->enabled)
		return vtd_translate(u, rq, t, err);
	q = is_qemu(c);
	f.ttm = (uint8_t)((u->rtaddr >> c->ttm_shift) & c->ttm_mask);
	/*
	 * QEMU looks at the SMT bit alone, on a unit with ECAP.SMTS only (as
	 * the engine does); TTM 2 and 3 are the engine's to refuse.
	 */
	f.sm = (uint8_t)(q ? f.ttm & (u->ecap >> c->smts_shift) & 1 : f.ttm == 1);
	if (!q && f.ttm > 1)
		return vtd__cache_slow(c, u, rq, t, ci, &f, err);
	f.tag = f.sm ? (rq->has_pasid ? rq->pasid : TAG_NONE) : TAG_NONE;

	/* A device asks only for what its own TLB lacks (or holds without the right). */
	if (rq->at == VTD_AT_TRANSLATION_REQ && present(c, VTD_CACHE_DEVTLB)) {
		i = vtd__tlb_lookup(c, VTD_CACHE_DEVTLB, rq->addr, rq->sid,
				    rq->has_pasid ? rq->pasid : TAG_NONE, rq->priv);
		hit = i != NIL && vtd__tlb_usable(c, &c->dtlb[i], rq);
		count(c, VTD_CACHE_DEVTLB, hit);
		if (hit)
			return vtd__tlb_answer(c, u, rq, t, ci, VTD_CACHE_DEVTLB, i);
	}
	if (rq->at != VTD_AT_UNTRANSLATED || (!f.sm && rq->has_pasid))
		return vtd__cache_slow(c, u, rq, t, ci, &f, err);

	if (q) {
		/*
		 * vtd_do_iommu_translate: the IOTLB, keyed by source-id, PASID and
		 * page, comes first, except for a request without PASID in scalable
		 * mode, which needs the context's RID_PASID (and a pass-through
		 * check) before it.
		 */
		if (!(f.sm && !rq->has_pasid) && present(c, VTD_CACHE_IOTLB)) {
			f.tlb_looked = 1;
			i = vtd__tlb_lookup(c, VTD_CACHE_IOTLB, rq->addr, rq->sid, f.tag, 0);
			count(c, VTD_CACHE_IOTLB, i != NIL);
			if (i != NIL)
				return vtd__tlb_answer(c, u, rq, t, ci, VTD_CACHE_IOTLB, i);
		}
		return vtd__cache_slow(c, u, rq, t, ci, &f, err);
	}

	/* The specification's IOTLB is tagged by domain: the context (and PASID entry) give it. */
	if (!present(c, VTD_CACHE_CONTEXT))
		return vtd__cache_slow(c, u, rq, t, ci, &f, err);
	struct ckey k = key_ctx(rq->sid, f.sm, 0);

	f.ctx_looked = 1;
	f.ctx = ctab_find(&c->tab[VTD_CACHE_CONTEXT], &k);
	if (f.ctx == NIL) {
		c->st.misses[VTD_CACHE_CONTEXT]++;
		return vtd__cache_slow(c, u, rq, t, ci, &f, err);
	}
	c->st.hits[VTD_CACHE_CONTEXT]++;
	const struct ctx_ent *ce = &c->ctx[f.ctx];
	unsigned did = ce->did;

	if (ce->neg)
		return vtd__cache_slow(c, u, rq, t, ci, &f, err);
	if (f.sm) {
		if (!present(c, VTD_CACHE_PASID))
			return vtd__cache_slow(c, u, rq, t, ci, &f, err);
		f.tag = rq->has_pasid ? rq->pasid : ce->rid_pasid;
		k = key_pc(ce->dirptr, f.tag);
		f.pc_looked = 1;
		f.pc = ctab_find(&c->tab[VTD_CACHE_PASID], &k);
		if (f.pc == NIL) {
			c->st.misses[VTD_CACHE_PASID]++;
			return vtd__cache_slow(c, u, rq, t, ci, &f, err);
		}
		c->st.hits[VTD_CACHE_PASID]++;
		if (c->pc[f.pc].neg)
			return vtd__cache_slow(c, u, rq, t, ci, &f, err);
		did = c->pc[f.pc].did;
	}
	if (present(c, VTD_CACHE_IOTLB)) {
		f.tlb_looked = 1;
		i = vtd__tlb_lookup(c, VTD_CACHE_IOTLB, rq->addr, did, f.tag, rq->priv);
		hit = i != NIL && vtd__tlb_usable(c, &c->tlb[i], rq);
		count(c, VTD_CACHE_IOTLB, hit);
		if (hit) {
			ci->used = (uint8_t)(1u << VTD_CACHE_CONTEXT |
					     (f.sm ? 1u << VTD_CACHE_PASID : 0));
			return vtd__tlb_answer(c, u, rq, t, ci, VTD_CACHE_IOTLB, i);
		}
	}
	return vtd__cache_slow(c, u, rq, t, ci, &f, err);
}

int vtd_cache_translate(struct vtd_cache *c, const struct vtd_unit *u,
			const struct vtd_request *rq, struct vtd_translation *t,
			struct vtd_cache_info *ci, struct vtd_error *err)
{
	if (!c || !u || !rq || !t || !u->mem)
		return vtd_fail(err, VTD_EINVAL, "cache: no cache, unit, request or result");
	/*
	 * The engine names what is wrong with a bad request; a page request is
	 * checked against the context in memory and goes to the page-request
	 * queue: it neither uses nor fills a cache here.
	 */
	if (!valid_request(rq) || rq->at == VTD_AT_PAGE_REQUEST)
		return vtd_translate(u, rq, t, err);
	c->last_u = u;
	if (u->enabled && rq->at == VTD_AT_UNTRANSLATED) {
		struct vtd_cache_info local;

		/* A device QEMU sends around the unit never reaches its caches. */
		if (c->npt && !rq->has_pasid && vtd__qemu_pt_answer(c, u, rq, t, ci ? ci : &local))
			return 0;
		if (fast(c, u, rq, t, ci))
			return 0;
	}
	return translate(c, u, rq, t, ci, err);
}
