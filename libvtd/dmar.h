/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- the ACPI DMAR table: strict decoding to JSON and text, encoding from JSON */
#ifndef VTD_DMAR_H
#define VTD_DMAR_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "error.h"
#include "layout.h"
#include "text.h"

/* Fixed parts of the table (family "acpi"). */
VTD_API extern const struct vtd_layout vtd_l_acpi_dmar_header;	/* "dmar-header", 48 bytes */
VTD_API extern const struct vtd_layout vtd_l_acpi_drhd;	/* "drhd", 16 + scopes */
VTD_API extern const struct vtd_layout vtd_l_acpi_rmrr;	/* "rmrr", 24 + scopes */
VTD_API extern const struct vtd_layout vtd_l_acpi_atsr;	/* "atsr", 8 + scopes */
VTD_API extern const struct vtd_layout vtd_l_acpi_rhsa;	/* "rhsa", 20 */
VTD_API extern const struct vtd_layout vtd_l_acpi_andd;	/* "andd", 8 + name */
VTD_API extern const struct vtd_layout vtd_l_acpi_satc;	/* "satc", 8 + scopes */
VTD_API extern const struct vtd_layout vtd_l_acpi_sidp;	/* "sidp", 8 + scopes */
VTD_API extern const struct vtd_layout vtd_l_acpi_dev_scope;	/* "dev-scope", 6 + path */

/* The "format" member of the JSON form (formats/dmar.md). */
#define VTD_DMAR_FORMAT "vtd-dmar/1"

/* The header before the first remapping structure. */
#define VTD_DMAR_HEADER_SIZE	48

/*
 * Decode a whole DMAR table.  The table must fill 'len' exactly: the
 * header's Length must equal 'len' (a shorter buffer is VTD_ETRUNC, extra
 * bytes VTD_EFORMAT -- callers holding a padded copy pass the Length).
 * Every structure and device scope must lie inside its parent, lengths
 * must be consistent and ANDD names NUL-terminated printable ASCII; the
 * first violation fails with VTD_EFORMAT and err->where set to
 * "offset 0x..: $.structures[i].scopes[j]".  A wrong checksum is not an
 * error: the result says "checksum_valid": false.  '*out' receives a new
 * object on success.
 */
VTD_API int vtd_dmar_to_json(const uint8_t *buf, size_t len, struct json_object **out,
			     struct vtd_error *err);

/*
 * The inverse: encode the JSON form into a malloc'd table ('*out', '*len').
 * Length members are recomputed (values in 'obj' need only fit); the
 * checksum is recomputed unless "checksum_valid" is false, in which case
 * header.checksum is kept as given, so that tables with a bad checksum
 * round-trip.  Errors name the JSON path in err->where
 * ("$.structures[2].scopes[0].path[1].device").
 */
VTD_API int vtd_dmar_from_json(struct json_object *obj, uint8_t **out, size_t *len,
			       struct vtd_error *err);

/*
 * Human-readable decode of a table: the header, then each structure with
 * its fields, device scopes (paths as "00:1f.0/00.0") and names.  Decoding
 * stops at the first malformed structure; what was read up to there is in
 * 'out', followed by an "error:" line, and the error is returned.
 */
VTD_API int vtd_dmar_text(struct vtd_sbuf *out, const uint8_t *buf, size_t len,
			  struct vtd_error *err);

/* Byte sum of a buffer modulo 256; a valid ACPI table sums to 0. */
VTD_API uint8_t vtd_dmar_sum(const uint8_t *buf, size_t len);

#endif
