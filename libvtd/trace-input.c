/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- trace input: a file, standard input or memory, plain, gzip or zstd by magic */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#include "trace-internal.h"

#define RAW_CAP (128 * 1024)

struct tr_input {
	char *name;
	char *file;		/* plain regular file: its path */
	int fd;			/* -1 for memory */
	const uint8_t *mem;	/* memory input */
	size_t mem_len, mem_off;
	int comp;		/* TR_PLAIN, TR_GZIP, TR_ZSTD */
	int raw_eof;
	int done;		/* the compressed stream ended cleanly at the end of input */
	uint8_t *raw;		/* compressed bytes not yet consumed: [raw_off, raw_len) */
	size_t raw_off, raw_len;
	z_stream z;
	int z_live;
	ZSTD_DStream *zs;
	int zs_mid;		/* inside a zstd frame */
	int live, ended;	/* live: 'ended' once a read said the end */
	uint64_t lost;		/* /dev/kmsg: records overwritten unread */
};

static int fail_io(struct tr_input *in, struct vtd_error *err, const char *what)
{
	int e = errno;
	int rc = vtd_fail(err, e == EACCES || e == EPERM ? VTD_EPERM : VTD_EIO,
			  "'%s': %s: %s", in->name, what, strerror(e));

	if (err)
		err->sys_errno = e;
	return rc;
}

/* Refill the raw buffer; returns bytes available, 0 at the end, or an error. */
static long raw_fill(struct tr_input *in, struct vtd_error *err)
{
	size_t have = in->raw_len - in->raw_off;

	if (have)
		return (long)have;
	if (in->raw_eof)
		return 0;
	in->raw_off = in->raw_len = 0;
	if (in->fd < 0) {
		size_t n = in->mem_len - in->mem_off;

		if (n > RAW_CAP)
			n = RAW_CAP;
		memcpy(in->raw, in->mem + in->mem_off, n);
		in->mem_off += n;
		in->raw_len = n;
	} else {
		ssize_t n;

		do
			n = read(in->fd, in->raw, RAW_CAP);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return fail_io(in, err, "read failed");
		in->raw_len = (size_t)n;
	}
	if (!in->raw_len)
		in->raw_eof = 1;
	return (long)in->raw_len;
}

static int setup(struct tr_input *in, struct vtd_error *err)
{
	long n;

	in->raw = malloc(RAW_CAP);
	if (!in->raw)
		return vtd_fail(err, VTD_ENOMEM, "'%s': out of memory", in->name);
	/* Magic numbers need 4 bytes; a short first read of a pipe still has them mostly. */
	n = raw_fill(in, err);
	if (n < 0)
		return (int)n;
	while (in->raw_len < 4 && !in->raw_eof && in->fd >= 0) {
		ssize_t m = read(in->fd, in->raw + in->raw_len, RAW_CAP - in->raw_len);

		if (m < 0 && errno == EINTR)
			continue;
		if (m < 0)
			return fail_io(in, err, "read failed");
		if (!m)
			break;
		in->raw_len += (size_t)m;
	}
	if (in->raw_len >= 2 && in->raw[0] == 0x1f && in->raw[1] == 0x8b) {
		in->comp = TR_GZIP;
		/* 15 + 32: a gzip or zlib header, detected */
		if (inflateInit2(&in->z, 15 + 32) != Z_OK)
			return vtd_fail(err, VTD_ENOMEM, "'%s': cannot start zlib", in->name);
		in->z_live = 1;
	} else if (in->raw_len >= 4 && in->raw[0] == 0x28 && in->raw[1] == 0xb5 &&
		   in->raw[2] == 0x2f && in->raw[3] == 0xfd) {
		in->comp = TR_ZSTD;
		in->zs = ZSTD_createDStream();
		if (!in->zs || ZSTD_isError(ZSTD_initDStream(in->zs)))
			return vtd_fail(err, VTD_ENOMEM, "'%s': cannot start zstd", in->name);
	}
	return 0;
}

int vtd__tr_input_open(const char *path, int live, struct tr_input **out,
		       struct vtd_error *err)
{
	struct tr_input *in;
	struct stat st;
	int rc;

	*out = NULL;
	in = calloc(1, sizeof(*in));
	if (!in)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	in->fd = -1;
	in->live = live;
	in->name = strdup(strcmp(path, "-") ? path : "<stdin>");
	if (!in->name) {
		free(in);
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	}
	if (!strcmp(path, "-")) {
		in->fd = dup(0);
		if (in->fd < 0) {
			rc = fail_io(in, err, "cannot read standard input");
			goto bad;
		}
	} else {
		in->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0) {
			rc = fail_io(in, err, "cannot open");
			goto bad;
		}
		if (fstat(in->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
			errno = EISDIR;
			rc = fail_io(in, err, "cannot read");
			goto bad;
		}
		if (fstat(in->fd, &st) == 0 && S_ISREG(st.st_mode))
			in->file = in->name;
	}
	/* A live source is read only when it has something: no probe for magic. */
	rc = live ? 0 : setup(in, err);
	if (rc)
		goto bad;
	*out = in;
	return 0;
bad:
	vtd__tr_input_close(in);
	return rc;
}

int vtd__tr_input_open_mem(const void *buf, size_t len, const char *name,
			   struct tr_input **out, struct vtd_error *err)
{
	struct tr_input *in;
	int rc;

	*out = NULL;
	if (!buf && len)
		return vtd_fail(err, VTD_EINVAL, "no buffer");
	in = calloc(1, sizeof(*in));
	if (!in)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	in->fd = -1;
	in->mem = buf;
	in->mem_len = len;
	in->name = strdup(name ? name : "<memory>");
	if (!in->name) {
		free(in);
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	}
	rc = setup(in, err);
	if (rc) {
		vtd__tr_input_close(in);
		return rc;
	}
	*out = in;
	return 0;
}

static long read_gzip(struct tr_input *in, void *buf, size_t n, struct vtd_error *err)
{
	uInt want = (uInt)(n > (1u << 30) ? 1u << 30 : n);

	in->z.next_out = buf;
	in->z.avail_out = want;
	while (in->z.avail_out == want) {
		long have = raw_fill(in, err);
		int zr;

		if (have < 0)
			return have;
		if (!have) {
			if (in->done)
				return 0;
			return vtd_fail(err, VTD_ETRUNC, "'%s': gzip data ends early (truncated file?)",
					in->name);
		}
		if (in->done) {
			/* Another gzip member follows (concatenated .gz files are one stream). */
			if (inflateReset(&in->z) != Z_OK)
				return vtd_fail(err, VTD_EINTERNAL, "'%s': zlib reset", in->name);
			in->done = 0;
		}
		in->z.next_in = in->raw + in->raw_off;
		in->z.avail_in = (uInt)have;
		zr = inflate(&in->z, Z_NO_FLUSH);
		in->raw_off = in->raw_len - in->z.avail_in;
		if (zr == Z_STREAM_END)
			in->done = 1;
		else if (zr != Z_OK && zr != Z_BUF_ERROR)
			return vtd_fail(err, VTD_EFORMAT, "'%s': corrupt gzip data: %s", in->name,
					in->z.msg ? in->z.msg : "inflate failed");
	}
	return (long)(want - in->z.avail_out);
}

static long read_zstd(struct tr_input *in, void *buf, size_t n, struct vtd_error *err)
{
	ZSTD_outBuffer ob = { buf, n, 0 };

	while (!ob.pos) {
		long have = raw_fill(in, err);
		ZSTD_inBuffer ib;
		size_t zr;

		if (have < 0)
			return have;
		if (!have) {
			if (!in->zs_mid)
				return 0;
			return vtd_fail(err, VTD_ETRUNC, "'%s': zstd data ends early (truncated file?)",
					in->name);
		}
		ib.src = in->raw + in->raw_off;
		ib.size = (size_t)have;
		ib.pos = 0;
		zr = ZSTD_decompressStream(in->zs, &ob, &ib);
		in->raw_off += ib.pos;
		if (ZSTD_isError(zr))
			return vtd_fail(err, VTD_EFORMAT, "'%s': corrupt zstd data: %s", in->name,
					ZSTD_getErrorName(zr));
		/* 0: a frame ended; anything else: more input is needed */
		in->zs_mid = zr != 0;
	}
	return (long)ob.pos;
}

/*
 * Whatever a live source has now, without waiting.  A regular file's end is
 * only where its writer has got to; /dev/kmsg says EPIPE once for records
 * overwritten before we read them, then goes on with the oldest it has.
 * tracefs's trace_pipe looks like a regular file but its read waits for
 * events: every live source is asked with poll() first.
 */
static long read_live(struct tr_input *in, void *buf, size_t n, struct vtd_error *err)
{
	struct pollfd pfd = { .fd = in->fd, .events = POLLIN };
	ssize_t r;
	int k;

	if (in->ended)
		return 0;
	do
		k = poll(&pfd, 1, 0);
	while (k < 0 && errno == EINTR);
	if (k < 0)
		return fail_io(in, err, "poll failed");
	if (!k)
		return 0;
	for (;;) {
		r = read(in->fd, buf, n);
		if (r >= 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN)
			return 0;
		if (errno == EPIPE) {
			in->lost++;
			continue;
		}
		return fail_io(in, err, "read failed");
	}
	if (!r && !in->file)
		in->ended = 1;
	return (long)r;
}

long vtd__tr_input_read(struct tr_input *in, void *buf, size_t n, struct vtd_error *err)
{
	size_t have = in->raw_len - in->raw_off;
	ssize_t r;

	if (in->comp == TR_GZIP)
		return read_gzip(in, buf, n, err);
	if (in->comp == TR_ZSTD)
		return read_zstd(in, buf, n, err);
	if (n > (1u << 30))
		n = 1u << 30;
	if (in->live)
		return read_live(in, buf, n, err);
	if (have) {
		/* what the magic-number probe read first */
		if (have > n)
			have = n;
		memcpy(buf, in->raw + in->raw_off, have);
		in->raw_off += have;
		return (long)have;
	}
	if (in->raw_eof)
		return 0;
	if (in->fd < 0) {
		have = in->mem_len - in->mem_off;
		if (have > n)
			have = n;
		memcpy(buf, in->mem + in->mem_off, have);
		in->mem_off += have;
		return (long)have;
	}
	/* Plain files go straight into the caller's buffer. */
	do
		r = read(in->fd, buf, n);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return fail_io(in, err, "read failed");
	return (long)r;
}

int vtd__tr_input_compression(const struct tr_input *in)
{
	return in->comp;
}

const char *vtd__tr_input_file(const struct tr_input *in)
{
	return in->comp == TR_PLAIN ? in->file : NULL;
}

const char *vtd__tr_input_name(const struct tr_input *in)
{
	return in->name;
}

int vtd__tr_input_ended(const struct tr_input *in)
{
	return !in->live || in->ended;
}

int vtd__tr_input_fd(const struct tr_input *in)
{
	return in->fd;
}

uint64_t vtd__tr_input_lost(const struct tr_input *in)
{
	return in->lost;
}

void vtd__tr_input_close(struct tr_input *in)
{
	if (!in)
		return;
	if (in->z_live)
		inflateEnd(&in->z);
	ZSTD_freeDStream(in->zs);
	if (in->fd >= 0)
		close(in->fd);
	free(in->raw);
	free(in->name);
	free(in);
}
