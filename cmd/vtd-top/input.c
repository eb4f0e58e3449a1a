/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-top -- the input: every source a streaming reader, merged by time
 * stamp, so that a dmesg and an ftrace file of one machine (one clock)
 * read as one trace in bounded memory.  Live sources (trace_pipe,
 * /dev/kmsg, standard input, followed files) never make us wait: what
 * they have not sent yet is simply not there, so among live sources
 * events are taken as they come.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "top.h"

struct src {
	struct vtd_trace *t;
	struct vtd_event ev;
	uint64_t key;		/* the event's time, or the last one its source gave */
	int ready;		/* ev holds the next event */
	int ended;
	int fd;			/* to poll: a live source that is no regular file, else -1 */
	int followed;		/* a live regular file: polled by the clock */
	int fifo;		/* a pipe: it ends when its writer closes it */
};

struct top_in {
	struct cli *c;
	struct src *s;
	unsigned n;
	struct src *last;	/* handed out its event: to be refilled */
};

/* Refill one source; 0, or an exit code after the error. */
static int advance(struct cli *c, struct src *s)
{
	struct vtd_error e;	/* filled on failure only: zeroing 430 bytes an event shows */
	int rc;

	if (s->ended || s->ready)
		return 0;
	e.code = e.sys_errno = e.has_addr = 0;
	e.where[0] = e.msg[0] = 0;
	rc = vtd_trace_next(s->t, &s->ev, &e);
	if (rc < 0)
		return cli_report(c, &e, rc);
	s->ready = rc > 0;
	if (!rc)
		s->ended = vtd_trace_ended(s->t);
	if (s->ready && (s->ev.has & VTD_EVH_TS))
		s->key = s->ev.ts_ns;
	return 0;
}

/*
 * A regular file poll() can wait on: tracefs's (and debugfs's) trace_pipe,
 * which only looks like one.  A file on a disk always polls readable.
 */
static int pollable(int fd)
{
	struct statfs fs;

	return !fstatfs(fd, &fs) && (fs.f_type == TRACEFS_MAGIC || fs.f_type == DEBUGFS_MAGIC);
}

int top_in_open(struct cli *c, const struct top_files *f, const char *format,
		struct top_in **out)
{
	struct top_in *in = calloc(1, sizeof(*in));
	int rc = 0;

	*out = NULL;
	if (in)
		in->s = calloc(f->n ? f->n : 1, sizeof(*in->s));
	if (!in || !in->s) {
		free(in);
		cli_error(c, EXIT_INTERNAL, "out of memory");
		return EXIT_INTERNAL;
	}
	in->c = c;
	in->n = f->n;
	for (unsigned i = 0; i < f->n && !rc; i++) {
		struct vtd_trace_opts to = {
			.format = f->format[i] ? f->format[i] : format,
			.live = f->live[i],
			.threads = f->live[i] ? 0 : f->threads,
		};
		struct vtd_error e = { 0 };
		int r = vtd_trace_open(f->path[i], &to, &in->s[i].t, &e);

		if (r < 0 && strstr(e.msg, f->path[i])) {
			/* The message names the file already: once is enough. */
			cli_error(c, cli_exit_for(r), "%s", e.msg);
			rc = cli_exit_for(r);
		} else {
			rc = r < 0 ? cli_report(c, &e, r) : 0;
		}
		in->s[i].fd = -1;
		if (!rc && f->live[i]) {
			struct stat st;
			int fd = vtd_trace_fd(in->s[i].t);

			if (fd < 0 || fstat(fd, &st))
				st.st_mode = 0;
			if (S_ISREG(st.st_mode) && !pollable(fd))
				in->s[i].followed = 1;
			else
				in->s[i].fd = fd;
			in->s[i].fifo = S_ISFIFO(st.st_mode);
		}
	}
	if (rc) {
		top_in_close(in, NULL, NULL, 0);
		return rc;
	}
	*out = in;
	return 0;
}

int top_in_next(struct top_in *in, const struct vtd_event **ev)
{
	struct src *next = NULL;
	int rc;

	if (in->last) {
		in->last->ready = 0;
		in->last = NULL;
	}
	/* Few sources: a linear pick beats a heap. */
	for (unsigned i = 0; i < in->n; i++) {
		struct src *s = &in->s[i];

		if ((rc = advance(in->c, s)))
			return -rc;
		if (s->ready && (!next || s->key < next->key))
			next = s;
	}
	if (!next)
		return 0;
	in->last = next;
	*ev = &next->ev;
	return 1;
}

int top_in_fifo_open(const struct top_in *in)
{
	for (unsigned i = 0; i < in->n; i++)
		if (in->s[i].fifo && !in->s[i].ended)
			return 1;
	return 0;
}

int top_in_ended(const struct top_in *in)
{
	for (unsigned i = 0; i < in->n; i++)
		if (!in->s[i].ended || in->s[i].ready)
			return 0;
	return 1;
}

size_t top_in_pollfds(const struct top_in *in, struct pollfd *p, size_t n, int *ms)
{
	size_t k = 0;

	for (unsigned i = 0; i < in->n; i++) {
		const struct src *s = &in->s[i];

		if (s->ended)
			continue;
		if (s->followed && (*ms < 0 || *ms > TOP_FOLLOW_MS))
			*ms = TOP_FOLLOW_MS;
		if (s->fd >= 0 && k < n) {
			p[k].fd = s->fd;
			p[k].events = POLLIN;
			p[k++].revents = 0;
		}
	}
	return k;
}

void top_in_wait(const struct top_in *in, int ms)
{
	struct pollfd p[TOP_MAX_FILES];
	size_t k = top_in_pollfds(in, p, TOP_MAX_FILES, &ms);

	if (k || ms > 0)
		poll(p, k, ms);
}

void top_in_counts(const struct top_in *in, uint64_t *bad, uint64_t *lost)
{
	*bad = *lost = 0;
	for (unsigned i = 0; i < in->n; i++) {
		struct vtd_trace_stats ts;

		if (!in->s[i].t)
			continue;
		vtd_trace_stats(in->s[i].t, &ts);
		*bad += ts.bad;
		*lost += ts.lost;
	}
}

/* 1 when the '+'-separated list holds the word w[0..l). */
static int has_word(const char *list, const char *w, size_t l)
{
	for (const char *p = list; *p; p += *p == '+') {
		size_t k = strcspn(p, "+");

		if (k == l && !strncmp(p, w, l))
			return 1;
		p += k;
	}
	return 0;
}

/* Add each reader name of 'fmts' ("dmesg+ftrace") that 'formats' lacks. */
static void note_formats(char *formats, size_t n, const char *fmts)
{
	for (const char *p = fmts; p && *p; p += *p == '+') {
		size_t l = strcspn(p, "+"), have = strlen(formats);

		if (!has_word(formats, p, l) && have + l + 2 < n)
			snprintf(formats + have, n - have, "%s%.*s", have ? "+" : "", (int)l, p);
		p += l;
	}
}

void top_in_formats(const struct top_in *in, char *formats, size_t n)
{
	formats[0] = 0;
	for (unsigned i = 0; i < in->n; i++) {
		struct vtd_trace_stats ts;

		if (!in->s[i].t)
			continue;
		vtd_trace_stats(in->s[i].t, &ts);
		note_formats(formats, n, ts.formats);
	}
}

void top_in_close(struct top_in *in, struct vtd_tstat *st, char *formats, size_t n)
{
	uint64_t bad, lost;

	if (!in)
		return;
	if (st) {
		top_in_counts(in, &bad, &lost);
		vtd_tstat_add_bad(st, bad);
	}
	if (formats)
		top_in_formats(in, formats, n);
	for (unsigned i = 0; i < in->n; i++)
		vtd_trace_close(in->s[i].t);
	free(in->s);
	free(in);
}

/*
 * Read to the end of every source.  A live source that has nothing now is
 * waited for (the batch modes have nothing else to do meanwhile).
 */
int top_read(struct cli *c, const struct top_files *f, const char *format,
	     struct vtd_tstat *st, top_event_fn fn, void *ctx, char *formats, size_t nformats)
{
	struct top_in *in;
	const struct vtd_event *ev;
	int rc = top_in_open(c, f, format, &in);

	formats[0] = 0;
	if (rc)
		return rc;
	for (;;) {
		int r = top_in_next(in, &ev);

		if (r < 0) {
			rc = -r;
			break;
		}
		if (r) {
			if ((rc = fn(ev, ctx)))
				break;
			continue;
		}
		if (top_in_ended(in))
			break;
		top_in_wait(in, -1);
	}
	top_in_close(in, st, formats, nformats);
	return rc;
}
