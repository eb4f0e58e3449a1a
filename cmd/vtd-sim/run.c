/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtd-sim -- scenario operations over the translation engine and its caches */
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#define fail(s, ...) script_fail(&(s)->sc, __VA_ARGS__)

static int translate(struct sim *s, const struct vtd_request *rq, struct vtd_cache_info *ci)
{
	struct vtd_error e = { 0 };
	int rc;

	memset(ci, 0, sizeof(*ci));
	ci->hit = VTD_CACHE_N;
	rc = s->cache ? vtd_cache_translate(s->cache, &s->u, rq, &s->t, ci, &e)
		      : vtd_translate(&s->u, rq, &s->t, &e);
	if (rc < 0)
		return fail(s, cli_exit_for(rc), "translate 0x%llx: %s%s%s",
			    (unsigned long long)rq->addr, e.where[0] ? e.where : "",
			    e.where[0] ? ": " : "", e.msg);
	return 0;
}

/* Does the outcome match what the line expects? */
static int judge(const struct vtd_translation *t, const struct vtd_cache_info *ci, int expect,
		 unsigned code, int has_out, uint64_t out)
{
	int fault = t->fault && !ci->dropped;

	switch (expect) {
	case EXPECT_OK:
		return !t->fault && (!has_out || t->out == out);
	case EXPECT_FAULT:
		return fault && !t->suppressed && t->fault == code;
	case EXPECT_SUPPRESSED:
		return fault && t->suppressed;
	case EXPECT_DROPPED:
		return ci->dropped;
	default:
		return !has_out || (!t->fault && t->out == out);
	}
}

static void tally(struct sim *s, const struct vtd_cache_info *ci, const struct sim_result *r)
{
	const struct vtd_translation *t = r->t;

	s->n.requests++;
	if (ci->dropped)
		s->n.dropped++;
	else if (t->fault && t->suppressed)
		s->n.suppressed++;
	else if (t->fault)
		s->n.faults++;
	else
		s->n.ok++;
	s->n.stale += ci->stale;
	if (r->expect || r->has_out) {
		s->n.expected++;
		s->n.mismatched += !r->agree;
	}
}

static int be_request(void *ctx, const struct script_request *q)
{
	struct sim *s = ctx;
	struct vtd_cache_info ci;
	struct sim_result r = {
		.name = q->name, .rq = &q->rq, .t = &s->t, .expect = q->expect,
		.has_out = q->has_out, .code = q->code, .want_out = q->out,
	};
	int rc = translate(s, &q->rq, &ci);

	if (rc)
		return rc;
	r.ci = s->cache ? &ci : NULL;
	r.agree = (uint8_t)judge(&s->t, &ci, q->expect, q->code, q->has_out, q->out);
	tally(s, &ci, &r);
	sim_print_result(s, &r);
	return 0;
}

/*
 * A device's DMA of 'len' bytes: one translation per page it touches, in
 * order, and the first one that fails ends it.  The result shows the first
 * page's translation, or the failing one.
 */
static int be_probe(void *ctx, const struct script_probe *p)
{
	struct sim *s = ctx;
	struct vtd_request rq = {
		.sid = (uint16_t)p->sid, .access = p->write ? VTD_ACC_W : VTD_ACC_R,
	};
	struct vtd_cache_info ci, first_ci;
	struct sim_result r = {
		.name = p->name, .rq = &rq, .len = p->len, .t = &s->t, .expect = p->expect,
		.has_out = p->has_pa, .code = p->code, .want_out = p->pa,
	};
	uint64_t last = p->iova + p->len - 1, out = 0, size = 0;
	unsigned perm = 0, level = 0;
	int rc, stale = 0;

	for (uint64_t a = p->iova;; a = (a | 0xfff) + 1) {
		rq.addr = a;
		if ((rc = translate(s, &rq, &ci)))
			return rc;
		stale |= ci.stale;
		if (a == p->iova) {
			first_ci = ci;
			out = s->t.out;
			size = s->t.page_size;
			perm = s->t.perm;
			level = s->t.level;
		}
		if (s->t.fault || ci.dropped || (a | 0xfff) >= last)
			break;
	}
	if (!s->t.fault && !ci.dropped) {
		/* Report the DMA by its first page. */
		s->t.out = out;
		s->t.page_size = size;
		s->t.perm = perm;
		s->t.level = (uint8_t)level;
		ci = first_ci;
	}
	ci.stale = (uint8_t)stale;
	rq.addr = p->iova;
	r.ci = s->cache ? &ci : NULL;
	r.agree = (uint8_t)judge(&s->t, &ci, p->expect, p->code, p->has_pa, p->pa);
	tally(s, &ci, &r);
	sim_print_result(s, &r);
	return 0;
}

static int be_load(void *ctx, const char *path, uint64_t pa)
{
	struct sim *s = ctx;
	struct vtd_error e = { 0 };
	uint8_t *data;
	size_t len;
	int rc;

	if (cli_read_file(path, 1u << 30, &data, &len, &e) < 0)
		return fail(s, EXIT_SOURCE, "%s", e.msg);
	rc = vtd_mem_write(s->u.mem, pa, data, len, &e);
	free(data);
	if (rc < 0)
		return fail(s, EXIT_DATA, "load %s (%zu bytes) at 0x%llx: %s (see --ram)", path, len,
			    (unsigned long long)pa, e.msg);
	return 0;
}

static int be_write(void *ctx, uint64_t pa, const uint8_t *buf, size_t len)
{
	struct sim *s = ctx;
	struct vtd_error e = { 0 };

	if (vtd_mem_write(s->u.mem, pa, buf, len, &e) < 0)
		return fail(s, EXIT_DATA, "write of %zu bytes at 0x%llx: %s", len,
			    (unsigned long long)pa, e.msg);
	return 0;
}

/* "enable" is what a driver does: set the root pointer (SRTP), then TE. */
static int be_enable(void *ctx, uint64_t rtaddr)
{
	struct sim *s = ctx;
	int was = s->u.enabled;

	s->u.rtaddr = rtaddr;
	if (s->cache)
		vtd_cache_event(s->cache, &s->u, VTD_CEV_SRTP);
	s->u.enabled = 1;
	if (s->cache && !was)
		vtd_cache_event(s->cache, &s->u, VTD_CEV_TE);
	return 0;
}

static int be_disable(void *ctx)
{
	struct sim *s = ctx;
	int was = s->u.enabled;

	s->u.enabled = 0;
	if (s->cache && was)
		vtd_cache_event(s->cache, &s->u, VTD_CEV_TE);
	return 0;
}

static int inv_result(struct sim *s, int rc, const struct vtd_error *e)
{
	if (rc >= 0)
		return 0;
	return fail(s, EXIT_DATA, "invalidation rejected (the hardware's invalidation error): %s",
		    e->msg);
}

static int be_ccmd(void *ctx, uint64_t ccmd)
{
	struct sim *s = ctx;
	struct vtd_error e = { 0 };

	return s->cache ? inv_result(s, vtd_cache_ccmd(s->cache, ccmd, &e), &e) : 0;
}

static int be_iotlb(void *ctx, uint64_t iotlb, uint64_t iva)
{
	struct sim *s = ctx;
	struct vtd_error e = { 0 };

	return s->cache ? inv_result(s, vtd_cache_iotlb_reg(s->cache, iotlb, iva, &e), &e) : 0;
}

static int be_qi(void *ctx, const uint8_t *desc, unsigned n)
{
	struct sim *s = ctx;
	struct vtd_error e = { 0 };
	int rc;

	for (unsigned i = 0; s->cache && i < n; i++) {
		rc = vtd_cache_invalidate(s->cache, &s->u, desc + i * s->sc.qi_width,
					  s->sc.qi_width, &e);
		if (rc < 0)
			return fail(s, EXIT_DATA, "descriptor %u rejected (the hardware's "
				    "invalidation-queue error): %s", i, e.msg);
	}
	return 0;
}

/* Clear the leaf entry that maps a request's address, as an unmap does. */
static int be_unmap(void *ctx, const struct script_request *q)
{
	struct sim *s = ctx;
	struct vtd_unit u = s->u;
	struct vtd_error e = { 0 };
	static const uint8_t zero[8];
	char bdf[8];
	int rc;

	/* Memory as it is now, not as the caches remember it. */
	u.no_steps = 0;
	if ((rc = vtd_translate(&u, &q->rq, &s->t, &e)) < 0)
		return fail(s, cli_exit_for(rc), "unmap: %s", e.msg);
	for (unsigned i = s->t.nsteps; !s->t.fault && i-- > 0;)
		if (s->t.steps[i].level >= 1)
			return be_write(s, s->t.steps[i].pa, zero, sizeof(zero));
	return fail(s, EXIT_DATA, "unmap: %s 0x%llx is not mapped through a page table (%s)",
		    script_bdf_str(q->rq.sid, bdf), (unsigned long long)q->rq.addr,
		    s->t.fault ? "it faults" :
		    s->t.kind == VTD_XK_PAGE_REQUEST ? "a page request translates nothing" :
		    "pass-through or translation disabled");
}

static int be_regs(void *ctx)
{
	struct sim *s = ctx;

	if (s->o->json)
		fprintf(s->out, "{\"regs\":{\"cap\":\"0x%016llx\",\"ecap\":\"0x%016llx\","
			"\"rtaddr\":\"0x%016llx\",\"te\":%s}}\n", (unsigned long long)s->u.cap,
			(unsigned long long)s->u.ecap, (unsigned long long)s->u.rtaddr,
			s->u.enabled ? "true" : "false");
	else if (!s->o->quiet && !s->o->tap)
		fprintf(s->out, "regs: CAP 0x%016llx ECAP 0x%016llx RTADDR 0x%016llx TE %d\n",
			(unsigned long long)s->u.cap, (unsigned long long)s->u.ecap,
			(unsigned long long)s->u.rtaddr, s->u.enabled);
	return 0;
}

static int be_stats(void *ctx)
{
	sim_print_stats(ctx);
	return 0;
}

const struct script_backend sim_backend = {
	.load = be_load, .write = be_write, .enable = be_enable, .disable = be_disable,
	.probe = be_probe, .request = be_request, .ccmd = be_ccmd, .iotlb = be_iotlb,
	.qi = be_qi, .regs = be_regs, .unmap = be_unmap, .stats = be_stats,
};
