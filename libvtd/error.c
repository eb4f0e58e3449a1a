/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- error codes and the error detail record */
#include "error.h"

#include <stdio.h>
#include <string.h>

static const char *const names[] = {
	[VTD_OK] = "ok",
	[VTD_EINVAL] = "invalid argument",
	[VTD_ENOTFOUND] = "not found",
	[VTD_ERANGE] = "out of range",
	[VTD_EFORMAT] = "bad format",
	[VTD_ETRUNC] = "truncated",
	[VTD_ERSVD] = "reserved bits set",
	[VTD_EUNMAPPED] = "unmapped",
	[VTD_EIO] = "I/O error",
	[VTD_EPERM] = "permission denied",
	[VTD_ENOMEM] = "out of memory",
	[VTD_ENOTSUP] = "not supported",
	[VTD_EINTERNAL] = "internal error",
};

const char *vtd_strerror(int code)
{
	if (code < 0)
		code = -code;
	if ((unsigned)code < sizeof(names) / sizeof(names[0]) && names[code])
		return names[code];
	return "unknown error";
}

int vtd_vfail(struct vtd_error *err, int code, const char *fmt, va_list ap)
{
	if (code < 0)
		code = -code;
	if (err) {
		err->code = code;
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	}
	return -code;
}

int vtd_fail(struct vtd_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vtd_vfail(err, code, fmt, ap);
	va_end(ap);
	return r;
}

void vtd_error_where(struct vtd_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err->where, sizeof(err->where), fmt, ap);
	va_end(ap);
}

void vtd_error_clear(struct vtd_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}
