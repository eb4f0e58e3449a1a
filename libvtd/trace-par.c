/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvtd -- a text trace parsed in blocks by worker threads
 * (vtd_trace_opts.threads), its events handed out in order.
 *
 * The caller's thread reads the input and cuts it into blocks of whole
 * lines; a worker parses a block from the state a trace starts in.  That
 * is the state the block truly starts in when
 *  - the cut is clean: the line before it leaves no reader waiting for the
 *    line after (the first half of the old two-line dmesg fault, a QEMU
 *    descriptor before its detail line).  The cutter moves a cut back a
 *    few lines to make it so;
 *  - and the block's first claimed line has one reader that claims it:
 *    the reader of the last claimed line, which the readers try first,
 *    then makes no difference.  The worker looks before it parses.
 * A block for which either is not so is parsed in the caller's thread, in
 * turn, from the state the lines before it left.  Counts and bad lines are
 * kept per block and merged as its events are taken, so that the trace
 * says, event for event, what it says without threads.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "trace-internal.h"

/* ~2300 lines: a thread's wake-up is worth it; a few blocks per worker stay in the caches. */
#define BLK_SIZE (256u << 10)
/* A line that fits no block is cut as too long: every line a reader takes must fit. */
_Static_assert(BLK_SIZE > VTD_TRACE_LINE_MAX, "a block holds the longest line");
#define MAX_THREADS 64
/* How many lines a cut may move back to be clean. */
#define CUT_BACK 16

enum { B_FREE, B_QUEUED, B_BUSY, B_DONE };

/* What its block had counted when an event was made. */
struct mark {
	uint32_t lines, bad, skipped, matched;
};

struct bev {
	struct vtd_event ev;
	struct mark m;
};

/* Room for the texts events point at in a reader's state (a paired dmesg line, JSONL's). */
struct chunk {
	struct chunk *next;
	size_t used, cap;
	char data[];
};

struct blk {
	int state;		/* B_*: under the lock */
	int ordered;		/* parse in turn, in the caller's thread */
	uint64_t seq;
	char *buf;		/* BLK_SIZE + 1: room for a NUL after the last line */
	size_t len;
	struct bev *ev;
	size_t nev, cap;
	struct chunk *texts;
	struct tr_acc acc;	/* its own counts, from 0 */
	uint64_t nlines;
	unsigned last;		/* TR_NO_LAST: no line was claimed */
	struct tr_state st;	/* the state it ends in (parsed from a fresh one) */
	int rc;
};

struct tr_par {
	struct vtd_trace *t;
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	pthread_t thr[MAX_THREADS];
	unsigned nthr;
	int quit;
	struct blk *b;
	unsigned nb;
	/* cutting, in the caller's thread */
	char *carry;		/* the lines after the last cut */
	size_t ncarry;
	int eof, discard;	/* discard: the rest of a line longer than a block */
	int clean;		/* no reader waits at the last cut */
	uint64_t cut_seq;
	int in_rc;		/* a read error, after the block before in_seq */
	uint64_t in_seq;
	struct vtd_error in_err;
	struct tr_state scratch;
	/* taking */
	struct blk *cur;
	size_t i;
	uint64_t take_seq, add;	/* add: to the block's line numbers */
	struct tr_acc base;	/* the trace's counts before 'cur' */
	unsigned merged;	/* cur's kept bad lines merged */
};

/* ---- parsing a block ------------------------------------------------------------- */

/* A text that lives in the reader's state, copied to the block; others as they are. */
static const char *keep_text(struct blk *b, const struct tr_state *st, const char *s)
{
	uintptr_t a = (uintptr_t)s, o = (uintptr_t)st, j = (uintptr_t)st->j_line;
	struct chunk *c = b->texts;
	size_t n;

	if (!s || !((a >= o && a < o + sizeof(*st)) || (j && a >= j && a < j + st->j_line_cap)))
		return s;
	n = strlen(s) + 1;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > 65536 ? n : 65536;

		if (!(c = malloc(sizeof(*c) + cap)))
			return NULL;
		c->next = b->texts;
		c->used = 0;
		c->cap = cap;
		b->texts = c;
	}
	memcpy(c->data + c->used, s, n);
	c->used += n;
	return c->data + c->used - n;
}

static void free_texts(struct blk *b)
{
	while (b->texts) {
		struct chunk *c = b->texts;

		b->texts = c->next;
		free(c);
	}
}

/* Room for one more event: events are parsed in place, not copied in. */
static struct vtd_event *room(struct blk *b)
{
	if (b->nev == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 4096;
		struct bev *n = realloc(b->ev, cap * sizeof(*n));

		if (!n) {
			b->rc = -VTD_ENOMEM;
			return NULL;
		}
		b->ev = n;
		b->cap = cap;
	}
	return &b->ev[b->nev].ev;
}

/* The event parsed into room(): its texts made the block's, and what was counted. */
static void push(struct blk *b, const struct tr_state *st)
{
	struct bev *o = &b->ev[b->nev++];
	const char *line = o->ev.line, *text = o->ev.text;

	o->ev.line = keep_text(b, st, line);
	o->ev.text = keep_text(b, st, text);
	if ((line && !o->ev.line) || (text && !o->ev.text))
		b->rc = -VTD_ENOMEM;
	o->m.lines = (uint32_t)b->acc.lines;
	o->m.bad = (uint32_t)b->acc.bad;
	o->m.skipped = (uint32_t)b->acc.skipped;
	o->m.matched = b->acc.matched;
}

/* The lines of a block, numbered after 'lineno', from the state 'st' and 'last'. */
static void parse_block(struct tr_par *p, struct blk *b, struct tr_state *st, unsigned *last,
			uint64_t lineno)
{
	char *s = b->buf, *end = b->buf + b->len;
	uint64_t first = lineno;
	struct vtd_event *ev;

	b->acc.lines = b->acc.events = b->acc.bad = b->acc.skipped = 0;
	b->acc.matched = 0;
	b->acc.nkept = 0;
	b->nev = 0;
	st->t = &b->acc;
	while (s < end && !b->rc) {
		char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		char *next = nl ? nl + 1 : end;

		lineno++;
		if (n > VTD_TRACE_LINE_MAX) {
			vtd__tr_long_line(&b->acc, lineno, s, n);
		} else {
			s[n] = 0;
			if (n && s[n - 1] == '\r')
				s[--n] = 0;
			if (!(ev = room(b)))
				break;
			if (vtd__tr_line(&p->t->lx, st, last, s, n, lineno, ev))
				push(b, st);
		}
		s = next;
	}
	b->nlines = lineno - first;
}

/* Which reader claims a line of a block, and does one wait for the line after? */
static int claim(struct tr_par *p, struct tr_state *scratch, char *s, size_t n, int *pending)
{
	size_t m = n && s[n - 1] == '\r' ? n - 1 : n;
	char save = s[m];
	int who;

	s[m] = 0;
	who = vtd__tr_claim(&p->t->lx, scratch, s, m, pending);
	s[m] = save;
	return who;
}

/*
 * Does the block's first claimed line have more than one reader that
 * claims it?  Then which one wins depends on the lines before the block.
 */
static int unsure_head(struct tr_par *p, struct blk *b)
{
	char *s = b->buf, *end = b->buf + b->len;
	int pending;

	if (p->t->lx.fixed)
		return 0;
	while (s < end) {
		char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

		if (n <= VTD_TRACE_LINE_MAX) {
			int who = claim(p, &b->st, s, n, &pending);

			if (who != -1)
				return who == -2;
		}
		s = nl ? nl + 1 : end;
	}
	return 0;
}

/* A block parsed on its own (worker or caller): 0, or 1 when it must be parsed in turn. */
static int parse_fresh(struct tr_par *p, struct blk *b)
{
	if (unsure_head(p, b))
		return 1;
	tr_state_fresh(&b->st);
	b->last = TR_NO_LAST;
	parse_block(p, b, &b->st, &b->last, 0);
	return 0;
}

/* Parse a queued block, the lock held (and let go meanwhile); wakes who waits for it. */
static void run_block(struct tr_par *p, struct blk *b)
{
	int ordered;

	b->state = B_BUSY;
	pthread_mutex_unlock(&p->mu);
	ordered = parse_fresh(p, b);
	pthread_mutex_lock(&p->mu);
	b->ordered = ordered;
	b->state = B_DONE;
	pthread_cond_broadcast(&p->done);
}

static struct blk *next_queued(struct tr_par *p)
{
	struct blk *best = NULL;
	unsigned i;

	for (i = 0; i < p->nb; i++) {
		struct blk *b = &p->b[i];

		if (b->state == B_QUEUED && !b->ordered && (!best || b->seq < best->seq))
			best = b;
	}
	return best;
}

static void *worker(void *arg)
{
	struct tr_par *p = arg;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		struct blk *b = NULL;

		while (!p->quit && !(b = next_queued(p)))
			pthread_cond_wait(&p->work, &p->mu);
		if (p->quit)
			break;
		run_block(p, b);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* ---- cutting the input ------------------------------------------------------------ */

/* The carried lines, then input, up to a block's size or the end. */
static void fill_blk(struct tr_par *p, struct blk *b)
{
	size_t len = p->ncarry;

	memcpy(b->buf, p->carry, len);
	p->ncarry = 0;
	while (len < BLK_SIZE && !p->eof) {
		long r = vtd__tr_input_read(p->t->in, b->buf + len, BLK_SIZE - len, &p->in_err);

		if (r <= 0) {
			p->in_rc = (int)r;
			p->eof = 1;
			break;
		}
		p->t->bytes += (uint64_t)r;
		if (p->discard) {
			char *s = b->buf + len, *nl = memchr(s, '\n', (size_t)r);

			if (!nl)
				continue;
			p->discard = 0;
			r -= nl + 1 - s;
			memmove(s, nl + 1, (size_t)r);
		}
		len += (size_t)r;
	}
	b->len = len;
}

static void carry(struct tr_par *p, struct blk *b, size_t at)
{
	p->ncarry = b->len - at;
	memcpy(p->carry, b->buf + at, p->ncarry);
	b->len = at;
}

/*
 * End the block after its last whole line that leaves no reader waiting,
 * carrying the rest to the next; the next is parsed in turn when no such
 * line is near the end.  1 when this block must be parsed in turn.
 */
static int cut(struct tr_par *p, struct blk *b)
{
	char *buf = b->buf, *nl, *q;
	int ordered = !p->clean, pending;
	unsigned back;

	if (p->eof && !p->in_rc)
		return ordered;		/* the last block: all of it */
	nl = memrchr(buf, '\n', b->len);
	if (p->in_rc) {
		size_t whole = nl ? (size_t)(nl + 1 - buf) : 0;

		/*
		 * A line the error cut short is none, unless it is already too
		 * long: that one is a bad line, as when read without threads.
		 */
		if (b->len - whole <= VTD_TRACE_LINE_MAX)
			b->len = whole;
		return ordered;
	}
	if (!nl) {
		/* One line longer than a block: a bad line whose rest is skipped. */
		p->discard = 1;
		return ordered;
	}
	q = nl + 1;
	for (back = 0; back < CUT_BACK; back++) {
		char *le = q - 1, *ls = memrchr(buf, '\n', (size_t)(le - buf));
		size_t n;

		ls = ls ? ls + 1 : buf;
		n = (size_t)(le - ls);
		if (n <= VTD_TRACE_LINE_MAX) {
			claim(p, &p->scratch, ls, n, &pending);
			if (!pending) {
				carry(p, b, (size_t)(q - buf));
				p->clean = 1;
				return ordered;
			}
		}
		if (ls == buf)
			break;
		q = ls;
	}
	carry(p, b, (size_t)(nl + 1 - buf));
	p->clean = 0;
	return ordered;
}

/* Cut blocks into the free slots while there is input. */
static void refill(struct tr_par *p)
{
	while (!p->eof || p->ncarry) {
		struct blk *b = NULL;
		unsigned i;
		int ordered;

		pthread_mutex_lock(&p->mu);
		for (i = 0; i < p->nb && !b; i++)
			if (p->b[i].state == B_FREE)
				b = &p->b[i];
		pthread_mutex_unlock(&p->mu);
		if (!b)
			return;
		fill_blk(p, b);
		ordered = cut(p, b);
		if (b->len) {
			pthread_mutex_lock(&p->mu);
			b->ordered = ordered;
			b->seq = p->cut_seq++;
			b->state = B_QUEUED;
			pthread_cond_signal(&p->work);
			pthread_mutex_unlock(&p->mu);
		}
		if (p->in_rc)
			p->in_seq = p->cut_seq;
	}
}

/* ---- taking events ----------------------------------------------------------------- */

static void keep_bad(struct tr_acc *a, const struct vtd_trace_bad *bad, uint64_t add)
{
	if (a->nkept >= a->keep)
		return;
	if (!a->kept && !(a->kept = calloc(a->keep, sizeof(*a->kept))))
		return;
	a->kept[a->nkept] = *bad;
	a->kept[a->nkept++].lineno += add;
}

/* The trace's counts: those before the block, and the block's up to 'm'. */
static void account(struct tr_par *p, struct blk *b, const struct mark *m, size_t events)
{
	struct vtd_trace *t = p->t;
	struct tr_acc *a = &t->acc;

	a->lines = p->base.lines + m->lines;
	a->bad = p->base.bad + m->bad;
	a->skipped = p->base.skipped + m->skipped;
	a->events = p->base.events + events;
	a->matched |= m->matched;
	for (; p->merged < m->bad && p->merged < b->acc.nkept; p->merged++)
		keep_bad(a, &b->acc.kept[p->merged], p->add);
	if (a->matched != t->formats_of)
		vtd__tr_formats(t);
}

static void end_block(struct tr_par *p, struct blk *b)
{
	struct vtd_trace *t = p->t;
	struct mark all = {
		(uint32_t)b->acc.lines, (uint32_t)b->acc.bad, (uint32_t)b->acc.skipped,
		b->acc.matched,
	};

	account(p, b, &all, b->nev);
	if (!b->ordered) {
		if (b->last != TR_NO_LAST)
			t->last = b->last;
		tr_state_carry(&t->st, &b->st, p->add);
	}
	t->lineno += b->nlines;
	free_texts(b);
	pthread_mutex_lock(&p->mu);
	b->state = B_FREE;
	pthread_mutex_unlock(&p->mu);
	p->cur = NULL;
}

/* The next block in turn, parsed: 1, 0 at the end, or an error. */
static int begin_block(struct tr_par *p, struct vtd_error *err)
{
	struct vtd_trace *t = p->t;
	struct blk *b = NULL;
	unsigned i;

	refill(p);
	if (p->in_rc && p->take_seq == p->in_seq) {
		if (err)
			*err = p->in_err;
		return p->in_rc;
	}
	pthread_mutex_lock(&p->mu);
	for (i = 0; i < p->nb && !b; i++)
		if (p->b[i].state != B_FREE && p->b[i].seq == p->take_seq)
			b = &p->b[i];
	/* No worker has it yet: parse it here rather than wait. */
	if (b && b->state == B_QUEUED && !b->ordered)
		run_block(p, b);
	while (b && b->state == B_BUSY)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
	if (!b)
		return 0;
	p->base = t->acc;
	p->merged = 0;
	p->i = 0;
	p->add = t->lineno;
	if (b->ordered) {
		parse_block(p, b, &t->st, &t->last, t->lineno);
		t->st.t = &t->acc;
		p->add = 0;
	}
	p->cur = b;
	p->take_seq++;
	if (b->rc)
		return vtd_fail(err, -b->rc, "out of memory");
	return 1;
}

int vtd__tr_par_next(struct vtd_trace *t, struct vtd_event *ev, struct vtd_error *err)
{
	struct tr_par *p = t->par;
	int rc;

	for (;;) {
		struct blk *b = p->cur;

		if (b && p->i < b->nev) {
			struct bev *o = &b->ev[p->i++];

			*ev = o->ev;
			ev->lineno += p->add;
			account(p, b, &o->m, p->i);
			return 1;
		}
		if (b) {
			end_block(p, b);
			continue;
		}
		if (t->done)
			return 0;
		rc = begin_block(p, err);
		if (rc < 0) {
			vtd_error_where(err, "%s:%llu", t->name, (unsigned long long)t->lineno + 1);
			return rc;
		}
		if (!rc) {
			vtd__tr_finish(t);
			if (t->acc.matched != t->formats_of)
				vtd__tr_formats(t);
			t->done = 1;
			return 0;
		}
	}
}

/* ---- open, close ------------------------------------------------------------------- */

void vtd__tr_par_close(struct tr_par *p)
{
	unsigned i;

	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->nthr; i++)
		pthread_join(p->thr[i], NULL);
	for (i = 0; i < p->nb; i++) {
		struct blk *b = &p->b[i];

		free_texts(b);
		free(b->buf);
		free(b->ev);
		free(b->acc.kept);
		free(b->st.j_line);
	}
	free(p->b);
	free(p->carry);
	free(p->scratch.j_line);
	pthread_cond_destroy(&p->done);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

int vtd__tr_par_open(struct vtd_trace *t, unsigned threads, struct vtd_error *err)
{
	struct tr_par *p = calloc(1, sizeof(*p));
	sigset_t all, old;
	unsigned i;

	if (!p)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	if (pthread_mutex_init(&p->mu, NULL)) {
		free(p);
		return vtd_fail(err, VTD_ENOMEM, "cannot make a mutex");
	}
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	p->t = t;
	t->par = p;
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	p->nb = 2 * threads + 2;
	p->b = calloc(p->nb, sizeof(*p->b));
	p->carry = malloc(BLK_SIZE);
	if (!p->b || !p->carry)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	for (i = 0; i < p->nb; i++) {
		if (!(p->b[i].buf = malloc(BLK_SIZE + 1)))
			return vtd_fail(err, VTD_ENOMEM, "out of memory");
		p->b[i].acc.keep = t->acc.keep;
	}
	/* What opening read to look at the input is the first block's start. */
	p->ncarry = t->end - t->start;
	memcpy(p->carry, t->buf + t->start, p->ncarry);
	t->start = t->end = 0;
	p->clean = 1;
	/* Workers take no signal: the caller's handlers run in the caller's thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (i = 0; i < threads; i++) {
		if (pthread_create(&p->thr[i], NULL, worker, p))
			break;	/* fewer workers; the caller parses what none takes */
		p->nthr++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return 0;
}
