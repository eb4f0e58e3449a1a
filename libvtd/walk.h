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

/* What a request is: its PCIe address type, or a page request. */
enum vtd_at {
	VTD_AT_UNTRANSLATED = 0,
	VTD_AT_TRANSLATION_REQ = 1,	/* ATS translation request (device-TLB fill) */
	VTD_AT_TRANSLATED = 2,		/* already translated by a device-TLB */
	/*
	 * Not a PCIe AT value (3 is reserved there): a page request message
	 * (PCIe PRI), which the unit checks against the root and context
	 * entries and then hands to the page-request queue, translating
	 * nothing.  Its access is what the device asks for (R, W, X).
	 */
	VTD_AT_PAGE_REQUEST = 3,
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
 * by vtd_unit_prepare() and read-only afterwards.  All but 'set' depends
 * on the descriptor tables alone; 'set' on the unit's registers too.
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
	/* SNP, EMT and IPAT of a leaf: (entry >> s_*) & k_* (k 0 when absent). */
	uint64_t k_snp, k_emt, k_ipat;
	uint8_t s_snp, s_emt, s_ipat;
};

/* A field of a table or register, resolved: raw = (word[w] >> shift) & mask. */
struct vtd_wfield {
	const struct vtd_field *f;	/* the layout's row */
	uint64_t mask;			/* of the raw value, at bit 0 */
	uint8_t w, shift, vshift;	/* word, position in it; value = raw << vshift */
};

/*
 * What the unit's registers make of the tables: the reserved bits of each
 * structure with the host-address-width rule and the fields of absent
 * capabilities folded in, so that a walk checks an entry with one AND.
 * Filled by vtd_unit_prepare() for the registers the unit held then (cap,
 * ecap and haw are the key); a request to a unit whose registers changed
 * since fills its own copy first.
 */
struct vtd_walk_set {
	uint64_t cap, ecap;		/* the key */
	unsigned haw;
	uint8_t valid;
	uint8_t sagaw;			/* AW values CAP.SAGAW lists, as bits (AW < 4) */
	uint8_t tt_ok;			/* legacy TT values ECAP allows, as bits */
	uint8_t pasid;			/* ECAP.PASID */
	unsigned mgaw;			/* CAP.MGAW as a width */
	uint64_t pss;			/* ECAP.PSS as a width */
	uint64_t hawbits;		/* address bits at or above HAW */
	/* Reserved bits per 64-bit word; _spec adds what only the specification's
	 * numbering checks (fields of absent capabilities). */
	uint64_t root_l[2], root_sm[2], ctx_l[2], ctx_sm[4], ctx_sm_spec[4], pdir[1];
	uint64_t pe_spec[8];
	/* PASID-entry table pointers beyond HAW: bits of word pe_*_w. */
	uint64_t pe_ss_haw, pe_fs_haw;
	uint8_t pe_ss_w, pe_fs_w;
	/* Paging entries: [scalable][level][leaf] second stage, [level][leaf] first. */
	uint64_t ss[2][6][2], fs[6][2];
	/*
	 * For the fast walks (walk-fast.c): whether they may run (prep's
	 * fl_fit, sm_fit), the ECAP and CAP bits they read, per AW the input
	 * width (0 when CAP.SAGAW lacks it), and the legacy root and context
	 * bits they look at: P and those that must be clear (reserved, and TT,
	 * as they take TT 0 alone), so that an entry passes when
	 * (word & pz) == P.  The legacy walk answers both numberings: per
	 * numbering ([1] QEMU 7.2's) the RTADDR bits that keep it from running
	 * (TTM, and the address bits QEMU drops), all of them when it may not
	 * run at all; bit 0, reserved in RTADDR, is among them then, so that
	 * (RTADDR | 1) & fl_stop is 0 exactly when it runs.
	 */
	uint64_t fl_stop[2];
	uint8_t sm_ok;
	uint8_t rps, ssts, fsts, fs5lp, smpwc;
	uint8_t aw_width[8];
	uint64_t aw_beyond[8];		/* bits of an input beyond aw_width, all when 0 */
	uint64_t fl_root_pz[2], fl_ctx_pz[2];
	/*
	 * Per paging level: what makes an entry a leaf (any bit at level 1,
	 * which a present entry has), the address and reserved bits of a table
	 * and of a page entry, their layouts (for the steps), and for the
	 * second stage SNP, EMT and IPAT of a page as struct vtd_wentry has them.
	 */
	struct vtd_fast_level {
		const struct vtd_layout *l_table, *l_page;
		uint64_t leaf, table, rsvd_table, page, rsvd_page;
		uint64_t stop;			/* leaf | rsvd_table: the walk ends here */
		uint64_t k_snp, k_emt, k_ipat;
		uint8_t s_snp, s_emt, s_ipat, level;
	} fl_lv[6], sm_lv[6];		/* second stage: legacy mode, scalable mode */
	struct vtd_fs_level {
		const struct vtd_layout *l_table, *l_page;
		uint64_t leaf, table, rsvd_table, page, rsvd_page;
		uint64_t d;			/* D of a page entry */
		uint8_t level;
	} fs_lv[6];			/* first stage */
};

/* A field of a 16-byte structure as bits in place: ((w0 & m[0]) | (w1 & m[1])) >> shift << vshift. */
struct vtd_wf16 {
	uint64_t m[2];
	uint8_t shift, vshift;
};

struct vtd_wtable {			/* a root, context or PASID structure */
	const struct vtd_layout *l;
	uint64_t rsvd[8], haw[8];	/* per 64-bit word, as in struct vtd_wentry */
};

struct vtd_walk_prep {
	uint32_t magic;			/* VTD_WALK_PREP_MAGIC once filled */
	struct vtd_wtable root_l, root_sm, ctx_l, ctx_sm, pdir, pe;
	struct vtd_wentry pg[2][6][2];	/* [first stage][level][leaf] */
	/* The second stage's rows its reserved bits come from, per [level][leaf], compact. */
	struct vtd_ss_rsvd {
		uint64_t rsvd, haw, tm, snp, ps;
	} ssr[6][2];
	/*
	 * For the fast walks (walk-fast.c), which judge rights on whole walks:
	 * R, W and X of every second-stage entry and P, RW, US, XD and A of
	 * every first-stage entry, when all place them alike (ss_rw_same,
	 * fs_same); whether the tables fit the fast legacy and scalable walks;
	 * per second-stage level the bits that make an entry a leaf (any at
	 * level 1) and the address bits of a table and of a page; and the
	 * legacy root and context fields, and RTADDR's (as word 0).
	 */
	uint64_t ss_r, ss_w, ss_x;
	uint8_t ss_rw_same;
	uint64_t fs_p, fs_rw, fs_us, fs_xd, fs_a;
	uint8_t fs_same;
	uint8_t fl_fit, sm_fit;
	/*
	 * The memory source's single in-process range when the unit was
	 * prepared (ptr NULL if it had none): a walk reads its first table
	 * from here, without waiting for the loads that find the range
	 * through u->mem, while the source's own still equals it.
	 */
	struct {
		const uint8_t *ptr;
		uint64_t base, size;
	} src;
	struct {
		uint64_t leaf, table, page;
	} ssl[6];
	struct {
		uint64_t root_p[2], ctx_p[2], ctx_tt[2];
		struct vtd_wf16 ctp, aw, ssptptr, did;
		struct vtd_wf16 rta, ttm;
		uint64_t ttm_sm;		/* TTM 1 (scalable mode) in place */
	} fl;
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
	uint8_t mgaw_of[64];		/* CAP.MGAW's width by raw value, for a unit's own set */
	struct {
		struct vtd_wfield dt, pt, sc, mts, nest, prs, ers, srs, eafs, pss, pasid,
			smts, ssads, ssts, fsts, smpwc, rps, adms, rprivs;
	} ecap;
	struct {
		struct vtd_wfield ttm, rta;
	} rt;
	struct vtd_walk_set set;
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
 * name, reserved bits per word), and what u->cap, u->ecap and u->haw make
 * of them, and note where u->mem keeps its memory when that is one range
 * in this process.  Call once the registers are set (and the source's
 * memory mapped); a unit that was never prepared still translates, only
 * slower, since vtd_translate then resolves the tables for every request,
 * and so does one whose registers changed since, for the registers' part
 * (one given another source, or one whose ranges changed, only looks its
 * range up again).  0, or -VTD_EINTERNAL when a descriptor table lacks a
 * field the engine needs.
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
	VTD_XK_DISABLED,	/* translation disabled (GSTS.TES = 0): identity (a page
				 * request: nothing) */
	VTD_XK_PASSTHROUGH,	/* context TT = 2 or PASID-entry PGTT = 4 */
	VTD_XK_TRANSLATED,	/* a translated request the context lets through */
	VTD_XK_SECOND,		/* second stage (legacy multi-level or PGTT = 2) */
	VTD_XK_FIRST,		/* first stage (PGTT = 1) */
	VTD_XK_NESTED,		/* first stage nested over second stage (PGTT = 3) */
	VTD_XK_PAGE_REQUEST,	/* a page request the context lets through to the
				 * page-request queue: nothing translated (out,
				 * page_size and perm 0) */
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
	unsigned perm;		/* VTD_ACC_* the mapping allows; no X from legacy-mode
				 * tables or under a PASID entry without ERE, nor in
				 * QEMU 7.2's numbering (IOMMUAccessFlags: R, W) */
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

	/* Explanation: every entry read, in order (none with the unit's no_steps). */
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
