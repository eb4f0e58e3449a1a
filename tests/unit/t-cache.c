/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests: the cache model (cache.h) over the translation engine and
 * buffer sources.  Hits, misses and fills of every cache counted by hand;
 * stale hits and what a fresh walk says; caching mode; every invalidation
 * descriptor and granularity, and the two registers; each replacement
 * policy; QEMU 7.2's model as tests/qemu/README.md measured it.  Tables,
 * descriptors and registers are built through the layouts (field names).
 */
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "invdesc.h"
#include "regs.h"
#include "tables.h"
#include "env.h"
#include "tap.h"
#include "walk.h"

#define STATUS	0x0fff00ULL	/* where wait descriptors store their status */

static struct vtd_translation t;
static struct vtd_cache_info ci;
static struct vtd_cache_stats st0;	/* the counters at the last mark() */

/* A unit with every capability the engine knows of (or QEMU 7.2's registers). */
static void env_init(struct env *e, int scalable, int qemu)
{
	/* Static: what e->mid points to outlives this call. */
	static const char *const ss_mid[] = { "R=1", "W=1", NULL };
	static const char *const fs_mid[] = { "P=1", "RW=1", "US=1", "A=1", NULL };

	env_open(e, scalable);
	e->mid[0] = ss_mid;
	e->mid[1] = fs_mid;
	if (vtd_mem_buffer_map(e->u.mem, STATUS, NULL, 0x100, NULL))
		ok(0, "buffer source");
	if (qemu) {
		vtd_unit_qemu_defaults(&e->u, scalable, 48);
		e->u.numbering = VTD_NUM_QEMU72;
	} else {
		reg_set(&e->u.cap, &vtd_l_reg_cap, "SAGAW", 0xe);
		reg_set(&e->u.cap, &vtd_l_reg_cap, "MGAW", 57);
		reg_set(&e->u.cap, &vtd_l_reg_cap, "SSLPS", 3);
		reg_set(&e->u.cap, &vtd_l_reg_cap, "FS1GP", 1);
		reg_set(&e->u.cap, &vtd_l_reg_cap, "MAMV", 9);
		static const char *const ecaps[] = { "DT", "PT", "SC", "NEST", "PRS", "SRS", "PASID",
			"SMTS", "SSADS", "SSTS", "FSTS", "RPS", NULL };
		for (const char *const *c = ecaps; *c; c++)
			reg_set(&e->u.ecap, &vtd_l_reg_ecap, *c, 1);
		reg_set(&e->u.ecap, &vtd_l_reg_ecap, "PSS", 20);
		e->u.haw = 48;
		vtd_unit_prepare(&e->u, NULL);
	}
}

/* ---- requests, caches, descriptors --------------------------------------------------- */

static struct vtd_request rqp(unsigned sid, uint32_t pasid, uint64_t addr, unsigned access)
{
	struct vtd_request r = rq(sid, addr, access);

	r.has_pasid = 1;
	r.pasid = pasid;
	return r;
}

static struct vtd_cache *mk(int model, void (*tweak)(struct vtd_cache_cfg *))
{
	struct vtd_cache_cfg cfg;
	struct vtd_cache *c = NULL;
	struct vtd_error err = { 0 };

	vtd_cache_cfg_default(&cfg, model);
	if (tweak)
		tweak(&cfg);
	if (vtd_cache_new(&cfg, &c, &err))
		ok(0, "vtd_cache_new: %s", err.msg);
	st0 = *vtd_cache_stats(c);
	return c;
}

static const struct vtd_cache_stats *S(struct vtd_cache *c)
{
	return vtd_cache_stats(c);
}

/* Translate; 0 on success of the call (see t and ci). */
static int xl(struct vtd_cache *c, struct env *e, struct vtd_request r)
{
	struct vtd_error err = { 0 };
	int rc = vtd_cache_translate(c, &e->u, &r, &t, &ci, &err);

	if (rc)
		printf("# vtd_cache_translate: %s\n", err.msg);
	return rc;
}

/* The request translates to 'out'. */
static int xl_out(struct vtd_cache *c, struct env *e, struct vtd_request r, uint64_t out)
{
	int good = !xl(c, e, r) && !t.fault && t.out == out;

	if (!good)
		printf("#   0x%llx: fault 0x%02x out 0x%llx hit %u stale %u\n",
		       (unsigned long long)r.addr, t.fault, (unsigned long long)t.out, ci.hit, ci.stale);
	return good;
}

static int xl_fault(struct vtd_cache *c, struct env *e, struct vtd_request r, unsigned fault)
{
	int good = !xl(c, e, r) && t.fault == fault;

	if (!good)
		printf("#   0x%llx: fault 0x%02x (want 0x%02x) out 0x%llx hit %u\n",
		       (unsigned long long)r.addr, t.fault, fault, (unsigned long long)t.out, ci.hit);
	return good;
}

static void mark(struct vtd_cache *c)
{
	st0 = *vtd_cache_stats(c);
}

#define D(field) (S(c)->field - st0.field)

/* A descriptor from field values (TYPE filled in from the layout); its length. */
static int inv(struct vtd_cache *c, struct env *e, const struct vtd_layout *l, size_t len,
	       const char *const *items, struct vtd_error *err)
{
	uint8_t d[32] = { 0 };
	const struct vtd_field *type = vtd_field_find(l, "TYPE");

	vtd_field_set_raw(type, d, type->fixed, NULL);
	encode(d, l, items);
	return vtd_cache_invalidate(c, e ? &e->u : NULL, d, len, err);
}

static int inv_ok(struct vtd_cache *c, struct env *e, const struct vtd_layout *l, size_t len,
		  const char *const *items)
{
	struct vtd_error err = { 0 };
	int rc = inv(c, e, l, len, items, &err);

	if (rc)
		printf("#   %s: %s\n", l->name, err.msg);
	return rc == 0;
}

static uint64_t reg(const struct vtd_layout *l, const char *const *items)
{
	uint8_t b[8] = { 0 };

	encode(b, l, items);
	return vtd_bits_get(b, 0, 64);
}

/* ---- configuration ------------------------------------------------------------------- */

static void big_ways(struct vtd_cache_cfg *cfg)
{
	cfg->ways = 3;
}

static void bad_replace(struct vtd_cache_cfg *cfg)
{
	cfg->replace = 9;
}

static void test_config(void)
{
	struct vtd_cache_cfg cfg, bad;
	struct vtd_cache *c = NULL;
	struct vtd_error err = { 0 };

	vtd_cache_cfg_default(&cfg, VTD_CMODEL_SPEC);
	ok(cfg.size[VTD_CACHE_CONTEXT] && cfg.size[VTD_CACHE_PASID] && cfg.size[VTD_CACHE_IOTLB] &&
	   cfg.size[VTD_CACHE_PSC] && cfg.size[VTD_CACHE_DEVTLB] && cfg.replace == VTD_REPLACE_LRU &&
	   cfg.check_stale && !cfg.cm && cfg.model == VTD_CMODEL_SPEC,
	   "specification defaults: every cache, LRU, stale checks on, CM off");
	vtd_cache_cfg_default(&cfg, VTD_CMODEL_QEMU72);
	ok(cfg.size[VTD_CACHE_IOTLB] == 1024 && cfg.replace == VTD_REPLACE_FLUSH &&
	   cfg.size[VTD_CACHE_CONTEXT] && !cfg.size[VTD_CACHE_PASID] && !cfg.size[VTD_CACHE_PSC] &&
	   !cfg.size[VTD_CACHE_DEVTLB] && cfg.check_stale && !cfg.cm,
	   "QEMU 7.2 defaults: a 1024-entry IOTLB that flushes when full, a context cache, "
	   "no PASID, paging-structure or device-TLB cache");
	bad = cfg;
	big_ways(&bad);
	ok(vtd_cache_new(&bad, &c, &err) == -VTD_EINVAL && !c && strstr(err.msg, "sets"),
	   "sizes must be whole sets (%s)", err.msg);
	bad = cfg;
	bad_replace(&bad);
	ok(vtd_cache_new(&bad, &c, NULL) == -VTD_EINVAL && !c, "an unknown replacement is refused");
	ok(vtd_cache_new(NULL, &c, NULL) == -VTD_EINVAL, "no configuration is refused");
	ok(vtd_cache_new(&cfg, &c, &err) == 0 && c && vtd_cache_config(c)->size[VTD_CACHE_IOTLB] == 1024,
	   "a cache keeps its configuration");
	ok(vtd_cache_translate(c, NULL, NULL, &t, NULL, NULL) == -VTD_EINVAL,
	   "translate without a unit or request is refused");
	vtd_cache_free(c);
	vtd_cache_free(NULL);
}

/* ---- legacy mode, the specification's model ------------------------------------------ */

static void test_legacy_basic(void)
{
	struct env e;
	uint64_t root, ce, pte;
	struct vtd_cache *c = mk(VTD_CMODEL_SPEC, NULL);

	env_init(&e, 0, 0);
	ce = legacy_dev(&e, 0x18, 7, 4, &root);
	pte = map(&e, 0, root, 4, 0x200000, 0x30000000, 1, L("R=1", "W=1"));
	map(&e, 0, root, 4, 0x201000, 0x30001000, 1, L("R=1"));
	map(&e, 0, root, 4, 0x400000, 0x60000000, 2, L("R=1", "W=1"));
	map(&e, 0, root, 4, 0x80000000, 0x40000000, 3, L("R=1", "W=1"));

	ok(xl_out(c, &e, rq(0x18, 0x200abc, VTD_ACC_W), 0x30000abc), "first request translates");
	ok(ci.hit == VTD_CACHE_N && !ci.used && !ci.stale &&
	   ci.filled == (1u << VTD_CACHE_CONTEXT | 1u << VTD_CACHE_IOTLB | 1u << VTD_CACHE_PSC),
	   "it is walked and fills the context cache, IOTLB and paging-structure cache");
	ok(t.nsteps == 6 && t.steps[1].pa == ce && t.steps[5].pa == pte, "every structure was read");
	ok(D(requests) == 1 && D(walks) == 1 && D(misses[VTD_CACHE_CONTEXT]) == 1 &&
	   D(misses[VTD_CACHE_IOTLB]) == 1 && D(misses[VTD_CACHE_PSC]) == 1 &&
	   D(fills[VTD_CACHE_CONTEXT]) == 1 && D(fills[VTD_CACHE_IOTLB]) == 1 &&
	   D(fills[VTD_CACHE_PSC]) == 3 && D(hits[VTD_CACHE_IOTLB]) == 0 && D(faults) == 0 &&
	   D(misses[VTD_CACHE_PASID]) == 0,
	   "stats: 1 request, 1 walk, context/IOTLB/PSC misses, 3 non-leaf levels cached");

	mark(c);
	ok(xl_out(c, &e, rq(0x18, 0x200123, VTD_ACC_R), 0x30000123), "the same page again");
	ok(ci.hit == VTD_CACHE_IOTLB && ci.used == 1u << VTD_CACHE_CONTEXT && !ci.filled &&
	   t.nsteps == 0 && t.did == 7 && t.level == 1 && t.page_size == 4096 &&
	   t.perm == (VTD_ACC_R | VTD_ACC_W) && t.kind == VTD_XK_SECOND,
	   "answered by the IOTLB (the context cache gave the domain), no steps");
	ok(D(requests) == 1 && D(walks) == 0 && D(hits[VTD_CACHE_CONTEXT]) == 1 &&
	   D(hits[VTD_CACHE_IOTLB]) == 1 && D(fills[VTD_CACHE_IOTLB]) == 0,
	   "stats: a context hit and an IOTLB hit, no walk");

	mark(c);
	ok(xl_out(c, &e, rq(0x18, 0x201000, VTD_ACC_R), 0x30001000), "the next page");
	ok(ci.hit == VTD_CACHE_N &&
	   ci.used == (1u << VTD_CACHE_CONTEXT | 1u << VTD_CACHE_PSC) &&
	   ci.filled == 1u << VTD_CACHE_IOTLB && t.nsteps == 1 && t.steps[0].level == 1,
	   "walked from the cached page directory: only the PTE is read");
	ok(D(hits[VTD_CACHE_CONTEXT]) == 1 && D(misses[VTD_CACHE_IOTLB]) == 1 &&
	   D(hits[VTD_CACHE_PSC]) == 1 && D(walks) == 1 && D(fills[VTD_CACHE_PSC]) == 0,
	   "stats: context hit, IOTLB miss, paging-structure hit");

	mark(c);
	ok(xl_fault(c, &e, rq(0x18, 0x201000, VTD_ACC_W), 0x05) && ci.hit == VTD_CACHE_N,
	   "a write to the read-only page: the IOTLB entry lacks W, the walk faults 0x05");
	ok(D(misses[VTD_CACHE_IOTLB]) == 1 && D(faults) == 1 && D(walks) == 1 && !D(dropped),
	   "stats: counted as an IOTLB miss and a fault");

	ok(xl_out(c, &e, rq(0x18, 0x400000, VTD_ACC_R), 0x60000000) &&
	   xl_out(c, &e, rq(0x18, 0x5ff000, VTD_ACC_W), 0x601ff000) && ci.hit == VTD_CACHE_IOTLB &&
	   t.page_size == 0x200000 && t.level == 2,
	   "a 2 MiB page: one IOTLB entry answers all of it");
	ok(xl_out(c, &e, rq(0x18, 0x80000000, VTD_ACC_R), 0x40000000) &&
	   xl_out(c, &e, rq(0x18, 0xbfffffff, VTD_ACC_R), 0x7fffffff) && ci.hit == VTD_CACHE_IOTLB &&
	   t.page_size == 0x40000000,
	   "a 1 GiB page: one IOTLB entry answers all of it");

	/* Translation off: identity, no cache involved. */
	e.u.enabled = 0;
	mark(c);
	ok(xl_out(c, &e, rq(0x18, 0x123456, VTD_ACC_W), 0x123456) && ci.hit == VTD_CACHE_N &&
	   !ci.filled && D(requests) == 1 && !D(walks) && !D(misses[VTD_CACHE_CONTEXT]),
	   "translation disabled: identity, nothing looked up or filled");
	e.u.enabled = 1;

	/* no_steps: the caller wants answers only; the caches still learn from the walk. */
	map(&e, 0, root, 4, 0x203000, 0x30003000, 1, L("R=1", "W=1"));
	e.u.no_steps = 1;
	ok(xl_out(c, &e, rq(0x18, 0x203000, VTD_ACC_R), 0x30003000) && t.nsteps == 0 &&
	   ci.filled == 1u << VTD_CACHE_IOTLB, "no_steps: a walk with no steps shown, the IOTLB filled");
	e.u.no_steps = 0;

	struct vtd_request bad = rq(0x18, 0, 0);
	struct vtd_error err = { 0 };

	mark(c);
	ok(vtd_cache_translate(c, &e.u, &bad, &t, &ci, &err) == -VTD_EINVAL && !D(requests),
	   "a request with no access is refused, and not counted (%s)", err.msg);
	vtd_cache_free(c);
	env_free(&e);
}

/* ---- stale entries ------------------------------------------------------------------- */

static void test_stale(void)
{
	struct env e;
	uint64_t root, ce, pte, pde, pt2;
	struct vtd_cache *c = mk(VTD_CMODEL_SPEC, NULL);

	env_init(&e, 0, 0);
	ce = legacy_dev(&e, 0x18, 3, 4, &root);
	pte = map(&e, 0, root, 4, 0x200000, 0x30000000, 1, L("R=1", "W=1"));
	map(&e, 0, root, 4, 0x201000, 0x30001000, 1, L("R=1", "W=1"));
	pde = entry_at(&e, 0, root, 4, 0x200000, 2);
	ok(xl_out(c, &e, rq(0x18, 0x200000, VTD_ACC_W), 0x30000000), "fill");

	/* Memory written elsewhere: the hit compares and holds. */
	setf(&e, TBASE + 0x3ff000, &vtd_l_ss_pte, "R", 1);
	mark(c);
	ok(xl_out(c, &e, rq(0x18, 0x200000, VTD_ACC_W), 0x30000000) && ci.hit == VTD_CACHE_IOTLB &&
	   !ci.stale && !D(stale), "a write elsewhere: the hit is still true");
	/* Accessed and dirty bits are hardware's to set: no reason to call a hit stale. */
	setf(&e, pte, &vtd_l_ss_pte, "A", 1);
	setf(&e, pte, &vtd_l_ss_pte, "D", 1);
	setf(&e, pte, &vtd_l_ss_pte, "IGN_HI", 5);
	ok(xl_out(c, &e, rq(0x18, 0x200000, VTD_ACC_W), 0x30000000) && !ci.stale,
	   "A, D and ignored bits set in the PTE: not stale");

	/* The unmap without invalidation: the window stale detection is for. */
	setf(&e, pte, &vtd_l_ss_pte, "ADDR", 0x50000000);
	mark(c);
	ok(xl_out(c, &e, rq(0x18, 0x200010, VTD_ACC_W), 0x30000010) && ci.hit == VTD_CACHE_IOTLB,
	   "the PTE changed: the IOTLB still answers with the old page");
	ok(ci.stale && ci.stale_pa == pte && ci.fresh_fault == 0 && ci.fresh_out == 0x50000010 &&
	   D(stale) == 1, "stale: at the PTE, and memory now says 0x50000010");
	ok(xl_out(c, &e, rq(0x18, 0x200010, VTD_ACC_W), 0x30000010) && ci.stale && D(stale) == 2,
	   "and again: every hit on it is stale until invalidated");
	ok(inv_ok(c, &e, &vtd_l_inv_iotlb, 16, L("G=3", "DID=3", "ADDR=0x200000", "AM=1")),
	   "page-selective IOTLB invalidation");
	ok(xl_out(c, &e, rq(0x18, 0x200010, VTD_ACC_W), 0x50000010) && ci.hit == VTD_CACHE_N &&
	   !ci.stale && t.nsteps == 4 && ci.used == 1u << VTD_CACHE_CONTEXT,
	   "now walked: the new page (IH clear took the paging-structure entries above it too)");

	/* A cleared PTE: the fresh walk faults. */
	setf(&e, pte, &vtd_l_ss_pte, "R", 0);
	setf(&e, pte, &vtd_l_ss_pte, "W", 0);
	ok(xl_out(c, &e, rq(0x18, 0x200000, VTD_ACC_R), 0x50000000) && ci.stale &&
	   ci.fresh_fault == 0x06 && ci.fresh_out == 0, "a cleared PTE: stale, the fresh walk faults 0x06");

	/* The context entry cleared: IOTLB hits rest on it too. */
	map(&e, 0, root, 4, 0x202000, 0x30002000, 1, L("R=1", "W=1"));
	setf(&e, ce, &vtd_l_context_legacy, "P", 0);
	ok(xl_out(c, &e, rq(0x18, 0x201000, VTD_ACC_R), 0x30001000) && ci.stale &&
	   ci.stale_pa == ce && ci.fresh_fault == 0x02,
	   "a cleared context entry: the IOTLB hit is stale at the context entry, fresh 0x02");
	ok(xl_out(c, &e, rq(0x18, 0x202000, VTD_ACC_R), 0x30002000) && ci.hit == VTD_CACHE_N &&
	   (ci.used & 1u << VTD_CACHE_CONTEXT) && ci.stale && ci.stale_pa == ce &&
	   ci.fresh_fault == 0x02, "a miss walks with the cached context entry: stale too");
	ok(inv_ok(c, &e, &vtd_l_inv_cc, 16, L("G=3", "DID=3", "SID=0x18")) &&
	   xl_fault(c, &e, rq(0x18, 0x208000, VTD_ACC_R), 0x02) && !ci.stale,
	   "device-selective context invalidation: the cleared entry is seen (0x02)");
	setf(&e, ce, &vtd_l_context_legacy, "P", 1);
	ok(inv_ok(c, &e, &vtd_l_inv_iotlb, 16, L("G=1")), "global IOTLB invalidation");

	/* A page directory entry moved to a new table, the leaf invalidated with IH. */
	pt2 = page(&e);
	put(&e, pt2 + 8 * 1, &vtd_l_ss_pte, L("R=1", "W=1", "ADDR=0x70001000"));
	ok(xl_out(c, &e, rq(0x18, 0x201000, VTD_ACC_R), 0x30001000) && ci.filled, "refill");
	setf(&e, pde, &vtd_l_ss_pde, "ADDR", pt2);
	ok(inv_ok(c, &e, &vtd_l_inv_iotlb, 16, L("G=3", "DID=3", "ADDR=0x201000", "AM=1", "IH=1")),
	   "page-selective invalidation with IH: the paging-structure caches stay");
	mark(c);
	ok(xl_out(c, &e, rq(0x18, 0x201000, VTD_ACC_R), 0x30001000) && ci.hit == VTD_CACHE_N &&
	   (ci.used & 1u << VTD_CACHE_PSC) && ci.stale && ci.stale_pa == pde &&
	   ci.fresh_out == 0x70001000 && D(hits[VTD_CACHE_PSC]) == 1,
	   "the walk uses the cached PDE: the old table (stale at the PDE)");
	ok(inv_ok(c, &e, &vtd_l_inv_iotlb, 16, L("G=3", "DID=3", "ADDR=0x201000", "AM=1")) &&
	   D(invalidated[VTD_CACHE_PSC]) >= 1 &&
	   xl_out(c, &e, rq(0x18, 0x201000, VTD_ACC_R), 0x70001000) && !ci.stale,
	   "without IH the PDE goes too: the new table is walked");

	/* Stale checks off: the same hit, no comparison. */
	vtd_cache_free(c);
	c = mk(VTD_CMODEL_SPEC, NULL);
	{
		struct vtd_cache_cfg cfg = *vtd_cache_config(c);

		vtd_cache_free(c);
		cfg.check_stale = 0;
		vtd_cache_new(&cfg, &c, NULL);
	}
	ok(xl_out(c, &e, rq(0x18, 0x201000, VTD_ACC_R), 0x70001000), "fill (no stale checks)");
	setf(&e, pde, &vtd_l_ss_pde, "ADDR", 0x300000);
	mark(c);
	ok(xl_out(c, &e, rq(0x18, 0x201000, VTD_ACC_R), 0x70001000) && !ci.stale && !D(stale),
	   "check_stale off: a changed entry goes unnoticed");
	vtd_cache_free(c);
	env_free(&e);
}

/* ---- caching mode: not-present entries are cached ------------------------------------ */

static void cm_on(struct vtd_cache_cfg *cfg)
{
	cfg->cm = 1;
}

static void test_cm(void)
{
	struct env e;
	uint64_t root, ce, pte;
	struct vtd_cache *c = mk(VTD_CMODEL_SPEC, cm_on), *nc = mk(VTD_CMODEL_SPEC, NULL);

	env_init(&e, 0, 0);
	ce = ctx_of(&e, 0x18);
	put(&e, ce, &vtd_l_context_legacy, L("P=0"));
	ok(xl_fault(c, &e, rq(0x18, 0x200000, VTD_ACC_R), 0x02) &&
	   ci.filled == 1u << VTD_CACHE_CONTEXT, "CM: a not-present context entry faults and is cached");
	ok(xl_fault(nc, &e, rq(0x18, 0x200000, VTD_ACC_R), 0x02) && !ci.filled,
	   "without CM it is not cached");
	legacy_dev(&e, 0x18, 4, 3, &root);
	pte = map(&e, 0, root, 3, 0x200000, 0x30000000, 1, L("R=1", "W=1"));
	mark(c);
	ok(xl_fault(c, &e, rq(0x18, 0x200000, VTD_ACC_R), 0x02) && ci.hit == VTD_CACHE_CONTEXT &&
	   ci.stale && ci.stale_pa == ce && ci.fresh_fault == 0 && ci.fresh_out == 0x30000000 &&
	   t.nsteps == 0 && D(hits[VTD_CACHE_CONTEXT]) == 1 && D(faults) == 1 && !D(walks),
	   "CM: the entry now present still faults from the cache (stale: memory translates)");
	ok(xl_out(nc, &e, rq(0x18, 0x200000, VTD_ACC_R), 0x30000000), "without CM it translates at once");
	ok(inv_ok(c, &e, &vtd_l_inv_cc, 16, L("G=3", "SID=0x18")) &&
	   xl_out(c, &e, rq(0x18, 0x200000, VTD_ACC_R), 0x30000000),
	   "CM: translates after the context-cache invalidation");

	/* A not-present PTE: a cached fault in the IOTLB, for the page the entry spans. */
	ok(xl_fault(c, &e, rq(0x18, 0x201000, VTD_ACC_W), 0x05) &&
	   (ci.filled & 1u << VTD_CACHE_IOTLB), "CM: a not-present PTE is cached as a fault");
	map(&e, 0, root, 3, 0x201000, 0x30001000, 1, L("R=1", "W=1"));
	mark(c);
	ok(xl_fault(c, &e, rq(0x18, 0x201000, VTD_ACC_R), 0x05) && ci.hit == VTD_CACHE_IOTLB &&
	   ci.stale && ci.fresh_out == 0x30001000 && D(hits[VTD_CACHE_IOTLB]) == 1,
	   "the mapped page keeps faulting (the cached fault, stale) until invalidated");
	ok(inv_ok(c, &e, &vtd_l_inv_iotlb, 16, L("G=3", "DID=4", "ADDR=0x201000", "AM=1")) &&
	   xl_out(c, &e, rq(0x18, 0x201000, VTD_ACC_R), 0x30001000), "then translates");
	/* A not-present upper entry: the fault covers what it spans. */
	ok(xl_fault(c, &e, rq(0x18, 0x40000000, VTD_ACC_R), 0x06) &&
	   xl_fault(c, &e, rq(0x18, 0x40123000, VTD_ACC_R), 0x06) && ci.hit == VTD_CACHE_IOTLB,
	   "a not-present PDPE: one cached fault answers the addresses under it");
	/* Permission faults on present entries are no not-present entries. */
	setf(&e, pte, &vtd_l_ss_pte, "W", 0);
	ok(inv_ok(c, &e, &vtd_l_inv_iotlb, 16, L("G=2", "DID=4")) &&
	   xl_fault(c, &e, rq(0x18, 0x200000, VTD_ACC_W), 0x05) &&
	   !(ci.filled & 1u << VTD_CACHE_IOTLB), "a write to a read-only page is not a cached fault");

	/* The root entry. */
	ok(xl_fault(c, &e, rq(0x0300, 0x1000, VTD_ACC_R), 0x01) && ci.filled == 1u << VTD_CACHE_CONTEXT &&
	   xl_fault(c, &e, rq(0x0300, 0x1000, VTD_ACC_R), 0x01) && ci.hit == VTD_CACHE_CONTEXT,
	   "CM: a not-present root entry is cached (for that source-id)");
	vtd_cache_free(c);
	vtd_cache_free(nc);
	env_free(&e);
}

/* ---- invalidation descriptors and registers, legacy mode ----------------------------- */

/* Devices 00:03.0, 00:03.2, 00:03.4 in domain 1 and 00:04.0 in domain 2, each with a page. */
static void four_devices(struct env *e, struct vtd_cache *c)
{
	static const unsigned sids[] = { 0x18, 0x1a, 0x1c, 0x20 };
	uint64_t root;

	for (int i = 0; i < 4; i++) {
		legacy_dev(e, sids[i], i == 3 ? 2 : 1, 3, &root);
		map(e, 0, root, 3, 0x200000, 0x30000000, 1, L("R=1", "W=1"));
		map(e, 0, root, 3, 0x201000, 0x30001000, 1, L("R=1", "W=1"));
		map(e, 0, root, 3, 0x400000, 0x60000000, 2, L("R=1", "W=1"));
		xl(c, e, rq(sids[i], 0x200000, VTD_ACC_R));
		xl(c, e, rq(sids[i], 0x201000, VTD_ACC_R));
		xl(c, e, rq(sids[i], 0x400000, VTD_ACC_R));
	}
}

static unsigned live(struct vtd_cache *c, int id)
{
	const struct vtd_cache_stats *s = S(c);

	return (unsigned)(s->fills[id] - s->evictions[id] - s->invalidated[id]);
}

static void test_inv_legacy(void)
{
	struct env e;
	struct vtd_error err = { 0 };
	struct vtd_cache *c = mk(VTD_CMODEL_SPEC, NULL);
	uint8_t b[4];

	env_init(&e, 0, 0);
	four_devices(&e, c);
	ok(live(c, VTD_CACHE_CONTEXT) == 4 && live(c, VTD_CACHE_IOTLB) == 6,
	   "four contexts; six IOTLB entries (domain 1's pages are shared by its three devices)");

	/* Context cache: device (with function masks), domain, global. */
	mark(c);
	ok(inv_ok(c, &e, &vtd_l_inv_cc, 16, L("G=3", "DID=1", "SID=0x18", "FM=0")) &&
	   D(invalidated[VTD_CACHE_CONTEXT]) == 1 && D(descriptors) == 1, "device: 00:03.0 alone");
	ok(inv_ok(c, &e, &vtd_l_inv_cc, 16, L("G=3", "DID=1", "SID=0x18", "FM=1")) &&
	   D(invalidated[VTD_CACHE_CONTEXT]) == 2, "FM 1 (function bit 2 ignored): 00:03.4 too");
	ok(xl_out(c, &e, rq(0x18, 0x200000, VTD_ACC_R), 0x30000000) && ci.hit == VTD_CACHE_IOTLB &&
	   t.nsteps == 2 && (ci.filled & 1u << VTD_CACHE_CONTEXT),
	   "after a context-cache miss the walk names the domain and the IOTLB answers");
	ok(inv_ok(c, &e, &vtd_l_inv_cc, 16, L("G=3", "SID=0x18", "FM=3")) &&
	   D(invalidated[VTD_CACHE_CONTEXT]) == 4, "FM 3: every function of device 3");
	xl(c, &e, rq(0x18, 0x200000, VTD_ACC_R));
	mark(c);
	ok(inv_ok(c, &e, &vtd_l_inv_cc, 16, L("G=2", "DID=2")) &&
	   D(invalidated[VTD_CACHE_CONTEXT]) == 1, "domain 2: its one context");
	ok(inv_ok(c, &e, &vtd_l_inv_cc, 16, L("G=1")) && live(c, VTD_CACHE_CONTEXT) == 0,
	   "global: every context");
	ok(inv(c, &e, &vtd_l_inv_cc, 16, L("G=0"), &err) == -VTD_EINVAL && strstr(err.msg, "G"),
	   "granularity 0 is refused (%s)", err.msg);
	{
		uint8_t d[16] = { 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

		d[0] |= 1 << 4;
		d[8] = 1;
		ok(vtd_cache_invalidate(c, &e.u, d, 16, &err) == -VTD_EINVAL &&
		   strstr(err.msg, "reserved"), "a reserved bit is refused (%s)", err.msg);
		d[8] = 0;
		d[1] = 1 << 1;	/* type bits 6:4: type 0x11 */
		ok(vtd_cache_invalidate(c, &e.u, d, 16, &err) == -VTD_EINVAL &&
		   strstr(err.msg, "unknown"), "type 0x11 is unknown (%s)", err.msg);
	}

	/* IOTLB: domain, page (with AM and large pages), global. */
	mark(c);
	ok(inv_ok(c, &e, &vtd_l_inv_iotlb, 16, L("G=2", "DID=2")) &&
	   D(invalidated[VTD_CACHE_IOTLB]) == 3 && live(c, VTD_CACHE_IOTLB) == 3,
	   "domain 2: its three pages");
	mark(c);
	ok(inv_ok(c, &e, &vtd_l_inv_iotlb, 16, L("G=3", "DID=1", "ADDR=0x200000", "AM=2")) &&
	   D(invalidated[VTD_CACHE_IOTLB]) == 2, "page: AM covering 2 pages takes both 4 KiB pages");
	mark(c);
	ok(inv_ok(c, &e, &vtd_l_inv_iotlb, 16, L("G=3", "DID=1", "ADDR=0x5ff000", "AM=1")) &&
	   D(invalidated[VTD_CACHE_IOTLB]) == 1, "a 4 KiB page inside a 2 MiB entry takes the entry");
	ok(inv(c, &e, &vtd_l_inv_iotlb, 16, L("G=3", "DID=1", "AM=1024"), &err) == -VTD_EINVAL &&
	   strstr(err.msg, "MAMV"), "AM above CAP.MAMV is refused (%s)", err.msg);
	xl(c, &e, rq(0x18, 0x200000, VTD_ACC_R));
	mark(c);
	ok(inv_ok(c, &e, &vtd_l_inv_iotlb, 16, L("G=1")) && D(invalidated[VTD_CACHE_IOTLB]) == 1 &&
	   live(c, VTD_CACHE_PSC) == 0, "global: every IOTLB and paging-structure entry");

	/* Interrupt entry cache: nothing of it is modelled. */
	mark(c);
	ok(inv_ok(c, &e, &vtd_l_inv_iec, 16, L("G=1", "IIDX=5", "IM=4")) && D(descriptors) == 1 &&
	   !D(invalidated[VTD_CACHE_IOTLB]), "interrupt-entry cache: counted, nothing removed");

	/* Invalidation wait. */
	mark(c);
	ok(inv_ok(c, &e, &vtd_l_inv_wait, 16, L("SW=1", "STATDATA=0x600dcafe", "STATADDR=0xfff10")) &&
	   !vtd_mem_read(e.u.mem, 0xfff10, b, 4, NULL) && b[0] == 0xfe && b[3] == 0x60 &&
	   D(descriptors) == 1, "wait with SW stores the status data (little-endian)");
	ok(inv_ok(c, &e, &vtd_l_inv_wait, 16, L("IF=1")) &&
	   inv_ok(c, &e, &vtd_l_inv_wait, 16, L("IF=1", "SW=1", "STATADDR=0xfff20")) &&
	   inv_ok(c, &e, &vtd_l_inv_wait, 16, L("FN=1")),
	   "IF, IF with SW, and a bare fence are all valid");
	ok(inv(c, &e, &vtd_l_inv_wait, 16, L("IF=1", "PD=1"), &err) == -VTD_EINVAL &&
	   strstr(err.msg, "PDS"), "PD without ECAP.PDS is refused (%s)", err.msg);
	ok(inv(c, NULL, &vtd_l_inv_wait, 16, L("SW=1", "STATADDR=0xfff20"), &err) == -VTD_EINVAL,
	   "a status write without a unit is refused");
	ok(inv(c, &e, &vtd_l_inv_wait, 16, L("SW=1", "STATADDR=0x80000000"), &err) == -VTD_EUNMAPPED,
	   "a status write outside memory fails as the write does");
	ok(inv(c, &e, &vtd_l_inv_iotlb, 32, L("G=1"), &err) == 0 &&
	   vtd_cache_invalidate(c, &e.u, (const uint8_t[32]){ 0x12, [16] = 1 }, 32, &err) == -VTD_EINVAL,
	   "a 128-bit type in a 256-bit slot: bits 255:128 are reserved");
	ok(vtd_cache_invalidate(c, &e.u, (const uint8_t[16]){ 0x0a }, 16, &err) == -VTD_EINVAL &&
	   vtd_cache_invalidate(c, &e.u, (const uint8_t[16]){ 0x00 }, 16, &err) == -VTD_EINVAL &&
	   vtd_cache_invalidate(c, &e.u, (const uint8_t[16]){ 0x02 }, 8, &err) == -VTD_EINVAL,
	   "types 0xa and 0 and an 8-byte descriptor are refused");
	ok(inv(c, &e, &vtd_l_inv_pgrp_resp, 32, L("RID=0x18"), &err) == 0,
	   "a page-group response is valid with ECAP.PRS (and touches no cache)");

	/* Registers. */
	vtd_cache_free(c);
	c = mk(VTD_CMODEL_SPEC, NULL);
	four_devices(&e, c);
	mark(c);
	ok(vtd_cache_ccmd(c, reg(&vtd_l_reg_ccmd, L("CIRG=1")), NULL) == 0 && !D(descriptors) &&
	   !D(invalidated[VTD_CACHE_CONTEXT]), "CCMD without ICC does nothing");
	ok(vtd_cache_ccmd(c, reg(&vtd_l_reg_ccmd, L("ICC=1")), &err) == -VTD_EINVAL,
	   "CCMD with CIRG 0 is refused (%s)", err.msg);
	ok(vtd_cache_ccmd(c, reg(&vtd_l_reg_ccmd, L("ICC=1", "CIRG=3", "SID=0x1a", "FM=2")), NULL) == 0 &&
	   D(invalidated[VTD_CACHE_CONTEXT]) == 3 && D(descriptors) == 1,
	   "CCMD device 00:03.2 with FM 2 (bits 2:1 ignored): functions 0, 2 and 4");
	ok(vtd_cache_ccmd(c, reg(&vtd_l_reg_ccmd, L("ICC=1", "CIRG=2", "DID=2")), NULL) == 0 &&
	   D(invalidated[VTD_CACHE_CONTEXT]) == 4, "CCMD domain 2");
	mark(c);
	ok(vtd_cache_iotlb_reg(c, reg(&vtd_l_reg_iotlb, L("IIRG=1")), 0, NULL) == 0 && !D(descriptors),
	   "IOTLB register without IVT does nothing");
	ok(vtd_cache_iotlb_reg(c, reg(&vtd_l_reg_iotlb, L("IVT=1")), 0, &err) == -VTD_EINVAL,
	   "IIRG 0 is refused (%s)", err.msg);
	ok(vtd_cache_iotlb_reg(c, reg(&vtd_l_reg_iotlb, L("IVT=1", "IIRG=3", "DID=2")),
			       reg(&vtd_l_reg_iva, L("ADDR=0x201000", "AM=0", "IH=1")), NULL) == 0 &&
	   D(invalidated[VTD_CACHE_IOTLB]) == 1 && !D(invalidated[VTD_CACHE_PSC]),
	   "IOTLB register, page 0x201000 of domain 2 with IH: one entry, the PSC kept");
	ok(vtd_cache_iotlb_reg(c, reg(&vtd_l_reg_iotlb, L("IVT=1", "IIRG=3", "DID=2")),
			       reg(&vtd_l_reg_iva, L("ADDR=0x200000", "AM=0")), NULL) == 0 &&
	   D(invalidated[VTD_CACHE_IOTLB]) == 2 && D(invalidated[VTD_CACHE_PSC]) >= 1,
	   "without IH the paging-structure entries over it go too");
	ok(vtd_cache_iotlb_reg(c, reg(&vtd_l_reg_iotlb, L("IVT=1", "IIRG=2", "DID=1")), 0, NULL) == 0 &&
	   D(invalidated[VTD_CACHE_IOTLB]) == 5, "IOTLB register, domain 1: its three pages");
	ok(vtd_cache_iotlb_reg(c, reg(&vtd_l_reg_iotlb, L("IVT=1", "IIRG=1")), 0, NULL) == 0 &&
	   live(c, VTD_CACHE_IOTLB) == 0 && D(descriptors) == 4, "IOTLB register, global");

	/* Flush: empty, counted as nothing. */
	mark(c);
	vtd_cache_flush(c);
	ok(!D(invalidated[VTD_CACHE_CONTEXT]) && !D(evictions[VTD_CACHE_PSC]) &&
	   xl_out(c, &e, rq(0x18, 0x200000, VTD_ACC_R), 0x30000000) && ci.hit == VTD_CACHE_N &&
	   t.nsteps == 5, "vtd_cache_flush empties every cache without counting");
	vtd_cache_free(c);
	env_free(&e);
}

/* ---- scalable mode: the PASID cache, first stage, PASID-based invalidations ---------- */

static void test_scalable(void)
{
	struct env e;
	struct vtd_error err = { 0 };
	struct smdev ss, fs;
	struct vtd_cache *c = mk(VTD_CMODEL_SPEC, NULL);

	env_init(&e, 1, 0);
	/* 00:03.0: RID_PASID 0 second stage in domain 5; PASID 1 first stage, also domain 5. */
	ss = sm_dev(&e, 0x18, 0, L("PASIDE=1"), L("PGTT=2", "AW=1", "DID=5"));
	fs = sm_dev(&e, 0x18, 1, L("PASIDE=1"), L("PGTT=1", "DID=5"));
	map(&e, 0, ss.ss, 3, 0x200000, 0x30000000, 1, L("R=1", "W=1"));
	map(&e, 0, ss.ss, 3, 0x201000, 0x30001000, 1, L("R=1", "W=1"));
	map(&e, 1, fs.fs, 4, 0x200000, 0x50000000, 1, L("P=1", "RW=1", "US=1", "A=1", "D=1"));
	map(&e, 1, fs.fs, 4, 0x201000, 0x50001000, 1, L("P=1", "RW=1", "US=1", "A=1", "D=1", "G=1"));

	ok(xl_out(c, &e, rq(0x18, 0x200000, VTD_ACC_W), 0x30000000) &&
	   ci.filled == (1u << VTD_CACHE_CONTEXT | 1u << VTD_CACHE_PASID | 1u << VTD_CACHE_IOTLB |
			 1u << VTD_CACHE_PSC) && t.nsteps == 7,
	   "a request without PASID: root, context, directory, PASID entry, 3 levels; four caches filled");
	mark(c);
	ok(xl_out(c, &e, rq(0x18, 0x200000, VTD_ACC_R), 0x30000000) && ci.hit == VTD_CACHE_IOTLB &&
	   ci.used == (1u << VTD_CACHE_CONTEXT | 1u << VTD_CACHE_PASID) && t.has_pasid && !t.pasid &&
	   D(hits[VTD_CACHE_PASID]) == 1, "again: the context and PASID caches give the domain, "
	   "the IOTLB answers (PASID tag = RID_PASID 0)");
	mark(c);
	ok(xl_out(c, &e, rqp(0x18, 1, 0x200000, VTD_ACC_W), 0x50000000) && ci.hit == VTD_CACHE_N &&
	   ci.used == 1u << VTD_CACHE_CONTEXT && t.nsteps == 6 && t.kind == VTD_XK_FIRST &&
	   D(misses[VTD_CACHE_PASID]) == 1 && D(fills[VTD_CACHE_PASID]) == 1,
	   "PASID 1: context hit, PASID-cache miss, first-stage walk");
	ok(xl_out(c, &e, rqp(0x18, 1, 0x201000, VTD_ACC_R), 0x50001000) &&
	   ci.used == (1u << VTD_CACHE_CONTEXT | 1u << VTD_CACHE_PASID | 1u << VTD_CACHE_PSC) &&
	   t.nsteps == 1, "its second page: from the cached PDE, one step");

	/* Type 2 in scalable mode: second-stage translations only. */
	mark(c);
	ok(inv_ok(c, &e, &vtd_l_inv_iotlb, 32, L("G=2", "DID=5")) &&
	   D(invalidated[VTD_CACHE_IOTLB]) == 1, "IOTLB domain 5: the second-stage entry only");
	ok(xl_out(c, &e, rqp(0x18, 1, 0x200000, VTD_ACC_R), 0x50000000) && ci.hit == VTD_CACHE_IOTLB,
	   "the first-stage entry is still cached");

	/* PASID-based IOTLB: PASID-selective spares global pages; page-selective does not. */
	mark(c);
	ok(inv_ok(c, &e, &vtd_l_inv_piotlb, 32, L("G=2", "DID=5", "PASID=1")) &&
	   D(invalidated[VTD_CACHE_IOTLB]) == 1 && D(invalidated[VTD_CACHE_PSC]) == 3,
	   "PASID-selective: the non-global page and the first-stage directory entries");
	ok(xl_out(c, &e, rqp(0x18, 1, 0x201000, VTD_ACC_R), 0x50001000) && ci.hit == VTD_CACHE_IOTLB,
	   "the global page survives it");
	mark(c);
	ok(inv_ok(c, &e, &vtd_l_inv_piotlb, 32, L("G=3", "DID=5", "PASID=1", "ADDR=0x201000", "AM=1")) &&
	   D(invalidated[VTD_CACHE_IOTLB]) == 1, "page-selective within PASID takes the global page");
	ok(inv(c, &e, &vtd_l_inv_piotlb, 16, L("G=2", "DID=5", "PASID=1"), &err) == -VTD_EINVAL &&
	   strstr(err.msg, "128-bit"), "a PASID-based descriptor in a 128-bit queue is refused");
	ok(inv(c, &e, &vtd_l_inv_piotlb, 32, L("G=1"), &err) == -VTD_EINVAL,
	   "PASID-based granularity 1 is reserved (%s)", err.msg);
	/* And it covers second-stage translations of the PASID too (QEMU's reading of 6.5.2.4). */
	xl(c, &e, rq(0x18, 0x200000, VTD_ACC_R));
	mark(c);
	ok(inv_ok(c, &e, &vtd_l_inv_piotlb, 32, L("G=3", "DID=5", "PASID=0", "ADDR=0x200000", "AM=1")) &&
	   D(invalidated[VTD_CACHE_IOTLB]) == 1, "page-selective within PASID 0 (RID_PASID): "
	   "the second-stage page");

	/* The PASID cache: a changed PASID entry is used until invalidated. */
	uint64_t fs2 = page(&e);

	map(&e, 1, fs2, 4, 0x200000, 0x70000000, 1, L("P=1", "RW=1", "US=1", "A=1", "D=1"));
	setf(&e, fs.pe, &vtd_l_pasid_entry, "FSPTPTR", fs2);
	ok(inv_ok(c, &e, &vtd_l_inv_piotlb, 32, L("G=2", "DID=5", "PASID=1")), "PASID-selective IOTLB");
	ok(xl_out(c, &e, rqp(0x18, 1, 0x200000, VTD_ACC_R), 0x50000000) &&
	   (ci.used & 1u << VTD_CACHE_PASID) && ci.stale && ci.stale_pa == fs.pe &&
	   ci.fresh_out == 0x70000000, "the cached PASID entry still points at the old tables (stale)");
	mark(c);
	ok(inv_ok(c, &e, &vtd_l_inv_pc, 32, L("G=1", "DID=5", "PASID=1")) &&
	   D(invalidated[VTD_CACHE_PASID]) == 1, "PASID cache, PASID-selective");
	ok(inv_ok(c, &e, &vtd_l_inv_piotlb, 32, L("G=2", "DID=5", "PASID=1")) &&
	   xl_out(c, &e, rqp(0x18, 1, 0x200000, VTD_ACC_R), 0x70000000) && !ci.stale,
	   "then the new tables");
	mark(c);
	ok(inv_ok(c, &e, &vtd_l_inv_pc, 32, L("G=0", "DID=6")) && !D(invalidated[VTD_CACHE_PASID]) &&
	   inv_ok(c, &e, &vtd_l_inv_pc, 32, L("G=0", "DID=5")) && D(invalidated[VTD_CACHE_PASID]) == 2,
	   "PASID cache, domain-selective: domain 6 has none, domain 5 two");
	xl(c, &e, rq(0x18, 0x200000, VTD_ACC_R));
	mark(c);
	ok(inv_ok(c, &e, &vtd_l_inv_pc, 32, L("G=3")) && D(invalidated[VTD_CACHE_PASID]) == 1,
	   "PASID cache, global");
	ok(inv(c, &e, &vtd_l_inv_pc, 32, L("G=2"), &err) == -VTD_EINVAL,
	   "PASID-cache granularity 2 is reserved (%s)", err.msg);
	ok(inv(c, &e, &vtd_l_inv_pc, 16, L("G=3"), &err) == -VTD_EINVAL,
	   "and a PASID-cache descriptor needs a 256-bit queue");

	/* Caching mode: a not-present PASID entry. */
	vtd_cache_free(c);
	c = mk(VTD_CMODEL_SPEC, cm_on);
	setf(&e, fs.pe, &vtd_l_pasid_entry, "P", 0);
	ok(xl_fault(c, &e, rqp(0x18, 1, 0x200000, VTD_ACC_R), 0x59) &&
	   (ci.filled & 1u << VTD_CACHE_PASID), "CM: a not-present PASID entry (0x59) is cached");
	setf(&e, fs.pe, &vtd_l_pasid_entry, "P", 1);
	ok(xl_fault(c, &e, rqp(0x18, 1, 0x200000, VTD_ACC_R), 0x59) && ci.hit == VTD_CACHE_PASID &&
	   ci.stale && ci.stale_pa == fs.pe && t.nsteps == 0,
	   "and answers from the PASID cache (the context cached too): stale");
	ok(inv_ok(c, &e, &vtd_l_inv_pc, 32, L("G=1", "PASID=1")) &&
	   xl_out(c, &e, rqp(0x18, 1, 0x200000, VTD_ACC_R), 0x70000000),
	   "PASID-selective PASID-cache invalidation (DID 0: the entry named none) clears it");
	setf(&e, fs.dir, &vtd_l_pasid_dir, "P", 0);
	ok(xl_fault(c, &e, rqp(0x18, 2, 0x200000, VTD_ACC_R), 0x51) &&
	   (ci.filled & 1u << VTD_CACHE_PASID) &&
	   xl_fault(c, &e, rqp(0x18, 2, 0x200000, VTD_ACC_R), 0x51) && ci.hit == VTD_CACHE_PASID,
	   "CM: a not-present directory entry (0x51) too");
	setf(&e, fs.dir, &vtd_l_pasid_dir, "P", 1);
	vtd_cache_free(c);
	env_free(&e);
}

/* ---- device-TLBs --------------------------------------------------------------------- */

static void test_devtlb(void)
{
	struct env e;
	uint64_t root, ce, pte;
	struct vtd_request r = rq(0x18, 0x200000, VTD_ACC_R);
	struct vtd_cache *c = mk(VTD_CMODEL_SPEC, NULL);

	env_init(&e, 0, 0);
	ce = legacy_dev(&e, 0x18, 1, 3, &root);
	setf(&e, ce, &vtd_l_context_legacy, "TT", 1);
	pte = map(&e, 0, root, 3, 0x200000, 0x30000000, 1, L("R=1", "W=1"));
	for (unsigned i = 1; i < 4; i++)
		map(&e, 0, root, 3, 0x200000 + 0x1000 * i, 0x30000000 + 0x1000 * i, 1, L("R=1", "W=1"));
	map(&e, 0, root, 3, 0x204000, 0x30004000, 1, L("R=1", "W=1", "TM=1"));

	r.at = VTD_AT_TRANSLATION_REQ;
	ok(xl_out(c, &e, r, 0x30000000) && ci.hit == VTD_CACHE_N &&
	   (ci.filled & 1u << VTD_CACHE_DEVTLB) && (ci.filled & 1u << VTD_CACHE_IOTLB),
	   "a translation request walks and fills the IOTLB and the device-TLB");
	mark(c);
	ok(xl_out(c, &e, r, 0x30000000) && ci.hit == VTD_CACHE_DEVTLB && !ci.used &&
	   D(hits[VTD_CACHE_DEVTLB]) == 1 && !D(misses[VTD_CACHE_CONTEXT]) && !D(hits[VTD_CACHE_CONTEXT]),
	   "the next one is the device's own TLB answering");
	ok(xl_out(c, &e, rq(0x18, 0x200000, VTD_ACC_R), 0x30000000) && ci.hit == VTD_CACHE_IOTLB,
	   "an untranslated request goes to the IOTLB");
	setf(&e, pte, &vtd_l_ss_pte, "ADDR", 0x31000000);
	ok(inv_ok(c, &e, &vtd_l_inv_iotlb, 16, L("G=1")) &&
	   xl_out(c, &e, r, 0x30000000) && ci.hit == VTD_CACHE_DEVTLB && ci.stale &&
	   ci.fresh_out == 0x31000000,
	   "IOTLB invalidated, device-TLB not: the device keeps the old page (stale)");
	mark(c);
	ok(inv_ok(c, &e, &vtd_l_inv_devtlb, 16, L("SID=0x18", "ADDR=0x200000")) &&
	   D(invalidated[VTD_CACHE_DEVTLB]) == 1 && xl_out(c, &e, r, 0x31000000),
	   "device-TLB invalidation of the page: the request walks to the new one");
	for (unsigned i = 1; i < 4; i++) {
		r.addr = 0x200000 + 0x1000 * i;
		xl(c, &e, r);
	}
	mark(c);
	ok(inv_ok(c, &e, &vtd_l_inv_devtlb, 16, L("SID=0x19", "ADDR=0x200000", "S=1")) &&
	   !D(invalidated[VTD_CACHE_DEVTLB]), "another source-id: nothing");
	ok(inv_ok(c, &e, &vtd_l_inv_devtlb, 16, L("SID=0x18", "ADDR=0x200000", "S=1")) &&
	   D(invalidated[VTD_CACHE_DEVTLB]) == 2, "S with address bit 12 clear: 8 KiB (two pages)");
	ok(inv_ok(c, &e, &vtd_l_inv_devtlb, 16, L("SID=0x18", "ADDR=0x201000", "S=1")) &&
	   D(invalidated[VTD_CACHE_DEVTLB]) == 4, "bit 12 set, 13 clear: 16 KiB from 0x200000");
	r.addr = 0x204000;
	ok(xl_out(c, &e, r, 0x30004000) && !(ci.filled & 1u << VTD_CACHE_DEVTLB),
	   "a transient mapping (TM) stays out of the device-TLB");
	r.addr = 0x201000;
	xl(c, &e, rq(0x18, 0x201000, VTD_ACC_R));
	ok(xl_out(c, &e, r, 0x30001000) && ci.hit == VTD_CACHE_IOTLB &&
	   ci.filled == 1u << VTD_CACHE_DEVTLB, "answered by the IOTLB, the device still keeps a copy");
	ok(inv_ok(c, &e, &vtd_l_inv_devtlb, 16, L("SID=0x18", "ADDR=0xfffffffffffff000", "S=1")) &&
	   D(invalidated[VTD_CACHE_DEVTLB]) == 5, "every address bit set with S: the whole TLB");
	ok(inv(c, &e, &vtd_l_inv_devtlb, 16, L("SID=0x18", "PFSID_LO=1"), NULL) == -VTD_EINVAL,
	   "PFSID without ECAP.DIT is refused");
	env_free(&e);

	/* PASID-based device-TLB invalidation. */
	struct smdev d;

	env_init(&e, 1, 0);
	vtd_cache_flush(c);
	d = sm_dev(&e, 0x18, 0, L("PASIDE=1", "DTE=1"), L("PGTT=2", "AW=1", "DID=5"));
	map(&e, 0, d.ss, 3, 0x200000, 0x30000000, 1, L("R=1", "W=1"));
	sm_dev(&e, 0x18, 3, L("PASIDE=1", "DTE=1"), L("PGTT=2", "AW=1", "DID=5"));
	sm_dev(&e, 0x18, 4, L("PASIDE=1", "DTE=1"), L("PGTT=2", "AW=1", "DID=5"));
	setf(&e, d.pe + 64 * 3, &vtd_l_pasid_entry, "SSPTPTR", d.ss);
	setf(&e, d.pe + 64 * 4, &vtd_l_pasid_entry, "SSPTPTR", d.ss);
	r = rq(0x18, 0x200000, VTD_ACC_R);
	r.at = VTD_AT_TRANSLATION_REQ;
	xl(c, &e, r);
	r.has_pasid = 1;
	r.pasid = 3;
	xl(c, &e, r);
	r.pasid = 4;
	ok(xl_out(c, &e, r, 0x30000000) && (ci.filled & 1u << VTD_CACHE_DEVTLB),
	   "translation requests with PASIDs 3 and 4 and without PASID fill three entries");
	mark(c);
	ok(inv_ok(c, &e, &vtd_l_inv_pdevtlb, 32, L("SID=0x18", "PASID=3", "ADDR=0x200000")) &&
	   D(invalidated[VTD_CACHE_DEVTLB]) == 1, "PASID-based device-TLB, PASID 3: one entry");
	ok(inv_ok(c, &e, &vtd_l_inv_pdevtlb, 32, L("SID=0x18", "G=1", "ADDR=0x200000")) &&
	   D(invalidated[VTD_CACHE_DEVTLB]) == 2, "G: every PASID's entry, not the one without PASID");
	ok(inv_ok(c, &e, &vtd_l_inv_devtlb, 16, L("SID=0x18", "ADDR=0x200000")) &&
	   D(invalidated[VTD_CACHE_DEVTLB]) == 3, "the plain device-TLB descriptor takes that one");
	vtd_cache_free(c);
	env_free(&e);
}

/* ---- replacement --------------------------------------------------------------------- */

static unsigned g_replace, g_ways, g_size;
static uint32_t g_seed;

static void small(struct vtd_cache_cfg *cfg)
{
	cfg->replace = (uint8_t)g_replace;
	cfg->ways = g_ways;
	cfg->size[VTD_CACHE_IOTLB] = g_size;
	cfg->seed = g_seed;
}

static struct vtd_cache *mk_small(unsigned replace, unsigned ways, unsigned size, uint32_t seed)
{
	g_replace = replace;
	g_ways = ways;
	g_size = size;
	g_seed = seed;
	return mk(VTD_CMODEL_SPEC, small);
}

/* Page i of the test device: 0x200000 + i * 4 KiB. */
static int tlb_hit(struct vtd_cache *c, struct env *e, unsigned i)
{
	xl(c, e, rq(0x18, 0x200000 + 0x1000ULL * i, VTD_ACC_R));
	return ci.hit == VTD_CACHE_IOTLB;
}

static void touch(struct vtd_cache *c, struct env *e, const char *seq)
{
	for (; *seq; seq++)
		tlb_hit(c, e, (unsigned)(*seq - 'a'));
}

/* Which of pages a, b, c ... hit now (probing refills, so probe in one pass). */
static void probe(struct vtd_cache *c, struct env *e, const char *pages, char *out)
{
	for (; *pages; pages++)
		*out++ = tlb_hit(c, e, (unsigned)(*pages - 'a')) ? '+' : '-';
	*out = 0;
}

static void test_replacement(void)
{
	struct env e;
	uint64_t root;
	struct vtd_cache *c, *c2;
	char got[16], got2[16];

	env_init(&e, 0, 0);
	legacy_dev(&e, 0x18, 1, 3, &root);
	for (unsigned i = 0; i < 16; i++)
		map(&e, 0, root, 3, 0x200000 + 0x1000ULL * i, 0x30000000 + 0x1000ULL * i, 1,
		    L("R=1", "W=1"));

	for (unsigned ways = 0; ways <= 2; ways += 2) {
		const char *how = ways ? "2-way set" : "fully associative";

		c = mk_small(VTD_REPLACE_LRU, ways, 2, 1);
		touch(c, &e, "aba");
		mark(c);
		touch(c, &e, "c");
		probe(c, &e, "a", got);
		ok(!strcmp(got, "+") && D(evictions[VTD_CACHE_IOTLB]) == 1,
		   "LRU (%s): a, b, a, c evicts b, keeps a", how);
		vtd_cache_free(c);

		c = mk_small(VTD_REPLACE_FIFO, ways, 2, 1);
		touch(c, &e, "aba");
		touch(c, &e, "c");
		probe(c, &e, "b", got);
		ok(!strcmp(got, "+"), "FIFO (%s): a, b, a, c evicts a, the oldest fill", how);
		vtd_cache_free(c);

		c = mk_small(VTD_REPLACE_FLUSH, ways, 2, 1);
		touch(c, &e, "ab");
		mark(c);
		touch(c, &e, "c");
		ok(D(evictions[VTD_CACHE_IOTLB]) == 2 && live(c, VTD_CACHE_IOTLB) == 1,
		   "FLUSH (%s): the third fill empties the full cache (2 evictions)", how);
		vtd_cache_free(c);
	}

	/* RANDOM: the seed decides, and the same seed repeats. */
	c = mk_small(VTD_REPLACE_RANDOM, 0, 4, 7);
	c2 = mk_small(VTD_REPLACE_RANDOM, 0, 4, 7);
	touch(c, &e, "abcdefghijabcdefg");
	touch(c2, &e, "abcdefghijabcdefg");
	probe(c, &e, "abcdefghij", got);
	probe(c2, &e, "abcdefghij", got2);
	ok(!strcmp(got, got2) &&
	   S(c)->evictions[VTD_CACHE_IOTLB] == S(c2)->evictions[VTD_CACHE_IOTLB] &&
	   S(c)->evictions[VTD_CACHE_IOTLB] > 0, "RANDOM: one seed, one outcome (%s)", got);
	ok(live(c, VTD_CACHE_IOTLB) == 4, "RANDOM: the cache stays full");
	vtd_cache_free(c);
	vtd_cache_free(c2);
	c = mk_small(VTD_REPLACE_RANDOM, 2, 4, 11);
	touch(c, &e, "abcdefghij");
	ok(live(c, VTD_CACHE_IOTLB) <= 4 && S(c)->evictions[VTD_CACHE_IOTLB] >= 6,
	   "RANDOM in 2-way sets: never more than the cache holds");
	vtd_cache_free(c);

	/* Direct-mapped: a key has one place; the whole cache is used nonetheless. */
	c = mk_small(VTD_REPLACE_LRU, 1, 8, 1);
	touch(c, &e, "abcdefghijklmnop");
	ok(live(c, VTD_CACHE_IOTLB) <= 8 && live(c, VTD_CACHE_IOTLB) >= 3 &&
	   S(c)->evictions[VTD_CACHE_IOTLB] == 16 - live(c, VTD_CACHE_IOTLB),
	   "direct-mapped (1-way): every eviction is a collision in a set");
	touch(c, &e, "p");
	ok(ci.hit == VTD_CACHE_IOTLB, "the last fill is there");
	vtd_cache_free(c);
	env_free(&e);
}

/* ---- QEMU 7.2's model ---------------------------------------------------------------- */

static void test_qemu_legacy(void)
{
	struct env e;
	struct vtd_error err = { 0 };
	uint64_t root, ce, pte;
	struct vtd_cache *c = mk(VTD_CMODEL_QEMU72, NULL);

	/* tests/qemu/bare/legacy.sh, as far as caches go. */
	env_init(&e, 0, 1);
	ce = legacy_dev(&e, 0x18, 1, 3, &root);
	pte = map(&e, 0, root, 3, 0x200000, 0x300000, 1, L("R=1", "W=1"));
	map(&e, 0, root, 3, 0x201000, 0x301000, 1, L("R=1"));
	map(&e, 0, root, 3, 0x206000, 0x306000, 1, L("R=1", "W=1"));
	map(&e, 0, root, 3, 0x400000, 0x600000, 2, L("R=1", "W=1"));

	ok(xl_out(c, &e, rq(0x18, 0x200000, VTD_ACC_W), 0x300000) &&
	   ci.filled == (1u << VTD_CACHE_CONTEXT | 1u << VTD_CACHE_IOTLB),
	   "QEMU: a walk fills the context cache and the IOTLB (no paging-structure cache)");
	ok(xl_fault(c, &e, rq(0x18, 0x201000, VTD_ACC_W), 0x05) && !ci.dropped,
	   "write-readonly-pte: a walk faults 0x05 (faults are never cached)");
	ok(xl_out(c, &e, rq(0x18, 0x201000, VTD_ACC_R), 0x301000), "read-readonly-pte fills the IOTLB");
	mark(c);
	ok(xl_fault(c, &e, rq(0x18, 0x201000, VTD_ACC_W), 0x05) && ci.dropped &&
	   ci.hit == VTD_CACHE_IOTLB && t.out == 0 && D(dropped) == 1 && D(faults) == 1 && !D(walks),
	   "write-readonly-iotlb-hit-dropped: the IOTLB hit lacks W, dropped with no walk");
	ok(xl_fault(c, &e, rq(0x18, 0x201000, VTD_ACC_W | VTD_ACC_R), 0x05) && ci.dropped,
	   "a read-write access to it too");

	setf(&e, pte, &vtd_l_ss_pte, "ADDR", 0x320000);
	ok(xl_out(c, &e, rq(0x18, 0x200000, VTD_ACC_W), 0x300000) && ci.stale &&
	   ci.fresh_out == 0x320000, "stale-iotlb-hit: the old page, stale");
	ok(vtd_cache_iotlb_reg(c, reg(&vtd_l_reg_iotlb, L("IVT=1", "IIRG=3", "DID=1")),
			       reg(&vtd_l_reg_iva, L("ADDR=0x200000", "AM=0")), &err) == 0 &&
	   xl_out(c, &e, rq(0x18, 0x200000, VTD_ACC_W), 0x320000), "after-page-invalidation");
	put(&e, ce, &vtd_l_context_legacy, NULL);
	ok(xl_out(c, &e, rq(0x18, 0x206000, VTD_ACC_W), 0x306000) && ci.used == 1u << VTD_CACHE_CONTEXT &&
	   ci.stale && ci.stale_pa == ce && ci.fresh_fault == 0x02,
	   "stale-context-cache: a cleared context entry is still used");
	ok(vtd_cache_ccmd(c, reg(&vtd_l_reg_ccmd, L("ICC=1", "CIRG=3", "SID=0x18")), &err) == 0 &&
	   vtd_cache_iotlb_reg(c, reg(&vtd_l_reg_iotlb, L("IVT=1", "IIRG=2", "DID=1")), 0, &err) == 0 &&
	   xl_fault(c, &e, rq(0x18, 0x206000, VTD_ACC_W), 0x02), "after-context-invalidation: 0x02");
	vtd_cache_free(c);
	env_free(&e);

	/* The IOTLB tag is the source-id: two devices of a domain do not share entries. */
	c = mk(VTD_CMODEL_QEMU72, NULL);
	env_init(&e, 0, 1);
	legacy_dev(&e, 0x18, 1, 3, &root);
	map(&e, 0, root, 3, 0x200000, 0x300000, 1, L("R=1", "W=1"));
	map(&e, 0, root, 3, 0x400000, 0x600000, 2, L("R=1", "W=1"));
	ce = legacy_dev(&e, 0x20, 1, 3, &root);
	setf(&e, ce, &vtd_l_context_legacy, "SSPTPTR", getf(&e, ctx_of(&e, 0x18), &vtd_l_context_legacy,
							     "SSPTPTR"));
	xl(c, &e, rq(0x18, 0x200000, VTD_ACC_R));
	mark(c);
	ok(xl_out(c, &e, rq(0x20, 0x200000, VTD_ACC_R), 0x300000) && ci.hit == VTD_CACHE_N &&
	   t.nsteps == 5 && D(misses[VTD_CACHE_IOTLB]) == 1,
	   "QEMU: another device of the same domain misses (IOTLB keyed by source-id)");
	xl(c, &e, rq(0x20, 0x400000, VTD_ACC_R));
	mark(c);
	ok(vtd_cache_iotlb_reg(c, reg(&vtd_l_reg_iotlb, L("IVT=1", "IIRG=3", "DID=1")),
			       reg(&vtd_l_reg_iva, L("ADDR=0x5ff000", "AM=0")), NULL) == 0 &&
	   D(invalidated[VTD_CACHE_IOTLB]) == 1,
	   "vtd_hash_remove_by_page: a page inside a 2 MiB entry takes the entry");
	ok(vtd_cache_iotlb_reg(c, reg(&vtd_l_reg_iotlb, L("IVT=1", "IIRG=3", "DID=1")),
			       reg(&vtd_l_reg_iva, L("AM=19")), &err) == -VTD_EINVAL &&
	   vtd_cache_iotlb_reg(c, reg(&vtd_l_reg_iotlb, L("IVT=1", "IIRG=3", "DID=1")),
			       reg(&vtd_l_reg_iva, L("AM=18")), NULL) == 0,
	   "an address mask above VTD_MAMV (18) is refused (%s)", err.msg);
	mark(c);
	ok(vtd_cache_ccmd(c, reg(&vtd_l_reg_ccmd, L("ICC=1", "CIRG=2", "DID=7")), NULL) == 0 &&
	   D(invalidated[VTD_CACHE_CONTEXT]) == 2, "domain-selective context invalidation is global");
	ok(inv_ok(c, &e, &vtd_l_inv_cc, 16, L("G=2", "DID=9")) && live(c, VTD_CACHE_CONTEXT) == 0,
	   "as a descriptor too");

	/* Pass-through: the context cache only. */
	ce = ctx_of(&e, 0x28);
	put(&e, ce, &vtd_l_context_legacy, L("P=1", "TT=2", "AW=1", "DID=3"));
	ok(xl_out(c, &e, rq(0x28, 0x380000, VTD_ACC_W), 0x380000) &&
	   ci.filled == 1u << VTD_CACHE_CONTEXT, "QEMU: pass-through is not cached in the IOTLB");
	mark(c);
	ok(xl_out(c, &e, rq(0x28, 0x390000, VTD_ACC_W), 0x390000) && ci.hit == VTD_CACHE_CONTEXT &&
	   !D(misses[VTD_CACHE_IOTLB]) && D(hits[VTD_CACHE_CONTEXT]) == 1 && !D(walks),
	   "then the pass-through fast path (vtd_pt_enable_fast_path) answers, the unit bypassed");
	setf(&e, ce, &vtd_l_context_legacy, "TT", 0);
	setf(&e, ce, &vtd_l_context_legacy, "SSPTPTR",
	     getf(&e, ctx_of(&e, 0x18), &vtd_l_context_legacy, "SSPTPTR"));
	ok(xl_out(c, &e, rq(0x28, 0x200000, VTD_ACC_W), 0x200000) && ci.stale &&
	   ci.fresh_out == 0x300000, "a context turned to translation: still bypassed (stale)");
	ok(inv_ok(c, &e, &vtd_l_inv_cc, 16, L("G=3", "SID=0x28")) &&
	   xl_out(c, &e, rq(0x28, 0x200000, VTD_ACC_W), 0x300000) && ci.hit == VTD_CACHE_N,
	   "a device-selective context invalidation decides again (vtd_switch_address_space)");
	setf(&e, ce, &vtd_l_context_legacy, "TT", 2);
	ok(vtd_cache_event(c, &e.u, VTD_CEV_SRTP) == 1 &&
	   xl_out(c, &e, rq(0x28, 0x380000, VTD_ACC_W), 0x380000) && ci.hit == VTD_CACHE_CONTEXT,
	   "SRTP decides every device again: pass-through in memory is bypassed at once");
	vtd_cache_free(c);

	/* No caching mode in 7.2's caches, whatever CM says. */
	c = mk(VTD_CMODEL_QEMU72, cm_on);
	ok(xl_fault(c, &e, rq(0x30, 0x1000, VTD_ACC_R), 0x02) && !ci.filled,
	   "QEMU with CM: a not-present context entry is not cached");
	vtd_cache_free(c);

	/* Full: the IOTLB empties itself (vtd_update_iotlb). */
	c = mk(VTD_CMODEL_QEMU72, NULL);
	legacy_dev(&e, 0x18, 1, 3, &root);
	for (unsigned i = 0; i < 1025; i++)
		map(&e, 0, root, 3, 0x1000000 + 0x1000ULL * i, 0x1000ULL * i, 1, L("R=1"));
	for (unsigned i = 0; i < 1025; i++)
		xl(c, &e, rq(0x18, 0x1000000 + 0x1000ULL * i, VTD_ACC_R));
	ok(S(c)->evictions[VTD_CACHE_IOTLB] == 1024 && live(c, VTD_CACHE_IOTLB) == 1,
	   "the 1025th fill empties the 1024 entries first");

	/* Descriptors as 7.2's vtd_process_inv_desc takes them. */
	xl(c, &e, rq(0x18, 0x1000000, VTD_ACC_R));
	mark(c);
	ok(inv_ok(c, &e, &vtd_l_inv_piotlb, 32, L("G=2", "DID=1")) &&
	   inv_ok(c, &e, &vtd_l_inv_piotlb, 16, L("G=1")) &&
	   inv_ok(c, &e, &vtd_l_inv_pc, 32, L("G=3")) && !D(invalidated[VTD_CACHE_IOTLB]) &&
	   D(descriptors) == 3, "PASID-based IOTLB and PASID-cache descriptors: accepted, nothing done");
	ok(inv(c, &e, &vtd_l_inv_pdevtlb, 32, L("SID=0x18"), &err) == -VTD_EINVAL &&
	   inv(c, &e, &vtd_l_inv_pgrp_resp, 32, L("RID=0x18"), &err) == -VTD_EINVAL,
	   "types 8 and 9 are unknown to 7.2 (%s)", err.msg);
	{
		uint8_t d[16] = { 0x04, 0x0e, 0, 0, 0, 0, 0, 0, 0xff };

		ok(vtd_cache_invalidate(c, &e.u, d, 16, &err) == 0,
		   "an IEC descriptor is taken as it is, reserved bits and all");
		d[0] = 0x12;
		d[8] = 0;
		ok(vtd_cache_invalidate(c, &e.u, d, 16, &err) == -VTD_EINVAL,
		   "a global IOTLB descriptor with type bits 11:9 set is refused (%s)", err.msg);
	}
	ok(inv(c, &e, &vtd_l_inv_wait, 16, L("SW=1", "IF=1", "STATADDR=0xfff00"), &err) == -VTD_EINVAL &&
	   inv(c, &e, &vtd_l_inv_wait, 16, L("FN=1"), &err) == -VTD_EINVAL &&
	   inv(c, &e, &vtd_l_inv_wait, 16, L("IF=1", "PD=1"), &err) == -VTD_EINVAL &&
	   inv_ok(c, &e, &vtd_l_inv_wait, 16, L("IF=1")),
	   "wait: SW with IF, neither, and PD are refused; IF alone is fine");
	ok(inv_ok(c, &e, &vtd_l_inv_devtlb, 16, L("SID=0x18")) &&
	   inv(c, &e, &vtd_l_inv_devtlb, 16, L("SID=0x18", "PFSID_HI=1"), &err) == -VTD_EINVAL,
	   "device-TLB: accepted; PFSID is reserved");
	mark(c);
	ok(inv(c, &e, &vtd_l_inv_iotlb, 16, L("G=3", "DID=1", "AM=524288"), &err) == -VTD_EINVAL &&
	   inv_ok(c, &e, &vtd_l_inv_iotlb, 32, L("G=3", "DID=1", "ADDR=0x1000000", "AM=1")) &&
	   D(invalidated[VTD_CACHE_IOTLB]) == 1,
	   "IOTLB page: AM 19 refused; one page (only the first 128 bits are read)");

	/* Global commands. */
	xl(c, &e, rq(0x18, 0x1000000, VTD_ACC_R));
	mark(c);
	ok(vtd_cache_event(c, &e.u, VTD_CEV_SRTP) == 1 && !D(invalidated[VTD_CACHE_IOTLB]) &&
	   !D(evictions[VTD_CACHE_IOTLB]) &&
	   xl_out(c, &e, rq(0x18, 0x1000000, VTD_ACC_R), 0) && ci.hit == VTD_CACHE_N &&
	   (ci.filled & 1u << VTD_CACHE_CONTEXT),
	   "QEMU: SRTP empties the caches (vtd_handle_gcmd_srtp), counted as nothing");
	ok(vtd_cache_event(c, &e.u, VTD_CEV_TE) == 1, "so does a TE change (vtd_handle_gcmd_te)");
	vtd_cache_free(c);
	c = mk(VTD_CMODEL_SPEC, NULL);
	ok(vtd_cache_event(c, &e.u, VTD_CEV_SRTP) == 0 && vtd_cache_event(c, &e.u, VTD_CEV_TE) == 0,
	   "the specification: neither, without CAP.ESRTPS");
	reg_set(&e.u.cap, &vtd_l_reg_cap, "ESRTPS", 1);
	ok(vtd_cache_event(c, &e.u, VTD_CEV_SRTP) == 1, "SRTP with CAP.ESRTPS does");
	vtd_cache_free(c);
	env_free(&e);
}

static void test_qemu_scalable(void)
{
	struct env e;
	struct smdev d;
	uint64_t pte;
	struct vtd_cache *c = mk(VTD_CMODEL_QEMU72, NULL);

	/* tests/qemu/bare/scalable.sh, as far as caches go. */
	env_init(&e, 1, 1);
	d = sm_dev(&e, 0x18, 0, NULL, L("PGTT=2", "AW=1", "DID=1"));
	pte = map(&e, 0, d.ss, 3, 0x200000, 0x300000, 1, L("R=1", "W=1"));
	map(&e, 0, d.ss, 3, 0x201000, 0x301000, 1, L("R=1"));

	ok(xl_out(c, &e, rq(0x18, 0x200000, VTD_ACC_W), 0x300000) &&
	   ci.filled == (1u << VTD_CACHE_CONTEXT | 1u << VTD_CACHE_IOTLB),
	   "QEMU scalable: a walk fills the context cache and the IOTLB");
	mark(c);
	ok(xl_out(c, &e, rq(0x18, 0x200000, VTD_ACC_W), 0x300000) && ci.hit == VTD_CACHE_IOTLB &&
	   ci.used == 1u << VTD_CACHE_CONTEXT && t.nsteps == 2 && D(walks) == 1 &&
	   t.steps[1].pa == d.pe,
	   "without PASID: the context cache, then the PASID entry read from memory, then the IOTLB");
	ok(xl_out(c, &e, rq(0x18, 0x201000, VTD_ACC_R), 0x301000) &&
	   xl_fault(c, &e, rq(0x18, 0x201000, VTD_ACC_W), 0x05) && ci.dropped,
	   "sm-write-readonly-iotlb-hit-dropped");
	setf(&e, pte, &vtd_l_ss_pte, "ADDR", 0x330000);
	ok(xl_out(c, &e, rq(0x18, 0x200000, VTD_ACC_W), 0x300000) && ci.stale, "qi-stale-iotlb-hit");
	ok(inv_ok(c, &e, &vtd_l_inv_piotlb, 32, L("G=3", "DID=1", "PASID=0", "ADDR=0x200000", "AM=1")) &&
	   xl_out(c, &e, rq(0x18, 0x200000, VTD_ACC_W), 0x300000) && ci.stale,
	   "qi-piotlb-ignored-qemu: the stale translation survives");
	setf(&e, pte, &vtd_l_ss_pte, "ADDR", 0x340000);
	ok(inv_ok(c, &e, &vtd_l_inv_iotlb, 32, L("G=2", "DID=1")) &&
	   xl_out(c, &e, rq(0x18, 0x200000, VTD_ACC_W), 0x340000),
	   "qi-after-iotlb-domain: type 2 works in scalable mode");

	/* A PASID entry changed under a cached context: read from memory every time. */
	setf(&e, d.pe, &vtd_l_pasid_entry, "PGTT", 4);
	ok(xl_out(c, &e, rq(0x18, 0x200000, VTD_ACC_W), 0x200000) && t.passthrough,
	   "QEMU: no PASID cache, so a PASID entry turned pass-through is seen at once");
	setf(&e, d.pe, &vtd_l_pasid_entry, "PGTT", 2);
	ok(xl_out(c, &e, rq(0x18, 0x200000, VTD_ACC_W), 0x200000) && ci.hit == VTD_CACHE_CONTEXT &&
	   ci.stale && ci.fresh_out == 0x340000,
	   "back to second stage: the pass-through fast path stays (smi-pt-fast-path-stale)");
	ok(inv_ok(c, &e, &vtd_l_inv_cc, 32, L("G=3", "SID=0x18")) &&
	   xl_out(c, &e, rq(0x18, 0x200000, VTD_ACC_W), 0x340000),
	   "until a context-cache invalidation of the device (smi-pt-fast-path-after-cc)");

	/* The present bit of a PASID entry, with the context cached (vtd_ce_get_pasid_fpd). */
	setf(&e, d.pe, &vtd_l_pasid_entry, "P", 0);
	ok(xl_out(c, &e, rq(0x18, 0x201000, VTD_ACC_R), 0x301000) && t.nsteps >= 2 &&
	   ci.used == 1u << VTD_CACHE_CONTEXT && !ci.stale,
	   "QEMU: a PASID entry with P clear is still walked while the context is cached");
	ok(vtd_cache_ccmd(c, reg(&vtd_l_reg_ccmd, L("ICC=1", "CIRG=1")), NULL) == 0 &&
	   xl_fault(c, &e, rq(0x18, 0x201000, VTD_ACC_R), 0x58),
	   "after a context-cache invalidation the context check sees it: 0x58");
	setf(&e, d.pe, &vtd_l_pasid_entry, "P", 1);

	/* With a PASID: the IOTLB first, keyed by it. */
	struct smdev d5 = sm_dev(&e, 0x18, 5, NULL, L("PGTT=2", "AW=1", "DID=1"));

	setf(&e, d5.pe, &vtd_l_pasid_entry, "SSPTPTR", d.ss);
	ok(xl_out(c, &e, rqp(0x18, 5, 0x200000, VTD_ACC_R), 0x340000) &&
	   (ci.filled & 1u << VTD_CACHE_CONTEXT),
	   "a request with PASID 5: its own context-cache entry (one address space per PASID)");
	mark(c);
	ok(xl_out(c, &e, rqp(0x18, 5, 0x200000, VTD_ACC_R), 0x340000) && ci.hit == VTD_CACHE_IOTLB &&
	   t.nsteps == 0 && !D(walks) && !D(hits[VTD_CACHE_CONTEXT]),
	   "then the IOTLB answers before any context lookup");
	ok(vtd_cache_ccmd(c, reg(&vtd_l_reg_ccmd, L("ICC=1", "CIRG=3", "SID=0x18")), NULL) == 0 &&
	   live(c, VTD_CACHE_CONTEXT) == 0,
	   "device-selective context invalidation takes every PASID's address space");
	vtd_cache_free(c);
	env_free(&e);
}

/* ---- accessed and dirty bits --------------------------------------------------------- */

static void test_ad(void)
{
	struct env e;
	struct smdev d;
	uint64_t pte, pde;
	struct vtd_cache *c = mk(VTD_CMODEL_SPEC, NULL);

	env_init(&e, 1, 0);
	e.u.write_ad = 1;
	d = sm_dev(&e, 0x18, 0, NULL, L("PGTT=1", "DID=2"));
	pte = map(&e, 1, d.fs, 4, 0x200000, 0x30000000, 1, L("P=1", "RW=1", "US=1"));
	map(&e, 1, d.fs, 4, 0x201000, 0x30001000, 1, L("P=1", "RW=1", "US=1"));
	pde = entry_at(&e, 1, d.fs, 4, 0x200000, 2);
	setf(&e, pde, &vtd_l_fs_pde, "A", 0);

	ok(xl_out(c, &e, rq(0x18, 0x200000, VTD_ACC_R), 0x30000000) && t.accessed && !t.dirty &&
	   getf(&e, pte, &vtd_l_fs_pte, "A") && getf(&e, pde, &vtd_l_fs_pde, "A") &&
	   !getf(&e, pte, &vtd_l_fs_pte, "D"), "a first-stage read walk sets A in memory");
	ok(xl_out(c, &e, rq(0x18, 0x200000, VTD_ACC_R), 0x30000000) && ci.hit == VTD_CACHE_IOTLB &&
	   !ci.stale, "the next read hits, not stale (A is hardware's)");
	mark(c);
	ok(xl_out(c, &e, rq(0x18, 0x200000, VTD_ACC_W), 0x30000000) && ci.hit == VTD_CACHE_N &&
	   t.dirty && getf(&e, pte, &vtd_l_fs_pte, "D") && D(misses[VTD_CACHE_IOTLB]) == 1,
	   "a write to the page a read cached walks again to set D");
	ok(xl_out(c, &e, rq(0x18, 0x200000, VTD_ACC_W), 0x30000000) && ci.hit == VTD_CACHE_IOTLB,
	   "then writes hit");
	ok(xl_out(c, &e, rq(0x18, 0x201000, VTD_ACC_W), 0x30001000) && t.dirty &&
	   (ci.used & 1u << VTD_CACHE_PSC) && t.nsteps == 1,
	   "a write walk from the cached directory entries sets D on its leaf");
	vtd_cache_free(c);
	env_free(&e);
}

/*
 * A hit answers with exactly the rights the walk that filled the entry
 * reported.  'r' walks in a fresh cache, then hits; with 'at' a
 * translation request, whose second answer comes from the device-TLB.
 */
static void hit_perm(int model, struct env *e, struct vtd_request r, unsigned want,
		     const char *what)
{
	struct vtd_cache *c = mk(model, NULL);
	unsigned walked;
	int hit = r.at == VTD_AT_TRANSLATION_REQ ? VTD_CACHE_DEVTLB : VTD_CACHE_IOTLB;

	int good = !xl(c, e, r) && !t.fault && ci.hit == VTD_CACHE_N;
	walked = t.perm;
	good = good && !xl(c, e, r) && !t.fault && ci.hit == hit;
	if (!ok(good && t.perm == walked && walked == want, "%s (%s): walk and %s hit report %c%c%c",
		what, model == VTD_CMODEL_QEMU72 ? "QEMU 7.2" : "spec",
		hit == VTD_CACHE_IOTLB ? "IOTLB" : "device-TLB", want & VTD_ACC_R ? 'r' : '-',
		want & VTD_ACC_W ? 'w' : '-', want & VTD_ACC_X ? 'x' : '-'))
		printf("#   walk 0x%x, hit 0x%x (fault 0x%02x, hit %u)\n", walked, t.perm, t.fault,
		       ci.hit);
	vtd_cache_free(c);
}

static void test_hit_perm(void)
{
	const unsigned rw = VTD_ACC_R | VTD_ACC_W, rwx = rw | VTD_ACC_X;
	struct vtd_request r;
	struct env e;
	struct smdev d;
	uint64_t root;

	/* Second stage, X clear in the PTE: without SSEE execute follows read, given ERE. */
	env_init(&e, 1, 0);
	reg_set(&e.u.ecap, &vtd_l_reg_ecap, "ERS", 1);
	vtd_unit_prepare(&e.u, NULL);
	d = sm_dev(&e, 0x18, 0, L("DTE=1"), L("PGTT=2", "AW=2", "DID=1", "PWSNP=1"));
	map(&e, 0, d.ss, 4, 0x1000, 0x30001000, 1, L("R=1", "W=1"));
	hit_perm(VTD_CMODEL_SPEC, &e, rq(0x18, 0x1000, VTD_ACC_W), rw,
		 "second stage, ERE clear: nothing executes");
	setf(&e, d.pe, &vtd_l_pasid_entry, "ERE", 1);
	hit_perm(VTD_CMODEL_SPEC, &e, rq(0x18, 0x1000, VTD_ACC_W), rwx,
		 "second stage, ERE set, SSEE clear: execute follows read");
	hit_perm(VTD_CMODEL_SPEC, &e, rq(0x18, 0x1000, VTD_ACC_R | VTD_ACC_X), rwx,
		 "the same, asked by an execute request");
	r = rq(0x18, 0x1000, VTD_ACC_R);
	r.at = VTD_AT_TRANSLATION_REQ;
	hit_perm(VTD_CMODEL_SPEC, &e, r, rwx, "the same, to a translation request");
	setf(&e, d.pe, &vtd_l_pasid_entry, "SSEE", 1);
	hit_perm(VTD_CMODEL_SPEC, &e, rq(0x18, 0x1000, VTD_ACC_W), rw,
		 "second stage, SSEE set: X clear in the PTE");

	/* First stage: XD and ERE. */
	d = sm_dev(&e, 0x20, 0, NULL, L("PGTT=1", "DID=2", "PWSNP=1", "ERE=1"));
	map(&e, 1, d.fs, 4, 0x1000, 0x30001000, 1, L("P=1", "RW=1", "US=1", "A=1", "D=1"));
	map(&e, 1, d.fs, 4, 0x2000, 0x30002000, 1, L("P=1", "RW=1", "US=1", "A=1", "D=1", "XD=1"));
	hit_perm(VTD_CMODEL_SPEC, &e, rq(0x20, 0x1000, VTD_ACC_R), rwx, "first stage, ERE set");
	hit_perm(VTD_CMODEL_SPEC, &e, rq(0x20, 0x2000, VTD_ACC_R), rw, "first stage, XD set");
	setf(&e, d.pe, &vtd_l_pasid_entry, "ERE", 0);
	hit_perm(VTD_CMODEL_SPEC, &e, rq(0x20, 0x1000, VTD_ACC_W), rw, "first stage, ERE clear");
	env_free(&e);

	/* Legacy mode reports no execute right. */
	env_init(&e, 0, 0);
	legacy_dev(&e, 0x18, 1, 4, &root);
	map(&e, 0, root, 4, 0x1000, 0x30001000, 1, L("R=1", "W=1", "X=1"));
	hit_perm(VTD_CMODEL_SPEC, &e, rq(0x18, 0x1000, VTD_ACC_R), rw, "legacy mode");
	env_free(&e);

	/* QEMU 7.2: read and write only (IOMMUAccessFlags), in either mode. */
	env_init(&e, 1, 1);
	d = sm_dev(&e, 0x18, 0, NULL, L("PGTT=2", "AW=2", "DID=1"));
	map(&e, 0, d.ss, 4, 0x1000, 0x30001000, 1, L("R=1", "W=1"));
	hit_perm(VTD_CMODEL_QEMU72, &e, rq(0x18, 0x1000, VTD_ACC_W), rw, "scalable mode");
	env_free(&e);
	env_init(&e, 0, 1);
	legacy_dev(&e, 0x18, 1, 4, &root);
	map(&e, 0, root, 4, 0x1000, 0x30001000, 1, L("R=1"));
	hit_perm(VTD_CMODEL_QEMU72, &e, rq(0x18, 0x1000, VTD_ACC_R), VTD_ACC_R, "legacy mode");
	env_free(&e);
}

int main(void)
{
	test_config();
	test_legacy_basic();
	test_stale();
	test_cm();
	test_inv_legacy();
	test_scalable();
	test_devtlb();
	test_replacement();
	test_qemu_legacy();
	test_qemu_scalable();
	test_ad();
	test_hit_perm();
	return tap_done();
}
