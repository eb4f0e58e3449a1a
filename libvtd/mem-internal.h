/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- what memory backends share (not installed) */
#ifndef VTD_MEM_INTERNAL_H
#define VTD_MEM_INTERNAL_H

#include "mem.h"

struct vtd_mem {
	const struct vtd_mem_ops *ops;
	void *priv;
};

/*
 * Sorted, non-overlapping address ranges: what image and buffer sources
 * (and later dump formats) map.  'ctx' is the backend's per-range handle.
 */
struct vtd_range {
	uint64_t base, size;
	uint64_t off;		/* file offset or unused */
	void *ctx;
};

struct vtd_ranges {
	struct vtd_range *v;
	size_t n, cap;
};

int vtd__ranges_add(struct vtd_ranges *r, const struct vtd_range *add, struct vtd_error *err);
const struct vtd_range *vtd__ranges_find(const struct vtd_ranges *r, uint64_t pa);

/*
 * Split a read of [pa, pa+len) over the ranges and call 'one' for each
 * piece; a gap fails with -VTD_EUNMAPPED naming the first missing address.
 */
int vtd__ranges_access(const struct vtd_ranges *r, uint64_t pa, size_t len, void *buf,
		       int (*one)(const struct vtd_range *rg, uint64_t off, void *buf,
				  size_t len, void *arg, struct vtd_error *err),
		       void *arg, struct vtd_error *err);

/*
 * The range holding 'pa' when the source keeps it in this process's memory
 * (buffer sources): its first byte, with its base and size; else NULL.
 * The translation engine's fast path, which falls back to vtd_mem_read().
 */
const uint8_t *vtd__mem_span(const struct vtd_mem *m, uint64_t pa, uint64_t *base,
			     uint64_t *size);

extern const struct vtd_mem_ops vtd__mem_image;
extern const struct vtd_mem_ops vtd__mem_buffer;

/* vtd__mem_span without the call for the usual one-range buffer. */
static inline const uint8_t *vtd__mem_span_fast(const struct vtd_mem *m, uint64_t pa,
						uint64_t *base, uint64_t *size)
{
	const struct vtd_ranges *r = m->priv;

	if (m->ops == &vtd__mem_buffer && r->n == 1 && pa - r->v[0].base < r->v[0].size) {
		*base = r->v[0].base;
		*size = r->v[0].size;
		return r->v[0].ctx;
	}
	return vtd__mem_span(m, pa, base, size);
}

#endif
