/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-top -- the key table: one row per key, from which the help screen,
 * the footer and the man page's key list are all made, and the names
 * --keys and the help use for keys.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "tui.h"

#define V(v) (1u << (v))
#define ALLV 0u

static const struct top_keydef keys[] = {
	{ TK_F1, '?', ALLV, "this help", "Help" },
	{ TK_F2, '1', ALLV, "overview: rates, totals, top devices and reasons", "Overview" },
	{ TK_F3, '2', ALLV, "faults, grouped and sorted", "Faults" },
	{ TK_F4, '3', ALLV, "invalidations by domain or PASID; latencies", "Inval" },
	{ TK_F5, '4', ALLV, "the event log", "Log" },
	{ TK_TAB, TK_BTAB, ALLV, "the next view, the previous view", NULL },
	{ '/', 0, ALLV, "filter the log as you type: dma-fault, 00:03.0, did 6...", "Filter" },
	{ ' ', 0, ALLV, "live: hold the screen; offline: play the trace, or stop", "Pause" },
	{ '<', '>', ALLV, "offline: one window of time back, forward", NULL },
	{ '+', '-', ALLV, "offline: play twice as fast, half as fast", NULL },
	{ 't', 0, ALLV, "go to a time (s): offline the trace, live the log", NULL },
	{ 'e', 0, ALLV, "offline: go to the end of the trace", NULL },
	{ TK_ESC, 0, ALLV, "drop the filter, the drill-down and the detail pane", NULL },
	{ 'q', TK_F10, ALLV, "quit", "Quit" },
	{ TK_UP, TK_DOWN, V(TV_FAULTS) | V(TV_INV) | V(TV_LOG), "the row above, below", NULL },
	{ TK_PGUP, TK_PGDN, V(TV_FAULTS) | V(TV_INV) | V(TV_LOG), "a page up, down", NULL },
	{ TK_HOME, TK_END, V(TV_FAULTS) | V(TV_INV) | V(TV_LOG), "the first row, the last "
	  "(the log follows)", NULL },
	{ 's', 0, V(TV_FAULTS) | V(TV_INV), "sort by the next column", NULL },
	{ TK_ENTER, 0, V(TV_FAULTS) | V(TV_INV), "drill down: the row's events in the log",
	  NULL },
	{ 'g', 0, V(TV_FAULTS), "group: distinct fault, device, reason, page", NULL },
	{ 'd', 0, V(TV_FAULTS), "why: the reason, and the walk of the --tables", NULL },
	{ 'p', 0, V(TV_INV), "domains or PASIDs", NULL },
	{ TK_ENTER, 'd', V(TV_LOG), "every field of the event, descriptors decoded", NULL },
	{ 'f', 0, V(TV_LOG), "follow new events, or not", NULL },
	{ 's', 0, V(TV_LOG), "search the log for a text; Enter finds the next", NULL },
	{ 'n', 'N', V(TV_LOG), "the next, the previous match (or fault, with no search)", NULL },
};

size_t top_keys(const struct top_keydef **v)
{
	*v = keys;
	return sizeof(keys) / sizeof(keys[0]);
}

static const struct {
	int key;
	const char *name;
} names[] = {
	{ TK_UP, "Up" }, { TK_DOWN, "Down" }, { TK_LEFT, "Left" }, { TK_RIGHT, "Right" },
	{ TK_PGUP, "PgUp" }, { TK_PGDN, "PgDn" }, { TK_HOME, "Home" }, { TK_END, "End" },
	{ TK_ENTER, "Enter" }, { TK_ESC, "Esc" }, { TK_BS, "BS" }, { TK_TAB, "Tab" },
	{ TK_BTAB, "S-Tab" }, { TK_DEL, "Del" }, { TK_F1, "F1" }, { TK_F2, "F2" },
	{ TK_F3, "F3" }, { TK_F4, "F4" }, { TK_F5, "F5" }, { TK_F6, "F6" }, { TK_F7, "F7" },
	{ TK_F8, "F8" }, { TK_F9, "F9" }, { TK_F10, "F10" }, { ' ', "Space" },
};

void top_key_name(int key, char *b, size_t n)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].key == key) {
			snprintf(b, n, "%s", names[i].name);
			return;
		}
	if (key > 0 && key < 0x20)
		snprintf(b, n, "^%c", key + '@');
	else if (key > 0x20 && key < 0x7f)
		snprintf(b, n, "%c", key);
	else
		snprintf(b, n, "#%x", (unsigned)key);
}

/* A name in angle brackets, without them: the key, or -1. */
static int named(const char *s, size_t l)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == l && !strncasecmp(s, names[i].name, l))
			return names[i].key;
	if (l == 3 && (s[0] == 'C' || s[0] == 'c') && s[1] == '-' && isalpha((unsigned char)s[2]))
		return toupper((unsigned char)s[2]) - '@';
	return -1;
}

int top_keys_parse(const char *s, int *out, size_t n, char *why, size_t nwhy)
{
	size_t k = 0;

	while (*s) {
		if (*s == ' ') {
			s++;
			continue;
		}
		if (k == n) {
			snprintf(why, nwhy, "more than %zu keys", n);
			return -1;
		}
		if (*s == '<' && s[1] && s[1] != ' ' && strchr(s + 1, '>')) {
			const char *e = strchr(s + 1, '>');
			int key = named(s + 1, (size_t)(e - s - 1));

			if (key < 0) {
				snprintf(why, nwhy, "unknown key <%.*s>", (int)(e - s - 1), s + 1);
				return -1;
			}
			out[k++] = key;
			s = e + 1;
			continue;
		}
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e) {
			snprintf(why, nwhy, "only printable ASCII and <Name> keys are understood");
			return -1;
		}
		out[k++] = (unsigned char)*s++;
	}
	return (int)k;
}
