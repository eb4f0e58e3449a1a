/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target: reading tables back into a plan (vtd_plan_read, what
 * vtd-compile -d does with a dump) over arbitrary memory.  A 16-byte header
 * holds the registers, the rest is physical memory from address 0:
 *
 *   0..7   RTADDR (TTM picks legacy or scalable mode)
 *   8..15  IRTA
 *
 * with QEMU's capabilities, legacy or scalable as TTM says.  Whatever the
 * tables hold (cycles, pointers out of range, reserved bits), the read must
 * end in a plan or an error, in bounded time; a plan must pass its own
 * verification over the tables it came from, and one that passes
 * vtd_plan_check must build.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t le(const uint8_t *p)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vtd_unit u = { 0 };
	struct vtd_plan plan = { 0 };
	struct vtd_problems ps = { .max = 16 };
	struct vtd_error err = { 0 };
	int rc;

	if (size < 16 || size > (1u << 20) + 16)
		return 0;
	if (vtd_mem_open_buffer(&u.mem, NULL))
		abort();
	if (size > 16 && vtd_mem_buffer_map(u.mem, 0, data + 16, size - 16, NULL))
		abort();
	u.rtaddr = le(data);
	vtd_unit_qemu_defaults(&u, (u.rtaddr >> 10 & 3) == 1, 48);
	u.enabled = 1;
	u.no_steps = 1;
	rc = vtd_plan_read(u.mem, u.rtaddr, le(data + 8), u.cap, u.ecap, u.haw, &plan, &err);
	if (rc == -VTD_EINTERNAL) {
		fprintf(stderr, "fuzz-decompile: internal error: %s\n", err.msg);
		abort();
	}
	size_t nmaps = 0;

	for (size_t i = 0; !rc && i < plan.ndomains; i++)
		nmaps += plan.domains[i].nmaps;
	/*
	 * A few pages of tables whose entries all point at the same next table
	 * read back as millions of mappings (the reader bounds that by its cap
	 * on table visits); verifying those is slow but not wrong, so the
	 * target verifies and builds small plans only, to keep its speed.
	 */
	if (!rc && nmaps <= 4096) {
		long n = vtd_plan_verify(&plan, &u, 2, &ps, &err);

		if (n == -VTD_EINTERNAL)
			abort();
		vtd_problems_free(&ps);
		ps = (struct vtd_problems){ .max = 16 };
		if (!vtd_plan_check(&plan, &ps) && plan.size <= (64u << 20)) {
			struct vtd_image img = { 0 };

			rc = vtd_build(&plan, &img, &ps, &err);
			if (rc && rc != -VTD_ERANGE && rc != -VTD_EINVAL && rc != -VTD_ENOMEM) {
				fprintf(stderr, "fuzz-decompile: build: %d %s\n", rc, err.msg);
				abort();
			}
			vtd_image_free(&img);
		}
	}
	vtd_problems_free(&ps);
	vtd_plan_free(&plan);
	vtd_mem_close(u.mem);
	return 0;
}
