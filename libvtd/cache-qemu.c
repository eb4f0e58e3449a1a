/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvtd -- QEMU 7.2's pass-through fast path, part of its cache model.
 * When vtd_do_iommu_translate finds a device pass-through, it calls
 * vtd_pt_enable_fast_path: vtd_switch_address_space reads the context
 * (and PASID) entry from memory again and, if they say pass-through,
 * turns the device's DMAR region off, so that its DMA reaches memory
 * without the unit from then on.  Only another vtd_switch_address_space
 * decides again: a device-selective context-cache invalidation for that
 * device, and a global one, SRTP or a TE change for all devices
 * (vtd_address_space_refresh_all).  Until then a context changed back to
 * translation is not seen: a decision cached like a context entry.
 */
#include "cache-internal.h"

#include <stdlib.h>

static int find(const struct vtd_cache *c, unsigned sid)
{
	for (unsigned i = 0; i < c->npt; i++)
		if (c->pt[i].sid == sid)
			return (int)i;
	return -1;
}

static void drop(struct vtd_cache *c, int i)
{
	free(c->pt[i].d.v);
	c->pt[i] = c->pt[--c->npt];
}

void vtd__qemu_pt_clear(struct vtd_cache *c)
{
	while (c->npt)
		drop(c, (int)c->npt - 1);
}

/*
 * vtd_switch_address_space for the address space without PASID: bypass
 * when translation is on and memory says pass-through (vtd_as_pt_enabled:
 * a valid context entry and, in scalable mode, the RID_PASID entry).
 */
void vtd__qemu_pt_switch(struct vtd_cache *c, const struct vtd_unit *u, unsigned sid)
{
	struct vtd_request rq = { .sid = (uint16_t)sid, .access = VTD_ACC_R };
	struct vtd_translation *t = c->scratch;
	int i = find(c, sid), pt;

	pt = u && u->enabled && !vtd_translate(vtd__cache_unit(c, u, u->mem, 0), &rq, t, NULL) &&
	     !t->fault && t->kind == VTD_XK_PASSTHROUGH;
	if (!pt) {
		if (i >= 0)
			drop(c, i);
		return;
	}
	if (i < 0) {
		if (c->npt == c->cappt) {
			unsigned cap = c->cappt ? 2 * c->cappt : 8;
			struct ptfast *n = realloc(c->pt, cap * sizeof(*n));

			if (!n)
				return;
			c->pt = n;
			c->cappt = cap;
		}
		i = (int)c->npt++;
		c->pt[i].sid = (uint16_t)sid;
	} else {
		free(c->pt[i].d.v);
	}
	if (vtd__deps_of(c, t, &c->pt[i].d)) {
		c->pt[i] = c->pt[--c->npt];
		return;
	}
	c->pt[i].vgen = u->mem->gen;
}

/* vtd_address_space_refresh_all: every device decided again (every source-id here). */
void vtd__qemu_pt_switch_all(struct vtd_cache *c, const struct vtd_unit *u)
{
	vtd__qemu_pt_clear(c);
	if (!u || !u->enabled)
		return;
	for (unsigned sid = 0; sid < 0x10000; sid++)
		vtd__qemu_pt_switch(c, u, sid);
}

/* A request without PASID from a device that bypasses the unit: memory as addressed. */
int vtd__qemu_pt_answer(struct vtd_cache *c, const struct vtd_unit *u,
			const struct vtd_request *rq, struct vtd_translation *t,
			struct vtd_cache_info *ci)
{
	int i = find(c, rq->sid);
	uint64_t bad;

	if (i < 0)
		return 0;
	memset(ci, 0, sizeof(*ci));
	ci->hit = VTD_CACHE_CONTEXT;
	memset(t, 0, offsetof(struct vtd_translation, steps));
	t->out = rq->addr;
	t->page_size = 4096;
	t->perm = VTD_ACC_R | VTD_ACC_W;
	t->kind = VTD_XK_PASSTHROUGH;
	t->passthrough = 1;
	c->st.requests++;
	c->st.hits[VTD_CACHE_CONTEXT]++;
	if (c->cfg.check_stale && c->pt[i].vgen != u->mem->gen) {
		if (vtd__deps_check(u->mem, c->pt[i].d.v, c->pt[i].d.n, &bad)) {
			ci->stale = 1;
			ci->stale_pa = bad;
			c->st.stale++;
			vtd__cache_fresh(c, u, rq, ci);
		} else {
			c->pt[i].vgen = u->mem->gen;
		}
	}
	return 1;
}
