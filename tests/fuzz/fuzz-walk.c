/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target: the translation engine over arbitrary memory.  A 32-byte
 * header holds the unit and the request (below), the rest is physical
 * memory from address 0.  Whatever the tables hold (cycles, pointers out of
 * range, reserved bits), a walk must end with an answer, within
 * VTD_WALK_MAX_STEPS, and never with an error.
 *
 *   0..7   RTADDR            16..23  address
 *   8..9   source id         24..31  ECAP bits added to QEMU's
 *   10     flags: 0 PASID, 1 privileged, 3:2 address type, 4 QEMU numbering,
 *          5 write_ad, 6 scalable QEMU defaults, 7 flts
 *   11     access (low 3 bits)   12..15  PASID
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "walk.h"
#include "../unit/same.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vtd_translation t;
	struct vtd_unit u = { 0 };
	struct vtd_request rq = { 0 };
	struct vtd_error err = { 0 };
	char path[512];
	unsigned flags;
	int rc;

	if (size < 32 || size > (1u << 20) + 32)
		return 0;
	if (vtd_mem_open_buffer(&u.mem, NULL))
		abort();
	if (size > 32 && vtd_mem_buffer_map(u.mem, 0, data + 32, size - 32, NULL))
		abort();
	flags = data[10];
	vtd_unit_qemu_defaults(&u, flags >> 6 & 1, 48);
	u.ecap |= le(data + 24, 8);
	u.rtaddr = le(data, 8);
	u.enabled = 1;
	u.numbering = flags >> 4 & 1 ? VTD_NUM_QEMU72 : VTD_NUM_SPEC;
	u.write_ad = flags >> 5 & 1;
	u.flts = flags >> 7 & 1;
	rq.sid = (uint16_t)le(data + 8, 2);
	rq.has_pasid = flags & 1;
	rq.priv = flags >> 1 & 1;
	rq.at = (uint8_t)(flags >> 2 & 3);
	rq.access = data[11] & 7;
	rq.pasid = (uint32_t)le(data + 12, 4);
	rq.addr = le(data + 16, 8);

	rc = vtd_translate(&u, &rq, &t, &err);
	if (rc && rc != -VTD_EINVAL) {
		fprintf(stderr, "fuzz-walk: error %d: %s\n", rc, err.msg);
		abort();
	}
	/*
	 * The same request to copies of the unit: one never prepared (the full
	 * walk, always), and one prepared for its registers (the fast walks
	 * where they can), with and without steps.  All must answer alike.  Not
	 * with write_ad: each walk would find the memory its predecessor stored
	 * A/D bits in.
	 */
	if (!u.write_ad) {
		static struct vtd_unit v;
		static struct vtd_translation t2;

		for (int k = 0; k < 3; k++) {
			v = u;
			if (k)
				vtd_unit_prepare(&v, NULL);
			else
				v.prep.magic = 0;
			v.no_steps = k == 2;
			if (vtd_translate(&v, &rq, &t2, NULL) != rc ||
			    (!rc && !same_answer(&t, &t2, k < 2))) {
				fprintf(stderr, "fuzz-walk: a copy of the unit (%s) answers otherwise\n",
					k == 0 ? "unprepared" : k == 1 ? "prepared" : "prepared, no_steps");
				abort();
			}
		}
	}
	if (!rc) {
		if (t.nsteps > VTD_WALK_MAX_STEPS)
			abort();
		/* A page request translates nothing. */
		if (!t.fault && rq.at == VTD_AT_PAGE_REQUEST && (t.page_size || t.out || t.perm))
			abort();
		if (!t.fault && rq.at != VTD_AT_PAGE_REQUEST && t.page_size != 4096 &&
		    t.page_size != 2u << 20 && t.page_size != 1u << 30)
			abort();
		if (!t.fault && (t.out & (t.page_size - 1)) != (rq.addr & (t.page_size - 1)))
			abort();
		vtd_translation_path(&t, path, sizeof(path));
		if (strlen(path) >= sizeof(path))
			abort();
	}
	vtd_mem_close(u.mem);
	return 0;
}
