/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- the linter's state, shared by its files (not installed) */
#ifndef VTD_LINT_INTERNAL_H
#define VTD_LINT_INTERNAL_H

#include "analyse-internal.h"

/*
 * Bounds: a dump's tables must not make the linter run for hours.  Each
 * domain's tables are expanded once per page (a subtree two entries of one
 * domain share is walked for the first only), so the visits are bounded by
 * pages times domains; these caps bound what remains.
 */
#define LINT_MAX_VISITS (1u << 20)
#define LINT_MAX_RANGES (1u << 22)

/* A run of leaves of one domain: input, output, rights, and the first leaf entry. */
struct lrange {
	uint64_t iova, pa, size;
	uint64_t leaf;
	unsigned perm;
};

struct ldom {			/* one tree of paging tables, walked once */
	uint64_t top;
	uint8_t fs;
	unsigned levels;
	uint8_t dma_input;	/* some entry sends DMA addresses into it (MSI check) */
	uint8_t nested;		/* a nested entry's first stage: guest memory */
	int user;		/* first device entry using it, for messages */
	struct lrange *r;
	size_t n, cap;
};

struct ldev {			/* a present context or PASID entry that does something */
	uint16_t sid;
	uint8_t has_pasid, pt;
	uint32_t pasid;
	int ss, fs;		/* ldom indexes or -1 */
	uint64_t addr;
	char *path;
};

struct ldid {			/* the tables a domain id was first seen naming */
	uint16_t did;
	uint64_t top, addr;
	unsigned levels;
};

struct tpage {
	uint64_t pa;
	uint8_t kind;		/* enum vtd_page_kind */
	int dom;		/* paging tables: the domain that first reached it; else -1 */
};

struct lint {
	struct vtd_mem *m;
	struct achk a;
	int caps;		/* CAP/ECAP known: judge features against them */
	int sm;
	const struct vtd_lint_opts *o;
	int (*fn)(const struct vtd_lint_finding *f, void *ctx);
	void *ctx;
	long n;
	int stop, oom, cut;
	char path[512];		/* structures above the entry being looked at */
	size_t visits, nranges;
	struct uset checked;	/* tables whose entries were judged (findings once) */
	struct uset seen;	/* pages of the domain being walked */
	struct tpage *pages;
	size_t npages, pcap;
	struct ldom *dom;
	size_t ndom, dcap;
	struct ldev *dev;
	size_t ndev, vcap;
	struct ldid *did;
	size_t ndid, didcap;
};

/* Keys of the 'checked' set: page address and what the page was read as. */
enum { LK_ROOT = 11, LK_CTX, LK_DIR, LK_PTBL, LK_IRT };
static inline uint64_t lkey(uint64_t pa, unsigned what)
{
	return (pa & ~0xfffULL) | what;
}
static inline unsigned lk_paging(int fs, unsigned level)
{
	return 1 + (unsigned)fs * 5 + (level - 1);
}

int vtd__lint_grow(struct lint *L, void **v, size_t *cap, size_t n, size_t elem);

/* Report a finding at entry name[idx]@addr below L->path. */
__attribute__((format(printf, 8, 9)))
void vtd__lint_find(struct lint *L, int kind, uint64_t addr, int has_sid, uint16_t sid,
		    const char *name, unsigned idx, const char *fmt, ...);
/* A finding under a path given in full (post-passes). */
__attribute__((format(printf, 7, 8)))
void vtd__lint_find_at(struct lint *L, int kind, uint64_t addr, int has_sid, uint16_t sid,
		       const char *path, const char *fmt, ...);
/* RSVD finding for an entry vtd__qchk_ok refused, with vtd_layout_check's words. */
void vtd__lint_rsvd(struct lint *L, const struct vtd_layout *l, const uint8_t *e, uint64_t addr,
		    int has_sid, uint16_t sid, unsigned idx);

/* Append " -> name[idx]@addr" to L->path; returns the length to cut back to. */
size_t vtd__lint_push(struct lint *L, const char *name, unsigned idx, uint64_t addr);

/* Note a table page ('dom': paging tables' domain, else -1). */
int vtd__lint_page(struct lint *L, uint64_t pa, uint8_t kind, int dom);

/*
 * The domain whose tables are at 'top', walked when first seen: its index,
 * or -1 when the top table cannot be read (a finding at the entry
 * name[idx]@addr says so) or memory ran out.
 */
int vtd__lint_domain(struct lint *L, uint64_t top, int fs, unsigned levels, const char *name,
		     unsigned idx, uint64_t addr, uint16_t sid);

/* A present scalable-mode context entry, its PASID directory and tables ('first': judge it). */
void vtd__lint_sm_ctx(struct lint *L, uint16_t sid, const uint8_t *e, uint64_t addr, int first);

/* Helpers the entry checks share. */
void vtd__lint_did(struct lint *L, uint16_t did, uint64_t top, unsigned levels,
		   const char *name, unsigned idx, uint64_t addr, uint16_t sid);
void vtd__lint_aw(struct lint *L, unsigned aw, const char *name, unsigned idx, uint64_t addr,
		  uint16_t sid);
void vtd__lint_did_range(struct lint *L, uint16_t did, const char *name, unsigned idx,
			 uint64_t addr, uint16_t sid);
int vtd__lint_dev(struct lint *L, const struct ldev *d, const char *name, unsigned idx);
int vtd__lint_read(struct lint *L, uint64_t pa, void *buf, size_t len, const char *what,
		   const char *name, unsigned idx, uint64_t addr, int has_sid, uint16_t sid);

/* The checks that need every table seen: MSI, table pages, RMRRs. */
void vtd__lint_post(struct lint *L);

#endif
