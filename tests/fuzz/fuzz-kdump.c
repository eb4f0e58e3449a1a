/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target: any file opens as a "kdump:" source (plain or
 * flattened) or fails with a message, and a dump that opens answers every
 * page read with its bytes or a coded, explained error: never a crash,
 * never a silent failure.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz-source.h"
#include "mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Pages of the seeds (block sizes 512 and 4096), a straddle, the top. */
	static const uint64_t probe[] = { 0, 0x200, 0x400, 0x600, 0x800, 0xa00, 0xc00, 0xdfc,
					  0x1000, 0x2000, 0x3000, 0x5000, 0x100000,
					  0xfffffffffffff000ULL };
	struct vtd_mem *m = NULL;
	struct vtd_error err;
	uint8_t buf[64];
	size_t i;
	int fd, rc;

	fd = fuzz_open_source("kdump", data, size, &m);
	if (fd < 0)
		return 0;
	/* Twice each: the second read comes from the page cache and must agree. */
	for (i = 0; i < sizeof(probe) / sizeof(probe[0]); i++) {
		uint8_t again[sizeof(buf)];
		int rc2;

		vtd_error_clear(&err);
		rc = vtd_mem_read(m, probe[i], buf, sizeof(buf), &err);
		if (rc && (rc != -VTD_EUNMAPPED && rc != -VTD_EFORMAT))
			abort();
		if (rc && (err.code != -rc || !err.msg[0]))
			abort();
		rc2 = vtd_mem_read(m, probe[i], again, sizeof(again), &err);
		if (rc2 != rc || (!rc && memcmp(buf, again, sizeof(buf))))
			abort();
	}
	vtd_mem_close(m);
	close(fd);
	return 0;
}
