/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-top -- feeding the model in slices, so that the screen stays live
 * while a large file is read, and offline up to the time cursor: an event
 * beyond it waits, and going back in time reads the trace again from the
 * start (statistics cannot be taken back out).
 */
#include <string.h>

#include "tui.h"

int top_feed_open(struct top_feed *f, struct cli *c, struct tui *t)
{
	memset(f, 0, sizeof(*f));
	f->c = c;
	return top_in_open(c, &t->o->files, t->o->format, &f->in);
}

void top_feed_close(struct top_feed *f)
{
	top_in_close(f->in, NULL, NULL, 0);
	f->in = NULL;
	f->held = NULL;
}

static int beyond(const struct tui *t, const struct vtd_event *ev)
{
	return t->offline && t->cursor_ns >= 0 && (ev->has & VTD_EVH_TS) &&
	       ev->ts_ns >= (uint64_t)t->cursor_ns;
}

long top_feed_pump(struct top_feed *f, struct tui *t, long max)
{
	long n = 0;
	int rc;

	if (t->rewind) {
		t->rewind = 0;
		top_feed_close(f);
		top_model_reset(&t->m);
		if ((rc = top_feed_open(f, f->c, t)))
			return -rc;
	}
	while (n < max) {
		const struct vtd_event *ev = f->held;

		if (!ev) {
			int r = top_in_next(f->in, &ev);

			if (r < 0)
				return r;
			if (!r) {
				f->ended = top_in_ended(f->in);
				break;
			}
		}
		if (beyond(t, ev)) {
			f->held = ev;
			break;
		}
		f->held = NULL;
		top_model_feed(&t->m, ev);
		n++;
	}
	top_in_counts(f->in, &t->m.bad, &t->m.lost);
	top_in_formats(f->in, t->m.formats, sizeof(t->m.formats));
	return n;
}
