/* SPDX-License-Identifier: BSD-2-Clause */
/* What the file-backed memory-source fuzz targets share: the input as a file. */
#ifndef VTD_FUZZ_SOURCE_H
#define VTD_FUZZ_SOURCE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mem.h"

/*
 * Open the input as backend 'name' through a file in memory (the backends
 * want a path and read with pread).  Returns the descriptor to close after
 * vtd_mem_close, with *m open; or -1 when the backend refused the input,
 * which is fine as long as it said why (a silent refusal aborts).
 */
static inline int fuzz_open_source(const char *name, const uint8_t *data, size_t size,
				   struct vtd_mem **m)
{
	struct vtd_error err;
	char spec[64];
	int fd = memfd_create(name, MFD_CLOEXEC), rc;

	*m = NULL;
	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(spec, sizeof(spec), "%s:/proc/self/fd/%d", name, fd);
	vtd_error_clear(&err);
	rc = vtd_mem_open(spec, m, &err);
	if (!rc)
		return fd;
	if (*m || err.code != -rc || !err.msg[0])
		abort();
	close(fd);
	return -1;
}

#endif
