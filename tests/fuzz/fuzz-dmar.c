/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: any DMAR table that decodes must encode back to the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dmar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object *o = NULL, *back;
	struct vtd_sbuf sb = VTD_SBUF_INIT;
	struct vtd_error err;
	uint8_t *out = NULL;
	size_t len = 0;
	int r;

	/* Text and JSON must agree on whether the table is well formed. */
	r = vtd_dmar_text(&sb, data, size, NULL);
	vtd_sbuf_release(&sb);
	vtd_error_clear(&err);
	if (vtd_dmar_to_json(data, size, &o, &err)) {
		if (!r || err.code == 0 || strncmp(err.where, "offset 0x", 9))
			abort();
		return 0;
	}
	if (r)
		abort();
	/* Through the serialised form, as the command-line tools use it. */
	back = json_tokener_parse(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	if (!back)
		abort();
	r = vtd_dmar_from_json(back, &out, &len, &err);
	json_object_put(back);
	if (r || len != size || memcmp(out, data, size))
		abort();
	free(out);
	return 0;
}
