/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target: any DMAR table that decodes must encode back to the same
 * bytes, and its RMRRs must be read without a crash where it decodes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dmar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A hierarchy where every device answers and every one is a bridge to the next bus. */
static int cfg_read(void *ctx, uint16_t seg, uint16_t sid, unsigned off, uint8_t *val)
{
	unsigned bus = sid >> 8;

	(void)ctx;
	(void)seg;
	if (sid & 1)
		return -VTD_ENOTFOUND;
	*val = off == 0x0e ? 1 : off == 0x19 ? (uint8_t)(bus + 1) :
	       off == 0x1a ? (uint8_t)(bus + 2 > 255 ? 255 : bus + 2) : 0;
	return 0;
}

static void skipped(void *ctx, const struct vtd_error *why)
{
	/* Every reason says where. */
	if (strncmp(why->where, "offset 0x", 9) || !why->msg[0])
		abort();
	++*(unsigned *)ctx;
}

/* With a listener the RMRR walk fails exactly where the decoder does. */
static void rmrrs(const uint8_t *data, size_t size, int bad)
{
	unsigned nskip = 0;
	struct vtd_dmar_pci pci = { cfg_read, skipped, &nskip };
	struct vtd_rmrr *r;
	struct vtd_error err;
	size_t n;
	int rc;

	rc = vtd_dmar_rmrrs(data, size, 0, &pci, &r, &n, &err);
	if (!rc != !bad)
		abort();
	if (!rc)
		vtd_dmar_rmrrs_free(r, n);
	pci.cfg_read = NULL;
	if (!vtd_dmar_rmrrs(data, size, 0, &pci, &r, &n, &err))
		vtd_dmar_rmrrs_free(r, n);
	/* Nobody listening: a scope that cannot be resolved is an error with an offset. */
	if (vtd_dmar_rmrrs(data, size, 0, NULL, &r, &n, &err)) {
		if (strncmp(err.where, "offset 0x", 9))
			abort();
	} else {
		vtd_dmar_rmrrs_free(r, n);
	}
}

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
		rmrrs(data, size, 1);
		return 0;
	}
	rmrrs(data, size, 0);
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
