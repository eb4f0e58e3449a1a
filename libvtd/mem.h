/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- physical memory sources: one interface, pluggable backends */
#ifndef VTD_MEM_H
#define VTD_MEM_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct vtd_mem;

/*
 * A backend, pciutils style: one const object per mem-*.c file.  read()
 * fills all 'len' bytes or fails: -VTD_EUNMAPPED for an address the source
 * does not hold (a hole), -VTD_EIO for a failed read, never a short read.
 */
struct vtd_mem_ops {
	const char *name;	/* "image", "buffer", ... */
	const char *help;	/* "FILE[@BASE][,FILE@BASE...]: raw memory images" */
	int (*open)(struct vtd_mem *m, const char *arg, struct vtd_error *err);
	int (*read)(struct vtd_mem *m, uint64_t pa, void *buf, size_t len,
		    struct vtd_error *err);
	/* NULL for read-only sources. */
	int (*write)(struct vtd_mem *m, uint64_t pa, const void *buf, size_t len,
		     struct vtd_error *err);
	void (*close)(struct vtd_mem *m);
	/*
	 * The first range the source holds at or above 'from' (see
	 * vtd_mem_next); NULL when the source cannot tell (/dev/mem).
	 */
	int (*next)(struct vtd_mem *m, uint64_t from, uint64_t *base, uint64_t *size);
	/* The dump's VMCOREINFO text (see vtd_mem_vmcoreinfo); NULL op: never has one. */
	const char *(*vmcoreinfo)(struct vtd_mem *m);
};

/* The idx-th backend of the registry; NULL past the end. */
VTD_API const struct vtd_mem_ops *vtd_mem_backend_at(unsigned idx);

/*
 * Open a source from a spec "NAME:ARG" (e.g. "image:ram.bin@0x100000000"),
 * or a bare path, which is opened as an image at base 0.  Files are opened
 * read-only.  Returns 0 or -VTD_ENOTFOUND (unknown backend), -VTD_EIO,
 * -VTD_EPERM, -VTD_EFORMAT (bad ARG), -VTD_ENOMEM.
 */
VTD_API int vtd_mem_open(const char *spec, struct vtd_mem **out, struct vtd_error *err);

/* An empty writable in-memory source; add RAM with vtd_mem_buffer_map(). */
VTD_API int vtd_mem_open_buffer(struct vtd_mem **out, struct vtd_error *err);

/*
 * Add 'size' bytes of zeroed RAM at 'base' to a buffer source, optionally
 * filled from 'data' (may be NULL).  -VTD_EINVAL if it overlaps a range.
 */
VTD_API int vtd_mem_buffer_map(struct vtd_mem *m, uint64_t base, const void *data, size_t size,
			       struct vtd_error *err);

/* Read exactly 'len' bytes at physical address 'pa' (see vtd_mem_ops.read). */
VTD_API int vtd_mem_read(struct vtd_mem *m, uint64_t pa, void *buf, size_t len,
			 struct vtd_error *err);

/* Write; -VTD_ENOTSUP for read-only sources. */
VTD_API int vtd_mem_write(struct vtd_mem *m, uint64_t pa, const void *buf, size_t len,
			  struct vtd_error *err);

/*
 * The first range of memory the source holds that ends above 'from', cut
 * to start at 'from' at the earliest: 1 with '*base' and '*size' set, 0
 * when there is none, -VTD_ENOTSUP when the source cannot enumerate its
 * memory.  Holes of a dump (pages makedumpfile excluded) are not held,
 * and the holes of a sparse image file (zeros) are left out.  Ranges that
 * touch come as one (but an image's data extents may come one by one);
 * one that ends at the top of the address space has base + size == 0,
 * where a caller walking on from there stops.
 */
VTD_API int vtd_mem_next(struct vtd_mem *m, uint64_t from, uint64_t *base, uint64_t *size);

/*
 * The VMCOREINFO text the dumped kernel left for crash tools ("OSRELEASE=",
 * "SYMBOL(init_uts_ns)=", "NUMBER(phys_base)=", "KERNELOFFSET=" lines): an
 * ELF core's note named "VMCOREINFO" (elf:, kcore:), the vmcoreinfo area
 * of a kdump's sub-header (kdump:).  NUL-terminated and owned by the
 * source (valid until vtd_mem_close); NULL when the source has none, or
 * only a malformed one.
 */
VTD_API const char *vtd_mem_vmcoreinfo(struct vtd_mem *m);

/* Backend name of an open source. */
VTD_API const char *vtd_mem_name(const struct vtd_mem *m);

VTD_API void vtd_mem_close(struct vtd_mem *m);

#endif
