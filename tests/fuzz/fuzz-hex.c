/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzz target: hex text parsers (words of 4 and 8 bytes, byte streams). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	uint8_t out[256];
	struct vtd_error err;
	size_t len;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	memset(&err, 0, sizeof(err));
	if (!vtd_hex_parse_words(text, 8, out, sizeof(out), &len, "fuzz", &err) && len % 8)
		abort();
	if (!vtd_hex_parse_words(text, 4, out, sizeof(out), &len, "fuzz", &err) && len % 4)
		abort();
	if (!vtd_hex_parse_bytes(text, out, sizeof(out), &len, "fuzz", &err) && len > sizeof(out))
		abort();
	free(text);
	return 0;
}
