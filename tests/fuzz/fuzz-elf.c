/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target: any file opens as an "elf:" source or fails with a
 * message, and a core that opens reads back each PT_LOAD segment's bytes
 * from where its program header says they are.  The same file opens as a
 * "kcore:" source (overlaps resolved, not refused) or fails alike; what
 * either lists with vtd_mem_next is sorted, disjoint and reads.
 */
#include <gelf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz-source.h"
#include "mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Segments compared per input: enough for every seed, bounded for speed. */
#define CHECK_SEGMENTS 64

/*
 * Independently of the backend, through libelf on the bytes in memory: each
 * PT_LOAD segment's first and last file byte must read back as those bytes
 * (the backend refuses overlaps, so no other segment can answer instead).
 */
static void check_segments(struct vtd_mem *m, const uint8_t *data, size_t size)
{
	char *copy = malloc(size ? size : 1);
	struct vtd_error err;
	size_t phnum, i;
	Elf *e;

	if (!copy)
		abort();
	memcpy(copy, data, size);
	e = elf_memory(copy, size);
	if (e && !elf_getphdrnum(e, &phnum)) {
		for (i = 0; i < phnum && i < CHECK_SEGMENTS; i++) {
			GElf_Phdr ph;
			uint8_t b;

			if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_LOAD || !ph.p_filesz)
				continue;
			if (vtd_mem_read(m, ph.p_paddr, &b, 1, &err) || b != data[ph.p_offset])
				abort();
			if (vtd_mem_read(m, ph.p_paddr + ph.p_filesz - 1, &b, 1, &err) ||
			    b != data[ph.p_offset + ph.p_filesz - 1])
				abort();
		}
	}
	if (e)
		elf_end(e);
	free(copy);
}

/* Runs listed per input: every seed's, bounded for speed. */
#define CHECK_RUNS 256

/*
 * vtd_mem_next's runs come in order, apart (touching runs would be one),
 * non-empty, and their first and last bytes read.
 */
static void check_next(struct vtd_mem *m)
{
	uint64_t from = 0, base, size, prev_end = 0;
	struct vtd_error err;
	uint8_t b;
	int rc = 1, i;

	for (i = 0; i < CHECK_RUNS && (rc = vtd_mem_next(m, from, &base, &size)) == 1; i++) {
		if (!size || base < from || base + (size - 1) < base || (i && base <= prev_end))
			abort();
		if (vtd_mem_read(m, base, &b, 1, &err) ||
		    vtd_mem_read(m, base + (size - 1), &b, 1, &err))
			abort();
		/* The byte before a run (past the previous one) is a hole. */
		if (base && vtd_mem_read(m, base - 1, &b, 1, &err) != -VTD_EUNMAPPED)
			abort();
		prev_end = base + size;
		if (!prev_end)
			break;
		from = prev_end;
	}
	if (rc < 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t probe[] = { 0, 0x1000, 0x100000, 0xfffffffffffff000ULL };
	struct vtd_mem *m = NULL;
	struct vtd_error err;
	uint8_t buf[64];
	size_t i;
	int fd, rc;

	fd = fuzz_open_source("elf", data, size, &m);
	if (fd >= 0) {
		if (elf_version(EV_CURRENT) == EV_NONE)
			abort();
		check_segments(m, data, size);
		check_next(m);
		/* Holes and wrap-around answer with a code, never a crash. */
		for (i = 0; i < sizeof(probe) / sizeof(probe[0]); i++) {
			rc = vtd_mem_read(m, probe[i], buf, sizeof(buf), &err);
			if (rc && rc != -VTD_EUNMAPPED)
				abort();
		}
		vtd_mem_close(m);
		close(fd);
	}
	/* kcore also takes cores the elf source refuses: overlaps, p_paddr -1. */
	fd = fuzz_open_source("kcore", data, size, &m);
	if (fd < 0)
		return 0;
	check_next(m);
	vtd_mem_close(m);
	close(fd);
	return 0;
}
