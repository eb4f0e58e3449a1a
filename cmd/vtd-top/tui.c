/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-top -- the main loop: the terminal (curses), keys, input in slices
 * so the screen never waits for it, frames at most ten times a second and
 * only when something changed, and --snapshot, the same screen without a
 * terminal.
 */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "sig.h"
#include "tui.h"

#define LOG_EVENTS 50000
#define SLICE 4096		/* events fed between looks at the clock */
#define FEED_NS 30000000ull	/* feeding stops for a frame after 30 ms */
#define FRAME_NS 100000000ull	/* at most ten frames a second */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int any_live(const struct top_files *f)
{
	for (unsigned i = 0; i < f->n; i++)
		if (f->live[i])
			return 1;
	return 0;
}

int top_tui_init(struct cli *c, struct tui *t, const struct top_run *r)
{
	struct vtd_error e = { 0 };
	int rc;

	memset(t, 0, sizeof(*t));
	t->o = r->o;
	t->offline = !any_live(&r->o->files);
	t->cursor_ns = -1;
	t->speed = 1;
	t->follow = 1;
	t->rows = 24;
	t->cols = 80;
	if ((rc = top_model_init(&t->m, r->o, r->st, LOG_EVENTS, &e)))
		return cli_report(c, &e, rc);
	t->m.live = !t->offline;
	t->m.ex = r->ex;
	t->view = r->o->view;
	return 0;
}

/* Feed until the sources have nothing now, or the cursor holds them; minus an exit code. */
static int drain(struct top_feed *f, struct tui *t)
{
	for (;;) {
		long n = top_feed_pump(f, t, SLICE);

		if (n < 0)
			return (int)n;
		if (n < SLICE && !t->rewind)
			return 0;
	}
}

/* ---- --snapshot: the screen after the input and the keys, as text ---------------- */

int top_snapshot(struct cli *c, struct top_run *r)
{
	const struct top_opts *o = r->o;
	struct tui t;
	struct top_feed f;
	struct grid g;
	int keys[256], nk = 0, rc;
	char why[128];

	if (o->keys && (nk = top_keys_parse(o->keys, keys, 256, why, sizeof(why))) < 0) {
		cli_error(c, EXIT_USAGE, "--keys: %s", why);
		return EXIT_USAGE;
	}
	if ((rc = top_tui_init(c, &t, r)))
		return rc;
	t.rows = o->rows;
	t.cols = o->cols;
	if (grid_init(&g, o->rows, o->cols, o->utf8)) {
		top_model_free(&t.m);
		cli_error(c, EXIT_INTERNAL, "out of memory");
		return EXIT_INTERNAL;
	}
	if ((rc = top_feed_open(&f, c, &t))) {
		grid_free(&g);
		top_model_free(&t.m);
		return rc;
	}
	/* A pipe is read to its end; what never ends (trace_pipe, a followed file) as it is now. */
	while (!(rc = -drain(&f, &t)) && top_in_fifo_open(f.in))
		top_in_wait(f.in, -1);
	for (int i = 0; i < nk && !rc && !t.quit; i++) {
		tui_key(&t, keys[i]);
		rc = -drain(&f, &t);
	}
	if (!rc) {
		tui_draw(&t, &g);
		grid_write(&g, stdout);
	}
	top_feed_close(&f);
	grid_free(&g);
	top_model_free(&t.m);
	return rc;
}

/* ---- the terminal ------------------------------------------------------------------ */

/* What the signal handler needs to give the terminal back: curses cannot run there. */
struct term_save {
	int fd;
	struct termios tio;
};

/* Async-signal-safe: leave the alternate screen, show the cursor, cooked mode. */
static void term_undo(void *arg)
{
	static const char seq[] = "\033[0m\033[?1049l\033[?25h\r\n";
	const struct term_save *ts = arg;
	ssize_t w = write(ts->fd, seq, sizeof(seq) - 1);

	(void)w;
	tcsetattr(ts->fd, TCSAFLUSH, &ts->tio);
}

static int translate(int ch)
{
	switch (ch) {
	case KEY_UP: return TK_UP;
	case KEY_DOWN: return TK_DOWN;
	case KEY_LEFT: return TK_LEFT;
	case KEY_RIGHT: return TK_RIGHT;
	case KEY_PPAGE: return TK_PGUP;
	case KEY_NPAGE: return TK_PGDN;
	case KEY_HOME: return TK_HOME;
	case KEY_END: return TK_END;
	case KEY_ENTER: case '\n': case '\r': return TK_ENTER;
	case 27: return TK_ESC;
	case KEY_BACKSPACE: case 127: case 8: return TK_BS;
	case '\t': return TK_TAB;
	case KEY_BTAB: return TK_BTAB;
	case KEY_DC: return TK_DEL;
	case KEY_RESIZE: return TK_RESIZE;
	}
	if (ch >= KEY_F(1) && ch <= KEY_F(10))
		return TK_F1 + (ch - KEY_F(1));
	return ch;
}

/* How each grid attribute looks: curses attributes and a colour pair (0: none). */
struct look {
	attr_t attr[GA_N];
	short pair[GA_N];
};

/* Colours where the terminal has them and NO_COLOR is not set; else bold and reverse. */
static void colours(struct look *lk)
{
	static const struct {
		short fg, bg;
		attr_t mono;
	} pal[GA_N] = {
		[GA_NORMAL] = { -1, -1, A_NORMAL },
		[GA_TITLE] = { COLOR_BLACK, COLOR_CYAN, A_REVERSE },
		[GA_HEAD] = { COLOR_BLACK, COLOR_GREEN, A_REVERSE },
		[GA_SEL] = { COLOR_BLACK, COLOR_CYAN, A_REVERSE | A_BOLD },
		[GA_KEY] = { -1, -1, A_BOLD },
		[GA_KEYTEXT] = { COLOR_BLACK, COLOR_CYAN, A_REVERSE },
		[GA_DIM] = { COLOR_BLUE, -1, A_DIM },
		[GA_GOOD] = { COLOR_GREEN, -1, A_NORMAL },
		[GA_WARN] = { COLOR_YELLOW, -1, A_BOLD },
		[GA_BAD] = { COLOR_RED, -1, A_BOLD },
		[GA_SPARK] = { COLOR_CYAN, -1, A_NORMAL },
		[GA_LABEL] = { COLOR_CYAN, -1, A_BOLD },
	};
	const char *nc = getenv("NO_COLOR");
	int colour = has_colors() && !(nc && *nc);

	if (colour) {
		start_color();
		use_default_colors();
	}
	for (int i = 0; i < GA_N; i++) {
		lk->attr[i] = pal[i].mono;
		lk->pair[i] = 0;
		if (colour && i) {
			init_pair((short)i, pal[i].fg, pal[i].bg);
			lk->attr[i] = pal[i].mono & A_BOLD;
			lk->pair[i] = (short)i;
		}
	}
}

static void blit(const struct grid *g, const struct look *lk)
{
	for (int r = 0; r < g->rows; r++)
		for (int c = 0; c < g->cols; c++) {
			const struct g_cell *cell = &g->c[(size_t)r * (size_t)g->cols + (size_t)c];
			wchar_t w[2] = { (wchar_t)cell->ch, 0 };
			cchar_t cc;

			/* The last cell of the screen: writing it would scroll curses' idea of it. */
			if (r == g->rows - 1 && c == g->cols - 1)
				continue;
			setcchar(&cc, w, lk->attr[cell->attr], lk->pair[cell->attr], NULL);
			mvadd_wch(r, c, &cc);
		}
}

static void small(struct grid *g, int rows, int cols)
{
	grid_clear(g);
	grid_printf(g, 0, 0, -1, GA_WARN, "vtd-top needs 80x24; this is %dx%d", cols, rows);
	grid_text(g, 1, 0, -1, GA_NORMAL, "q quits");
}

int top_tui(struct cli *c, struct top_run *r)
{
	struct tui t;
	struct top_feed f;
	struct grid g = { 0 };
	SCREEN *scr;
	FILE *tty;
	struct term_save ts;
	struct look lk;
	int rc, dirty = 1, force = 0, utf8;
	uint64_t last_frame = 0, last_play = now_ns();

	if (!isatty(STDOUT_FILENO)) {
		cli_error(c, EXIT_USAGE, "the interactive view needs a terminal: use -b, --report "
			  "or --snapshot");
		return EXIT_USAGE;
	}
	/* Keys come from the terminal even when standard input is the trace. */
	tty = fopen("/dev/tty", "r+");
	if (!tty) {
		cli_error(c, EXIT_USAGE, "the interactive view needs a terminal (/dev/tty: %s)",
			  strerror(errno));
		return EXIT_USAGE;
	}
	if ((rc = top_tui_init(c, &t, r))) {
		fclose(tty);
		return rc;
	}
	if ((rc = top_feed_open(&f, c, &t))) {
		top_model_free(&t.m);
		fclose(tty);
		return rc;
	}
	setlocale(LC_ALL, "");
	utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
	ts.fd = fileno(tty);
	tcgetattr(ts.fd, &ts.tio);
	top_sig_undo(term_undo, &ts);
	scr = newterm(NULL, stdout, tty);
	if (!scr) {
		top_sig_forget(term_undo, &ts);
		cli_error(c, EXIT_USAGE, "cannot drive this terminal (TERM=%s)",
			  getenv("TERM") ? getenv("TERM") : "");
		top_feed_close(&f);
		top_model_free(&t.m);
		fclose(tty);
		return EXIT_USAGE;
	}
	set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	colours(&lk);
	rc = 0;
	while (!t.quit) {
		uint64_t start = now_ns(), now;
		struct pollfd p[TOP_MAX_FILES + 1];
		int ms = -1, ch, more = 0;
		size_t np;

		/* Input, in slices, for at most FEED_NS before the screen's turn. */
		while (now_ns() - start < FEED_NS) {
			long n = top_feed_pump(&f, &t, SLICE);

			if (n < 0) {
				rc = (int)-n;
				t.quit = 1;
				break;
			}
			dirty |= n > 0;
			if (n < SLICE && !t.rewind)
				break;
			more = 1;
		}
		/* Playing: the cursor moves with the wall clock. */
		now = now_ns();
		if (t.offline && t.playing) {
			t.cursor_ns += (int64_t)((double)(now - last_play) * t.speed);
			if (f.ended && !f.held)
				t.playing = 0;
			dirty = 1;
		}
		last_play = now;
		if (LINES != g.rows || COLS != g.cols) {
			grid_free(&g);
			if (grid_init(&g, LINES, COLS, utf8)) {
				rc = EXIT_INTERNAL;
				break;
			}
			t.rows = LINES;
			t.cols = COLS;
			dirty = 1;
		}
		if (((dirty && !t.paused) || force) && now - last_frame >= FRAME_NS) {
			if (LINES < 24 || COLS < 80)
				small(&g, LINES, COLS);
			else
				tui_draw(&t, &g);
			blit(&g, &lk);
			refresh();
			last_frame = now;
			dirty = force = 0;
		}
		/* Sleep until a key, input, the next frame or the play clock. */
		np = top_in_pollfds(f.in, p, TOP_MAX_FILES, &ms);
		if (more || (dirty && !t.paused) || force)
			ms = more ? 0 : (int)((FRAME_NS - (now - last_frame)) / 1000000) + 1;
		if (t.playing && (ms < 0 || ms > 50))
			ms = 50;
		p[np].fd = ts.fd;
		p[np].events = POLLIN;
		p[np].revents = 0;
		poll(p, np + 1, ms);
		while ((ch = getch()) != ERR) {
			int key = translate(ch);

			if (LINES < 24 || COLS < 80) {
				t.quit |= key == 'q' || key == TK_F10;
				dirty = 1;
				continue;
			}
			/* A key always shows its effect at once, held or not. */
			tui_key(&t, key);
			force = 1;
			last_frame = 0;
		}
	}
	endwin();
	delscreen(scr);
	top_sig_forget(term_undo, &ts);
	fclose(tty);
	top_feed_close(&f);
	grid_free(&g);
	top_model_free(&t.m);
	return rc;
}
