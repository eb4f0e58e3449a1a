/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- private parts of the trace readers: input, reader table, line scanning */
#ifndef VTD_TRACE_INTERNAL_H
#define VTD_TRACE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "layout.h"
#include "trace.h"

/* ---- input (trace-input.c): bytes of a file, stdin or memory, decompressed ---- */

struct tr_input;

enum { TR_PLAIN, TR_GZIP, TR_ZSTD };

/* live: read plain text as it comes, never waiting (vtd_trace_opts.live). */
int vtd__tr_input_open(const char *path, int live, struct tr_input **out,
		       struct vtd_error *err);
int vtd__tr_input_open_mem(const void *buf, size_t len, const char *name,
			   struct tr_input **out, struct vtd_error *err);
/* Up to 'n' bytes; 0 at the end; a negative code (with the path) on errors. */
long vtd__tr_input_read(struct tr_input *in, void *buf, size_t n, struct vtd_error *err);
int vtd__tr_input_compression(const struct tr_input *in);
/* The path of a plain regular file (trace.dat can be opened by name), else NULL. */
const char *vtd__tr_input_file(const struct tr_input *in);
const char *vtd__tr_input_name(const struct tr_input *in);
/* Live inputs: 0 from read means "nothing now" until this says the end came. */
int vtd__tr_input_ended(const struct tr_input *in);
int vtd__tr_input_fd(const struct tr_input *in);
/* /dev/kmsg records overwritten before they were read. */
uint64_t vtd__tr_input_lost(const struct tr_input *in);
void vtd__tr_input_close(struct tr_input *in);

/* ---- trace.dat through libtracecmd (trace-cmd.c) ---- */

struct tr_cmd;

/* Open a trace.dat file; 'name' is what errors call it. */
int vtd__tr_cmd_open(const char *path, const char *name, struct tr_cmd **out,
		     struct vtd_error *err);
/* The next record in time order, rendered as an ftrace text line: 1, 0 at the end. */
int vtd__tr_cmd_next(struct tr_cmd *c, const char **line, size_t *len, struct vtd_error *err);
void vtd__tr_cmd_close(struct tr_cmd *c);

/* The first bytes of every trace.dat. */
#define TR_DAT_MAGIC "\x17\x08\x44tracing"
#define TR_DAT_MAGIC_LEN 10

/* ---- text readers ---------------------------------------------------------------- */

/* What a reader's parse() says about a line. */
enum {
	TR_NOTMINE = 0,		/* not this format */
	TR_EVENT = 1,		/* '*ev' is filled */
	TR_SKIP = 2,		/* this format, but not an event (other messages, headers) */
	TR_HELD = 3,		/* the first line of a two-line event, held for the next */
	/* negative: -VTD_EFORMAT, a line of this format that does not parse */
};

struct vtd_trace;

/* Readers' memory between lines, and the place texts are copied to. */
struct tr_state {
	struct vtd_trace *t;		/* NULL in vtd_trace_parse_line */
	/* dmesg: the first line of the two-line fault of old kernels */
	int dm_pend;
	uint64_t dm_pend_lineno;
	struct vtd_event dm_ev;
	char dm_line[1024];		/* first line, then "first\nsecond" */
	/* qemu: type of the vtd_inv_desc just emitted, for its detail line */
	int q_inv_type;
	uint64_t q_inv_lineno;
	/* jsonl: copies of strings of the last object */
	char j_text[256];
	char *j_line;			/* the "line" member (readers only) */
	size_t j_line_cap;
};

struct tr_reader {
	const char *name;
	/*
	 * 'line' is NUL-terminated at 'len'.  Returns TR_* or -VTD_EFORMAT with
	 * 'err' saying why.  ev is zeroed by the caller except line/lineno/format.
	 */
	int (*parse)(struct tr_state *st, const char *line, size_t len, uint64_t lineno,
		     struct vtd_event *ev, struct vtd_error *err);
};

extern const struct tr_reader vtd__tr_dmesg, vtd__tr_ftrace, vtd__tr_qemu, vtd__tr_jsonl;

/* A bad line found outside the line being parsed (the orphaned half of a pair). */
void vtd__trace_note_bad(struct vtd_trace *t, uint64_t lineno, const char *line, size_t len,
			 const char *why);

/* ---- shared decoders (trace-decode.c) --------------------------------------------- */

/* inv_type, inv_gran and the fields of ev->qw[] through the descriptor layouts. */
int vtd__tr_inv_decode(struct vtd_event *ev);
/* sid, reason, addr, access, pasid from FRCD words (qw0 = low, qw1 = high). */
void vtd__tr_frcd_decode(struct vtd_event *ev, uint64_t lo, uint64_t hi);
/* Kind of a fault by its reason: interrupt-remapping or DMA. */
int vtd__tr_fault_kind(unsigned reason);
/* The device name of a PCI address ("0000:00:03.0", "00:03.0"): sets ev->sid. */
void vtd__tr_device(struct vtd_event *ev, const char *p, size_t n);
/* ev->text: the rest of a NUL-terminated line, or NULL when longer than 255. */
int vtd__tr_text(struct vtd_event *ev, const char *p, const char *end);

/* ---- line scanning ---------------------------------------------------------------- */

/* A cursor over [p, e): every function advances only on success. */
struct sc {
	const char *p, *e;
};

static inline int sc_more(const struct sc *s)
{
	return s->p < s->e;
}

static inline int sc_is(const struct sc *s, char c)
{
	return s->p < s->e && *s->p == c;
}

static inline int sc_ch(struct sc *s, char c)
{
	if (s->p < s->e && *s->p == c) {
		s->p++;
		return 1;
	}
	return 0;
}

/* Match a literal. */
static inline int sc_lit_(struct sc *s, const char *lit, size_t n)
{
	if ((size_t)(s->e - s->p) < n || memcmp(s->p, lit, n))
		return 0;
	s->p += n;
	return 1;
}
#define sc_lit(s, lit) sc_lit_((s), (lit), sizeof(lit) - 1)

static inline int sc_starts_(const struct sc *s, const char *lit, size_t n)
{
	return (size_t)(s->e - s->p) >= n && !memcmp(s->p, lit, n);
}
#define sc_starts(s, lit) sc_starts_((s), (lit), sizeof(lit) - 1)

static inline int sc_sp(struct sc *s)	/* one or more blanks */
{
	const char *p = s->p;

	while (s->p < s->e && (*s->p == ' ' || *s->p == '\t'))
		s->p++;
	return s->p != p;
}

/* Value of a hex digit, or -1: a table, since every number of a trace goes through it. */
static inline int tr_hexval(char c)
{
	static const signed char v[256] = {
		['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7,
		['7'] = 8, ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14,
		['e'] = 15, ['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15,
		['F'] = 16,
	};

	return v[(unsigned char)c] - 1;
}

/* Hex digits, at most 16, with an optional 0x. */
static inline int sc_hex(struct sc *s, uint64_t *v)
{
	const char *p = s->p;
	uint64_t x = 0;
	int d, n = 0;

	if (s->e - p >= 2 && p[0] == '0' && (p[1] | 0x20) == 'x')
		p += 2;
	/* the common 16-digit form ("0x%016llx") without a bound per digit */
	if (s->e - p > 16) {
		for (; n < 16 && (d = tr_hexval(*p)) >= 0; n++, p++)
			x = x << 4 | (unsigned)d;
		if (n < 16 || tr_hexval(*p) < 0) {
			if (!n)
				return 0;
			*v = x;
			s->p = p;
			return 1;
		}
		return 0;	/* a 17th digit */
	}
	while (p < s->e && (d = tr_hexval(*p)) >= 0) {
		if (++n > 16)
			return 0;
		x = x << 4 | (unsigned)d;
		p++;
	}
	if (!n)
		return 0;
	*v = x;
	s->p = p;
	return 1;
}

/* Hex that must carry the 0x. */
static inline int sc_hex0x(struct sc *s, uint64_t *v)
{
	if (s->e - s->p < 3 || s->p[0] != '0' || (s->p[1] | 0x20) != 'x')
		return 0;
	return sc_hex(s, v);
}

/* Decimal digits (no sign), without overflow. */
static inline int sc_dec(struct sc *s, uint64_t *v)
{
	const char *p = s->p;
	uint64_t x = 0;

	while (p < s->e && *p >= '0' && *p <= '9') {
		unsigned d = (unsigned)(*p - '0');

		if (x > (UINT64_MAX - d) / 10)
			return 0;
		x = x * 10 + d;
		p++;
	}
	if (p == s->p)
		return 0;
	*v = x;
	s->p = p;
	return 1;
}

/* Signed decimal (cache_tag pasid/ref print %d). */
static inline int sc_sdec(struct sc *s, int64_t *v)
{
	struct sc t = *s;
	int neg = sc_ch(&t, '-');
	uint64_t x;

	if (!sc_dec(&t, &x) || x > INT64_MAX)
		return 0;
	*v = neg ? -(int64_t)x : (int64_t)x;
	*s = t;
	return 1;
}

/* "0x..." in hex, else decimal. */
static inline int sc_num(struct sc *s, uint64_t *v)
{
	return sc_hex0x(s, v) || sc_dec(s, v);
}

/* A time stamp "12.345678" (any number of fraction digits) or a plain count, in ns. */
static inline int sc_ts(struct sc *s, uint64_t *ns)
{
	struct sc t = *s;
	uint64_t sec, frac = 0;
	unsigned digits = 0;

	if (!sc_dec(&t, &sec))
		return 0;
	if (sc_ch(&t, '.')) {
		while (t.p < t.e && *t.p >= '0' && *t.p <= '9') {
			if (digits < 9) {
				frac = frac * 10 + (unsigned)(*t.p - '0');
				digits++;
			}
			t.p++;
		}
		if (!digits)
			return 0;
		for (; digits < 9; digits++)
			frac *= 10;
		if (sec > UINT64_MAX / 1000000000u - 1)
			return 0;
		*ns = sec * 1000000000u + frac;
	} else {
		*ns = sec;
	}
	*s = t;
	return 1;
}

/* A run of characters other than blanks and 'stop'. */
static inline int sc_word(struct sc *s, char stop, const char **w, size_t *n)
{
	const char *p = s->p;

	while (p < s->e && *p != ' ' && *p != '\t' && *p != stop)
		p++;
	if (p == s->p)
		return 0;
	*w = s->p;
	*n = (size_t)(p - s->p);
	s->p = p;
	return 1;
}

/* Copy at most cap-1 bytes into a char array of the event. */
static inline void tr_copy(char *dst, size_t cap, const char *p, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, p, n);
	dst[n] = 0;
}

#endif
