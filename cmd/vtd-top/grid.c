/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtd-top -- the screen as a character grid */
#include <stdlib.h>
#include <string.h>

#include "grid.h"

int grid_init(struct grid *g, int rows, int cols, int utf8)
{
	if (rows < 1)
		rows = 1;
	if (cols < 1)
		cols = 1;
	g->c = calloc((size_t)rows * (size_t)cols, sizeof(*g->c));
	if (!g->c)
		return -1;
	g->rows = rows;
	g->cols = cols;
	g->utf8 = utf8;
	grid_clear(g);
	return 0;
}

void grid_free(struct grid *g)
{
	free(g->c);
	g->c = NULL;
	g->rows = g->cols = 0;
}

void grid_clear(struct grid *g)
{
	for (size_t i = 0; i < (size_t)g->rows * (size_t)g->cols; i++)
		g->c[i] = (struct g_cell){ ' ', GA_NORMAL };
}

static struct g_cell *at(struct grid *g, int row, int col)
{
	if (row < 0 || row >= g->rows || col < 0 || col >= g->cols)
		return NULL;
	return &g->c[(size_t)row * (size_t)g->cols + (size_t)col];
}

/* Columns available from 'col' for a 'width' request. */
static int room(const struct grid *g, int col, int width)
{
	int left = g->cols - col;

	return width < 0 || width > left ? left : width;
}

/* One code point from UTF-8; a broken sequence is one '?' per byte. */
static uint32_t next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	uint32_t c = s[0];
	int n = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 :
		(c & 0xf8) == 0xf0 ? 3 : -1;

	if (n < 0) {
		*p = s + 1;
		return '?';
	}
	c &= n ? 0x3fu >> n : 0x7f;
	for (int i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*p = s + 1;
			return '?';
		}
		c = c << 6 | (s[i] & 0x3f);
	}
	*p = s + n + 1;
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ? '?' : c;
}

int grid_text(struct grid *g, int row, int col, int width, int attr, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int w = room(g, col, width), n = 0;

	if (row < 0 || row >= g->rows || col < 0)
		return 0;
	while (*p && n < w) {
		struct g_cell *c = at(g, row, col + n);
		uint32_t cp = next_cp(&p);

		if (!g->utf8 && cp > 0x7e)
			cp = '?';
		c->ch = cp;
		c->attr = (uint8_t)attr;
		n++;
	}
	return n;
}

int grid_printf(struct grid *g, int row, int col, int width, int attr, const char *fmt, ...)
{
	char b[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	return grid_text(g, row, col, width, attr, b);
}

/* Columns a string takes (code points). */
static int text_cols(const char *s)
{
	int n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		n += (*p & 0xc0) != 0x80;
	return n;
}

int grid_rtext(struct grid *g, int row, int col, int width, int attr, const char *s)
{
	int n = text_cols(s);

	if (n < width)
		col += width - n;
	return grid_text(g, row, col, n < width ? n : width, attr, s);
}

void grid_paint(struct grid *g, int row, int col, int width, int attr)
{
	int w = room(g, col, width);

	for (int i = 0; i < w; i++) {
		struct g_cell *c = at(g, row, col + i);

		if (c)
			c->attr = (uint8_t)attr;
	}
}

void grid_hline(struct grid *g, int row, int col, int width, int attr)
{
	int w = room(g, col, width);

	for (int i = 0; i < w; i++) {
		struct g_cell *c = at(g, row, col + i);

		if (c)
			*c = (struct g_cell){ g->utf8 ? 0x2500 : '-', (uint8_t)attr };
	}
}

static const uint32_t blocks[9] = {
	' ', 0x2581, 0x2582, 0x2583, 0x2584, 0x2585, 0x2586, 0x2587, 0x2588,
};
static const char ramp[9] = " _.:-=+*#";

void grid_spark(struct grid *g, int row, int col, int width, int attr, const uint64_t *v,
		int n, uint64_t max)
{
	int w = room(g, col, width), from = n > w ? n - w : 0;

	if (!max)
		for (int i = from; i < n; i++)
			max = v[i] > max ? v[i] : max;
	for (int i = from; i < n; i++) {
		struct g_cell *c = at(g, row, col + w - (n - i));
		/* Anything above zero shows: a single fault must not vanish. */
		int lvl = !v[i] ? 0 : max ? 1 + (int)((v[i] - 1) * 8 / max) : 8;

		if (lvl > 8)
			lvl = 8;
		if (c)
			*c = (struct g_cell){ g->utf8 ? blocks[lvl] : (uint32_t)ramp[lvl],
					      (uint8_t)attr };
	}
}

void grid_bar(struct grid *g, int row, int col, int width, int attr, double frac)
{
	int w = room(g, col, width);
	long eighths = (long)(frac * w * 8 + 0.5);

	if (frac < 0 || frac != frac)
		eighths = 0;
	if (eighths > (long)w * 8)
		eighths = (long)w * 8;
	for (int i = 0; i < w; i++, eighths -= 8) {
		struct g_cell *c = at(g, row, col + i);
		long e = eighths < 0 ? 0 : eighths > 8 ? 8 : eighths;
		/* U+2588 full block, U+258F..U+2589 one to seven eighths */
		uint32_t ch = !e ? ' ' : e == 8 ? 0x2588 : 0x2590 - (uint32_t)e;

		if (!g->utf8)
			ch = e >= 4 ? '#' : ' ';
		if (c)
			*c = (struct g_cell){ ch, (uint8_t)attr };
	}
}

static void put_utf8(uint32_t c, FILE *f)
{
	if (c < 0x80) {
		fputc((int)c, f);
	} else if (c < 0x800) {
		fputc((int)(0xc0 | c >> 6), f);
		fputc((int)(0x80 | (c & 0x3f)), f);
	} else if (c < 0x10000) {
		fputc((int)(0xe0 | c >> 12), f);
		fputc((int)(0x80 | (c >> 6 & 0x3f)), f);
		fputc((int)(0x80 | (c & 0x3f)), f);
	} else {
		fputc((int)(0xf0 | c >> 18), f);
		fputc((int)(0x80 | (c >> 12 & 0x3f)), f);
		fputc((int)(0x80 | (c >> 6 & 0x3f)), f);
		fputc((int)(0x80 | (c & 0x3f)), f);
	}
}

void grid_write(const struct grid *g, FILE *f)
{
	for (int r = 0; r < g->rows; r++) {
		const struct g_cell *row = &g->c[(size_t)r * (size_t)g->cols];
		int end = g->cols;

		while (end > 0 && row[end - 1].ch == ' ')
			end--;
		for (int i = 0; i < end; i++)
			put_utf8(row[i].ch, f);
		fputc('\n', f);
	}
}
