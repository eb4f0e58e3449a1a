/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- what scanning, linting and reachability share (not installed) */
#ifndef VTD_ANALYSE_INTERNAL_H
#define VTD_ANALYSE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "analyse.h"
#include "build-internal.h"

/*
 * An entry judged against its layout with a few word operations: the
 * scanner looks at every page of a dump and most of them fail on their
 * first entry, so vtd_layout_check (which formats messages) is kept for
 * the entries that fail.  Built from the descriptors, once per call.
 */
#define QCHK_WORDS 8
#define QCHK_FIELDS 12

struct qchk {
	const struct vtd_layout *l;
	unsigned nw;				/* 64-bit words in the entry */
	uint64_t rsvd[QCHK_WORDS];		/* bits no field declares */
	const struct vtd_field *p;		/* a present flag at bit 0, or NULL */
	const struct vtd_field *haw[QCHK_FIELDS];	/* addresses bounded by HAW */
	unsigned nhaw;
	const struct vtd_field *en[QCHK_FIELDS];	/* fields with forbidden values */
	uint64_t enbad[QCHK_FIELDS];		/* bit v set: raw value v is forbidden */
	unsigned nen;
	unsigned haw_bits;			/* 0: no HAW rule */
};

void vtd__qchk_init(struct qchk *q, const struct vtd_layout *l, unsigned haw);
/* Are the entry's reserved bits clear and, when present, its values legal? */
int vtd__qchk_ok(const struct qchk *q, const uint8_t *e);

/* Every check the analyses make, resolved once per call. */
struct achk {
	struct bfields F;
	struct vtd_caps c;
	struct qchk rl, rs, cl, cs, pd, pe, irr, irp;
	struct qchk pg[2][6][2];		/* [first stage][level][leaf] */
	const struct vtd_field *irr_svt, *irr_im;
	uint8_t pi;				/* CAP.PI: posted interrupts */
};

int vtd__achk_init(struct achk *a, uint64_t cap, uint64_t ecap, unsigned haw,
		   struct vtd_error *err);

/* ---- a set of 64-bit keys (never 0): pages seen ---------------------------------- */

struct uset {
	uint64_t *v;
	size_t cap, n;
};

/* 1 when 'k' was added, 0 when it was there, -1 out of memory. */
int vtd__uset_add(struct uset *s, uint64_t k);
int vtd__uset_has(const struct uset *s, uint64_t k);
void vtd__uset_clear(struct uset *s);
void vtd__uset_free(struct uset *s);

#endif
