/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtdkit tests -- a client of QEMU's qtest text protocol */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "qtest.h"

struct qtest {
	pid_t pid;
	int to_fd, from_fd;
	int timeout_ms;
	char *line;		/* the current answer line */
	size_t line_cap;
	char rbuf[65536];	/* bytes read but not yet consumed */
	size_t rlen, rpos;
	char *obuf;		/* the command being sent */
	size_t obuf_cap;
};

/* Long transfers are split so that no line grows without bound. */
#define CHUNK 65536

int qtest_start(char *const argv[], const char *log, int timeout_ms, struct qtest **out,
		struct vtd_error *err)
{
	int to[2], from[2], errp[2];
	struct qtest *q;
	size_t n = 0;

	while (argv[n])
		n++;
	char **av = calloc(n + 3, sizeof(*av));
	q = calloc(1, sizeof(*q));
	if (!av || !q) {
		free(av);
		free(q);
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	}
	memcpy(av, argv, n * sizeof(*av));
	av[n] = (char *)"-qtest";
	av[n + 1] = (char *)"stdio";
	if (pipe2(to, O_CLOEXEC) || pipe2(from, O_CLOEXEC) || pipe2(errp, O_CLOEXEC)) {
		free(av);
		free(q);
		return vtd_fail(err, VTD_EIO, "pipe: %s", strerror(errno));
	}
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		free(av);
		free(q);
		return vtd_fail(err, VTD_EIO, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		/* The child: QEMU must not outlive the test, whatever happens to it. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		int lfd = open(log ? log : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (lfd < 0 || dup2(to[0], 0) < 0 || dup2(from[1], 1) < 0 || dup2(lfd, 2) < 0)
			_exit(127);
		execvp(av[0], av);
		int e = errno;
		if (write(errp[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(to[0]);
	close(from[1]);
	close(errp[1]);
	free(av);
	int e = 0;
	ssize_t r;
	do
		r = read(errp[0], &e, sizeof(e));
	while (r < 0 && errno == EINTR);
	close(errp[0]);
	q->pid = pid;
	q->to_fd = to[1];
	q->from_fd = from[0];
	q->timeout_ms = timeout_ms;
	if (r == (ssize_t)sizeof(e)) {
		qtest_stop(q);
		return vtd_fail(err, VTD_EIO, "cannot run %s: %s", argv[0], strerror(e));
	}
	*out = q;
	return 0;
}

pid_t qtest_pid(const struct qtest *q)
{
	return q->pid;
}

int qtest_stop(struct qtest *q)
{
	int status = 0;

	if (!q)
		return 0;
	if (q->to_fd >= 0)
		close(q->to_fd);
	if (q->from_fd >= 0)
		close(q->from_fd);
	if (q->pid > 0) {
		kill(q->pid, SIGTERM);
		for (int i = 0; i < 200; i++) {
			pid_t w = waitpid(q->pid, &status, WNOHANG);
			if (w == q->pid || (w < 0 && errno != EINTR))
				goto reaped;
			struct timespec ts = { 0, 10 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
		kill(q->pid, SIGKILL);
		while (waitpid(q->pid, &status, 0) < 0 && errno == EINTR)
			;
	}
reaped:
	free(q->line);
	free(q->obuf);
	free(q);
	return status;
}

static int fill(struct qtest *q, struct vtd_error *err)
{
	struct pollfd p = { .fd = q->from_fd, .events = POLLIN };
	int r;

	do
		r = poll(&p, 1, q->timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return vtd_fail(err, VTD_EIO, "QEMU did not answer within %d ms", q->timeout_ms);
	ssize_t n;
	do
		n = read(q->from_fd, q->rbuf, sizeof(q->rbuf));
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return vtd_fail(err, VTD_EIO, "QEMU exited (see its log)");
	q->rlen = (size_t)n;
	q->rpos = 0;
	return 0;
}

/* One line from QEMU, without its newline, in q->line. */
static int read_line(struct qtest *q, struct vtd_error *err)
{
	size_t len = 0;

	for (;;) {
		if (q->rpos == q->rlen) {
			int rc = fill(q, err);
			if (rc)
				return rc;
		}
		char *start = q->rbuf + q->rpos;
		char *nl = memchr(start, '\n', q->rlen - q->rpos);
		size_t take = nl ? (size_t)(nl - start) : q->rlen - q->rpos;
		if (len + take + 1 > q->line_cap) {
			size_t cap = (len + take + 1) * 2;
			char *nb = realloc(q->line, cap);
			if (!nb)
				return vtd_fail(err, VTD_ENOMEM, "out of memory");
			q->line = nb;
			q->line_cap = cap;
		}
		memcpy(q->line + len, start, take);
		len += take;
		q->rpos += take + (nl ? 1 : 0);
		if (nl)
			break;
	}
	if (len && q->line[len - 1] == '\r')
		len--;
	q->line[len] = '\0';
	return 0;
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

static int vcmd(struct qtest *q, const char **reply, struct vtd_error *err, const char *fmt,
		va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(q->obuf, q->obuf_cap, fmt, aq);
	va_end(aq);
	if (n < 0)
		return vtd_fail(err, VTD_EINTERNAL, "bad qtest command format");
	if ((size_t)n + 2 > q->obuf_cap) {
		char *nb = realloc(q->obuf, (size_t)n + 2);
		if (!nb)
			return vtd_fail(err, VTD_ENOMEM, "out of memory");
		q->obuf = nb;
		q->obuf_cap = (size_t)n + 2;
		vsnprintf(q->obuf, q->obuf_cap, fmt, ap);
	}
	q->obuf[n] = '\n';
	if (write_all(q->to_fd, q->obuf, (size_t)n + 1))
		return vtd_fail(err, VTD_EIO, "QEMU exited (writing '%.40s')", q->obuf);
	q->obuf[n] = '\0';
	for (;;) {
		int rc = read_line(q, err);
		if (rc) {
			vtd_error_where(err, "qtest '%.60s'", q->obuf);
			return rc;
		}
		if (!strncmp(q->line, "OK", 2) && (q->line[2] == '\0' || q->line[2] == ' ')) {
			if (reply)
				*reply = q->line[2] ? q->line + 3 : NULL;
			return 0;
		}
		if (!strncmp(q->line, "FAIL", 4) || !strncmp(q->line, "ERR", 3))
			return vtd_fail(err, VTD_EIO, "qtest '%.60s' answered '%.100s'", q->obuf,
					q->line);
		/* Anything else is an asynchronous note ("IRQ raise 4"): not ours. */
	}
}

int qtest_cmd(struct qtest *q, const char **reply, struct vtd_error *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vcmd(q, reply, err, fmt, ap);
	va_end(ap);
	return rc;
}

static int reply_u64(const char *r, uint64_t *v, struct vtd_error *err)
{
	char *end;

	if (!r)
		return vtd_fail(err, VTD_EIO, "qtest answer carries no value");
	errno = 0;
	*v = strtoull(r, &end, 0);
	if (errno || end == r)
		return vtd_fail(err, VTD_EIO, "qtest answer '%.40s' is not a number", r);
	return 0;
}

int qtest_readq(struct qtest *q, uint64_t addr, uint64_t *v, struct vtd_error *err)
{
	const char *r;
	int rc = qtest_cmd(q, &r, err, "readq 0x%llx", (unsigned long long)addr);
	return rc ? rc : reply_u64(r, v, err);
}

int qtest_readl(struct qtest *q, uint64_t addr, uint32_t *v, struct vtd_error *err)
{
	const char *r;
	uint64_t x;
	int rc = qtest_cmd(q, &r, err, "readl 0x%llx", (unsigned long long)addr);
	if (!rc)
		rc = reply_u64(r, &x, err);
	*v = (uint32_t)x;
	return rc;
}

int qtest_writeq(struct qtest *q, uint64_t addr, uint64_t v, struct vtd_error *err)
{
	return qtest_cmd(q, NULL, err, "writeq 0x%llx 0x%llx", (unsigned long long)addr,
			 (unsigned long long)v);
}

int qtest_writel(struct qtest *q, uint64_t addr, uint32_t v, struct vtd_error *err)
{
	return qtest_cmd(q, NULL, err, "writel 0x%llx 0x%x", (unsigned long long)addr, v);
}

int qtest_outl(struct qtest *q, uint16_t port, uint32_t v, struct vtd_error *err)
{
	return qtest_cmd(q, NULL, err, "outl 0x%x 0x%x", port, v);
}

int qtest_outw(struct qtest *q, uint16_t port, uint16_t v, struct vtd_error *err)
{
	return qtest_cmd(q, NULL, err, "outw 0x%x 0x%x", port, v);
}

int qtest_inl(struct qtest *q, uint16_t port, uint32_t *v, struct vtd_error *err)
{
	const char *r;
	uint64_t x = 0;
	int rc = qtest_cmd(q, &r, err, "inl 0x%x", port);
	if (!rc)
		rc = reply_u64(r, &x, err);
	*v = (uint32_t)x;
	return rc;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int qtest_memwrite(struct qtest *q, uint64_t addr, const void *buf, size_t len,
		   struct vtd_error *err)
{
	const uint8_t *p = buf;
	char *enc = malloc(CHUNK / 3 * 4 + 8);

	if (!enc)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	while (len) {
		/* A multiple of 3 keeps every chunk free of '=' padding but the last. */
		size_t n = len < CHUNK / 3 * 3 ? len : CHUNK / 3 * 3;
		size_t o = 0;
		for (size_t i = 0; i < n; i += 3) {
			uint32_t v = (uint32_t)p[i] << 16;
			if (i + 1 < n)
				v |= (uint32_t)p[i + 1] << 8;
			if (i + 2 < n)
				v |= p[i + 2];
			enc[o++] = b64[v >> 18 & 63];
			enc[o++] = b64[v >> 12 & 63];
			enc[o++] = i + 1 < n ? b64[v >> 6 & 63] : '=';
			enc[o++] = i + 2 < n ? b64[v & 63] : '=';
		}
		enc[o] = '\0';
		int rc = qtest_cmd(q, NULL, err, "b64write 0x%llx 0x%zx %s",
				   (unsigned long long)addr, n, enc);
		if (rc) {
			free(enc);
			return rc;
		}
		p += n;
		addr += n;
		len -= n;
	}
	free(enc);
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int qtest_memread(struct qtest *q, uint64_t addr, void *buf, size_t len, struct vtd_error *err)
{
	uint8_t *p = buf;

	while (len) {
		size_t n = len < CHUNK ? len : CHUNK;
		const char *r;
		int rc = qtest_cmd(q, &r, err, "read 0x%llx 0x%zx", (unsigned long long)addr, n);
		if (rc)
			return rc;
		if (!r || strncmp(r, "0x", 2) || strlen(r) != 2 + 2 * n)
			return vtd_fail(err, VTD_EIO, "qtest read of %zu bytes at 0x%llx: bad answer",
					n, (unsigned long long)addr);
		for (size_t i = 0; i < n; i++) {
			int hi = hexval(r[2 + 2 * i]), lo = hexval(r[3 + 2 * i]);
			if (hi < 0 || lo < 0)
				return vtd_fail(err, VTD_EIO, "qtest read: bad hex in answer");
			p[i] = (uint8_t)(hi << 4 | lo);
		}
		p += n;
		addr += n;
		len -= n;
	}
	return 0;
}

static uint32_t cfg_addr(unsigned bdf, unsigned reg)
{
	return 0x80000000u | (uint32_t)bdf << 8 | (reg & 0xfc);
}

int qtest_cfg_readl(struct qtest *q, unsigned bdf, unsigned reg, uint32_t *v,
		    struct vtd_error *err)
{
	int rc = qtest_outl(q, 0xcf8, cfg_addr(bdf, reg), err);
	return rc ? rc : qtest_inl(q, 0xcfc, v, err);
}

int qtest_cfg_writel(struct qtest *q, unsigned bdf, unsigned reg, uint32_t v,
		     struct vtd_error *err)
{
	int rc = qtest_outl(q, 0xcf8, cfg_addr(bdf, reg), err);
	return rc ? rc : qtest_outl(q, 0xcfc, v, err);
}
