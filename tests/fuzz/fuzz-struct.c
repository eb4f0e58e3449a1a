/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target: every layout over arbitrary bytes.  First byte picks the
 * layout, the rest are the structure.  Decode to text and JSON, encode the
 * JSON back: the bytes must come back identical, reserved bits included.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "layout.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned count_layouts(void)
{
	unsigned n = 0;

	while (vtd_layout_at(n))
		n++;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct vtd_layout *l;
	struct vtd_finding fnd[8];
	struct vtd_check_opts opts = { 0 };
	struct vtd_sbuf sb = VTD_SBUF_INIT;
	struct json_object *o;
	uint8_t buf[64], back[64];
	size_t len, blen;

	if (size < 2)
		return 0;
	l = vtd_layout_at(data[0] % count_layouts());
	len = l->min_size && (data[1] & 1) ? l->min_size : l->size;
	opts.haw = 12 + data[1] % 53;
	memset(buf, 0, sizeof(buf));
	memcpy(buf, data + 2, size - 2 < len ? size - 2 : len);
	vtd_layout_check(l, buf, len, &opts, fnd, 8);
	vtd_text_render(&sb, l, buf, len, 0);
	vtd_text_render(&sb, l, buf, len, VTD_TEXT_ONELINE | VTD_TEXT_RAW);
	vtd_sbuf_release(&sb);
	o = vtd_json_from_bytes(l, buf, len, data[1] & 2 ? VTD_JSON_RAW : 0);
	if (!o)
		abort();
	if (vtd_json_to_bytes(l, o, back, &blen, NULL, NULL))
		abort();
	/* A short form is only chosen when nothing lies above it. */
	if (memcmp(buf, back, len) || (blen != len && !(blen < len && l->min_size == blen)))
		abort();
	json_object_put(o);
	return 0;
}
