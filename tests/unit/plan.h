/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Plans for the unit tests of libvtd/build.h and analyse.h, made element by
 * element (vtd_plan_free frees them).  Static inline: a test uses what it
 * needs of them.
 */
#ifndef VTD_TEST_PLAN_H
#define VTD_TEST_PLAN_H

#include <stdlib.h>
#include <string.h>

#include "build.h"

static inline void plan_init(struct vtd_plan *p, const char *profile, int scalable, uint64_t base,
		      uint64_t size)
{
	const struct vtd_profile *pr = vtd_profile_find(profile);

	memset(p, 0, sizeof(*p));
	p->cap = pr->cap;
	p->ecap = pr->ecap;
	p->haw = pr->haw;
	p->scalable = (uint8_t)scalable;
	p->base = base;
	p->size = size;
	p->irt_size_auto = 1;
}

static inline int dom_add(struct vtd_plan *p, uint16_t did, int stage, unsigned levels)
{
	struct vtd_bdomain *d;

	p->domains = realloc(p->domains, (p->ndomains + 1) * sizeof(*d));
	d = &p->domains[p->ndomains];
	memset(d, 0, sizeof(*d));
	d->did = did;
	d->stage = (uint8_t)stage;
	d->levels = levels;
	d->name = strdup("dom");
	return (int)p->ndomains++;
}

static inline struct vtd_bmap *map_add(struct vtd_plan *p, int di, uint64_t iova, uint64_t pa,
				uint64_t size, unsigned perm, uint64_t page)
{
	struct vtd_bdomain *d = &p->domains[di];
	struct vtd_bmap *m;

	d->maps = realloc(d->maps, (d->nmaps + 1) * sizeof(*m));
	m = &d->maps[d->nmaps++];
	memset(m, 0, sizeof(*m));
	*m = (struct vtd_bmap){ .iova = iova, .pa = pa, .size = size, .perm = perm, .page = page };
	return m;
}

static inline struct vtd_bdevice *dev_add(struct vtd_plan *p, uint16_t sid, int kind, int domain)
{
	struct vtd_bdevice *d;

	p->devices = realloc(p->devices, (p->ndevices + 1) * sizeof(*d));
	d = &p->devices[p->ndevices++];
	memset(d, 0, sizeof(*d));
	d->sid = sid;
	d->kind = (uint8_t)kind;
	d->domain = domain;
	d->pdts_auto = 1;
	return d;
}

static inline struct vtd_bpasid *pasid_add(struct vtd_bdevice *d, uint32_t pasid, int pgtt, int ss,
				    int fs, uint16_t did)
{
	struct vtd_bpasid *x;

	d->pasids = realloc(d->pasids, (d->npasids + 1) * sizeof(*x));
	x = &d->pasids[d->npasids++];
	memset(x, 0, sizeof(*x));
	*x = (struct vtd_bpasid){ .pasid = pasid, .pgtt = (uint8_t)pgtt, .ss_domain = ss,
				  .fs_domain = fs, .did = did };
	return x;
}

#endif
