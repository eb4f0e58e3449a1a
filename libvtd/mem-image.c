/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- "image" source: raw memory image files placed at physical bases */
#include "mem-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"

struct image {
	struct vtd_ranges ranges;
	int *fds;
	size_t nfds;
};

/* One "FILE[@BASE]" item. */
static int add_file(struct image *im, const char *item, struct vtd_error *err)
{
	char path[4096];
	const char *at = strrchr(item, '@');
	uint64_t base = 0;
	struct vtd_range rg = { 0 };
	struct stat st;
	int fd, *fds, rc;
	size_t n = at ? (size_t)(at - item) : strlen(item);

	if (!n || n >= sizeof(path))
		return vtd_fail(err, VTD_EFORMAT, "image: bad file name in '%s'", item);
	memcpy(path, item, n);
	path[n] = 0;
	if (at && vtd_parse_u64(at + 1, &base))
		return vtd_fail(err, VTD_EFORMAT, "image: bad base address in '%s'", item);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return vtd__mem_sys_fail(err, "cannot open", path);
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		rc = S_ISREG(st.st_mode) ? vtd__mem_sys_fail(err, "cannot stat", path)
					 : vtd_fail(err, VTD_EIO, "image '%s' is not a regular file", path);
		close(fd);
		return rc;
	}
	if (!st.st_size) {
		close(fd);
		return vtd_fail(err, VTD_EFORMAT, "image '%s' is empty", path);
	}
	fds = realloc(im->fds, (im->nfds + 1) * sizeof(*fds));
	if (!fds) {
		close(fd);
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	}
	im->fds = fds;
	im->fds[im->nfds++] = fd;
	rg.base = base;
	rg.size = (uint64_t)st.st_size;
	rg.off = im->nfds - 1;	/* index into fds, which may move on realloc */
	return vtd__ranges_add(&im->ranges, &rg, err);
}

static void image_close(struct vtd_mem *m)
{
	struct image *im = m->priv;
	size_t i;

	if (!im)
		return;
	for (i = 0; i < im->nfds; i++)
		close(im->fds[i]);
	free(im->fds);
	free(im->ranges.v);
	free(im);
}

static int image_open(struct vtd_mem *m, const char *arg, struct vtd_error *err)
{
	struct image *im = calloc(1, sizeof(*im));
	const char *p = arg;
	int rc = 0;

	if (!im)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	m->priv = im;
	if (!*arg)
		rc = vtd_fail(err, VTD_EFORMAT, "image: no file given (image:FILE[@BASE],...)");
	while (!rc && *p) {
		char item[4200];
		size_t n = strcspn(p, ",");

		if (n >= sizeof(item)) {
			rc = vtd_fail(err, VTD_EFORMAT, "image: file name too long");
			break;
		}
		memcpy(item, p, n);
		item[n] = 0;
		rc = add_file(im, item, err);
		p += n + (p[n] == ',');
	}
	if (rc) {
		image_close(m);
		m->priv = NULL;
	}
	return rc;
}

static int read_piece(const struct vtd_range *rg, uint64_t off, void *buf, size_t len, void *arg,
		      struct vtd_error *err)
{
	struct image *im = arg;
	int fd = im->fds[rg->off];
	uint8_t *p = buf;

	while (len) {
		ssize_t r = pread(fd, p, len, (off_t)off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int rc = r < 0 ? vtd__mem_sys_fail(err, "cannot read", "image")
				       : vtd_fail(err, VTD_EIO, "image file shrank while reading");

			if (err) {
				err->has_addr = 1;
				err->addr = rg->base + off;
			}
			return rc;
		}
		p += r;
		off += (uint64_t)r;
		len -= (size_t)r;
	}
	return 0;
}

static int image_read(struct vtd_mem *m, uint64_t pa, void *buf, size_t len,
		      struct vtd_error *err)
{
	struct image *im = m->priv;

	return vtd__ranges_access(&im->ranges, pa, len, buf, read_piece, im, err);
}

/*
 * The first data extent of 'rg' at or after file offset 'start': 1 with
 * [*d, *h), 0 when only a hole follows.  A file system that cannot say
 * (SEEK_DATA fails otherwise than with ENXIO) has no holes.
 */
static int extent(const struct image *im, const struct vtd_range *rg, uint64_t start,
		  uint64_t *d, uint64_t *h)
{
	int fd = im->fds[rg->off];
	off_t x = lseek(fd, (off_t)start, SEEK_DATA), y;

	if (x < 0 && errno == ENXIO)
		return 0;
	if (x < 0) {
		*d = start;
		*h = rg->size;
		return 1;
	}
	y = lseek(fd, x, SEEK_HOLE);
	*d = (uint64_t)x;
	*h = y < 0 || (uint64_t)y > rg->size ? rg->size : (uint64_t)y;
	return *d < *h;
}

/*
 * The data of the files, not their holes: a sparse image's holes read as
 * zeros, and whoever walks the source (a scan for tables over a 16 GiB
 * image with 100 MiB of data) need not read them.  Data that runs to a
 * file's end goes on into an image placed right after it, as one run.
 */
static int image_next(struct vtd_mem *m, uint64_t from, uint64_t *base, uint64_t *size)
{
	struct image *im = m->priv;
	uint64_t d, h, end;

	for (size_t i = 0; i < im->ranges.n; i++) {
		const struct vtd_range *rg = &im->ranges.v[i];
		uint64_t start = from > rg->base ? from - rg->base : 0;

		if (start >= rg->size || !extent(im, rg, start, &d, &h))
			continue;
		*base = rg->base + d;
		end = rg->base + h;
		while (h == rg->size && ++i < im->ranges.n && im->ranges.v[i].base == end &&
		       extent(im, &im->ranges.v[i], 0, &d, &h) && d == 0) {
			rg = &im->ranges.v[i];
			end = rg->base + h;
		}
		*size = end - *base;
		return 1;
	}
	return 0;
}

const struct vtd_mem_ops vtd__mem_image = {
	.name = "image",
	.help = "FILE[@BASE][,FILE@BASE...]: raw memory images, each placed at a physical base",
	.open = image_open,
	.read = image_read,
	.close = image_close,
	.next = image_next,
};
