/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-top -- the screen as a grid of characters with attributes.  Views
 * draw into it and know nothing of curses: the terminal copies it out
 * (tui.c), and --snapshot and the golden-frame tests print it as text.
 */
#ifndef VTD_TOP_GRID_H
#define VTD_TOP_GRID_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

/* What a cell means; the terminal maps each to a colour or to bold/reverse. */
enum g_attr {
	GA_NORMAL,
	GA_TITLE,	/* the top line */
	GA_HEAD,	/* column heads */
	GA_SEL,		/* the selected row */
	GA_KEY,		/* a key in the footer */
	GA_KEYTEXT,	/* what it does */
	GA_DIM,		/* secondary text */
	GA_GOOD,
	GA_WARN,
	GA_BAD,
	GA_SPARK,	/* sparklines and bars */
	GA_LABEL,	/* "Faults:" */
	GA_N
};

struct g_cell {
	uint32_t ch;		/* a Unicode code point */
	uint8_t attr;
};

struct grid {
	int rows, cols;
	int utf8;		/* block characters may be used (else ASCII stand-ins) */
	struct g_cell *c;
};

/* 0, or -1 when out of memory.  At least 1x1. */
int grid_init(struct grid *g, int rows, int cols, int utf8);
void grid_free(struct grid *g);
void grid_clear(struct grid *g);

/*
 * Text at (row, col), at most 'width' columns (-1: to the right edge),
 * clipped to the grid; UTF-8 decoded, control bytes shown as '?'.
 * Returns the columns written.
 */
int grid_text(struct grid *g, int row, int col, int width, int attr, const char *s);
__attribute__((format(printf, 6, 7)))
int grid_printf(struct grid *g, int row, int col, int width, int attr, const char *fmt, ...);
/* The same text right-aligned in 'width' columns. */
int grid_rtext(struct grid *g, int row, int col, int width, int attr, const char *s);
/* Set the attribute of 'width' cells from (row, col) (-1: to the edge). */
void grid_paint(struct grid *g, int row, int col, int width, int attr);
/* A horizontal line of 'width' cells. */
void grid_hline(struct grid *g, int row, int col, int width, int attr);

/*
 * A sparkline: one cell per value, scaled to 'max' (0: the largest), eight
 * levels with block characters, or " .:-=+*#" without UTF-8.  The last
 * 'width' values are shown, right-aligned.
 */
void grid_spark(struct grid *g, int row, int col, int width, int attr, const uint64_t *v,
		int n, uint64_t max);
/* A bar of 'frac' (0..1) of 'width' cells, in eighths with UTF-8. */
void grid_bar(struct grid *g, int row, int col, int width, int attr, double frac);

/* The rows as UTF-8 text, trailing blanks cut. */
void grid_write(const struct grid *g, FILE *f);

#endif
