/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvtd -- "devmem" source: the running machine's physical memory through
 * /dev/mem (or a file standing in for it, read as a raw image at 0).
 *
 * /dev/mem cannot say which addresses it holds, so the source does not
 * enumerate; and the kernel may refuse any read (STRICT_DEVMEM), so every
 * refusal says what to try instead.
 */
#include "mem-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEVMEM_DEFAULT "/dev/mem"

struct devmem {
	int fd;
	char *path;
};

/* errno of a failed open or read of 'path', explained in one line. */
static int explain(struct vtd_error *err, int e, const char *what, uint64_t pa, int has_pa,
		   const char *path)
{
	const char *hint = "";
	char at[40] = "";
	int rc;

	if (e == EPERM || e == EACCES)
		hint = ": not root, or the kernel's STRICT_DEVMEM forbids RAM: try kcore: "
		       "(/proc/kcore)";
	else if (has_pa && (e == EFAULT || e == EIO || e == EINVAL))
		hint = ": CONFIG_IO_STRICT_DEVMEM / STRICT_DEVMEM: boot with iomem=relaxed for "
		       "registers; RAM needs kcore:";
	if (has_pa)
		snprintf(at, sizeof(at), " at 0x%llx", (unsigned long long)pa);
	rc = vtd_fail(err, e == EPERM || e == EACCES ? VTD_EPERM : VTD_EIO,
		      "devmem: cannot %s '%s'%s: %s%s", what, path, at, strerror(e), hint);
	if (err) {
		err->sys_errno = e;
		if (has_pa) {
			err->has_addr = 1;
			err->addr = pa;
		}
	}
	return rc;
}

static void devmem_close(struct vtd_mem *m)
{
	struct devmem *d = m->priv;

	if (!d)
		return;
	if (d->fd >= 0)
		close(d->fd);
	free(d->path);
	free(d);
}

static int devmem_open(struct vtd_mem *m, const char *arg, struct vtd_error *err)
{
	struct devmem *d = calloc(1, sizeof(*d));
	const char *path = *arg ? arg : DEVMEM_DEFAULT;

	if (!d)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	m->priv = d;
	d->fd = -1;
	d->path = strdup(path);
	if (!d->path)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	/* Read-only, always: this is a live machine's memory. */
	d->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (d->fd < 0)
		return explain(err, errno, "open", 0, 0, path);
	return 0;
}

static int devmem_read(struct vtd_mem *m, uint64_t pa, void *buf, size_t len,
		       struct vtd_error *err)
{
	struct devmem *d = m->priv;
	uint8_t *p = buf;

	/* pread takes a signed offset: higher addresses cannot be asked for. */
	if (pa > INT64_MAX || len > INT64_MAX - pa)
		return vtd_fail(err, VTD_EUNMAPPED, "devmem: 0x%llx is beyond what '%s' can be "
				"read at", (unsigned long long)pa, d->path);
	while (len) {
		ssize_t r = pread(d->fd, p, len, (off_t)pa);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return explain(err, errno, "read", pa, 1, d->path);
		if (!r) {
			if (err) {
				err->has_addr = 1;
				err->addr = pa;
			}
			return vtd_fail(err, VTD_EUNMAPPED,
					"devmem: physical address 0x%llx is past the end of '%s'",
					(unsigned long long)pa, d->path);
		}
		p += r;
		pa += (uint64_t)r;
		len -= (size_t)r;
	}
	return 0;
}

const struct vtd_mem_ops vtd__mem_devmem = {
	.name = "devmem",
	.help = "[PATH]: the running machine's physical memory through /dev/mem (or PATH), "
		"read-only (root; STRICT_DEVMEM kernels allow little RAM)",
	.open = devmem_open,
	.read = devmem_read,
	.close = devmem_close,
};
