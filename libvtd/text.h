/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- growable strings, field values as text, structures as text */
#ifndef VTD_TEXT_H
#define VTD_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "layout.h"

/*
 * A growable string.  'buf' is always NUL-terminated once anything was
 * added; after an allocation failure 'oom' is set and further additions
 * are dropped, so callers check once at the end.
 */
struct vtd_sbuf {
	char *buf;
	size_t len, cap;
	int oom;
};
#define VTD_SBUF_INIT { 0, 0, 0, 0 }

VTD_API void vtd_sbuf_addf(struct vtd_sbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
VTD_API void vtd_sbuf_add(struct vtd_sbuf *sb, const char *s, size_t n);
VTD_API void vtd_sbuf_release(struct vtd_sbuf *sb);
/* The string ("" when empty); valid until the next change. */
VTD_API const char *vtd_sbuf_str(const struct vtd_sbuf *sb);

/*
 * A field's value as text: "0x12345000" for addresses and hex numbers,
 * "multi-level" for named enum values (the number when unnamed), "48" for
 * coded values, "39-bit,48-bit" for bit sets, the characters for strings.
 */
VTD_API void vtd_field_format(const struct vtd_field *f, uint64_t raw, struct vtd_sbuf *out);

/*
 * Parse text into a raw field value: numbers in decimal or 0x-hex, enum and
 * bit names, "true"/"false"/"1"/"0" for flags, lists "a,b" for bit sets,
 * characters for strings.  The inverse of vtd_field_format.
 */
VTD_API int vtd_field_parse(const struct vtd_field *f, const char *s, uint64_t *raw,
			    struct vtd_error *err);

/* Parse an unsigned number (decimal, 0x-hex, 0b-binary; '_' separators ok). */
VTD_API int vtd_parse_u64(const char *s, uint64_t *v);

#define VTD_TEXT_ONELINE	0x1	/* "P+ FPD- TT=multi-level ..." */
#define VTD_TEXT_RAW		0x2	/* show raw values beside derived ones */
#define VTD_TEXT_ALL		0x4	/* also list fields that are zero (one-line form) */

/*
 * Render the first 'len' bytes of a structure: one line per field (name,
 * bits, value, meaning) or the compact one-line form.  Non-zero reserved
 * bits are shown as well.
 */
VTD_API void vtd_text_render(struct vtd_sbuf *out, const struct vtd_layout *l,
			     const uint8_t *buf, size_t len, unsigned flags);

#endif
