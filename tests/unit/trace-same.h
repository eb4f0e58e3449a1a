/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A trace read with threads and without, side by side: every event, its
 * line, number and texts, and the counts and bad lines after each event
 * must be the same.  t-trace-par and fuzz-trace-par use it.
 */
#ifndef VTD_TEST_TRACE_SAME_H
#define VTD_TEST_TRACE_SAME_H

#include <stdio.h>
#include <string.h>

#include "trace.h"

static inline int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static inline int same_stats(const struct vtd_trace_stats *a, const struct vtd_trace_stats *b,
			     int end)
{
	unsigned i;

	if (a->lines != b->lines || a->events != b->events || a->bad != b->bad ||
	    a->skipped != b->skipped || a->nfirst_bad != b->nfirst_bad ||
	    !same_str(a->formats, b->formats) || (end && a->bytes != b->bytes))
		return 0;
	for (i = 0; i < a->nfirst_bad; i++)
		if (a->first_bad[i].lineno != b->first_bad[i].lineno ||
		    strcmp(a->first_bad[i].line, b->first_bad[i].line) ||
		    strcmp(a->first_bad[i].why, b->first_bad[i].why))
			return 0;
	return 1;
}

/*
 * Read 'len' bytes at 'p' with and without threads, side by side: 1 when
 * all is the same; '*events' and '*bad' say how much was compared.
 */
static inline int trace_same(const void *p, size_t len, const char *format, unsigned keep,
			     unsigned threads, uint64_t *events, uint64_t *bad, char *why,
			     size_t nwhy)
{
	struct vtd_trace_opts o1 = { .format = format, .keep_bad = keep };
	struct vtd_trace_opts o2 = { .format = format, .keep_bad = keep, .threads = threads };
	struct vtd_error e1 = { 0 }, e2 = { 0 };
	struct vtd_trace *t1 = NULL, *t2 = NULL;
	struct vtd_trace_stats s1, s2;
	int r1, r2, same = 1;

	*events = *bad = 0;
	r1 = vtd_trace_open_mem(p, len, "in", &o1, &t1, &e1);
	r2 = vtd_trace_open_mem(p, len, "in", &o2, &t2, &e2);
	if (r1 || r2) {
		/* not a trace: the same refusal */
		if (r1 != r2 || strcmp(e1.msg, e2.msg)) {
			snprintf(why, nwhy, "open: %d %.200s / %d %.200s", r1, e1.msg, r2, e2.msg);
			same = 0;
		}
		goto out;
	}
	for (;;) {
		struct vtd_event a, b;

		r1 = vtd_trace_next(t1, &a, &e1);
		r2 = vtd_trace_next(t2, &b, &e2);
		vtd_trace_stats(t1, &s1);
		vtd_trace_stats(t2, &s2);
		if (r1 != r2 || (r1 < 0 && strcmp(e1.msg, e2.msg))) {
			snprintf(why, nwhy, "event %llu: %d '%.200s' / %d '%.200s'",
				 (unsigned long long)*events, r1, e1.msg, r2, e2.msg);
			same = 0;
			break;
		}
		if (r1 <= 0) {
			if (!same_stats(&s1, &s2, 1)) {
				snprintf(why, nwhy, "at the end: lines %llu/%llu events %llu/%llu bad "
					 "%llu/%llu skipped %llu/%llu kept %u/%u bytes %llu/%llu "
					 "formats %s/%s",
					 (unsigned long long)s1.lines, (unsigned long long)s2.lines,
					 (unsigned long long)s1.events, (unsigned long long)s2.events,
					 (unsigned long long)s1.bad, (unsigned long long)s2.bad,
					 (unsigned long long)s1.skipped, (unsigned long long)s2.skipped,
					 s1.nfirst_bad, s2.nfirst_bad,
					 (unsigned long long)s1.bytes, (unsigned long long)s2.bytes,
					 s1.formats, s2.formats);
				same = 0;
			}
			break;
		}
		if (!vtd_event_same(&a, &b) || a.lineno != b.lineno || strcmp(a.line, b.line) ||
		    strcmp(a.format, b.format) || !same_str(a.text, b.text) ||
		    !same_stats(&s1, &s2, 0)) {
			snprintf(why, nwhy, "event %llu (line %llu / %llu) differs",
				 (unsigned long long)*events, (unsigned long long)a.lineno,
				 (unsigned long long)b.lineno);
			same = 0;
			break;
		}
		++*events;
	}
	*bad = s1.bad;
out:
	vtd_trace_close(t1);
	vtd_trace_close(t2);
	return same;
}

#endif
