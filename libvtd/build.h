/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- translation tables built from a plan: vtd-compile's engine */
#ifndef VTD_BUILD_H
#define VTD_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "layout.h"
#include "mem.h"
#include "walk.h"

/*
 * A plan says what the tables must do: which device reaches which host
 * memory at which input address, with which rights.  vtd_build() turns it
 * into table pages at a placement; vtd_plan_read() turns tables back into
 * a plan; vtd_plan_verify() checks, with the translation engine, that a
 * unit's tables do what a plan says.  Everything here is deterministic:
 * the same plan gives the same bytes.
 *
 * Every element carries 'where', a string the caller chose (vtd-compile
 * uses the element's JSON pointer, "/domains/2/map/5"); problems quote it
 * so that the caller can turn it into file:line:col.  The library never
 * frees it.
 */

/* ---- capability profiles ------------------------------------------------ */

struct vtd_profile {
	const char *name;	/* "qemu", "qemu-sm", "client", "server" */
	const char *desc;	/* one line */
	uint64_t cap, ecap;	/* what the tables may use is read from these */
	unsigned haw;		/* host address width */
};

/* The idx-th named profile; NULL past the end.  Index 0 is the default ("qemu"). */
VTD_API const struct vtd_profile *vtd_profile_at(unsigned idx);
/* Profile by name (case-insensitive); NULL if none. */
VTD_API const struct vtd_profile *vtd_profile_find(const char *name);

/* What a profile allows, read from CAP/ECAP through the register layouts. */
struct vtd_caps {
	unsigned haw;
	uint8_t sagaw;		/* CAP.SAGAW bits: bit 1 = 39-bit/3-level, 2 = 48/4, 3 = 57/5 */
	uint8_t sslps;		/* CAP.SSLPS: bit 0 = 2 MiB, bit 1 = 1 GiB */
	uint8_t fs1gp, fs5lp;	/* first stage: 1 GiB pages, 5 levels */
	uint8_t pt, dt, sm, ir, ere, nest, fsts, ssts;	/* ECAP bits */
	unsigned nd_bits;	/* domain ids are < 2^nd_bits */
	unsigned pasid_bits;	/* ECAP.PSS + 1; 0 without ECAP.PASID */
	unsigned mgaw;
	uint8_t sc, srs;	/* ECAP.SC (legacy SNP), ECAP.SRS (supervisor requests) */
	uint8_t rps;		/* ECAP.RPS: a RID_PASID other than 0 */
};
VTD_API void vtd_caps_of(uint64_t cap, uint64_t ecap, unsigned haw, struct vtd_caps *out);

/* ---- the plan ----------------------------------------------------------- */

/* Raw field values on an entry, for tables that are wrong on purpose. */
struct vtd_braw {
	const struct vtd_field *f;	/* a field of the entry's layout, or NULL for... */
	uint16_t lsb, width;		/* ...a reserved run (f NULL): these bits */
	uint64_t raw;
	const char *where;
};

struct vtd_bmap {		/* one mapping of a domain */
	uint64_t iova, pa, size;	/* bytes, 4 KiB aligned */
	unsigned perm;			/* VTD_ACC_R/W/X */
	uint8_t snoop;			/* second stage: SNP */
	uint8_t user;			/* first stage: US (user pages) */
	uint64_t page;			/* 0: the largest legal page; else 4K, 2M or 1G forced */
	struct vtd_braw *raw;		/* applied to every leaf entry of the mapping */
	size_t nraw;
	const char *where;
};

enum vtd_stage { VTD_STAGE_SECOND = 0, VTD_STAGE_FIRST = 1 };

struct vtd_bdomain {
	const char *name;		/* the layout's name for it, for the map */
	uint16_t did;			/* domain id (second-stage domains) */
	uint8_t stage;			/* enum vtd_stage: which paging tables */
	unsigned levels;		/* 3, 4 or 5; 0: the profile's largest (SAGAW / FS5LP) */
	struct vtd_bmap *maps;		/* sorted by iova, no overlaps (vtd_plan_check) */
	size_t nmaps;
	const char *where;
};

enum vtd_bdev_kind {
	VTD_BDEV_TRANSLATE = 0,		/* through its domain (legacy TT 0/1, scalable RID_PASID) */
	VTD_BDEV_PASSTHROUGH,		/* legacy TT 2 / scalable PGTT 4 on RID_PASID */
	VTD_BDEV_BLOCKED,		/* no context entry: every request faults */
};

/* A PASID-table entry (scalable mode). */
enum vtd_pgtt { VTD_PGTT_FIRST = 1, VTD_PGTT_SECOND = 2, VTD_PGTT_NESTED = 3, VTD_PGTT_PT = 4 };

struct vtd_bpasid {
	uint32_t pasid;
	uint8_t pgtt;			/* enum vtd_pgtt */
	int ss_domain;			/* index into plan->domains: SECOND, NESTED; else -1 */
	int fs_domain;			/* index: FIRST, NESTED (a first-stage domain); else -1 */
	uint16_t did;			/* the entry's DID when ss_domain is -1 (FIRST, PT) */
	uint8_t sre;			/* supervisor requests allowed */
	uint8_t ere;			/* execute requests allowed */
	struct vtd_braw *raw;		/* on the PASID entry */
	size_t nraw;
	const char *where;
};

struct vtd_bdevice {
	uint16_t sid;			/* bus << 8 | dev << 3 | fn; unique in the plan */
	uint8_t kind;			/* enum vtd_bdev_kind */
	uint8_t devtlb;			/* legacy TT 1 / scalable DTE: device-TLB allowed */
	int domain;			/* legacy: its second-stage domain; scalable: RID_PASID's
					 * (PGTT 2), -1 when 'pasids' holds RID_PASID's entry */
	uint32_t rid_pasid;		/* scalable: RID_PASID (usually 0) */
	unsigned pdts;			/* scalable: PASID directory entries = 2^(pdts+7); 0 with
					 * pdts_auto: the fewest that hold the largest PASID */
	uint8_t pdts_auto;
	struct vtd_bpasid *pasids;	/* scalable: sorted by pasid, unique */
	size_t npasids;
	struct vtd_braw *raw;		/* on the context entry */
	size_t nraw;
	const char *where;
};

struct vtd_birte {
	uint32_t index;
	uint8_t bytes[16];		/* the entry, encoded by the caller through the IRTE layouts */
	const char *where;
};

struct vtd_brange {
	uint64_t base, size;
	const char *where;
};

struct vtd_plan {
	uint64_t cap, ecap;		/* the profile, possibly overridden */
	unsigned haw;
	uint8_t scalable;		/* scalable-mode root and context tables */
	uint8_t dedup;			/* share identical sub-tables (paging tables across domains) */
	/* Placement: table pages go in [base, base + size), skipping 'exclude'. */
	uint64_t base, size;
	struct vtd_brange *exclude;
	size_t nexclude;
	struct vtd_bdomain *domains;	/* in the order their tables are allocated */
	size_t ndomains;
	struct vtd_bdevice *devices;	/* sorted by sid */
	size_t ndevices;
	struct vtd_birte *irtes;	/* sorted by index; none: no interrupt-remapping table */
	size_t nirtes;
	unsigned irt_size_log2;		/* IRTA.S: 2^(S+1) entries; with irt_size_auto, the fewest */
	uint8_t irt_size_auto;
	uint8_t irt_eime;		/* IRTA.EIME (x2APIC mode) */
	const char *where;
};

/*
 * Free a plan (and zero it): every array in it, every raw list and every
 * 'name' and 'where' string are malloc'd, whoever made the plan.
 */
VTD_API void vtd_plan_free(struct vtd_plan *p);

/* ---- problems ------------------------------------------------------------ */

struct vtd_problem {
	const char *where;		/* the element's 'where' (may be NULL) */
	int code;			/* enum vtd_errcode: ERANGE, EFORMAT, ... */
	uint64_t addr;			/* a physical address when has_addr */
	uint8_t has_addr;
	char msg[200];
};

/* A growing list of problems: every check reports all it finds, not only the first. */
struct vtd_problems {
	struct vtd_problem *v;
	size_t n, cap;
	size_t max;			/* stop storing after this many (0: 1000) */
	size_t dropped;			/* problems beyond 'max' */
};
VTD_API void vtd_problems_free(struct vtd_problems *ps);

/*
 * Check a plan against its profile before building: mappings misaligned,
 * overlapping (within a domain), beyond the input width of the domain's
 * levels or beyond HAW; forced page sizes the profile lacks or the
 * alignment does not allow; duplicate devices or PASIDs; domain indexes out
 * of range or of the wrong stage; PASIDs beyond the PASID size; domain ids
 * beyond ND; pass-through, device-TLB, scalable mode, nesting or IRT the
 * profile lacks; IRTE indexes beyond the table; raw fields that do not fit.
 * Returns the number of problems added to 'ps'.
 */
VTD_API size_t vtd_plan_check(const struct vtd_plan *p, struct vtd_problems *ps);

/* ---- building ------------------------------------------------------------- */

enum vtd_page_kind {
	VTD_PG_ROOT = 1,
	VTD_PG_CONTEXT,			/* scalable mode: a lower or upper half */
	VTD_PG_PASID_DIR,
	VTD_PG_PASID_TABLE,
	VTD_PG_SS,			/* a second-stage paging table, 'level' */
	VTD_PG_FS,			/* a first-stage paging table, 'level' */
	VTD_PG_IRT,
};

/* One table page of the image, for the map. */
struct vtd_bpage {
	uint64_t pa;
	uint8_t kind;			/* enum vtd_page_kind */
	uint8_t level;			/* paging tables: 1 = PT .. 5 = PML5 */
	uint8_t upper;			/* scalable context: the upper half (devfn 0x80..0xff) */
	uint16_t bus;			/* context tables */
	int device;			/* PASID structures: plan->devices index; else -1 */
	int domain;			/* paging tables: plan->domains index (first user); else -1 */
	uint64_t iova;			/* paging tables: first input address the page covers */
	uint32_t pasid;			/* PASID tables: first PASID the page holds */
	uint32_t shared;		/* how many parents point here (dedup: > 1) */
};

struct vtd_image {
	uint64_t base;			/* = plan->base */
	size_t size;			/* bytes from base to the end of the last page used */
	uint8_t *bytes;
	uint64_t rtaddr;		/* RTADDR to program: root table | TTM */
	uint64_t irta;			/* IRTA to program: 0 without an IRT */
	uint64_t *domain_top;		/* per plan domain: its top table's address */
	struct vtd_bpage *pages;	/* in address order */
	size_t npages;
	size_t min_pages;		/* the fewest pages any builder could use for the plan */
};

/*
 * Build the tables.  Problems that only building finds (the region
 * overflows: "needs N pages, the region holds M") go to 'ps' and the call
 * returns -VTD_ERANGE; -VTD_ENOMEM or -VTD_EINVAL (a plan vtd_plan_check
 * rejects) otherwise.  The plan must have passed vtd_plan_check.
 */
VTD_API int vtd_build(const struct vtd_plan *p, struct vtd_image *img, struct vtd_problems *ps,
		      struct vtd_error *err);
VTD_API void vtd_image_free(struct vtd_image *img);

/* ---- reading tables back ----------------------------------------------------- */

/*
 * The plan that tables in 'mem' implement, from the RTADDR value (TTM
 * selects the mode) and the profile: devices in sid order, each domain
 * (tables and DID in common) once, in the order of its top table's
 * address, mappings coalesced into runs of equal attributes with their page
 * size forced, so that building the plan at the tables' own placement gives
 * the same bytes for tables vtd_build made.  Entries vtd_build never writes
 * (reserved bits, odd field values) come back as raw fields.  Cyclic or
 * out-of-range pointers are errors naming the address and the structure
 * path.  'irta' 0: no interrupt-remapping table.
 */
VTD_API int vtd_plan_read(struct vtd_mem *mem, uint64_t rtaddr, uint64_t irta,
			  uint64_t cap, uint64_t ecap, unsigned haw, struct vtd_plan *out,
			  struct vtd_error *err);

/* ---- verification ------------------------------------------------------------ */

/*
 * One request that checks a plan, and what the plan says of it: success
 * at 'out' with 'perm' (the rights the mapping gives), or a fault.
 */
struct vtd_probe {
	struct vtd_request rq;
	uint8_t expect_ok;
	uint64_t out;
	unsigned perm;
	int device, domain;		/* indexes into the plan */
	const char *where;		/* the mapping's, or the device's */
};

/*
 * The requests that check a plan: for each device (and PASID) and each
 * mapping, its first and last page and every page-size boundary inside it,
 * at most 'per_map' pages per mapping (0: 8), each for every access kind;
 * and the page before and after each mapping when nothing maps it.  Calls
 * 'fn' for each; a non-zero return stops and is returned.
 */
VTD_API int vtd_plan_probes(const struct vtd_plan *p, unsigned per_map,
			    int (*fn)(const struct vtd_probe *pr, void *ctx), void *ctx);

/*
 * Run every probe through the engine on 'u' (its tables, registers and
 * numbering) and add a problem for each answer the plan disagrees with.
 * Returns the number of probes run, or a negative error code.
 */
VTD_API long vtd_plan_verify(const struct vtd_plan *p, const struct vtd_unit *u,
			     unsigned per_map, struct vtd_problems *ps, struct vtd_error *err);

#endif
