/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- private parts of the trace readers: input, reader table, line scanning */
#ifndef VTD_TRACE_INTERNAL_H
#define VTD_TRACE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__) && defined(__x86_64__)
#include <emmintrin.h>
#define TR_SSE2 1
#else
#define TR_SSE2 0
#endif

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

/*
 * Per descriptor type, the layout's fields that fill an event member,
 * found once per reader: matching keys by name for every descriptor was
 * most of the time spent decoding a trace (trace-decode.c).
 */
#define TR_INV_TYPES 16
#define TR_INV_MAXF 16		/* > the keys a field can fill (trace-decode.c) */
struct tr_inv_cache {
	int filled;
	struct {
		unsigned n, has;	/* has: the type has a layout */
		const struct vtd_field *f[TR_INV_MAXF];
		uint8_t slot[TR_INV_MAXF];
	} t[TR_INV_TYPES];
};

/*
 * What lines came to: counts, the readers that matched, the first bad
 * lines.  A trace has one; a block parsed in a thread of its own has its
 * own, merged into the trace's in order (trace-par.c).
 */
struct tr_acc {
	uint64_t lines, events, bad, skipped;
	unsigned matched;		/* bit per reader, TR_CMD_BIT */
	struct vtd_trace_bad *kept;	/* the first 'keep' bad lines */
	unsigned nkept, keep;
};

/* Readers' memory between lines, and the place texts are copied to. */
struct tr_state {
	struct tr_acc *t;		/* where bad lines go; NULL: nowhere
					 * (vtd_trace_parse_line, probes) */
	struct tr_inv_cache inv;
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

/* The state at the start of a trace, but for caches and buffers. */
static inline void tr_state_fresh(struct tr_state *st)
{
	st->dm_pend = 0;
	st->dm_pend_lineno = 0;
	st->q_inv_type = 0;
	st->q_inv_lineno = 0;
}

/* Does a reader wait for the line after 'lineno' (the second of a pair)? */
static inline int tr_state_pending(const struct tr_state *st, uint64_t lineno)
{
	return st->dm_pend || (st->q_inv_lineno && st->q_inv_lineno == lineno);
}

/*
 * What the lines before leave to the next: 'from' numbered its lines
 * 'add' fewer than 'to' does.
 */
static inline void tr_state_carry(struct tr_state *to, const struct tr_state *from, uint64_t add)
{
	to->dm_pend = from->dm_pend;
	to->dm_pend_lineno = from->dm_pend_lineno + (from->dm_pend ? add : 0);
	if (from->dm_pend) {
		to->dm_ev = from->dm_ev;
		memcpy(to->dm_line, from->dm_line, sizeof(to->dm_line));
	}
	to->q_inv_type = from->q_inv_type;
	to->q_inv_lineno = from->q_inv_lineno ? from->q_inv_lineno + add : 0;
}

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

#define TR_NREADERS 4			/* the four above */
#define TR_CMD_BIT (1u << TR_NREADERS)	/* "trace-cmd" in tr_acc.matched */
#define TR_NO_LAST TR_NREADERS		/* 'last' before any line was claimed */

/* How a trace's lines are read: by content or by one reader; from trace.dat. */
struct tr_lines {
	const struct tr_reader *fixed;	/* opts.format, or NULL: by content */
	int cmd;			/* lines rendered from trace.dat records */
};

struct tr_par;

struct vtd_trace {
	struct tr_input *in;
	struct tr_cmd *cmd;
	char *name;
	struct tr_lines lx;
	unsigned last;			/* index of the reader of the last claimed line */
	char *buf;			/* BUF_CAP + 1: room for a NUL after the last line */
	size_t start, end;
	int eof, discard;		/* discard: inside a line that was too long */
	int live, done;			/* done: next() said the end */
	uint64_t lineno;
	uint64_t bytes;			/* input bytes read (uncompressed) */
	struct tr_acc acc;
	unsigned formats_of;		/* the acc.matched that 'formats' says */
	char formats[64];
	struct tr_state st;
	struct tr_par *par;		/* parsing in threads, or NULL */
};

/*
 * One line through the readers (with 'last' the reader of the last
 * claimed line, tried first), counted into st->t: 1 when '*ev' is an
 * event, with its format, line and lineno.  'line' is NUL-terminated.
 */
int vtd__tr_line(const struct tr_lines *lx, struct tr_state *st, unsigned *last,
		 const char *line, size_t len, uint64_t lineno, struct vtd_event *ev);
/* A line longer than VTD_TRACE_LINE_MAX: counted and kept as bad, not parsed. */
void vtd__tr_long_line(struct tr_acc *a, uint64_t lineno, const char *line, size_t len);
/*
 * Which reader claims a line whatever came before it: its index, -1 for
 * none, -2 for more than one (then the one tried first wins).  '*pending'
 * when a reader would wait for the line after it.  'scratch' is a state
 * of the caller's, changed.
 */
int vtd__tr_claim(const struct tr_lines *lx, struct tr_state *scratch, const char *line,
		  size_t len, int *pending);
/* The end of the input: a first half still waiting for its second is bad. */
void vtd__tr_finish(struct vtd_trace *t);
/* Rebuild t->formats from t->acc.matched. */
void vtd__tr_formats(struct vtd_trace *t);

/* ---- parsing in threads (trace-par.c) ---------------------------------------------- */

/*
 * Take over an opened trace's input (what t->buf holds, then the rest):
 * 'threads' workers parse blocks of it.
 */
int vtd__tr_par_open(struct vtd_trace *t, unsigned threads, struct vtd_error *err);
int vtd__tr_par_next(struct vtd_trace *t, struct vtd_event *ev, struct vtd_error *err);
void vtd__tr_par_close(struct tr_par *p);

/* A bad line found outside the line being parsed (the orphaned half of a pair). */
void vtd__trace_note_bad(struct tr_acc *a, uint64_t lineno, const char *line, size_t len,
			 const char *why);

/* ---- shared decoders (trace-decode.c) --------------------------------------------- */

/* inv_type, inv_gran and the fields of ev->qw[] through the descriptor layouts. */
int vtd__tr_inv_decode(struct tr_inv_cache *c, struct vtd_event *ev);
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

/*
 * Eight bytes at a time (SWAR) where the line has them: most of a trace is
 * 16-digit hex and short decimals, and a digit-at-a-time loop is the
 * parsers' largest cost.  Little-endian loads only; others take the loops.
 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TR_SWAR 1
#else
#define TR_SWAR 0
#endif
#define TR_ONES 0x0101010101010101ull

static inline uint64_t tr_load8(const char *p)
{
	uint64_t x;

	memcpy(&x, p, 8);
	return x;
}

/* Per byte of x: 0x80 where the byte is c (exact: no carry crosses bytes). */
static inline uint64_t tr_eq8(uint64_t x, unsigned char c)
{
	uint64_t v = x ^ (c * TR_ONES), m = 0x7f * TR_ONES;

	return ~(((v & m) + m) | v) & ~m;
}

/* Bytes before the first 0x80 of a tr_eq8-style mask: 8 when none. */
static inline unsigned tr_first(uint64_t mask)
{
	return mask ? (unsigned)__builtin_ctzll(mask) >> 3 : 8;
}

static inline int sc_sp(struct sc *s)	/* one or more blanks */
{
	const char *p = s->p;

	/* ftrace pads columns with runs of blanks: eight at a time */
	while (TR_SWAR && s->e - s->p >= 8) {
		uint64_t x = tr_load8(s->p);
		unsigned n = tr_first(~(tr_eq8(x, ' ') | tr_eq8(x, '\t')) & 0x80 * TR_ONES);

		s->p += n;
		if (n < 8)
			return s->p != p;
	}
	while (s->p < s->e && (*s->p == ' ' || *s->p == '\t'))
		s->p++;
	return s->p != p;
}

/* The first 'c' in [p, e), or NULL: memchr, without a call for the first bytes of a line. */
static inline const char *tr_chr(const char *p, const char *e, char c)
{
#if TR_SSE2
	__m128i cc = _mm_set1_epi8(c);

	while (e - p >= 16) {
		unsigned m = (unsigned)_mm_movemask_epi8(
			_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), cc));

		if (m)
			return p + __builtin_ctz(m);
		p += 16;
	}
#endif
	return p < e ? memchr(p, c, (size_t)(e - p)) : NULL;
}

/*
 * !memcmp(p, lit, n) for a string literal: in word compares the compiler
 * keeps inline and folds the literal into (a call of memcmp each was most
 * of the cost of telling event names apart).
 */
static inline int tr_same(const char *p, const char *lit, size_t n)
{
	uint64_t a, b;
	uint32_t c, d;

	for (; n >= 8; p += 8, lit += 8, n -= 8) {
		memcpy(&a, p, 8);
		memcpy(&b, lit, 8);
		if (a != b)
			return 0;
	}
	if (n >= 4) {
		memcpy(&c, p, 4);
		memcpy(&d, lit, 4);
		if (c != d)
			return 0;
		p += 4, lit += 4, n -= 4;
	}
	for (; n; p++, lit++, n--)
		if (*p != *lit)
			return 0;
	return 1;
}

/*
 * sc_sp: one or more blanks.  Most runs between fields are one blank, which
 * this takes without sc_sp's eight-byte masks.
 */
static inline int sc_sp1(struct sc *s)
{
	if (s->e - s->p >= 2 && s->p[0] == ' ' && s->p[1] != ' ' && s->p[1] != '\t') {
		s->p++;
		return 1;
	}
	return sc_sp(s);
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

/* Per byte of x (all < 0x80): 0x80 where lo <= byte <= hi. */
#define TR_IN(x, lo, hi) \
	(((x) + (0x80 - (lo)) * TR_ONES) & ~((x) + (0x7f - (hi)) * TR_ONES))

/* Leading hex digits of the 8 bytes in x (0..8), their value in '*v'. */
static inline unsigned tr_hex8(uint64_t x, uint64_t *v)
{
	uint64_t hb = 0x80 * TR_ONES, l = x | 0x20 * TR_ONES, stop, d;
	unsigned n;

	/*
	 * A byte >= 0x80 stops the run; the carries it causes reach only
	 * later bytes, which are past the stop anyway.
	 */
	stop = ((TR_IN(x, 0x30, 0x39) | TR_IN(l, 0x61, 0x66)) ^ hb) | (x & hb);
	n = tr_first(stop & hb);
	if (!n)
		return 0;
	d = (x & 0x0f * TR_ONES) + ((x >> 6) & TR_ONES) * 9;
	if (n < 8)
		d &= (1ull << (8 * n)) - 1;
	d = __builtin_bswap64(d);
	d = (d | d >> 4) & 0x00ff00ff00ff00ffull;
	d = (d | d >> 8) & 0x0000ffff0000ffffull;
	d = (d | d >> 16) & 0xffffffffull;
	*v = d >> (4 * (8 - n));
	return n;
}

/* Leading decimal digits of the 8 bytes in x (0..8), their value in '*v'. */
static inline unsigned tr_dec8(uint64_t x, uint64_t *v)
{
	uint64_t hb = 0x80 * TR_ONES, stop;
	unsigned n;

	stop = ((TR_IN(x, 0x30, 0x39) ^ hb) | (x & hb)) & hb;
	n = tr_first(stop);
	if (!n)
		return 0;
	/* digits to the right end, zeros (digit 0) before them */
	x = (x & 0x0f * TR_ONES) << (8 * (8 - n));
	x = (x * 10 + (x >> 8)) & 0x00ff00ff00ff00ffull;
	x = (x * 100 + (x >> 16)) & 0x0000ffff0000ffffull;
	x = (x * 10000 + (x >> 32)) & 0xffffffffull;
	*v = x;
	return n;
}

#if TR_SSE2
/*
 * Leading hex digits of the 16 bytes at p (0..16), their value in '*v':
 * the "0x%016llx" of every address in one pass of SSE2, which every
 * x86-64 has.
 */
static inline unsigned tr_hex16(const char *p, uint64_t *v)
{
	__m128i c = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i l = _mm_or_si128(c, _mm_set1_epi8(0x20));
	__m128i dig = _mm_and_si128(_mm_cmpgt_epi8(c, _mm_set1_epi8('0' - 1)),
				    _mm_cmplt_epi8(c, _mm_set1_epi8('9' + 1)));
	__m128i alp = _mm_and_si128(_mm_cmpgt_epi8(l, _mm_set1_epi8('a' - 1)),
				    _mm_cmplt_epi8(l, _mm_set1_epi8('f' + 1)));
	__m128i hex = _mm_or_si128(dig, alp), d, pr;
	unsigned n = (unsigned)__builtin_ctz(~(unsigned)_mm_movemask_epi8(hex));
	uint64_t x;

	if (!n)
		return 0;
	/* digit values; digits past the first non-digit drop out in the shift */
	d = _mm_and_si128(_mm_add_epi8(_mm_and_si128(c, _mm_set1_epi8(0x0f)),
				       _mm_and_si128(alp, _mm_set1_epi8(9))), hex);
	pr = _mm_and_si128(_mm_or_si128(_mm_slli_epi16(d, 4), _mm_srli_epi16(d, 8)),
			   _mm_set1_epi16(0xff));
	x = __builtin_bswap64((uint64_t)_mm_cvtsi128_si64(_mm_packus_epi16(pr, pr)));
	*v = n == 16 ? x : x >> (4 * (16 - n));
	return n;
}
#endif

/* Hex digits, at most 16, with an optional 0x. */
static inline int sc_hex(struct sc *s, uint64_t *v)
{
	const char *p = s->p;
	uint64_t x = 0, lo = 0;
	int d, n = 0;

	if (s->e - p >= 2 && p[0] == '0' && (p[1] | 0x20) == 'x')
		p += 2;
#if TR_SSE2
	if (s->e - p >= 16) {
		unsigned a = tr_hex16(p, &x);

		if (!a || (a == 16 && s->e - p > 16 && tr_hexval(p[16]) >= 0))
			return 0;	/* none, or a 17th digit */
		*v = x;
		s->p = p + a;
		return 1;
	}
#endif
	if (TR_SWAR && s->e - p >= 16) {
		unsigned a = tr_hex8(tr_load8(p), &x), b;

		if (a < 8) {
			if (!a)
				return 0;
			*v = x;
			s->p = p + a;
			return 1;
		}
		b = tr_hex8(tr_load8(p + 8), &lo);
		if (b == 8 && s->e - p > 16 && tr_hexval(p[16]) >= 0)
			return 0;	/* a 17th digit */
		*v = x << (4 * b) | lo;
		s->p = p + 8 + b;
		return 1;
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

/* The digits at p on to '*x': the end of them, or NULL when they overflow. */
static inline const char *tr_dec_more(const char *p, const char *e, uint64_t *x)
{
	uint64_t v = *x;
	unsigned d;

	while (p < e && (d = (unsigned)(unsigned char)*p - '0') <= 9) {
		/* v * 10 + d > UINT64_MAX, in one compare while v is small (no division) */
		if (v >= UINT64_MAX / 10 && (v > UINT64_MAX / 10 || d > UINT64_MAX % 10))
			return NULL;
		v = v * 10 + d;
		p++;
	}
	*x = v;
	return p;
}

/* Decimal digits (no sign), without overflow. */
static inline int sc_dec(struct sc *s, uint64_t *v)
{
	const char *p = s->p;
	uint64_t x = 0;

	if (TR_SWAR && s->e - p >= 8) {
		unsigned n = tr_dec8(tr_load8(p), &x);

		if (!n)
			return 0;
		p += n;
		if (n < 8) {
			*v = x;
			s->p = p;
			return 1;
		}
	}
	p = tr_dec_more(p, s->e, &x);
	if (!p || p == s->p)
		return 0;
	*v = x;
	s->p = p;
	return 1;
}

/*
 * sc_dec, digit at a time: quicker than its eight-byte path on the short
 * numbers most fields are (CPU numbers, sizes, seconds).
 */
static inline int sc_dec_short(struct sc *s, uint64_t *v)
{
	uint64_t x = 0;
	const char *p = tr_dec_more(s->p, s->e, &x);

	if (!p || p == s->p)
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
	static const uint32_t p10[9] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
					 100000000 };
	struct sc t = *s;
	uint64_t sec, frac = 0;
	unsigned d, digits = 0;

	/* seconds have a few digits, the fraction six or more: eight at a time */
	if (!sc_dec_short(&t, &sec))
		return 0;
	if (sc_ch(&t, '.')) {
		if (TR_SWAR && t.e - t.p >= 8) {
			digits = tr_dec8(tr_load8(t.p), &frac);
			t.p += digits;
		}
		while (t.p < t.e && (d = (unsigned)(unsigned char)*t.p - '0') <= 9) {
			if (digits < 9) {
				frac = frac * 10 + d;
				digits++;
			}
			t.p++;
		}
		if (!digits || sec > UINT64_MAX / 1000000000u - 1)
			return 0;
		*ns = sec * 1000000000u + frac * p10[9 - digits];
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

	while (TR_SWAR && s->e - p >= 8) {
		uint64_t x = tr_load8(p);
		unsigned k = tr_first(tr_eq8(x, ' ') | tr_eq8(x, '\t') |
				      tr_eq8(x, (unsigned char)stop));

		p += k;
		if (k < 8)
			break;
	}
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
