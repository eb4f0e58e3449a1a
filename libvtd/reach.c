/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- vtd_reachable: the host memory each device and PASID can reach */
#include <stdlib.h>
#include <string.h>

#include "analyse-internal.h"

/* Output pieces of one entry before they are made disjoint. */
struct pieces {
	struct vtd_reach_range *v;
	size_t n, cap;
	int oom;
};

static void piece(struct pieces *ps, uint64_t base, uint64_t size, unsigned perm)
{
	if (!size || !perm)
		return;
	if (base + size < base)		/* keep ends representable: lose the top byte */
		size = UINT64_MAX - base;
	if (ps->n == ps->cap) {
		size_t nc = ps->cap ? ps->cap * 2 : 16;
		struct vtd_reach_range *x = realloc(ps->v, nc * sizeof(*x));

		if (!x) {
			ps->oom = 1;
			return;
		}
		ps->v = x;
		ps->cap = nc;
	}
	ps->v[ps->n++] = (struct vtd_reach_range){ base, size, perm };
}

struct event {
	uint64_t at;
	int start;
	unsigned perm;
};

static int cmp_event(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	return x->at < y->at ? -1 : x->at > y->at;
}

/*
 * Disjoint, sorted ranges from overlapping pieces: where two mappings
 * (two IOVAs, or two domains of one device) reach one page, the device has
 * the union of their rights there.
 */
static int normalise(struct pieces *ps, struct vtd_reach *r)
{
	struct event *ev = calloc(2 * ps->n + 1, sizeof(*ev));
	struct pieces out = { 0 };
	unsigned cnt[3] = { 0 };

	if (!ev)
		return -1;
	for (size_t i = 0; i < ps->n; i++) {
		ev[2 * i] = (struct event){ ps->v[i].base, 1, ps->v[i].perm };
		ev[2 * i + 1] = (struct event){ ps->v[i].base + ps->v[i].size, 0, ps->v[i].perm };
	}
	qsort(ev, 2 * ps->n, sizeof(*ev), cmp_event);
	for (size_t i = 0; i < 2 * ps->n;) {
		uint64_t at = ev[i].at;
		unsigned perm = 0;

		for (; i < 2 * ps->n && ev[i].at == at; i++)
			for (unsigned b = 0; b < 3; b++)
				if (ev[i].perm >> b & 1)
					cnt[b] += ev[i].start ? 1u : (unsigned)-1;
		for (unsigned b = 0; b < 3; b++)
			perm |= cnt[b] ? 1u << b : 0;
		if (i >= 2 * ps->n || !perm || ev[i].at <= at)
			continue;
		struct vtd_reach_range *last = out.n ? &out.v[out.n - 1] : NULL;

		if (last && last->base + last->size == at && last->perm == perm)
			last->size += ev[i].at - at;
		else
			piece(&out, at, ev[i].at - at, perm);
	}
	free(ev);
	free(ps->v);
	*ps = (struct pieces){ 0 };
	if (out.oom) {
		free(out.v);
		return -1;
	}
	r->ranges = out.v;
	r->n = out.n;
	for (size_t i = 0; i < out.n; i++) {
		r->total += out.v[i].size;
		if (out.v[i].perm & VTD_ACC_W)
			r->writable += out.v[i].size;
	}
	return 0;
}

static void dom_pieces(const struct vtd_bdomain *d, struct pieces *ps)
{
	for (size_t i = 0; i < d->nmaps; i++)
		piece(ps, d->maps[i].pa, d->maps[i].size, d->maps[i].perm);
}

static int cmp_map(const void *a, const void *b)
{
	const struct vtd_bmap *x = *(const struct vtd_bmap *const *)a;
	const struct vtd_bmap *y = *(const struct vtd_bmap *const *)b;

	return x->iova < y->iova ? -1 : x->iova > y->iova;
}

/* First stage through second: each guest-physical run of 'fs' where 'ss' maps it. */
static int nested_pieces(const struct vtd_bdomain *fs, const struct vtd_bdomain *ss,
			 struct pieces *ps)
{
	const struct vtd_bmap **s = calloc(ss->nmaps + 1, sizeof(*s));

	if (!s)
		return -1;
	for (size_t i = 0; i < ss->nmaps; i++)
		s[i] = &ss->maps[i];
	qsort(s, ss->nmaps, sizeof(*s), cmp_map);
	for (size_t i = 0; i < fs->nmaps; i++) {
		const struct vtd_bmap *f = &fs->maps[i];
		uint64_t lo = f->pa, hi = f->pa + f->size;
		size_t a = 0, b = ss->nmaps;

		while (a < b) {
			size_t mid = a + (b - a) / 2;

			if (s[mid]->iova + s[mid]->size <= lo)
				a = mid + 1;
			else
				b = mid;
		}
		for (; a < ss->nmaps && s[a]->iova < hi; a++) {
			uint64_t x = s[a]->iova > lo ? s[a]->iova : lo;
			uint64_t y = s[a]->iova + s[a]->size < hi ? s[a]->iova + s[a]->size : hi;

			if (y > x)
				piece(ps, s[a]->pa + (x - s[a]->iova), y - x, f->perm & s[a]->perm);
		}
	}
	free(s);
	return 0;
}

struct reacher {
	const struct vtd_plan *p;
	struct vtd_reach *v;
	size_t n, cap;
	struct vtd_error *err;
};

static const struct vtd_bdomain *dom(const struct reacher *R, int i, uint8_t stage)
{
	if (i < 0 || (size_t)i >= R->p->ndomains || R->p->domains[i].stage != stage)
		return NULL;
	return &R->p->domains[i];
}

static struct vtd_reach *add(struct reacher *R, uint16_t sid, int has_pasid, uint32_t pasid)
{
	if (R->n == R->cap) {
		size_t nc = R->cap ? R->cap * 2 : 16;
		struct vtd_reach *x = realloc(R->v, nc * sizeof(*x));

		if (!x)
			return NULL;
		R->v = x;
		R->cap = nc;
	}
	memset(&R->v[R->n], 0, sizeof(R->v[0]));
	R->v[R->n].sid = sid;
	R->v[R->n].has_pasid = (uint8_t)has_pasid;
	R->v[R->n].pasid = pasid;
	return &R->v[R->n++];
}

static void all_of(const struct reacher *R, struct vtd_reach *r)
{
	r->all = 1;
	r->total = r->writable = R->p->haw && R->p->haw < 64 ? 1ULL << R->p->haw : UINT64_MAX;
}

/* The pieces one PASID entry (or a legacy device's domain) gives. */
static int entry_pieces(const struct reacher *R, const struct vtd_bpasid *x, struct pieces *ps)
{
	const struct vtd_bdomain *ss = dom(R, x->ss_domain, VTD_STAGE_SECOND);
	const struct vtd_bdomain *fs = dom(R, x->fs_domain, VTD_STAGE_FIRST);

	switch (x->pgtt) {
	case VTD_PGTT_FIRST:
		if (fs)
			dom_pieces(fs, ps);
		return fs ? 0 : -1;
	case VTD_PGTT_SECOND:
		if (ss)
			dom_pieces(ss, ps);
		return ss ? 0 : -1;
	case VTD_PGTT_NESTED:
		if (!fs || !ss)
			return -1;
		return nested_pieces(fs, ss, ps) ? -2 : 0;
	}
	return -1;
}

static int one_entry(struct reacher *R, const struct vtd_bdevice *d, const struct vtd_bpasid *x,
		     int has_pasid)
{
	struct vtd_reach *r = add(R, d->sid, has_pasid, x->pasid);
	struct pieces ps = { 0 };
	int rc;

	if (!r)
		return vtd_fail(R->err, VTD_ENOMEM, "out of memory");
	if (x->pgtt == VTD_PGTT_PT) {
		all_of(R, r);
		return 0;
	}
	if ((rc = entry_pieces(R, x, &ps)) == -1)
		rc = vtd_fail(R->err, VTD_EINVAL, "device 0x%04x PASID %u: PGTT %u with domains "
			      "%d/%d the plan does not hold", d->sid, x->pasid, x->pgtt,
			      x->ss_domain, x->fs_domain);
	else if (rc || ps.oom || normalise(&ps, r))
		rc = vtd_fail(R->err, VTD_ENOMEM, "out of memory");
	free(ps.v);
	return rc;
}

static int device(struct reacher *R, const struct vtd_bdevice *d)
{
	const struct vtd_bpasid *rid = NULL;
	int rc;

	for (size_t i = 0; i < d->npasids; i++)
		if (d->pasids[i].pasid == d->rid_pasid && R->p->scalable)
			rid = &d->pasids[i];
	if (d->kind == VTD_BDEV_PASSTHROUGH || d->kind == VTD_BDEV_BLOCKED || d->domain >= 0 ||
	    !rid) {
		struct vtd_reach *r = add(R, d->sid, 0, 0);
		struct pieces ps = { 0 };
		const struct vtd_bdomain *ss = dom(R, d->domain, VTD_STAGE_SECOND);

		if (!r)
			return vtd_fail(R->err, VTD_ENOMEM, "out of memory");
		if (d->kind == VTD_BDEV_PASSTHROUGH) {
			all_of(R, r);
		} else if (d->kind == VTD_BDEV_TRANSLATE && d->domain >= 0) {
			if (!ss)
				return vtd_fail(R->err, VTD_EINVAL, "device 0x%04x: domain %d is not "
						"a second-stage domain of the plan", d->sid,
						d->domain);
			dom_pieces(ss, &ps);
			if (ps.oom || normalise(&ps, r)) {
				free(ps.v);
				return vtd_fail(R->err, VTD_ENOMEM, "out of memory");
			}
		}
	} else if ((rc = one_entry(R, d, rid, 0))) {
		return rc;
	}
	for (size_t i = 0; R->p->scalable && i < d->npasids; i++)
		if (&d->pasids[i] != rid && (rc = one_entry(R, d, &d->pasids[i], 1)))
			return rc;
	return 0;
}

int vtd_reachable(const struct vtd_plan *p, struct vtd_reach **out, size_t *n,
		  struct vtd_error *err)
{
	struct reacher R = { .p = p, .err = err };
	int rc = 0;

	if (!p || !out || !n)
		return vtd_fail(err, VTD_EINVAL, "no plan or result");
	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < p->ndevices && !rc; i++)
		rc = device(&R, &p->devices[i]);
	if (rc) {
		vtd_reach_free(R.v, R.n);
		return rc;
	}
	*out = R.v;
	*n = R.n;
	return 0;
}

void vtd_reach_free(struct vtd_reach *r, size_t n)
{
	for (size_t i = 0; r && i < n; i++)
		free(r[i].ranges);
	free(r);
}
