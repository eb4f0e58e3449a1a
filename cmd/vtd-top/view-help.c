/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtd-top -- the help screen, written from the key table */
#include <string.h>

#include "tui.h"

/* Where each key works, as the help's headings say it. */
static const char *where(unsigned views)
{
	if (!views)
		return "Everywhere";
	if (views == (1u << TV_FAULTS))
		return "Faults";
	if (views == (1u << TV_INV))
		return "Invalidations";
	if (views == (1u << TV_LOG))
		return "Log";
	if (views == ((1u << TV_FAULTS) | (1u << TV_INV)))
		return "Faults and invalidations";
	return "Lists (faults, invalidations, log)";
}

/* The help as lines: a heading whenever the place changes. */
static int line(int i, char *b, size_t n, int *attr)
{
	const struct top_keydef *k;
	size_t nk = top_keys(&k);
	int at = 0;
	const char *last = NULL;

	for (size_t j = 0; j < nk; j++) {
		const char *w = where(k[j].views);
		char a[16], c[16];

		if (!last || strcmp(last, w)) {
			if (at++ == i) {
				snprintf(b, n, "%s", w);
				*attr = GA_HEAD;
				return 1;
			}
			last = w;
		}
		if (at++ != i)
			continue;
		top_key_name(k[j].key, a, sizeof(a));
		c[0] = 0;
		if (k[j].alt)
			top_key_name(k[j].alt, c, sizeof(c));
		snprintf(b, n, "  %-6s %-6s %s", a, c, k[j].help);
		*attr = GA_NORMAL;
		return 1;
	}
	return 0;
}

void view_help_draw(struct tui *t, struct grid *g, int row0, int rows)
{
	char b[256];
	int attr, r = 0, total = 0;

	while (line(total, b, sizeof(b), &attr))
		total++;
	if (t->hl.top > total - (rows - 1))
		t->hl.top = total - (rows - 1) > 0 ? total - (rows - 1) : 0;
	grid_printf(g, row0, 0, -1, GA_TITLE, "vtd-top %s: the keys (Up/Down scroll, any other "
		    "key goes back)", VTD_VERSION_STRING);
	grid_paint(g, row0, 0, -1, GA_TITLE);
	for (int i = (int)t->hl.top; r < rows - 1 && line(i, b, sizeof(b), &attr); i++, r++) {
		grid_text(g, row0 + 1 + r, 0, -1, attr, b);
		if (attr == GA_HEAD)
			grid_paint(g, row0 + 1 + r, 0, -1, GA_HEAD);
	}
}

int view_help_key(struct tui *t, int key)
{
	switch (key) {
	case TK_UP: case 'k': if (t->hl.top > 0) t->hl.top--; return 1;
	case TK_DOWN: case 'j': t->hl.top++; return 1;
	case TK_PGUP: t->hl.top = t->hl.top > 10 ? t->hl.top - 10 : 0; return 1;
	case TK_PGDN: t->hl.top += 10; return 1;
	}
	return 0;
}
