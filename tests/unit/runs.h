/* SPDX-License-Identifier: BSD-2-Clause */
/* What a memory source holds, as text, for the memory sources' unit tests. */
#ifndef VTD_TEST_RUNS_H
#define VTD_TEST_RUNS_H

#include <stdio.h>

#include "mem.h"

/*
 * Every run vtd_mem_next lists from 0, as "base+size ..." for comparing
 * with what the source was built with; at most 16 runs.
 */
static inline const char *runs(struct vtd_mem *m)
{
	static char out[512];
	uint64_t from = 0, base, size;
	size_t o = 0;
	int rc, i;

	out[0] = 0;
	for (i = 0; i < 16 && (rc = vtd_mem_next(m, from, &base, &size)) == 1; i++) {
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s0x%llx+0x%llx", o ? " " : "",
				      (unsigned long long)base, (unsigned long long)size);
		from = base + size;
		if (!from)
			break;
	}
	if (rc < 0)
		snprintf(out + o, sizeof(out) - o, "%serror %d", o ? " " : "", rc);
	return out;
}

#endif
