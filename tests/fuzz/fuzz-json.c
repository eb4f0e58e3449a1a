/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target: the JSON reader of structures.  First byte picks the layout,
 * the rest is JSON text.  Whatever parses must encode, and whatever encodes
 * must decode and encode again to the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct vtd_layout *l;
	struct json_object *o, *again;
	struct json_tokener *tok;
	uint8_t buf[64], back[64];
	size_t len, blen;
	unsigned n = 0;

	if (size < 1)
		return 0;
	while (vtd_layout_at(n))
		n++;
	l = vtd_layout_at(data[0] % n);
	tok = json_tokener_new();
	o = json_tokener_parse_ex(tok, (const char *)data + 1, (int)(size - 1));
	json_tokener_free(tok);
	if (!o)
		return 0;
	if (!vtd_json_to_bytes(l, o, buf, &len, "$", NULL)) {
		again = vtd_json_from_bytes(l, buf, len, 0);
		if (!again || vtd_json_to_bytes(l, again, back, &blen, "$", NULL) ||
		    blen != len || memcmp(buf, back, len))
			abort();
		json_object_put(again);
	}
	json_object_put(o);
	return 0;
}
