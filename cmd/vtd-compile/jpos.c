/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-compile -- JSON pointers to line:col.  json-c keeps no positions, so
 * when there is something to report, one pass over the source text follows
 * the document (strings, escapes, json-c's // and / * * / comments and
 * single-quoted strings) with the JSON pointer of each value in hand, and
 * notes where each wanted value begins.  A key that appears twice counts
 * where it appears last, as json-c keeps the last value.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"

#define MAX_DEPTH 1000

struct want {
	const char *ptr;
	size_t line, col;
	int found;
};

struct scan {
	const char *t;
	size_t n, i;
	size_t line, lstart;	/* line number, offset of its first byte */
	char *path;		/* the current value's pointer */
	size_t plen, pcap;
	struct want *w;		/* sorted by ptr */
	size_t nw;
	int bad;
};

static int want_cmp(const void *a, const void *b)
{
	return strcmp(((const struct want *)a)->ptr, ((const struct want *)b)->ptr);
}

static char cur(const struct scan *s)
{
	return s->i < s->n ? s->t[s->i] : '\0';
}

static void adv(struct scan *s)
{
	if (s->i < s->n) {
		if (s->t[s->i] == '\n') {
			s->line++;
			s->lstart = s->i + 1;
		}
		s->i++;
	}
}

static void skip_ws(struct scan *s)
{
	while (s->i < s->n) {
		char c = s->t[s->i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			adv(s);
		} else if (c == '/' && s->i + 1 < s->n && s->t[s->i + 1] == '/') {
			while (s->i < s->n && s->t[s->i] != '\n')
				adv(s);
		} else if (c == '/' && s->i + 1 < s->n && s->t[s->i + 1] == '*') {
			adv(s);
			adv(s);
			while (s->i < s->n && !(s->t[s->i] == '*' && s->i + 1 < s->n &&
						s->t[s->i + 1] == '/'))
				adv(s);
			adv(s);
			adv(s);
		} else {
			break;
		}
	}
}

static void path_add(struct scan *s, const char *p, size_t n)
{
	if (s->plen + n + 1 > s->pcap) {
		size_t cap = (s->plen + n + 1) * 2 + 64;
		char *np = realloc(s->path, cap);

		if (!np) {
			s->bad = 1;
			return;
		}
		s->path = np;
		s->pcap = cap;
	}
	memcpy(s->path + s->plen, p, n);
	s->plen += n;
	s->path[s->plen] = '\0';
}

static void path_put_utf8(struct scan *s, unsigned long cp)
{
	char b[4];
	size_t n;

	if (cp == '~') {
		path_add(s, "~0", 2);
		return;
	}
	if (cp == '/') {
		path_add(s, "~1", 2);
		return;
	}
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | cp >> 18);
		b[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		b[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	path_add(s, b, n);
}

static int hex4(struct scan *s, unsigned long *v)
{
	unsigned k;

	*v = 0;
	for (k = 0; k < 4; k++) {
		char c = cur(s);

		if (c >= '0' && c <= '9')
			*v = *v << 4 | (unsigned long)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v = *v << 4 | (unsigned long)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v = *v << 4 | (unsigned long)(c - 'A' + 10);
		else
			return -1;
		adv(s);
	}
	return 0;
}

/* A string; with 'keep', its decoded text goes onto the path as a token. */
static void string(struct scan *s, int keep)
{
	char q = cur(s);

	adv(s);
	while (s->i < s->n && cur(s) != q) {
		char c = cur(s);

		if (c != '\\') {
			if (keep)
				path_put_utf8(s, (unsigned char)c);
			adv(s);
			continue;
		}
		adv(s);
		c = cur(s);
		if (c == 'u') {
			unsigned long cp, lo;

			adv(s);
			if (hex4(s, &cp))
				continue;
			if (cp >= 0xd800 && cp < 0xdc00 && cur(s) == '\\' && s->i + 1 < s->n &&
			    s->t[s->i + 1] == 'u') {
				adv(s);
				adv(s);
				if (!hex4(s, &lo) && lo >= 0xdc00 && lo < 0xe000)
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			if (keep)
				path_put_utf8(s, cp);
			continue;
		}
		if (keep) {
			unsigned long v = (unsigned char)c;

			switch (c) {
			case 'b': v = '\b'; break;
			case 'f': v = '\f'; break;
			case 'n': v = '\n'; break;
			case 'r': v = '\r'; break;
			case 't': v = '\t'; break;
			}
			path_put_utf8(s, v);
		}
		adv(s);
	}
	adv(s);
}

static void note(struct scan *s)
{
	struct want key = { .ptr = s->path }, *w;

	w = bsearch(&key, s->w, s->nw, sizeof(*s->w), want_cmp);
	if (w) {
		w->found = 1;
		w->line = s->line;
		w->col = s->i - s->lstart + 1;
	}
}

static void value(struct scan *s, unsigned depth)
{
	size_t base = s->plen, idx = 0;
	char c;

	if (s->bad || depth > MAX_DEPTH)
		return;
	note(s);
	c = cur(s);
	if (c == '{' || c == '[') {
		char close = c == '{' ? '}' : ']';

		adv(s);
		for (;;) {
			skip_ws(s);
			if (s->i >= s->n || s->bad)
				return;
			if (cur(s) == close) {
				adv(s);
				return;
			}
			path_add(s, "/", 1);
			if (close == '}') {
				if (cur(s) != '"' && cur(s) != '\'') {
					s->bad = 1;
					return;
				}
				string(s, 1);
				skip_ws(s);
				if (cur(s) != ':') {
					s->bad = 1;
					return;
				}
				adv(s);
				skip_ws(s);
			} else {
				char num[24];
				int k = snprintf(num, sizeof(num), "%zu", idx++);

				path_add(s, num, (size_t)k);
			}
			value(s, depth + 1);
			s->plen = base;
			if (s->path)
				s->path[base] = '\0';
			skip_ws(s);
			if (cur(s) == ',')
				adv(s);
			else if (cur(s) != close) {
				s->bad = 1;
				return;
			}
		}
	}
	if (c == '"' || c == '\'') {
		string(s, 0);
		return;
	}
	while (s->i < s->n && !strchr(",]}: \t\r\n/", cur(s)))
		adv(s);
}

void jpos_resolve(const char *text, size_t len, const char *const *ptrs, size_t n,
		  unsigned *line, unsigned *col)
{
	struct scan s = { .t = text, .n = len, .line = 1 };
	size_t i, nw = 0, k, u;

	for (i = 0; i < n; i++) {
		line[i] = col[i] = 0;
		nw += 1 + (ptrs[i] ? strlen(ptrs[i]) : 0);	/* the pointer and its ancestors */
	}
	if (!(s.w = calloc(nw + 1, sizeof(*s.w))))
		return;
	/* Every ancestor too, owned: a missing member is reported at its parent. */
	for (i = 0; i < n; i++) {
		const char *p = ptrs[i] ? ptrs[i] : "";

		for (k = strlen(p) + 1; k-- > 0;)
			if (!p[k] || p[k] == '/') {
				char *a = strndup(p, k);

				if (!a)
					goto out;
				s.w[s.nw++].ptr = a;
			}
	}
	qsort(s.w, s.nw, sizeof(*s.w), want_cmp);
	for (k = u = 0; k < s.nw; k++) {
		if (u && !strcmp(s.w[u - 1].ptr, s.w[k].ptr))
			free((char *)s.w[k].ptr);
		else
			s.w[u++] = s.w[k];
	}
	s.nw = u;
	path_add(&s, "", 0);
	skip_ws(&s);
	if (!s.bad)
		value(&s, 0);
	for (i = 0; i < n; i++) {
		char *a = strdup(ptrs[i] ? ptrs[i] : "");
		size_t l;

		if (!a)
			break;
		/* This pointer, else its nearest ancestor that is there. */
		for (l = strlen(a);;) {
			struct want key = { .ptr = a }, *w;

			w = bsearch(&key, s.w, s.nw, sizeof(*s.w), want_cmp);
			if (w && w->found) {
				line[i] = (unsigned)w->line;
				col[i] = (unsigned)w->col;
				break;
			}
			while (l > 0 && a[l - 1] != '/')
				l--;
			if (l == 0)
				break;
			a[--l] = '\0';
		}
		free(a);
	}
out:
	for (k = 0; k < s.nw; k++)
		free((char *)s.w[k].ptr);
	free(s.w);
	free(s.path);
}

/* ---- problems ------------------------------------------------------------------ */

void cdiag_add(struct cdiags *d, const char *ptr, const char *fmt, ...)
{
	size_t max = d->max ? d->max : 1000;
	struct cdiag *c;
	va_list ap;
	char *msg;

	if (d->n >= max) {
		d->dropped++;
		return;
	}
	if (d->n == d->cap) {
		size_t nc = d->cap ? 2 * d->cap : 16;
		struct cdiag *nv = realloc(d->v, nc * sizeof(*nv));

		if (!nv) {
			d->dropped++;
			return;
		}
		d->v = nv;
		d->cap = nc;
	}
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	c = &d->v[d->n];
	*c = (struct cdiag){ .ptr = strdup(ptr ? ptr : ""), .msg = msg, .seq = d->n };
	if (!c->ptr || !c->msg) {
		free(c->ptr);
		free(c->msg);
		d->dropped++;
		return;
	}
	d->n++;
}

void cdiags_from_problems(struct cdiags *d, const struct vtd_problems *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		cdiag_add(d, ps->v[i].where, "%s", ps->v[i].msg);
	d->dropped += ps->dropped;
}

static int by_place(const void *a, const void *b)
{
	const struct cdiag *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void cdiags_locate(struct cdiags *d, const char *text, size_t len)
{
	const char **ptrs;
	unsigned *line, *col;
	size_t i;

	if (!d->n)
		return;
	ptrs = malloc(d->n * sizeof(*ptrs));
	line = malloc(d->n * sizeof(*line));
	col = malloc(d->n * sizeof(*col));
	if (ptrs && line && col) {
		for (i = 0; i < d->n; i++)
			ptrs[i] = d->v[i].ptr;
		jpos_resolve(text, len, ptrs, d->n, line, col);
		for (i = 0; i < d->n; i++) {
			d->v[i].line = line[i];
			d->v[i].col = col[i];
		}
		qsort(d->v, d->n, sizeof(*d->v), by_place);
	}
	free(ptrs);
	free(line);
	free(col);
}

void cdiags_free(struct cdiags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].ptr);
		free(d->v[i].msg);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}
