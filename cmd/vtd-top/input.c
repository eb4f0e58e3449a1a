/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-top -- the input: every file a streaming reader, merged by time
 * stamp, so that a dmesg and an ftrace file of one machine (one clock)
 * read as one trace in bounded memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "top.h"

struct src {
	struct vtd_trace *t;
	struct vtd_event ev;
	uint64_t key;		/* the event's time, or the last one its file gave */
	int live;		/* ev holds the next event */
};

static int advance(struct cli *c, struct src *s)
{
	struct vtd_error e = { 0 };
	int rc = vtd_trace_next(s->t, &s->ev, &e);

	if (rc < 0)
		return cli_report(c, &e, rc);
	s->live = rc > 0;
	if (s->live && (s->ev.has & VTD_EVH_TS))
		s->key = s->ev.ts_ns;
	return 0;
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

int top_read(struct cli *c, const struct top_files *f, const char *format,
	     struct vtd_tstat *st, top_event_fn fn, void *ctx, char *formats, size_t nformats)
{
	struct vtd_trace_opts to = { .format = format };
	struct src *s = calloc(f->n, sizeof(*s));
	int rc = 0;

	if (!s) {
		cli_error(c, EXIT_INTERNAL, "out of memory");
		return EXIT_INTERNAL;
	}
	formats[0] = 0;
	for (unsigned i = 0; i < f->n && !rc; i++) {
		struct vtd_error e = { 0 };
		int r = vtd_trace_open(f->path[i], &to, &s[i].t, &e);

		if (r < 0 && strstr(e.msg, f->path[i])) {
			/* The message names the file already: once is enough. */
			cli_error(c, cli_exit_for(r), "%s", e.msg);
			rc = cli_exit_for(r);
		} else {
			rc = r < 0 ? cli_report(c, &e, r) : advance(c, &s[i]);
		}
	}
	while (!rc) {
		struct src *next = NULL;

		/* Few files: a linear pick beats a heap. */
		for (unsigned i = 0; i < f->n; i++)
			if (s[i].live && (!next || s[i].key < next->key))
				next = &s[i];
		if (!next)
			break;
		if ((rc = fn(&next->ev, ctx)) || (rc = advance(c, next)))
			break;
	}
	for (unsigned i = 0; i < f->n; i++) {
		struct vtd_trace_stats ts;

		if (!s[i].t)
			continue;
		vtd_trace_stats(s[i].t, &ts);
		vtd_tstat_add_bad(st, ts.bad);
		note_formats(formats, nformats, ts.formats);
		vtd_trace_close(s[i].t);
	}
	free(s);
	return rc;
}
