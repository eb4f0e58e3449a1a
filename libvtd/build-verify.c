/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- vtd_plan_probes, vtd_plan_verify: ask the translation engine what the tables do */
#include <stdlib.h>
#include <string.h>

#include "build-internal.h"

struct pctx {
	const struct vtd_plan *p;
	struct vtd_caps c;
	unsigned per_map;
	int (*fn)(const struct vtd_probe *pr, void *ctx);
	void *ctx;
};

/* What one PASID entry (or legacy context) does with a request. */
struct route {
	int dev;
	uint16_t sid;
	uint8_t has_pasid;
	uint32_t pasid;
	const struct vtd_bpasid *x;	/* NULL: legacy */
	int ss, fs;			/* domains walked; -1 none */
	uint8_t sre, ere;
};

static int send(struct pctx *c, const struct route *rt, uint64_t a, unsigned acc, int priv,
		int ok, uint64_t out, unsigned perm, int domain, const char *where)
{
	struct vtd_probe pr = { .expect_ok = (uint8_t)ok, .out = ok ? out : 0, .perm = perm,
				.device = rt->dev, .domain = domain, .where = where };

	pr.rq.sid = rt->sid;
	pr.rq.has_pasid = rt->has_pasid;
	pr.rq.pasid = rt->pasid;
	pr.rq.priv = (uint8_t)priv;
	pr.rq.addr = a;
	pr.rq.access = acc;
	return c->fn(&pr, c->ctx);
}

/* Expected answer for address 'a' of mapping 'm' in the route's input domain. */
static int probe_at(struct pctx *c, const struct route *rt, const struct vtd_bmap *m, uint64_t a)
{
	const struct vtd_plan *p = c->p;
	int fs = rt->fs >= 0;
	unsigned perm = m->perm;
	uint64_t out = m->pa + (a - m->iova);
	int found = 1, priv = 0, rc;

	if (fs) {
		/* Requests without PASID are user requests; with one, supervisor for supervisor pages. */
		priv = rt->has_pasid && !m->user;
		if (!m->user && !(priv && rt->sre))
			found = 0;
		if (!rt->ere)
			perm &= ~(unsigned)VTD_ACC_X;
	} else {
		perm &= ~(unsigned)VTD_ACC_X;	/* execute is left unprobed on second stage */
	}
	if (fs && rt->ss >= 0 && found) {
		const struct vtd_bmap *s = vtd__map_at(&p->domains[rt->ss], out);

		if (!s)
			found = 0;
		else {
			perm &= s->perm | VTD_ACC_X;
			out = s->pa + (out - s->iova);
		}
	}
	static const unsigned kinds[] = { VTD_ACC_R, VTD_ACC_W, VTD_ACC_R | VTD_ACC_X };
	int dom = fs ? rt->fs : rt->ss;

	for (unsigned k = 0; k < 3; k++) {
		if (kinds[k] & VTD_ACC_X && !(fs && rt->ere))
			continue;
		int ok = found && (perm & kinds[k]) == kinds[k];

		/* Supervisor writes to read-only pages pass unless WPE: not probed. */
		if (kinds[k] == VTD_ACC_W && fs && priv && !(perm & VTD_ACC_W))
			continue;
		if ((rc = send(c, rt, a, kinds[k], priv, ok, out, perm, dom, m->where)))
			return rc;
	}
	return 0;
}

static int probe_map(struct pctx *c, const struct route *rt, const struct vtd_bdomain *d,
		     const struct vtd_bmap *m, int edges)
{
	int fs = d->stage == VTD_STAGE_FIRST, rc;
	uint64_t v = m->iova, pa = m->pa, rem = m->size, last_pg = 0, last = m->iova + m->size - BPAGE;
	unsigned n = 0;

	/* The first page, each change of page size, the last page. */
	while (rem && n + 1 < c->per_map) {
		uint64_t pg = m->page ? m->page : vtd__auto_page(&c->c, fs, v, pa, rem);

		if (pg != last_pg || v == m->iova) {
			if ((rc = probe_at(c, rt, m, v)))
				return rc;
			n++;
		}
		last_pg = pg;
		if (pg > rem)
			break;
		v += pg;
		pa += pg;
		rem -= pg;
	}
	if (last != m->iova && (rc = probe_at(c, rt, m, last)))
		return rc;
	if (!edges)
		return 0;
	struct vtd_bmap none = { .where = m->where };

	if (m->iova && !vtd__map_at(d, m->iova - BPAGE) &&
	    (rc = send(c, rt, m->iova - BPAGE, VTD_ACC_R, 0, 0, 0, 0, (int)(d - c->p->domains),
		       none.where)))
		return rc;
	unsigned iw = 12 + 9 * vtd__dom_levels(d, &c->c);
	uint64_t after = m->iova + m->size;

	if ((iw >= 64 || !(after >> iw)) && !vtd__map_at(d, after) &&
	    (rc = send(c, rt, after, VTD_ACC_R, 0, 0, 0, 0, (int)(d - c->p->domains), none.where)))
		return rc;
	return 0;
}

static int nested_ss(const struct vtd_plan *p, int ss)
{
	for (size_t i = 0; i < p->ndevices; i++)
		for (size_t j = 0; j < p->devices[i].npasids; j++)
			if (p->devices[i].pasids[j].pgtt == VTD_PGTT_NESTED &&
			    p->devices[i].pasids[j].ss_domain == ss)
				return 1;
	return 0;
}

static int probe_route(struct pctx *c, const struct route *rt, const char *where)
{
	const struct vtd_plan *p = c->p;
	int in = rt->fs >= 0 ? rt->fs : rt->ss, rc;

	if (in < 0) {
		/* Pass-through: identity. */
		if ((rc = send(c, rt, 0, VTD_ACC_R, 0, 1, 0, VTD_ACC_R | VTD_ACC_W, -1, where)))
			return rc;
		return send(c, rt, 0x1000, VTD_ACC_W, 0, 1, 0x1000, VTD_ACC_R | VTD_ACC_W, -1, where);
	}
	const struct vtd_bdomain *d = &p->domains[in];
	/* Identity pages nesting adds are not in the plan: no edge probes beside them. */
	int edges = !(rt->fs < 0 && nested_ss(p, rt->ss));

	for (size_t i = 0; i < d->nmaps; i++)
		if ((rc = probe_map(c, rt, d, &d->maps[i], edges)))
			return rc;
	return 0;
}

static int probe_device(struct pctx *c, int di)
{
	const struct vtd_plan *p = c->p;
	const struct vtd_bdevice *d = &p->devices[di];
	struct route rt = { .dev = di, .sid = d->sid, .ss = -1, .fs = -1 };
	struct vtd_bpasid *v;
	size_t n;
	int rc = 0;

	if (d->kind == VTD_BDEV_BLOCKED)
		return send(c, &rt, 0, VTD_ACC_R, 0, 0, 0, 0, -1, d->where);
	if (!p->scalable) {
		if (d->kind == VTD_BDEV_TRANSLATE)
			rt.ss = d->domain;
		return probe_route(c, &rt, d->where);
	}
	if (!(v = vtd__dev_pasids(p, d, &n)))
		return -VTD_ENOMEM;
	for (size_t i = 0; i < n && !rc; i++) {
		const struct vtd_bpasid *x = &v[i];

		rt.x = x;
		rt.has_pasid = x->pasid != d->rid_pasid;
		rt.pasid = x->pasid;
		rt.sre = x->sre;
		rt.ere = x->ere;
		rt.ss = x->pgtt == VTD_PGTT_SECOND || x->pgtt == VTD_PGTT_NESTED ? x->ss_domain : -1;
		rt.fs = x->pgtt == VTD_PGTT_FIRST || x->pgtt == VTD_PGTT_NESTED ? x->fs_domain : -1;
		if (rt.has_pasid && !vtd__paside(&c->c, d))
			continue;
		if (x->nraw)
			continue;	/* an entry wrong on purpose says nothing certain */
		rc = probe_route(c, &rt, x->where ? x->where : d->where);
	}
	free(v);
	return rc;
}

int vtd_plan_probes(const struct vtd_plan *p, unsigned per_map,
		    int (*fn)(const struct vtd_probe *pr, void *ctx), void *ctx)
{
	struct pctx c = { .p = p, .per_map = per_map ? per_map : 8, .fn = fn, .ctx = ctx };
	int rc = 0;

	if (!p || !fn)
		return -VTD_EINVAL;
	vtd_caps_of(p->cap, p->ecap, p->haw, &c.c);
	for (size_t i = 0; i < p->ndevices && !rc; i++)
		if (!p->devices[i].nraw)
			rc = probe_device(&c, (int)i);
	return rc;
}

/* ---- verify ------------------------------------------------------------------------- */

struct vctx {
	struct vtd_unit *u;
	struct vtd_problems *ps;
	struct vtd_error *err;
	long n;
	struct vtd_translation t;
};

static int verify_one(const struct vtd_probe *pr, void *arg)
{
	struct vctx *v = arg;
	int rc = vtd_translate(v->u, &pr->rq, &v->t, v->err);
	const char *acc = pr->rq.access & VTD_ACC_X ? "execute" :
			  pr->rq.access & VTD_ACC_W ? "write" : "read";

	if (rc)
		return rc;
	v->n++;
	if (pr->expect_ok && v->t.fault)
		vtd__problem(v->ps, pr->where, VTD_EFORMAT, &v->t.fault_addr,
			     "sid %04x%s iova 0x%llx %s: faults 0x%x, the plan maps it to 0x%llx",
			     pr->rq.sid, pr->rq.has_pasid ? " pasid" : "",
			     (unsigned long long)pr->rq.addr, acc, v->t.fault,
			     (unsigned long long)pr->out);
	else if (pr->expect_ok && v->t.out != pr->out)
		vtd__problem(v->ps, pr->where, VTD_EFORMAT, NULL,
			     "sid %04x iova 0x%llx %s: goes to 0x%llx, the plan says 0x%llx",
			     pr->rq.sid, (unsigned long long)pr->rq.addr, acc,
			     (unsigned long long)v->t.out, (unsigned long long)pr->out);
	else if (!pr->expect_ok && !v->t.fault)
		vtd__problem(v->ps, pr->where, VTD_EFORMAT, NULL,
			     "sid %04x iova 0x%llx %s: goes to 0x%llx, the plan says it faults",
			     pr->rq.sid, (unsigned long long)pr->rq.addr, acc,
			     (unsigned long long)v->t.out);
	return 0;
}

long vtd_plan_verify(const struct vtd_plan *p, const struct vtd_unit *u, unsigned per_map,
		     struct vtd_problems *ps, struct vtd_error *err)
{
	struct vctx *v = calloc(1, sizeof(*v));
	long n;
	int rc;

	if (!v || !(v->u = malloc(sizeof(*u)))) {
		free(v);
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	}
	/* Answers, not explanations: the walk need not record its steps. */
	memcpy(v->u, u, sizeof(*u));
	v->u->no_steps = 1;
	v->ps = ps;
	v->err = err;
	rc = vtd_plan_probes(p, per_map, verify_one, v);
	n = rc ? rc : v->n;
	if (rc == -VTD_ENOMEM)
		vtd_fail(err, VTD_ENOMEM, "out of memory");
	free(v->u);
	free(v);
	return n;
}
