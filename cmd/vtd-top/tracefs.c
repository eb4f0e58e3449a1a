/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-top -- tracefs: finding it, and --enable, which switches the VT-d
 * events on and, from the same prepared memory, switches them back even
 * from a signal handler.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sig.h"
#include "tracefs.h"

static const char *const systems[] = { "intel_iommu", "iommu" };
#define NSYSTEMS (sizeof(systems) / sizeof(systems[0]))

static const char *const defaults[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

/* " (root needed)" after a permission error, so the fix is in the message. */
static const char *hint(int err)
{
	return err == EACCES || err == EPERM ? " (root needed)" : "";
}

int top_tracefs_find(struct cli *c, const char *dir, char *out, size_t n)
{
	const char *env = getenv("VTD_TOP_TRACEFS");
	const char *const *cand = defaults;
	const char *why = " (is tracefs mounted?)";
	size_t ncand = sizeof(defaults) / sizeof(defaults[0]);
	char tried[1024] = "", p[4096];
	size_t used = 0;

	/* A place the user named is the only one tried: never fall back to the real one. */
	if (dir || (env && *env)) {
		cand = dir ? &dir : &env;
		ncand = 1;
		why = dir ? " (--tracefs)" : " ($VTD_TOP_TRACEFS)";
	}
	for (size_t i = 0; i < ncand; i++) {
		struct stat st;
		int err = ENAMETOOLONG;

		if ((size_t)snprintf(p, sizeof(p), "%s/trace_pipe", cand[i]) < sizeof(p) &&
		    (err = stat(p, &st) ? errno : 0) == 0 &&
		    (size_t)snprintf(out, n, "%s", cand[i]) < n)
			return 0;
		if (!err)
			err = ENAMETOOLONG;
		/* "No such file" is what "tried" says already; anything else is worth telling. */
		if (used < sizeof(tried))
			used += (size_t)snprintf(tried + used, sizeof(tried) - used, "%s'%s'%s%s%s",
						 i ? ", " : "", cand[i], err == ENOENT ? "" : ": ",
						 err == ENOENT ? "" : strerror(err), hint(err));
	}
	cli_error(c, EXIT_SOURCE, "no tracefs with a trace_pipe: tried %s%s", tried, why);
	return EXIT_SOURCE;
}

/*
 * One file --enable switched: its path and the value to put back.  Only
 * what was really changed is put back ('changed'), each file once.
 */
struct entry {
	const char *path;
	char old;
	volatile sig_atomic_t changed;
};

struct top_tracefs {
	size_t n, cap;
	char *pool, *pool_end;		/* the paths */
	struct entry e[];
};

/*
 * The events of one system: calls 'fn' with each events/SYS/EVENT/enable
 * path.  0, 1 when the system does not exist, -1 with errno set.
 */
static int each_event(const char *dir, const char *sys,
		      int (*fn)(const char *path, void *ctx), void *ctx)
{
	char p[4096];
	DIR *d;
	struct dirent *de;
	int rc = 0;

	snprintf(p, sizeof(p), "%s/events/%s", dir, sys);
	if (!(d = opendir(p)))
		return errno == ENOENT ? 1 : -1;
	while (!rc && (de = readdir(d))) {
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		/* events/SYS/enable and /filter are the system's own: only EVENT/enable counts. */
		if (snprintf(p, sizeof(p), "%s/events/%s/%s/enable", dir, sys, de->d_name) >=
		    (int)sizeof(p) || stat(p, &st) || !S_ISREG(st.st_mode))
			continue;
		rc = fn(p, ctx);
	}
	closedir(d);
	return rc;
}

struct count {
	size_t n, bytes;
};

static int count_one(const char *path, void *ctx)
{
	struct count *k = ctx;

	k->n++;
	k->bytes += strlen(path) + 1;
	return 0;
}

/* Note a path; an event that appeared since the count is left alone. */
static int add_one(const char *path, void *ctx)
{
	struct top_tracefs *t = ctx;
	size_t l = strlen(path) + 1;

	if (t->n < t->cap && (size_t)(t->pool_end - t->pool) >= l) {
		t->e[t->n++].path = memcpy(t->pool, path, l);
		t->pool += l;
	}
	return 0;
}

static void restore(void *arg)
{
	struct top_tracefs *t = arg;

	/* Newest first: tracing_on (last switched on) goes off before the events. */
	for (size_t i = t->n; i-- > 0;) {
		struct entry *e = &t->e[i];
		char b[2] = { e->old, '\n' };
		int fd;

		if (!e->changed)
			continue;
		if ((fd = open(e->path, O_WRONLY | O_TRUNC | O_CLOEXEC)) >= 0) {
			ssize_t w = write(fd, b, sizeof(b));

			(void)w;	/* nothing better to do from a signal handler */
			close(fd);
		}
		e->changed = 0;
	}
}

void top_tracefs_free(struct top_tracefs *t)
{
	if (!t)
		return;
	restore(t);
	top_sig_forget(restore, t);
	free(t);
}

/* The current value, its first character ("1", "0*" in newer kernels): 0, or -1 with errno. */
static int read_value(const char *path, char *v)
{
	char b[16];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = read(fd, b, sizeof(b));
	close(fd);
	if (r < 0)
		return -1;
	if (r < 1 || (b[0] != '0' && b[0] != '1')) {
		errno = EINVAL;
		return -1;
	}
	*v = b[0];
	return 0;
}

static int write_one(const char *path)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ssize_t w;

	if (fd < 0)
		return -1;
	w = write(fd, "1\n", 2);
	if (close(fd) && w == 2)
		return -1;
	if (w != 2) {
		if (w >= 0)
			errno = EIO;
		return -1;
	}
	return 0;
}

/* The failure in one line; then what was changed is put back. */
static int fail(struct cli *c, struct top_tracefs *t, const char *what, const char *path,
		int err)
{
	cli_error(c, EXIT_SOURCE, "--enable: cannot %s '%s': %s%s", what, path,
		  err == EINVAL ? "neither 0 nor 1" : strerror(err), hint(err));
	top_tracefs_free(t);	/* after the message: 'path' is in it */
	return EXIT_SOURCE;
}

int top_tracefs_enable(struct cli *c, const char *dir, struct top_tracefs **out)
{
	struct count k = { 0 };
	struct top_tracefs *t;
	char on[4096];
	int present = 0;

	*out = NULL;
	snprintf(on, sizeof(on), "%s/tracing_on", dir);
	count_one(on, &k);
	for (size_t i = 0; i < NSYSTEMS; i++) {
		int rc = each_event(dir, systems[i], count_one, &k);

		if (rc < 0) {
			char p[4096];

			snprintf(p, sizeof(p), "%s/events/%s", dir, systems[i]);
			return fail(c, NULL, "list", p, errno);
		}
		present |= !rc;
	}
	if (!present || k.n == 1) {
		cli_error(c, EXIT_SOURCE, "--enable: no intel_iommu or iommu events in '%s/events' "
			  "(a kernel without VT-d tracing?)", dir);
		return EXIT_SOURCE;
	}

	/* Everything the undo needs is allocated now: a signal handler cannot allocate. */
	if (!(t = calloc(1, sizeof(*t) + k.n * sizeof(t->e[0]) + k.bytes))) {
		cli_error(c, EXIT_INTERNAL, "out of memory");
		return EXIT_INTERNAL;
	}
	t->cap = k.n;
	t->pool = (char *)&t->e[k.n];
	t->pool_end = t->pool + k.bytes;
	for (size_t i = 0; i < NSYSTEMS; i++)
		each_event(dir, systems[i], add_one, t);
	add_one(on, t);		/* last: on after the events, off before them */

	for (size_t i = 0; i < t->n; i++)
		if (read_value(t->e[i].path, &t->e[i].old))
			return fail(c, t, "read", t->e[i].path, errno);
	if (top_sig_undo(restore, t)) {
		free(t);
		cli_error(c, EXIT_INTERNAL, "--enable: too many undo handlers");
		return EXIT_INTERNAL;
	}
	for (size_t i = 0; i < t->n; i++) {
		struct entry *e = &t->e[i];

		if (e->old == '1')
			continue;
		/*
		 * Marked first: a signal between the write and the mark must still
		 * undo it.  A failed write stays marked: writing the old value back
		 * is harmless, and right if the write got half way.
		 */
		e->changed = 1;
		if (write_one(e->path))
			return fail(c, t, "write", e->path, errno);
	}
	*out = t;
	return 0;
}
