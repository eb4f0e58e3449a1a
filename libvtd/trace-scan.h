/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvtd -- scanning helpers for the hot paths of the text readers (ftrace,
 * dmesg, QEMU), on top of trace-internal.h's: the same results, fewer
 * instructions on what every line has (event names, single blanks).
 */
#ifndef VTD_TRACE_SCAN_H
#define VTD_TRACE_SCAN_H

#include "trace-internal.h"

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

#endif
