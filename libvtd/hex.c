/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- hex text to bytes */
#include "hex.h"

#include <ctype.h>
#include <string.h>

struct pos {
	const char *p;
	unsigned line, col;
};

static void advance(struct pos *ps)
{
	if (*ps->p == '\n') {
		ps->line++;
		ps->col = 1;
	} else {
		ps->col++;
	}
	ps->p++;
}

/* Skip blanks, separators and comments. */
static void skip_space(struct pos *ps, const char *seps)
{
	for (;;) {
		if (*ps->p == '#') {
			while (*ps->p && *ps->p != '\n')
				advance(ps);
		} else if (*ps->p && (isspace((unsigned char)*ps->p) || strchr(seps, *ps->p))) {
			advance(ps);
		} else {
			return;
		}
	}
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int fail_at(struct vtd_error *err, int code, const char *name, const struct pos *ps,
		   const char *what)
{
	vtd_error_where(err, "%s:%u:%u", name ? name : "<input>", ps->line, ps->col);
	return vtd_fail(err, code, "%s", what);
}

int vtd_hex_parse_words(const char *text, unsigned word_bytes, uint8_t *out, size_t max,
			size_t *len, const char *name, struct vtd_error *err)
{
	struct pos ps = { text, 1, 1 };
	size_t n = 0;

	if (word_bytes == 0 || word_bytes > 8)
		return vtd_fail(err, VTD_EINVAL, "word size %u not supported", word_bytes);
	for (;;) {
		struct pos start;
		uint64_t v = 0;
		unsigned digits = 0, i;

		skip_space(&ps, ",");
		if (!*ps.p)
			break;
		start = ps;
		if (ps.p[0] == '0' && (ps.p[1] == 'x' || ps.p[1] == 'X')) {
			advance(&ps);
			advance(&ps);
		}
		while (*ps.p && !isspace((unsigned char)*ps.p) && *ps.p != ',' && *ps.p != '#') {
			int d = hexval((unsigned char)*ps.p);

			if (*ps.p == '_' && digits) {
				advance(&ps);
				continue;
			}
			if (d < 0)
				return fail_at(err, VTD_EFORMAT, name, &ps, "not a hex digit");
			if (++digits > 2 * word_bytes)
				return fail_at(err, VTD_ERANGE, name, &start,
					       word_bytes == 8 ? "word wider than 64 bits"
							       : "word wider than the register");
			v = (v << 4) | (unsigned)d;
			advance(&ps);
		}
		if (!digits)
			return fail_at(err, VTD_EFORMAT, name, &start, "hex word expected");
		if (n + word_bytes > max)
			return fail_at(err, VTD_ERANGE, name, &start,
				       "more words than the structure holds");
		for (i = 0; i < word_bytes; i++)
			out[n++] = (uint8_t)(v >> (8 * i));
	}
	*len = n;
	return 0;
}

int vtd_hex_parse_bytes(const char *text, uint8_t *out, size_t max, size_t *len,
			const char *name, struct vtd_error *err)
{
	struct pos ps = { text, 1, 1 };
	size_t n = 0;

	for (;;) {
		int hi, lo;

		skip_space(&ps, ",:");
		if (!*ps.p)
			break;
		if (ps.p[0] == '0' && (ps.p[1] == 'x' || ps.p[1] == 'X')) {
			advance(&ps);
			advance(&ps);
			continue;
		}
		hi = hexval((unsigned char)ps.p[0]);
		if (hi < 0)
			return fail_at(err, VTD_EFORMAT, name, &ps, "not a hex digit");
		lo = hexval((unsigned char)ps.p[1]);
		if (lo < 0) {
			advance(&ps);
			return fail_at(err, VTD_EFORMAT, name, &ps,
				       ps.p[0] ? "not a hex digit" : "odd number of hex digits");
		}
		if (n == max)
			return fail_at(err, VTD_ERANGE, name, &ps, "more bytes than expected");
		out[n++] = (uint8_t)(hi << 4 | lo);
		advance(&ps);
		advance(&ps);
	}
	*len = n;
	return 0;
}
