/* SPDX-License-Identifier: BSD-2-Clause */
/* Two translations compared field by field: the unit tests and fuzz-walk use it. */
#ifndef VTD_TEST_SAME_H
#define VTD_TEST_SAME_H

#include <string.h>

#include "walk.h"

/* Every field of the result but the steps; the steps too when both recorded them. */
static inline int same_answer(const struct vtd_translation *a, const struct vtd_translation *b,
			      int steps)
{
	if (a->fault != b->fault || a->suppressed != b->suppressed || a->unbacked != b->unbacked ||
	    a->fault_addr != b->fault_addr || a->out != b->out || a->page_size != b->page_size ||
	    a->perm != b->perm || a->did != b->did || a->level != b->level ||
	    a->passthrough != b->passthrough || a->snoop != b->snoop || a->emt != b->emt ||
	    a->ipat != b->ipat || a->accessed != b->accessed || a->dirty != b->dirty ||
	    a->kind != b->kind || a->has_pasid != b->has_pasid || a->pasid != b->pasid)
		return 0;
	if (!steps)
		return b->nsteps == 0;
	if (a->nsteps != b->nsteps)
		return 0;
	for (unsigned i = 0; i < a->nsteps && i < VTD_WALK_MAX_STEPS; i++) {
		const struct vtd_walk_step *x = &a->steps[i], *y = &b->steps[i];

		if (x->layout != y->layout || x->pa != y->pa || x->index != y->index ||
		    x->level != y->level || memcmp(x->raw, y->raw, x->layout->size))
			return 0;
	}
	return 1;
}

#endif
