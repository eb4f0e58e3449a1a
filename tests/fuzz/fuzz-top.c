/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: vtd-top's own input beyond the trace readers (which have
 * targets of their own).  First byte even: the rest is a --fail-if
 * expression, which must parse or give a reason, never crash.  Odd, bit 1
 * clear: the rest is a stream of events (kind, time step, address, size,
 * descriptor fields) fed to the trace statistics with small tables, then
 * every metric and table read: no crash, no overflow trap, no unbounded
 * memory.  Odd, bit 1 set: the interactive view; the next byte sizes the
 * screen, then come --keys up to a NUL, then a trace, which is read into
 * the view's model; the keys are pressed and every view drawn.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t take(const uint8_t **p, const uint8_t *end, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n && *p < end; i++)
		v |= (uint64_t)*(*p)++ << (8 * i);
	return v;
}

static void events(const uint8_t *p, const uint8_t *end)
{
	struct vtd_tstat_opts o = { .pending_max = 8, .track_log2 = 2, .storm_faults = 2,
				    .window_ns = 1000 };
	struct vtd_tstat *s;
	struct vtd_error e = { 0 };
	uint64_t ts = 0;
	const struct vtd_tstat_fault *f;
	const struct vtd_tstat_key *k;
	double sum = 0;

	if (vtd_tstat_new(&o, &s, &e))
		abort();
	while (p < end) {
		struct vtd_event ev = { 0 };

		ev.kind = (uint16_t)(take(&p, end, 1) % (VTD_EV_KIND_N + 1));
		ev.has = (uint32_t)take(&p, end, 2);
		ts += take(&p, end, 1) << (take(&p, end, 1) & 63);
		ev.ts_ns = ts;
		ev.addr = take(&p, end, 1) & 1 ? UINT64_MAX - take(&p, end, 2) : take(&p, end, 3) << 12;
		ev.size = take(&p, end, 1) << (take(&p, end, 1) & 63);
		ev.inv_type = (uint8_t)take(&p, end, 1);
		ev.inv_gran = (uint8_t)take(&p, end, 1);
		ev.am = (uint8_t)take(&p, end, 1);
		ev.did = (uint16_t)take(&p, end, 1);
		ev.pasid = (uint32_t)take(&p, end, 1);
		ev.sid = (uint16_t)take(&p, end, 2);
		ev.reason = (uint16_t)take(&p, end, 1);
		ev.access = (uint8_t)take(&p, end, 1);
		vtd_tstat_feed(s, &ev);
	}
	for (unsigned i = 0; i < vtd_tstat_nmetrics(); i++)
		sum += vtd_tstat_value(s, i);
	for (size_t i = 0, n = vtd_tstat_faults(s, &f); i < n; i++)
		sum += (double)f[i].count;
	for (int t = VTD_TT_FAULT_DEVICE; t <= VTD_TT_INV_PASID; t++)
		for (size_t i = 0, n = vtd_tstat_table(s, t, &k); i < n; i++)
			sum += (double)k[i].n;
	(void)vtd_tstat_mode_name(vtd_tstat_mode(s));
	vtd_tstat_free(s);
	(void)sum;
}

static void screen(const uint8_t *p, const uint8_t *end)
{
	struct top_opts o = { .delay_ns = 1000000000ull, .view = 0 };
	struct top_run r = { .o = &o };
	struct cli c = { .prog = "fuzz-top" };
	const uint8_t *nul;
	struct vtd_trace *tr;
	struct vtd_event ev;
	struct vtd_error e = { 0 };
	struct tui *t;
	struct grid g;
	int keys[64], nk = 0;
	char why[128], ks[256];
	unsigned sz;

	if (p == end)
		return;
	sz = *p++;
	nul = memchr(p, 0, (size_t)(end - p));
	if (nul && (size_t)(nul - p) < sizeof(ks)) {
		memcpy(ks, p, (size_t)(nul - p));
		ks[nul - p] = 0;
		nk = top_keys_parse(ks, keys, 64, why, sizeof(why));
		p = nul + 1;
	}
	if (!(t = calloc(1, sizeof(*t))) || vtd_tstat_new(&o.stat, &r.st, &e))
		abort();
	if (top_tui_init(&c, t, &r))
		abort();
	if (grid_init(&g, 24 + (int)(sz & 15), 80 + (int)(sz >> 4) * 3, sz & 1))
		abort();
	t->rows = g.rows;
	t->cols = g.cols;
	if (!vtd_trace_open_mem(p, (size_t)(end - p), "fuzz", NULL, &tr, &e)) {
		while (vtd_trace_next(tr, &ev, &e) == 1)
			top_model_feed(&t->m, &ev);
		vtd_trace_close(tr);
	}
	for (int i = 0; i < nk; i++) {
		tui_key(t, keys[i]);
		t->rewind = 0;	/* there is no input to read again */
	}
	for (int v = 0; v < TV_N; v++) {
		t->view = v;
		tui_draw(t, &g);
	}
	grid_free(&g);
	top_model_free(&t->m);
	vtd_tstat_free(r.st);
	free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct top_expr x;
	char why[256], *text;

	if (size < 1 || size > 4096)
		return 0;
	if ((data[0] & 3) == 3) {
		screen(data + 1, data + size);
		return 0;
	}
	if (data[0] & 1) {
		events(data + 1, data + size);
		return 0;
	}
	if (!(text = malloc(size)))
		abort();
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if (top_expr_parse(text, &x, why, sizeof(why)) == 0)
		(void)top_expr_crossed(&x, 1.0);
	free(text);
	return 0;
}
