/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- DMA-remapping translation: one request walked through the tables */
#ifndef VTD_WALK_H
#define VTD_WALK_H

#include <stddef.h>
#include <stdint.h>

#include "layout.h"
#include "mem.h"

/* Access rights, in requests and in results. */
#define VTD_ACC_R	0x1
#define VTD_ACC_W	0x2
#define VTD_ACC_X	0x4

/* PCIe address type of a request. */
enum vtd_at {
	VTD_AT_UNTRANSLATED = 0,
	VTD_AT_TRANSLATION_REQ = 1,	/* ATS translation request (device-TLB fill) */
	VTD_AT_TRANSLATED = 2,		/* already translated by a device-TLB */
};

struct vtd_request {
	uint16_t sid;		/* bus << 8 | dev << 3 | fn */
	uint8_t has_pasid;
	uint8_t priv;		/* privileged (supervisor) request: needs PASID */
	uint32_t pasid;		/* 20 bits, with has_pasid */
	uint64_t addr;		/* input address */
	unsigned access;	/* VTD_ACC_*: R or W, X only with R */
	uint8_t at;		/* enum vtd_at */
};

/* Which fault codes to report (vtd-facts.md sections 2 and 9). */
enum vtd_numbering {
	VTD_NUM_SPEC = 0,	/* the specification, as hardware and Linux report them */
	VTD_NUM_QEMU72,		/* QEMU 7.2's intel-iommu, as our harness measured it */
};

/*
 * The layout tables resolved for the engine: the field rows it reads and,
 * per structure, the bits no field declares.  Private to the engine; filled
 * by vtd_unit_prepare() and read-only afterwards.  Nothing here depends on
 * the unit's settings, only on the descriptor tables.
 */
struct vtd_wentry {			/* one paging-entry layout */
	const struct vtd_layout *l;
	uint64_t rsvd;			/* bits no field declares */
	uint64_t haw;			/* address bits under the host-address-width rule */
	/* Second stage: R W X EMT IPAT SNP TM, first stage: P RW US XD; both: PS A D ADDR. */
	const struct vtd_field *r, *w, *x, *emt, *ipat, *snp, *tm;
	const struct vtd_field *p, *rw, *us, *xd;
	const struct vtd_field *ps, *a, *d, *addr;
	/* The same rows as bits in place (0 when absent); ADDR's value is entry & m_addr. */
	uint64_t m_r, m_w, m_x, m_snp, m_tm, m_p, m_rw, m_us, m_xd, m_ps, m_a, m_d, m_addr;
};

/* A field of a table or register, resolved: raw = (word[w] >> shift) & mask. */
struct vtd_wfield {
	const struct vtd_field *f;	/* the layout's row */
	uint64_t mask;			/* of the raw value, at bit 0 */
	uint8_t w, shift, vshift;	/* word, position in it; value = raw << vshift */
};

struct vtd_wtable {			/* a root, context or PASID structure */
	const struct vtd_layout *l;
	uint64_t rsvd[8], haw[8];	/* per 64-bit word, as in struct vtd_wentry */
};

struct vtd_walk_prep {
	uint32_t magic;			/* VTD_WALK_PREP_MAGIC once filled */
	struct vtd_wtable root_l, root_sm, ctx_l, ctx_sm, pdir, pe;
	struct vtd_wentry pg[2][6][2];	/* [first stage][level][leaf] */
	struct {
		struct vtd_wfield p, ctp;
	} rl;
	struct {
		struct vtd_wfield lp, lctp, up, uctp;
	} rs;
	struct {
		struct vtd_wfield p, fpd, tt, ssptptr, aw, did;
	} cl;
	struct {
		struct vtd_wfield p, fpd, dte, paside, pre, pdts, dirptr, rid_pasid,
			rid_priv;
	} cs;
	struct {
		struct vtd_wfield p, fpd, tblptr;
	} pd;
	struct {
		struct vtd_wfield p, fpd, aw, ssee, pgtt, ssade, ssptptr, did, pwsnp,
			pgsnp, cd, emte, emt, pwt, pcd, pat, sre, ere, fspm, wpe, eafe,
			fsptptr;
	} pa;
	struct {
		struct vtd_wfield sagaw, mgaw, sslps, fs1gp, fs5lp;
	} cap;
	struct {
		struct vtd_wfield dt, pt, sc, mts, nest, prs, ers, srs, eafs, pss, pasid,
			smts, ssads, ssts, fsts, smpwc, rps, adms, rprivs;
	} ecap;
	struct {
		struct vtd_wfield ttm, rta;
	} rt;
};

#define VTD_WALK_PREP_MAGIC 0x76746477u

/*
 * The machine state a translation reads: memory, the root-table register
 * and the capabilities.  Tables are read through 'mem' only; nothing is
 * cached here (see cache.h for the caching model).
 */
struct vtd_unit {
	struct vtd_mem *mem;
	uint64_t rtaddr;	/* RTADDR register: address and TTM (legacy / scalable) */
	uint64_t cap, ecap;	/* capability registers (vtd_unit_qemu_defaults) */
	unsigned haw;		/* host address width for reserved-bit checks */
	uint8_t enabled;	/* GSTS.TES: 0 means untranslated = identity */
	uint8_t numbering;	/* enum vtd_numbering */
	uint8_t flts;		/* QEMU numbering: walk first stage in scalable mode */
	uint8_t write_ad;	/* set accessed/dirty bits in memory as hardware does */
	uint8_t no_steps;	/* leave t->steps empty (nsteps 0): for callers that
				 * want answers, not explanations */
	struct vtd_walk_prep prep;	/* private: see vtd_unit_prepare */
};

/*
 * Resolve the layout tables for the engine into u->prep (field rows by
 * name, reserved bits per word).  Call once; a unit that was never
 * prepared still translates, only slower, since vtd_translate then
 * resolves them for every request.  0, or -VTD_EINTERNAL when a
 * descriptor table lacks a field the engine needs.
 */
VTD_API int vtd_unit_prepare(struct vtd_unit *u, struct vtd_error *err);

/*
 * CAP/ECAP and HAW of QEMU's intel-iommu with these properties (aw_bits 39
 * or 48), as read from QEMU 7.2 (tests/data/regs), and prepared.  The other
 * members are left as they are.
 */
VTD_API void vtd_unit_qemu_defaults(struct vtd_unit *u, int scalable, unsigned aw_bits);

/* One structure read on the way. */
struct vtd_walk_step {
	const struct vtd_layout *layout;	/* root-legacy, context-sm, ss-pde, ... */
	uint64_t pa;		/* where it was read */
	unsigned index;		/* entry index within its table */
	int level;		/* paging level (1 = PTE), 0 for other structures */
	uint8_t raw[64];	/* the entry as read (layout->size bytes) */
};

/*
 * Root, context, the RID_PASID and the request's PASID directory and table
 * entries, then a nested walk: 5 first-stage levels each behind a 5-level
 * second-stage walk, and the second-stage walk of the output.
 */
#define VTD_WALK_MAX_STEPS 48

/* What translated the request (struct vtd_translation.kind). */
enum vtd_xlate_kind {
	VTD_XK_NONE = 0,	/* faulted before a translation type was known */
	VTD_XK_DISABLED,	/* translation disabled (GSTS.TES = 0): identity */
	VTD_XK_PASSTHROUGH,	/* context TT = 2 or PASID-entry PGTT = 4 */
	VTD_XK_TRANSLATED,	/* a translated request the context lets through */
	VTD_XK_SECOND,		/* second stage (legacy multi-level or PGTT = 2) */
	VTD_XK_FIRST,		/* first stage (PGTT = 1) */
	VTD_XK_NESTED,		/* first stage nested over second stage (PGTT = 3) */
};

struct vtd_translation {
	/* Outcome. */
	uint16_t fault;		/* fault reason (FRCD.FR), 0 on success */
	uint8_t suppressed;	/* the fault is one FPD suppresses: not recorded */
	uint8_t unbacked;	/* a structure's memory is absent from the source
				 * (a dump hole): 'fault' is the read-error code */
	uint64_t fault_addr;	/* where the walk stopped: the structure's address */

	/* Success. */
	uint64_t out;		/* output (host physical) address of addr */
	uint64_t page_size;	/* bytes mapped by the leaf (4K, 2M, 1G) */
	unsigned perm;		/* VTD_ACC_* the mapping allows */
	uint16_t did;		/* domain id */
	uint8_t level;		/* level of the leaf entry (0: no walk, e.g. pass-through) */
	uint8_t passthrough;
	uint8_t snoop;		/* SNP of the leaf (second stage), or PASID-entry PGSNP */
	uint8_t emt, ipat;	/* memory type of the leaf when defined */
	uint8_t accessed, dirty;	/* A/D bits this request sets (reported always) */

	/* Context of the walk, also set on faults when known. */
	uint8_t kind;		/* enum vtd_xlate_kind */
	uint8_t has_pasid;	/* a PASID selected the PASID entry (scalable mode) */
	uint32_t pasid;		/* that PASID: the request's, or the context's RID_PASID */

	/* Explanation: every entry read, in order. */
	unsigned nsteps;
	struct vtd_walk_step steps[VTD_WALK_MAX_STEPS];
};

/*
 * Translate one request.  Returns 0 when the walk ran to an answer (success
 * or a fault: see t->fault), or a negative error code when it could not run
 * (bad arguments, a source I/O error), with err filled.  A structure the
 * source does not hold (-VTD_EUNMAPPED) is an answer: the fault a failed
 * read of it raises, with t->unbacked set.
 *
 * Accessed/dirty updates are reported in t->accessed/t->dirty; with
 * u->write_ad they are also stored, when the source is writable.
 */
VTD_API int vtd_translate(const struct vtd_unit *u, const struct vtd_request *rq,
			  struct vtd_translation *t, struct vtd_error *err);

/*
 * "root-legacy[0] @0x101000 -> context-legacy[0x18] @0x102180 -> ... ->
 * 0x300000" or "... -> fault 0x05": the walk in one line, cut to fit 'size'
 * (always NUL-terminated when size > 0).
 */
VTD_API void vtd_translation_path(const struct vtd_translation *t, char *buf, size_t size);

#endif
