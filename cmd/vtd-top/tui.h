/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-top -- the interactive view, as htop splits it: a model fed by the
 * input (model.c), views that draw the model into a character grid
 * (view-*.c), a key table that drives them and writes the help screen
 * (keys.c), and a main loop that owns the terminal (tui.c).  Nothing but
 * tui.c knows curses, so --snapshot and the tests render views without one.
 */
#ifndef VTD_TOP_TUI_H
#define VTD_TOP_TUI_H

#include "grid.h"
#include "top.h"

/* ---- the model: everything the views show --------------------------------------- */

#define TOP_LOG_TEXT 64
#define TOP_LOG_LINE 200
#define TOP_HIST 4096		/* windows of history kept for the sparklines */

/* One event of the log, held whole: the reader's pointers would not last. */
struct top_logent {
	struct vtd_event ev;	/* text and line point into this entry */
	uint64_t seq;		/* the event's number, from 1 */
	char text[TOP_LOG_TEXT];
	char line[TOP_LOG_LINE];
};

/* Counts of one window of trace time, for the sparklines. */
struct top_bucket {
	uint64_t faults, inv, inv_page, inv_wide, map, unmap, events;
};

struct top_model {
	struct vtd_tstat *st;		/* everything so far: the run's (top_run.st), fed here */
	uint64_t window_ns;		/* -d */
	int started;			/* a time stamp came: the history has its origin */
	/*
	 * history: window k covers [hist_t0 + k * window_ns, +window_ns); the
	 * ring keeps the TOP_HIST up to hist_last, the window of the latest event
	 */
	struct top_bucket hist[TOP_HIST];
	uint64_t hist_t0, hist_last;
	/* the event log: a ring of the last log_cap events */
	struct top_logent *log;
	size_t log_cap;
	uint64_t nevents;		/* events fed (seq of the newest) */
	uint64_t t_first, t_last;	/* trace time */
	uint64_t bad, lost;		/* bad lines; /dev/kmsg records lost (nothing else drops) */
	char formats[64];
	struct top_explain *ex;		/* --tables */
	int live;			/* a live source: names from libpci */
};

/* 'st' stays the caller's: the model feeds it and resets it, never frees it. */
int top_model_init(struct top_model *m, const struct top_opts *o, struct vtd_tstat *st,
		   size_t log_cap, struct vtd_error *err);
void top_model_free(struct top_model *m);
/* Forget all events (jumping back in time re-reads from the start). */
void top_model_reset(struct top_model *m);
void top_model_feed(struct top_model *m, const struct vtd_event *ev);
/* The log entry of event 'seq', or NULL when it left the ring (or is to come). */
const struct top_logent *top_model_log(const struct top_model *m, uint64_t seq);
/* The oldest event still in the log. */
uint64_t top_model_log_first(const struct top_model *m);
/* History buckets as an array of one counter ('member' is an offsetof into top_bucket). */
int top_model_series(const struct top_model *m, size_t member, uint64_t *out, int n);
/* One counter of the last whole window before time 'at' (0 when none was kept). */
uint64_t top_model_last_window(const struct top_model *m, size_t member, uint64_t at);

/* ---- the interactive state ---------------------------------------------------------- */

enum top_view { TV_OVERVIEW, TV_FAULTS, TV_INV, TV_LOG, TV_HELP, TV_N };

/* Fault grouping in the faults view. */
enum { TG_DISTINCT, TG_DEVICE, TG_REASON, TG_PAGE, TG_N };

/* A list's place: the selected row and the first row shown. */
struct top_list {
	long sel, top;
};

#define TOP_FILTER_MAX 96

struct tui {
	const struct top_opts *o;
	struct top_model m;
	int view, prev_view;		/* prev_view: where ? was pressed */
	int quit;
	int batch;			/* -b's frames: no footer */
	int paused;			/* live: the screen holds still; events still count */
	/* time: offline, the trace is read up to 'cursor'; -1 = as far as it goes */
	int offline;
	int64_t cursor_ns;
	int rewind;			/* the cursor went back: read again from the start */
	int playing;
	double speed;			/* play: trace seconds per wall second */
	/* faults view */
	struct top_list fl;
	int fgroup, fsort, fdetail;
	/* invalidations view */
	struct top_list il;
	int ipasid;			/* the table shows PASIDs instead of domains */
	int isort;
	/* event log */
	struct top_list ll;		/* sel/top are event numbers */
	int follow;			/* the log sticks to its newest event */
	int ldetail;
	struct top_list hl;		/* help: its scroll */
	char filter[TOP_FILTER_MAX];	/* only events whose line or fields hold it */
	/* drill-down from a faults or invalidations row: which events the log shows */
	int drill;			/* 0, or the view it came from */
	int dgroup;			/* faults: the grouping of the row */
	struct vtd_tstat_fault dfault;	/* faults: the row's key */
	char dkey[32];			/* invalidations: "did 6", "pasid 0" */
	char dtitle[96];
	/* the prompt at the bottom line: '/' filter, 't' time, 's' search */
	int prompt;			/* 0, '/', 't', 's' */
	char search[TOP_FILTER_MAX];	/* the log's last search: n and N find it */
	char input[TOP_FILTER_MAX];
	char msg[160];			/* one message for the status line */
	/* what the terminal reported last: the size views lay out for */
	int rows, cols;
};

/* ---- views ------------------------------------------------------------------------- */

struct top_viewdef {
	const char *name;		/* "Overview" */
	void (*draw)(struct tui *t, struct grid *g, int row0, int rows);
	/* A key the view handles: 1 when it did. */
	int (*key)(struct tui *t, int key);
};
extern const struct top_viewdef top_views[TV_N];

void view_overview_draw(struct tui *t, struct grid *g, int row0, int rows);
void view_faults_draw(struct tui *t, struct grid *g, int row0, int rows);
int view_faults_key(struct tui *t, int key);
void view_inv_draw(struct tui *t, struct grid *g, int row0, int rows);
int view_inv_key(struct tui *t, int key);
void view_log_draw(struct tui *t, struct grid *g, int row0, int rows);
int view_log_key(struct tui *t, int key);
void view_help_draw(struct tui *t, struct grid *g, int row0, int rows);
int view_help_key(struct tui *t, int key);

/* A line of what an event says, whatever format it came from (the log's WHAT). */
void top_ev_summary(const struct vtd_event *ev, char *b, size_t n);
/* Does a log entry hold 'text' (its line, or what the log shows of it)? */
int top_log_holds(const struct top_logent *e, const char *text);
/* The log's selection to the next (dir 1) or previous (-1) event that holds the search. */
void top_log_search(struct tui *t, int dir);
/* Live: the log's first event at or after 'ns' becomes the selection. */
void top_log_goto(struct tui *t, uint64_t ns);
/* Does a log entry pass the filter and the drill-down? */
int top_log_match(const struct tui *t, const struct top_logent *e);

/* ---- keys ----------------------------------------------------------------------------- */

/* Keys beyond bytes: curses' codes are translated to these in tui.c. */
enum {
	TK_UP = 0x110000, TK_DOWN, TK_LEFT, TK_RIGHT, TK_PGUP, TK_PGDN, TK_HOME, TK_END,
	TK_ENTER, TK_ESC, TK_BS, TK_TAB, TK_BTAB, TK_DEL,
	TK_F1, TK_F2, TK_F3, TK_F4, TK_F5, TK_F6, TK_F7, TK_F8, TK_F9, TK_F10,
	TK_RESIZE,
};

/* One key: what it does, where; the help screen and the footer are made of these. */
struct top_keydef {
	int key, alt;		/* alt: a second key for the same thing, or 0 */
	unsigned views;		/* 1 << enum top_view; 0: everywhere */
	const char *help;
	const char *foot;	/* the footer's word for it, or NULL */
};
size_t top_keys(const struct top_keydef **v);
/* A key's name as the help and --keys write it: "F1", "Enter", "/", "^L". */
void top_key_name(int key, char *b, size_t n);
/*
 * --keys: a list of keys separated by spaces, each a character, a run of
 * characters typed one after the other, or a name in angle brackets
 * (<Enter>, <F3>, <Space>, <Up>, <PgDn>, <Esc>, <Tab>, <BS>, <C-l>).
 * Fills up to 'n' keys; the count, or -1 with 'why'.
 */
int top_keys_parse(const char *s, int *keys, size_t n, char *why, size_t nwhy);

/*
 * The state for a run: the model over the run's statistics (r->st), the
 * first view; 0 or an exit code after the error.
 */
int top_tui_init(struct cli *c, struct tui *t, const struct top_run *r);

/* Handle one key (prompt, view, then the global keys). */
void tui_key(struct tui *t, int key);
/* The whole screen. */
void tui_draw(struct tui *t, struct grid *g);

/*
 * Feeding the model: offline, the sources are read up to the time cursor
 * (going back re-reads from the start); live, as they come.
 */
struct top_feed {
	struct cli *c;
	struct top_in *in;
	const struct vtd_event *held;	/* read, but beyond the cursor */
	int ended;			/* every source is at its end */
};
/* 0, or an exit code after the error. */
int top_feed_open(struct top_feed *f, struct cli *c, struct tui *t);
/* Feed up to 'max' events: how many, or minus an exit code. */
long top_feed_pump(struct top_feed *f, struct tui *t, long max);
void top_feed_close(struct top_feed *f);

/* ---- shared by the views (tui-common.c) ----------------------------------------------- */

/* A list of 'n' items drawn from row0 for 'rows' rows with column heads. */
struct top_col {
	const char *head;
	int width;		/* 0: what is left */
	int right;		/* right-aligned */
};
typedef void (*top_cell_fn)(void *ctx, long item, int col, char *b, size_t n, int *attr);
void top_table(struct grid *g, int row0, int rows, const struct top_col *cols, int ncols,
	       long n, struct top_list *l, top_cell_fn cell, void *ctx);
/* Move a selection over 'n' items shown 'page' at a time; 1 when the key moved it. */
int top_list_key(struct top_list *l, int key, long n, int page);

/* Values in their units, as the reports print them. */
void top_count_str(uint64_t v, char *b, size_t n);	/* "1234", "12.3k", "4.5M" */

/* The PCI name of a device when live and libpci knows it, else "". */
const char *top_pci_name(struct tui *t, uint16_t sid, char *b, size_t n);

#endif
