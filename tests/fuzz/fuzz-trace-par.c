/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target: a trace parsed in threads (vtd_trace_opts.threads)
 * says, event for event, what it says without.  The first byte picks the
 * reader (or none: by content); the rest is repeated past two blocks, so
 * that cuts fall at many places of it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../unit/trace-same.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Each input is read twice over 600 KiB: 'make check' replays fewer mutations. */
extern const unsigned fuzz_regress_mutations;
const unsigned fuzz_regress_mutations = 200;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const formats[] = { NULL, "dmesg", "ftrace", "qemu", "jsonl" };
	const size_t want = 600 * 1024;	/* two cuts at least, blocks being 256 KiB */
	const char *format;
	uint64_t events, bad;
	char why[600];
	size_t n;
	char *buf;

	if (size < 2 || size > 65536)
		return 0;
	format = formats[data[0] % 5];
	data++;
	size--;
	if (!(buf = malloc(want + size)))
		return 0;
	for (n = 0; n < want; n += size)
		memcpy(buf + n, data, size);
	if (!trace_same(buf, n, format, 8, 2, &events, &bad, why, sizeof(why))) {
		fprintf(stderr, "threads differ: %s\n", why);
		abort();
	}
	free(buf);
	return 0;
}
