/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- what memory backends share (not installed) */
#ifndef VTD_MEM_INTERNAL_H
#define VTD_MEM_INTERNAL_H

#include <string.h>

#include "mem.h"

/* 64-bit words as memory holds them: little-endian, whatever the host. */
static inline uint64_t le64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static inline void put_le64(uint8_t *p, uint64_t v)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	memcpy(p, &v, 8);
}

struct vtd_mem {
	const struct vtd_mem_ops *ops;
	void *priv;
	/*
	 * Bumped by every write and every range added: a reader that saw the
	 * same value earlier knows its view of memory still holds (the cache
	 * model's stale-entry check skips its comparisons on that).
	 */
	uint64_t gen;
	/*
	 * The source's memory when it is a single range held in this process
	 * (a buffer source with one range), kept by the backend as its ranges
	 * change; NULL and 0 otherwise.  Tables are read from here without
	 * asking the backend, and a prepared unit keeps a copy that it may use
	 * while all three still equal this (vtd_walk_prep.src).
	 */
	const uint8_t *span;
	uint64_t span_base, span_size;
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
 * vtd_mem_next over a range map: the run of touching ranges that ends at
 * or above 'from', cut to start there.
 */
int vtd__ranges_next(const struct vtd_ranges *r, uint64_t from, uint64_t *base,
		     uint64_t *size);

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

/* A failed system call on a file as an error: EPERM/EACCES apart, errno kept. */
int vtd__mem_sys_fail(struct vtd_error *err, const char *what, const char *path);

extern const struct vtd_mem_ops vtd__mem_image;
extern const struct vtd_mem_ops vtd__mem_buffer;
extern const struct vtd_mem_ops vtd__mem_elf;
extern const struct vtd_mem_ops vtd__mem_kdump;
extern const struct vtd_mem_ops vtd__mem_devmem;
extern const struct vtd_mem_ops vtd__mem_kcore;

/*
 * ELF cores (mem-elf.c), shared by the "elf" and "kcore" sources: a PT_LOAD
 * segment with file data, and the hook that turns a core's segments into
 * its range map (the elf source refuses overlaps, kcore resolves them).
 */
struct vtd_elf_seg {
	uint64_t paddr, vaddr, off, size;
	size_t idx;			/* program header index, for messages */
};

typedef int vtd_elf_place_fn(struct vtd_mem *m, struct vtd_elf_seg *s, size_t n,
			     struct vtd_ranges *out, const char *path, struct vtd_error *err);

/*
 * Open 'path' as an ELF64 core into m->priv, its segments placed by
 * 'place'.  Reads go straight to the file with pread at each segment's
 * offset; messages name the backend (m->ops->name).  With VTD_ELF_PADDR,
 * a segment whose p_paddr is all ones (the kernel's "none") is not memory
 * and is dropped before any check.
 */
#define VTD_ELF_PADDR 1u

int vtd__elf_open(struct vtd_mem *m, const char *path, unsigned flags, vtd_elf_place_fn *place,
		  struct vtd_error *err);
int vtd__elf_read(struct vtd_mem *m, uint64_t pa, void *buf, size_t len,
		  struct vtd_error *err);
int vtd__elf_next(struct vtd_mem *m, uint64_t from, uint64_t *base, uint64_t *size);
const char *vtd__elf_vmcoreinfo(struct vtd_mem *m);
void vtd__elf_close(struct vtd_mem *m);

/*
 * VMCOREINFO text is a page in the kernel (VMCOREINFO_BYTES); a note or
 * sub-header claiming more is refused as corrupt rather than loaded.
 */
#define VTD_VMCOREINFO_MAX (1u << 20)

/*
 * An overlay (mem-overlay.c): a source whose reads see the pinned
 * structures over another source, which is how the cache model makes the
 * translation engine use a cached context, PASID or paging-structure entry
 * although memory changed.  Reads a pin fully covers never touch the
 * source below (a cached entry answers even over a hole).  Writes go
 * through, except that over a pin they may only set the bits its 'setm'
 * allows (accessed/dirty): hardware updates those, it never writes back
 * the rest of an entry it cached.
 */
struct vtd_layout;

struct vtd_pin {
	uint64_t pa;
	const struct vtd_layout *l;	/* what the entry is (its size, its masks) */
	uint8_t len;			/* bytes: the layout's size */
	uint8_t used;			/* a read saw it */
	uint8_t raw[64];
	uint64_t setm[8];		/* per 64-bit word: bits a write may set */
};

#define VTD_OVERLAY_PINS 16

struct vtd_overlay {
	struct vtd_mem mem;		/* what the engine is given */
	struct vtd_mem *under;
	unsigned n;
	struct vtd_pin pin[VTD_OVERLAY_PINS];
};

extern const struct vtd_mem_ops vtd__mem_overlay;

/* An empty overlay over 'under' (no allocation: it lives in the caller). */
void vtd__overlay_init(struct vtd_overlay *o, struct vtd_mem *under);

/* vtd__mem_span without the call for the usual one-range buffer ('span'). */
static inline const uint8_t *vtd__mem_span_fast(const struct vtd_mem *m, uint64_t pa,
						uint64_t *base, uint64_t *size)
{
	if (pa - m->span_base < m->span_size) {
		*base = m->span_base;
		*size = m->span_size;
		return m->span;
	}
	return vtd__mem_span(m, pa, base, size);
}

#endif
