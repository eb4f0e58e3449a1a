/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvtd -- the caches of a remapping unit and the invalidations that
 * clear them: context cache, PASID cache, IOTLB, paging-structure caches
 * and the device-TLBs of ATS devices, over the translation engine (walk.h).
 *
 * A request is answered from the caches when they hold it, else by a walk
 * that reads memory through whatever the caches still hold for the upper
 * levels (a cached context entry is used even if memory changed since), and
 * fills them.  Every hit can be compared with memory: an answer that memory
 * no longer supports is a stale hit, the window between an unmap and its
 * invalidation.
 */
#ifndef VTD_CACHE_H
#define VTD_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "walk.h"

enum vtd_cache_id {
	VTD_CACHE_CONTEXT = 0,	/* source-id -> root and context entry */
	VTD_CACHE_PASID,	/* (PASID directory, PASID) -> PASID-directory and PASID-table
				 * entry, tagged with the entry's DID for invalidation (the DID
				 * is in the entry, so it cannot be the lookup key) */
	VTD_CACHE_IOTLB,	/* (DID, PASID, page) -> the translation */
	VTD_CACHE_PSC,		/* (DID, PASID, level, address prefix) -> a non-leaf entry */
	VTD_CACHE_DEVTLB,	/* (source-id, PASID, page) -> a device's ATS translation */
	VTD_CACHE_N
};

/* Whose caches: tags, invalidation granularities and quirks. */
enum vtd_cache_model {
	VTD_CMODEL_SPEC = 0,	/* as the specification defines them */
	VTD_CMODEL_QEMU72,	/* QEMU 7.2's intel-iommu, as the harness measured it */
};

enum vtd_replace {
	VTD_REPLACE_LRU = 0,
	VTD_REPLACE_FIFO,
	VTD_REPLACE_RANDOM,	/* seeded, so runs repeat */
	VTD_REPLACE_FLUSH,	/* a full cache empties itself (QEMU's IOTLB) */
};

struct vtd_cache_cfg {
	unsigned size[VTD_CACHE_N];	/* entries; 0: this cache is absent */
	unsigned ways;			/* set associativity; 0: fully associative */
	uint8_t replace;		/* enum vtd_replace */
	uint8_t model;			/* enum vtd_cache_model */
	uint8_t cm;			/* caching mode: not-present entries are cached too */
	uint8_t check_stale;		/* compare every hit with memory */
	uint32_t seed;			/* VTD_REPLACE_RANDOM */
};

/* Sizes, replacement and quirks of the model ('check_stale' on, 'cm' off). */
VTD_API void vtd_cache_cfg_default(struct vtd_cache_cfg *cfg, enum vtd_cache_model model);

struct vtd_cache_stats {
	uint64_t requests;
	uint64_t hits[VTD_CACHE_N], misses[VTD_CACHE_N];
	uint64_t fills[VTD_CACHE_N], evictions[VTD_CACHE_N];
	uint64_t invalidated[VTD_CACHE_N];	/* entries removed by invalidations */
	uint64_t walks;		/* requests that read tables from memory */
	uint64_t stale;		/* hits memory no longer agrees with */
	uint64_t faults;	/* requests answered by a fault (recorded, suppressed or dropped) */
	uint64_t dropped;	/* requests the model blocked without a fault record
				 * (info.dropped); FPD-suppressed faults are not counted here */
	uint64_t descriptors;	/* invalidations applied (queued and register) */
};

struct vtd_cache;

VTD_API int vtd_cache_new(const struct vtd_cache_cfg *cfg, struct vtd_cache **out,
			  struct vtd_error *err);
VTD_API void vtd_cache_free(struct vtd_cache *c);
VTD_API const struct vtd_cache_cfg *vtd_cache_config(const struct vtd_cache *c);
VTD_API const struct vtd_cache_stats *vtd_cache_stats(const struct vtd_cache *c);

/* Empty every cache (counted as neither invalidation nor eviction). */
VTD_API void vtd_cache_flush(struct vtd_cache *c);

/* Global-command events that may empty the caches, depending on the model. */
enum vtd_cache_event {
	VTD_CEV_SRTP = 0,	/* GCMD.SRTP: the root-table pointer was set (again) */
	VTD_CEV_TE,		/* GCMD.TE changed: translation enabled or disabled */
};

/*
 * Tell the model of a global command, after the unit's registers took it.
 * QEMU 7.2 empties every cache on both (vtd_handle_gcmd_srtp and
 * vtd_handle_gcmd_te call vtd_reset_caches; a TE write that changes
 * nothing is no event); the specification only on SRTP when CAP.ESRTPS is
 * set.  Emptied entries count as neither invalidations nor evictions.
 * Returns 1 when the caches were emptied, else 0.
 */
VTD_API int vtd_cache_event(struct vtd_cache *c, const struct vtd_unit *u,
			    enum vtd_cache_event ev);

/* How the caches answered one request. */
struct vtd_cache_info {
	uint8_t hit;		/* VTD_CACHE_IOTLB or _DEVTLB when one answered the
				 * whole request; with CM, the cache whose cached fault
				 * answered (also _CONTEXT or _PASID); in QEMU 7.2's
				 * model _CONTEXT when its pass-through fast path did
				 * (the device's DMA bypasses the unit until a context
				 * invalidation, SRTP or TE decides again); VTD_CACHE_N
				 * when it was walked or translation is off */
	uint8_t used;		/* 1 << VTD_CACHE_*: caches that supplied a part
				 * (context, PASID, paging-structure entries) */
	uint8_t filled;		/* 1 << VTD_CACHE_*: caches this request filled */
	uint8_t stale;		/* the answer rests on an entry memory no longer holds */
	uint8_t dropped;	/* blocked with no fault recorded (t->fault says why) */
	/* With 'stale': the first cached entry that differs, and what a walk
	 * of memory answers now. */
	uint64_t stale_pa;
	uint16_t fresh_fault;
	uint64_t fresh_out;
};

/*
 * Translate one request through the caches; 't' and its steps are filled as
 * vtd_translate() fills them (no steps for the parts the caches supplied).
 * 'ci' may be NULL.  Returns as vtd_translate() does.
 *
 * A translation request (VTD_AT_TRANSLATION_REQ) stands for an ATS device:
 * its own TLB answers when it holds the page with the rights asked for
 * (the device would not ask otherwise), and an answer from the unit fills
 * it.  In the specification's model an IOTLB entry that lacks a right the
 * request needs (or a dirty bit a write must set) is walked again; QEMU
 * 7.2 answers from it anyway and drops the access ('dropped').  A page
 * request (VTD_AT_PAGE_REQUEST) is the engine's alone: it reads the
 * context from memory and touches no cache.
 */
VTD_API int vtd_cache_translate(struct vtd_cache *c, const struct vtd_unit *u,
				const struct vtd_request *rq, struct vtd_translation *t,
				struct vtd_cache_info *ci, struct vtd_error *err);

/*
 * Apply one invalidation descriptor as the queue holds it ('len' 16 or 32
 * bytes).  An invalidation-wait descriptor with SW stores its status data
 * through u->mem.  A descriptor the model rejects (unknown type, reserved
 * bits) fails with -VTD_EINVAL and a message naming the field: what the
 * hardware reports as an invalidation-queue error; a status write that
 * fails returns the write's error.  QEMU 7.2's model takes descriptors as
 * its vtd_process_inv_desc does: the type from bits 3:0, the PASID-based
 * IOTLB (6) and PASID-cache (7) types accepted and ignored, IEC unchecked,
 * types 8 and up refused.
 */
VTD_API int vtd_cache_invalidate(struct vtd_cache *c, const struct vtd_unit *u,
				 const uint8_t *desc, size_t len, struct vtd_error *err);

/*
 * Register-based invalidation: a CCMD write with ICC set (without ICC it
 * does nothing).  CIRG 0 fails with -VTD_EINVAL (CAIG 0).  The register
 * names no unit: what QEMU's model decides again on a context
 * invalidation (its pass-through fast path) is read through the unit the
 * cache last saw in vtd_cache_translate, _invalidate or _event.
 */
VTD_API int vtd_cache_ccmd(struct vtd_cache *c, uint64_t ccmd, struct vtd_error *err);

/*
 * Register-based invalidation: an IOTLB-register write with IVT set, and
 * IVA (without IVT it does nothing).  IIRG 0 fails with -VTD_EINVAL, and
 * so does an address mask above QEMU's MAMV (18) in its model.
 */
VTD_API int vtd_cache_iotlb_reg(struct vtd_cache *c, uint64_t iotlb, uint64_t iva,
				struct vtd_error *err);

#endif
