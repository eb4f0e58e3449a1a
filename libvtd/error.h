/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- error codes and the error detail record */
#ifndef VTD_ERROR_H
#define VTD_ERROR_H

#include <stdarg.h>
#include <stdint.h>

#ifndef VTD_API
#define VTD_API __attribute__((visibility("default")))
#endif

/*
 * Error codes.  Library calls return 0 or the negated code.  The values are
 * part of the ABI: never renumber, only append.
 */
enum vtd_errcode {
	VTD_OK = 0,
	VTD_EINVAL = 1,		/* bad argument (caller's mistake) */
	VTD_ENOTFOUND = 2,	/* unknown structure, field or value name */
	VTD_ERANGE = 3,		/* value does not fit its field */
	VTD_EFORMAT = 4,	/* malformed input data */
	VTD_ETRUNC = 5,		/* input data ends early */
	VTD_ERSVD = 6,		/* reserved bits set */
	VTD_EUNMAPPED = 7,	/* physical address not backed by the source */
	VTD_EIO = 8,		/* read/open failed (sys_errno says why) */
	VTD_EPERM = 9,		/* permission denied by the OS */
	VTD_ENOMEM = 10,
	VTD_ENOTSUP = 11,	/* valid but not supported here */
	VTD_EINTERNAL = 12,
};

/*
 * Optional detail for a failed call.  Every function that takes one accepts
 * NULL.  'where' holds the location in the input the caller can quote:
 * "file:line:col", a JSON path, or "0x1000 root[3]" for a physical address.
 */
struct vtd_error {
	int code;		/* enum vtd_errcode, positive */
	int sys_errno;		/* errno for VTD_EIO/VTD_EPERM, else 0 */
	int has_addr;
	uint64_t addr;		/* physical address, when has_addr */
	char where[160];
	char msg[256];
};

/* Short name of a code ("format", "unmapped", ...), never NULL. */
VTD_API const char *vtd_strerror(int code);

/*
 * Fill 'err' (if not NULL) and return -code, so that callers can write
 * 'return vtd_fail(err, VTD_EFORMAT, "...")'.  An earlier 'where' is kept.
 */
VTD_API int vtd_fail(struct vtd_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
VTD_API int vtd_vfail(struct vtd_error *err, int code, const char *fmt, va_list ap);

/* Set the location part of 'err' (printf-style); a no-op on NULL. */
VTD_API void vtd_error_where(struct vtd_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Clear an error record. */
VTD_API void vtd_error_clear(struct vtd_error *err);

#endif
