/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- trace readers: lines, format detection line by line, bad-line bookkeeping */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace-internal.h"

/* Enough for four of the longest lines: reads are large, compaction rare. */
#define BUF_CAP (4 * VTD_TRACE_LINE_MAX)
/* Opening looks this far for one line of a known format. */
#define PROBE_LEN 65536
#define KEEP_BAD_MAX 4096

/* Auto-detection order; the reader of the previous line is tried first. */
static const struct tr_reader *const readers[] = {
	&vtd__tr_dmesg, &vtd__tr_ftrace, &vtd__tr_qemu, &vtd__tr_jsonl,
};
#define NREADERS VTD_NELEM(readers)
_Static_assert(NREADERS == TR_NREADERS, "TR_NREADERS is the number of text readers");
#define CMD_BIT TR_CMD_BIT

/* Keep the "dmesg+ftrace" text in step with the readers that matched (stats takes a const trace). */
static inline void formats_sync(struct vtd_trace *t)
{
	if (t->acc.matched != t->formats_of)
		vtd__tr_formats(t);
}

/* Copying a zero event is quicker than memset's "rep stos" for every line. */
static const struct vtd_event ev0;

/* ---- names --------------------------------------------------------------------- */

static const char *const kind_names[VTD_EV_KIND_N] = {
	[VTD_EV_DMA_FAULT] = "dma-fault",
	[VTD_EV_IR_FAULT] = "ir-fault",
	[VTD_EV_PAGE_REQ] = "page-req",
	[VTD_EV_IO_PAGE_FAULT] = "io-page-fault",
	[VTD_EV_INV] = "inv",
	[VTD_EV_MAP] = "map",
	[VTD_EV_UNMAP] = "unmap",
	[VTD_EV_ATTACH] = "attach",
	[VTD_EV_DETACH] = "detach",
	[VTD_EV_IOTLB_HIT] = "iotlb-hit",
	[VTD_EV_IOTLB_MISS] = "iotlb-miss",
	[VTD_EV_TRANSLATE] = "translate",
	[VTD_EV_CONFIG] = "config",
	[VTD_EV_FAULT_REC] = "fault-rec",
};

/* The suffixes of the descriptor layouts' names ("inv-iotlb"). */
static const char *const inv_type_names[VTD_INV_TYPE_N] = {
	[VTD_INV_CC] = "cc",
	[VTD_INV_IOTLB] = "iotlb",
	[VTD_INV_DEVTLB] = "devtlb",
	[VTD_INV_IEC] = "iec",
	[VTD_INV_WAIT] = "wait",
	[VTD_INV_PIOTLB] = "piotlb",
	[VTD_INV_PC] = "pc",
	[VTD_INV_PDEVTLB] = "pdevtlb",
	[VTD_INV_PGRP_RESP] = "pgrp-resp",
};

static const char *const inv_gran_names[VTD_GRAN_N] = {
	[VTD_GRAN_GLOBAL] = "global",
	[VTD_GRAN_DOMAIN] = "domain",
	[VTD_GRAN_DEVICE] = "device",
	[VTD_GRAN_PASID] = "pasid",
	[VTD_GRAN_PAGE] = "page",
	[VTD_GRAN_INDEX] = "index",
};

const char *vtd_ev_kind_name(int kind)
{
	return kind > 0 && kind < VTD_EV_KIND_N ? kind_names[kind] : "unknown";
}

int vtd_ev_kind_of(const char *name)
{
	int k;

	for (k = 1; name && k < VTD_EV_KIND_N; k++)
		if (!strcmp(name, kind_names[k]))
			return k;
	return 0;
}

const char *vtd_inv_type_name(int t)
{
	return t > 0 && t < VTD_INV_TYPE_N ? inv_type_names[t] : "unknown";
}

const char *vtd_inv_gran_name(int g)
{
	return g > 0 && g < VTD_GRAN_N ? inv_gran_names[g] : "unknown";
}

/* ---- bad lines ------------------------------------------------------------------- */

void vtd__trace_note_bad(struct tr_acc *a, uint64_t lineno, const char *line, size_t len,
			 const char *why)
{
	struct vtd_trace_bad *b;

	if (!a)
		return;
	a->bad++;
	if (a->nkept >= a->keep)
		return;
	/* Most traces have no bad line: the room for them is made on the first. */
	if (!a->kept && !(a->kept = calloc(a->keep, sizeof(*a->kept))))
		return;
	b = &a->kept[a->nkept++];
	b->lineno = lineno;
	tr_copy(b->line, sizeof(b->line), line, len);
	snprintf(b->why, sizeof(b->why), "%s", why);
}

/* Text that no one would print: NULs and other control bytes. */
static int garbage(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if ((c < 0x20 && c != '\t' && c != 0x1b) || c == 0x7f)
			return 1;
	}
	return 0;
}

/* ---- one line, any reader ------------------------------------------------------------ */

/*
 * Try the readers on a line.  Returns TR_* or a negative code; '*who' is
 * the reader that claimed it.
 */
static int parse_any(struct tr_state *st, const struct tr_reader *fixed, unsigned *last,
		     const char *line, size_t len, uint64_t lineno, struct vtd_event *ev,
		     struct vtd_error *err, unsigned *who)
{
	unsigned i, first = *last;
	int rc;

	if (fixed) {
		for (i = 0; readers[i] != fixed; i++)
			;
		*who = i;
		return fixed->parse(st, line, len, lineno, ev, err);
	}
	/* A pending half of a two-line fault must see the next line first. */
	if (st->dm_pend)
		first = 0;
	if (first < NREADERS) {		/* TR_NO_LAST: none yet, in a block (trace-par.c) */
		rc = readers[first]->parse(st, line, len, lineno, ev, err);
		if (rc != TR_NOTMINE) {
			*who = first;
			return rc;
		}
	}
	for (i = 0; i < NREADERS; i++) {
		if (i == first)
			continue;
		rc = readers[i]->parse(st, line, len, lineno, ev, err);
		if (rc != TR_NOTMINE) {
			*who = *last = i;
			return rc;
		}
	}
	return TR_NOTMINE;
}

static const struct tr_reader *reader_by_name(const char *name)
{
	unsigned i;

	for (i = 0; i < NREADERS; i++)
		if (!strcmp(readers[i]->name, name))
			return readers[i];
	return NULL;
}

/* Count what a reader said of a line: 1 when it made an event. */
static int take(const struct tr_lines *lx, struct tr_acc *a, int rc, unsigned who,
		const char *line, size_t len, uint64_t lineno, struct vtd_event *ev,
		const struct vtd_error *lerr)
{
	unsigned bit = lx->cmd ? CMD_BIT : 1u << who;

	if (rc == TR_EVENT) {
		if (!ev->line)
			ev->line = line;
		if (!ev->lineno)
			ev->lineno = lineno;
		ev->format = lx->cmd ? "trace-cmd" : lx->fixed ? lx->fixed->name : readers[who]->name;
		/* the first of a two-line event was held back uncounted: count it now */
		if (ev->lineno != lineno)
			a->skipped++;
		a->matched |= bit;
		a->events++;
		return 1;
	}
	if (rc < 0) {
		vtd__trace_note_bad(a, lineno, line, len, lerr->msg);
		a->matched |= bit;
	} else if (rc == TR_HELD) {
		a->matched |= 1u << who;	/* counted when its second line comes, or bad */
	} else if (rc == TR_SKIP) {
		a->matched |= bit;
		a->skipped++;
	} else if (garbage(line, len)) {
		vtd__trace_note_bad(a, lineno, line, len, "binary data in a text trace");
	} else {
		a->skipped++;
	}
	return 0;
}

int vtd__tr_line(const struct tr_lines *lx, struct tr_state *st, unsigned *last,
		 const char *line, size_t len, uint64_t lineno, struct vtd_event *ev)
{
	struct vtd_error lerr;
	unsigned who = 0;
	int rc;

	st->t->lines++;
	*ev = ev0;
	rc = parse_any(st, lx->fixed, last, line, len, lineno, ev, &lerr, &who);
	return take(lx, st->t, rc, who, line, len, lineno, ev, &lerr);
}

void vtd__tr_long_line(struct tr_acc *a, uint64_t lineno, const char *line, size_t len)
{
	a->lines++;
	vtd__trace_note_bad(a, lineno, line, len, "line longer than 65536 bytes");
}

int vtd__tr_claim(const struct tr_lines *lx, struct tr_state *scratch, const char *line,
		  size_t len, int *pending)
{
	struct vtd_error e;
	int who = -1;
	unsigned i;

	*pending = 0;
	scratch->t = NULL;
	for (i = 0; i < NREADERS; i++) {
		struct vtd_event ev = ev0;

		if (lx->fixed && readers[i] != lx->fixed)
			continue;
		tr_state_fresh(scratch);
		if (readers[i]->parse(scratch, line, len, 1, &ev, &e) == TR_NOTMINE)
			continue;
		*pending |= tr_state_pending(scratch, 1);
		who = who == -1 ? (int)i : -2;
	}
	return who;
}

int vtd_trace_parse_line(const char *format, const char *line, size_t len,
			 struct vtd_event *ev, struct vtd_error *err)
{
	struct tr_state st;
	const struct tr_reader *fixed = NULL;
	unsigned last = 0, who = 0;
	int rc;

	if (!line || !ev)
		return vtd_fail(err, VTD_EINVAL, "no line or no event");
	if (format && !(fixed = reader_by_name(format)))
		return vtd_fail(err, VTD_ENOTFOUND, "unknown trace format '%s'", format);
	memset(&st, 0, sizeof(st));
	memset(ev, 0, sizeof(*ev));
	rc = parse_any(&st, fixed, &last, line, len, 1, ev, err, &who);
	if (rc != TR_EVENT)
		return rc < 0 ? rc : 0;
	if (!ev->line)
		ev->line = line;
	ev->lineno = 1;
	ev->format = fixed ? fixed->name : readers[who]->name;
	return 1;
}

/* ---- lines of the input ------------------------------------------------------------- */

/* Bytes read (0: the end, or a live source has nothing now), or an error. */
static long fill(struct vtd_trace *t, struct vtd_error *err)
{
	long r;

	if (t->start) {
		memmove(t->buf, t->buf + t->start, t->end - t->start);
		t->end -= t->start;
		t->start = 0;
	}
	r = vtd__tr_input_read(t->in, t->buf + t->end, BUF_CAP - t->end, err);
	if (r < 0)
		return r;
	if (!r)
		t->eof = vtd__tr_input_ended(t->in);
	t->end += (size_t)r;
	t->bytes += (uint64_t)r;
	return r;
}

/* The next line, NUL-terminated in place: 1, 0 at the end, or an error. */
static int next_line(struct vtd_trace *t, char **line, size_t *len, struct vtd_error *err)
{
	for (;;) {
		char *p = t->buf + t->start;
		size_t have = t->end - t->start, n;
		char *nl = memchr(p, '\n', have);
		long rc;

		if (nl || (t->eof && have)) {
			n = nl ? (size_t)(nl - p) : have;
			t->start += nl ? n + 1 : n;
			if (t->discard) {
				t->discard = 0;
				continue;
			}
			t->lineno++;
			if (n > VTD_TRACE_LINE_MAX) {
				vtd__tr_long_line(&t->acc, t->lineno, p, n);
				continue;
			}
			p[n] = 0;
			if (n && p[n - 1] == '\r')
				p[--n] = 0;
			*line = p;
			*len = n;
			return 1;
		}
		if (t->eof)
			return 0;
		if (have > VTD_TRACE_LINE_MAX) {
			/* Bounded memory: a line this long is bad, whatever follows. */
			if (!t->discard) {
				t->lineno++;
				vtd__tr_long_line(&t->acc, t->lineno, p, have);
				t->discard = 1;
			}
			t->start = t->end;
		}
		rc = fill(t, err);
		if (rc < 0)
			return (int)rc;
		if (!rc && !t->eof)
			return 0;	/* live: the rest of the line has not come yet */
	}
}

/* ---- open, next, close ------------------------------------------------------------------ */

/* Does the start of the input hold a line of a known format? */
static int probe(struct vtd_trace *t)
{
	size_t lim = t->end < PROBE_LEN ? t->end : PROBE_LEN, off = 0;
	struct tr_state st;
	struct vtd_event ev;
	struct vtd_error e;

	if (!t->end)
		return 1;	/* empty: an empty trace, not a foreign file */
	memset(&st, 0, sizeof(st));
	while (off < lim) {
		char *p = t->buf + off, *nl = memchr(p, '\n', lim - off);
		size_t n = nl ? (size_t)(nl - p) : lim - off;
		char save = p[n];
		unsigned last = 0, who;
		int rc;

		p[n] = 0;
		memset(&ev, 0, sizeof(ev));
		rc = parse_any(&st, t->lx.fixed, &last, p, n, 1, &ev, &e, &who);
		p[n] = save;
		if (rc != TR_NOTMINE)
			return 1;
		off += n + 1;
	}
	return 0;
}

static int open_dat(struct vtd_trace *t, const char *name, struct vtd_error *err)
{
	const char *file = vtd__tr_input_file(t->in), *dir = getenv("TMPDIR");
	char tmp[4096];
	int fd, rc = 0;
	long r;

	if (t->lx.fixed)
		return vtd_fail(err, VTD_EFORMAT, "'%s' is a trace.dat file, not %s text", name,
				t->lx.fixed->name);
	if (file)
		return vtd__tr_cmd_open(file, name, &t->cmd, err);
	/*
	 * libtracecmd reads files by name: a compressed or piped trace.dat is
	 * copied to a temporary file first (disk, not memory), removed again
	 * once libtracecmd holds it open.
	 */
	snprintf(tmp, sizeof(tmp), "%s/vtd-trace-XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(tmp);
	if (fd < 0)
		return vtd_fail(err, VTD_EIO, "'%s': cannot create a temporary file: %s", name,
				strerror(errno));
	for (;;) {
		size_t off = 0;

		while (off < t->end) {
			ssize_t w = write(fd, t->buf + off, t->end - off);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				rc = vtd_fail(err, VTD_EIO, "'%s': cannot write '%s': %s", name, tmp,
					      strerror(errno));
				goto out;
			}
			off += (size_t)w;
		}
		t->start = t->end = 0;
		if (t->eof)
			break;
		if ((r = fill(t, err)) < 0) {
			rc = (int)r;
			goto out;
		}
	}
	rc = vtd__tr_cmd_open(tmp, name, &t->cmd, err);
out:
	close(fd);
	unlink(tmp);
	return rc;
}

static int start(struct vtd_trace *t, const struct vtd_trace_opts *o, struct vtd_error *err)
{
	const char *name = vtd__tr_input_name(t->in);
	int rc;

	t->name = strdup(name);
	t->buf = malloc(BUF_CAP + 1);
	t->acc.keep = !o ? 16 : o->keep_bad < KEEP_BAD_MAX ? o->keep_bad : KEEP_BAD_MAX;
	if (!t->name || !t->buf)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	t->st.t = &t->acc;
	if (o && o->format && strcmp(o->format, "trace-cmd") &&
	    !(t->lx.fixed = reader_by_name(o->format)))
		return vtd_fail(err, VTD_ENOTFOUND, "unknown trace format '%s'", o->format);
	if (t->live) {
		if (t->lx.fixed == NULL && o->format)
			return vtd_fail(err, VTD_ENOTSUP, "'%s': a trace.dat cannot be followed live",
					name);
		return 0;
	}
	/* Fill the probe window. */
	while (!t->eof && t->end < PROBE_LEN) {
		long r = fill(t, err);

		if (r < 0)
			return (int)r;
	}
	if (t->end >= TR_DAT_MAGIC_LEN && !memcmp(t->buf, TR_DAT_MAGIC, TR_DAT_MAGIC_LEN)) {
		rc = open_dat(t, name, err);
		if (!rc) {
			t->acc.matched |= CMD_BIT;
			formats_sync(t);
		}
		return rc;
	}
	if (o && o->format && !strcmp(o->format, "trace-cmd"))
		return vtd_fail(err, VTD_EFORMAT, "'%s' is not a trace.dat file", name);
	if (!probe(t))
		return vtd_fail(err, VTD_EFORMAT, "'%s' holds no %s line in its first %d KiB",
				name, t->lx.fixed ? t->lx.fixed->name : "dmesg, ftrace, QEMU trace or JSONL",
				PROBE_LEN / 1024);
	/* Threads pay for a trace that is more than the probe window. */
	if (o && o->threads > 1 && !t->eof)
		return vtd__tr_par_open(t, o->threads, err);
	return 0;
}

static int open_common(struct vtd_trace *t, const struct vtd_trace_opts *o,
		       struct vtd_trace **out, struct vtd_error *err)
{
	int rc = start(t, o, err);

	if (rc) {
		vtd_error_where(err, "%s", t->name ? t->name : vtd__tr_input_name(t->in));
		vtd_trace_close(t);
		return rc;
	}
	*out = t;
	return 0;
}

int vtd_trace_open(const char *path, const struct vtd_trace_opts *o, struct vtd_trace **out,
		   struct vtd_error *err)
{
	struct vtd_trace *t;
	int rc;

	if (!out || !path)
		return vtd_fail(err, VTD_EINVAL, "no path or no result pointer");
	*out = NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	t->live = o && o->live;
	rc = vtd__tr_input_open(path, t->live, &t->in, err);
	if (rc) {
		vtd_error_where(err, "%s", path);
		free(t);
		return rc;
	}
	return open_common(t, o, out, err);
}

int vtd_trace_open_mem(const void *buf, size_t len, const char *name,
		       const struct vtd_trace_opts *o, struct vtd_trace **out,
		       struct vtd_error *err)
{
	struct vtd_trace *t;
	int rc;

	if (!out)
		return vtd_fail(err, VTD_EINVAL, "no result pointer");
	*out = NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	rc = vtd__tr_input_open_mem(buf, len, name, &t->in, err);
	if (rc) {
		free(t);
		return rc;
	}
	return open_common(t, o, out, err);
}

void vtd__tr_finish(struct vtd_trace *t)
{
	t->st.t = &t->acc;
	if (t->st.dm_pend) {
		t->st.dm_pend = 0;
		vtd__trace_note_bad(&t->acc, t->st.dm_pend_lineno, t->st.dm_line,
				    strlen(t->st.dm_line),
				    "fault line without its '[fault reason' line");
	}
}

void vtd__tr_formats(struct vtd_trace *t)
{
	size_t n = 0;
	unsigned i;

	t->formats_of = t->acc.matched;
	t->formats[0] = 0;
	for (i = 0; i <= NREADERS; i++) {
		const char *nm = i < NREADERS ? readers[i]->name : "trace-cmd";

		if (t->acc.matched & (1u << i))
			n += (size_t)snprintf(t->formats + n, sizeof(t->formats) - n, "%s%s",
					      n ? "+" : "", nm);
	}
}

int vtd_trace_next(struct vtd_trace *t, struct vtd_event *ev, struct vtd_error *err)
{
	static const struct tr_lines cmd_lines = { &vtd__tr_ftrace, 1 };

	if (!t || !ev)
		return vtd_fail(err, VTD_EINVAL, "no trace or no event");
	if (t->par)
		return vtd__tr_par_next(t, ev, err);
	for (;;) {
		const char *cline;
		char *line = NULL;
		size_t len;
		unsigned last = 1;
		int rc;

		if (t->cmd) {
			rc = vtd__tr_cmd_next(t->cmd, &cline, &len, err);
			if (rc <= 0) {
				if (rc < 0)
					vtd_error_where(err, "%s:%llu", t->name,
							(unsigned long long)t->lineno + 1);
				t->done = !rc;
				return rc;
			}
			t->lineno++;
			rc = vtd__tr_line(&cmd_lines, &t->st, &last, cline, len, t->lineno, ev);
		} else {
			rc = next_line(t, &line, &len, err);
			if (rc <= 0) {
				if (rc < 0) {
					vtd_error_where(err, "%s:%llu", t->name,
							(unsigned long long)t->lineno + 1);
					return rc;
				}
				if (!t->eof)
					return 0;	/* live, and nothing more yet */
				vtd__tr_finish(t);
				formats_sync(t);
				t->done = 1;
				return 0;
			}
			rc = vtd__tr_line(&t->lx, &t->st, &t->last, line, len, t->lineno, ev);
		}
		formats_sync(t);
		if (rc)
			return 1;
	}
}

void vtd_trace_stats(const struct vtd_trace *t, struct vtd_trace_stats *s)
{
	memset(s, 0, sizeof(*s));
	if (!t)
		return;
	s->bytes = t->bytes;
	s->lines = t->acc.lines;
	s->events = t->acc.events;
	s->bad = t->acc.bad;
	s->skipped = t->acc.skipped;
	s->formats = t->formats;
	s->first_bad = t->acc.kept;
	s->nfirst_bad = t->acc.nkept;
	s->lost = t->in ? vtd__tr_input_lost(t->in) : 0;
}

int vtd_trace_ended(const struct vtd_trace *t)
{
	return !t || t->done;
}

int vtd_trace_fd(const struct vtd_trace *t)
{
	return t && t->in ? vtd__tr_input_fd(t->in) : -1;
}

void vtd_trace_close(struct vtd_trace *t)
{
	if (!t)
		return;
	vtd__tr_par_close(t->par);
	vtd__tr_cmd_close(t->cmd);
	vtd__tr_input_close(t->in);
	free(t->st.j_line);
	free(t->acc.kept);
	free(t->buf);
	free(t->name);
	free(t);
}

int vtd_event_same(const struct vtd_event *a, const struct vtd_event *b)
{
	return a->has == b->has && a->kind == b->kind && a->ts_ns == b->ts_ns &&
	       a->cpu == b->cpu && !strcmp(a->unit, b->unit) && !strcmp(a->device, b->device) &&
	       a->sid == b->sid && a->pasid == b->pasid && a->addr == b->addr &&
	       a->size == b->size && a->paddr == b->paddr && a->reason == b->reason &&
	       a->access == b->access && a->did == b->did && a->inv_type == b->inv_type &&
	       a->inv_gran == b->inv_gran && a->am == b->am && a->ih == b->ih &&
	       a->nqw == b->nqw && !memcmp(a->qw, b->qw, sizeof(a->qw)) &&
	       a->index == b->index && a->group == b->group;
}
