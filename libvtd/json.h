/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- structures to and from JSON (json-c), driven by the descriptors */
#ifndef VTD_JSON_H
#define VTD_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "layout.h"

#define VTD_JSON_RAW	0x1	/* add "<key>_raw" beside enum/coded/bitset values */

/*
 * Decode a structure into a new JSON object: one member per field, in
 * descriptor order.  Flags are booleans, numbers are numbers up to 2^53 and
 * "0x..." strings beyond, addresses "0x..." strings, enum values their
 * names (numbers when unnamed), bit sets arrays of names, strings strings.
 * Non-zero reserved bits appear as "rsvd": {"127:88": "0x1", ...} so that
 * vtd_json_to_bytes gives the same bytes back.  NULL only when out of memory.
 */
VTD_API struct json_object *vtd_json_from_bytes(const struct vtd_layout *l, const uint8_t *buf,
						size_t len, unsigned flags);

/* The JSON value of one field (a new reference). */
VTD_API struct json_object *vtd_json_field(const struct vtd_field *f, uint64_t raw,
					   unsigned flags);

/*
 * The exact inverse of vtd_json_from_bytes.  'buf' has room for l->size
 * bytes and is cleared first; fields not named are zero, except fixed
 * fields, which take their required value.  '*len' receives the encoded
 * length: l->size, or min_size when nothing above it is set.  Unknown keys
 * are errors.  'path' (may be NULL) prefixes the JSON path in err->where.
 */
VTD_API int vtd_json_to_bytes(const struct vtd_layout *l, struct json_object *obj, uint8_t *buf,
			      size_t *len, const char *path, struct vtd_error *err);

/* Raw value of one field from a JSON value (number, string, bool, array). */
VTD_API int vtd_json_field_raw(const struct vtd_field *f, struct json_object *v, uint64_t *raw,
			       struct vtd_error *err);

#endif
