/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-top -- the model behind the interactive view: the statistics of the
 * whole trace and of the current window (libvtd tstat), a history of
 * windows for the sparklines, and a ring of the last events for the log.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

int top_model_init(struct top_model *m, const struct top_opts *o, struct vtd_tstat *st,
		   size_t log_cap, struct vtd_error *err)
{
	memset(m, 0, sizeof(*m));
	m->st = st;
	m->window_ns = o->delay_ns ? o->delay_ns : 1000000000ull;
	m->log_cap = log_cap ? log_cap : 1;
	m->log = calloc(m->log_cap, sizeof(*m->log));
	if (!m->log)
		return vtd_fail(err, VTD_ENOMEM, "out of memory for an event log of %zu events",
				m->log_cap);
	return 0;
}

void top_model_free(struct top_model *m)
{
	free(m->log);
	m->log = NULL;
}

void top_model_reset(struct top_model *m)
{
	vtd_tstat_reset(m->st);
	m->started = 0;
	m->nevents = 0;
	m->t_first = m->t_last = 0;
	m->bad = m->lost = 0;
	m->hist_last = 0;
	memset(m->hist, 0, sizeof(m->hist));
}

/* The bucket an event of time 'ts' counts in; time running backwards stays in the last. */
static struct top_bucket *bucket(struct top_model *m, uint64_t ts)
{
	uint64_t k = ts >= m->hist_t0 ? (ts - m->hist_t0) / m->window_ns : 0;

	if (k > m->hist_last) {
		uint64_t from = k - m->hist_last > TOP_HIST ? k - TOP_HIST : m->hist_last;

		for (uint64_t i = from + 1; i <= k; i++)
			memset(&m->hist[i % TOP_HIST], 0, sizeof(m->hist[0]));
		m->hist_last = k;
	}
	if (k < m->hist_last)
		k = m->hist_last;
	return &m->hist[k % TOP_HIST];
}

static void count(struct top_bucket *b, const struct vtd_event *ev)
{
	b->events++;
	switch (ev->kind) {
	case VTD_EV_DMA_FAULT:
	case VTD_EV_IR_FAULT:
		b->faults++;
		break;
	case VTD_EV_INV:
		/* As tstat's "inv": waits and page-group responses are no invalidations. */
		if (ev->inv_type == VTD_INV_WAIT || ev->inv_type == VTD_INV_PGRP_RESP)
			break;
		b->inv++;
		if (ev->inv_type == VTD_INV_IOTLB || ev->inv_type == VTD_INV_PIOTLB) {
			if (ev->inv_gran == VTD_GRAN_PAGE)
				b->inv_page++;
			else
				b->inv_wide++;
		}
		break;
	case VTD_EV_MAP:
		b->map++;
		break;
	case VTD_EV_UNMAP:
		b->unmap++;
		break;
	}
}

static void copy_str(char *d, size_t n, const char *s)
{
	size_t l = s ? strnlen(s, n - 1) : 0;

	memcpy(d, s ? s : "", l);
	d[l] = 0;
}

void top_model_feed(struct top_model *m, const struct vtd_event *ev)
{
	uint64_t ts = (ev->has & VTD_EVH_TS) ? ev->ts_ns : m->t_last;
	struct top_logent *e;

	if (!m->started && (ev->has & VTD_EVH_TS)) {
		m->started = 1;
		m->hist_t0 = ts - ts % m->window_ns;
		m->t_first = ts;
	}
	if (m->started)
		count(bucket(m, ts), ev);
	vtd_tstat_feed(m->st, ev);
	m->nevents++;
	if (ts > m->t_last || !(m->nevents - 1))
		m->t_last = ts;
	e = &m->log[(m->nevents - 1) % m->log_cap];
	e->ev = *ev;
	e->seq = m->nevents;
	copy_str(e->text, sizeof(e->text), ev->text);
	copy_str(e->line, sizeof(e->line), ev->line);
	e->ev.text = ev->text ? e->text : NULL;
	e->ev.line = e->line;
	e->ev.format = ev->format;	/* static names */
}

uint64_t top_model_log_first(const struct top_model *m)
{
	return m->nevents > m->log_cap ? m->nevents - m->log_cap + 1 : 1;
}

const struct top_logent *top_model_log(const struct top_model *m, uint64_t seq)
{
	if (!seq || seq > m->nevents || seq < top_model_log_first(m))
		return NULL;
	return &m->log[(seq - 1) % m->log_cap];
}

/* One counter of window k (absolute); 0 for a window not kept, or not come yet. */
static uint64_t window(const struct top_model *m, uint64_t k, size_t member)
{
	uint64_t v;

	if (!m->started || k > m->hist_last || m->hist_last - k >= TOP_HIST)
		return 0;
	memcpy(&v, (const char *)&m->hist[k % TOP_HIST] + member, sizeof(v));
	return v;
}

int top_model_series(const struct top_model *m, size_t member, uint64_t *out, int n)
{
	for (int i = 0; i < n; i++) {
		uint64_t back = (uint64_t)(n - 1 - i);

		out[i] = back > m->hist_last ? 0 : window(m, m->hist_last - back, member);
	}
	return n;
}

uint64_t top_model_last_window(const struct top_model *m, size_t member, uint64_t at)
{
	if (!m->started || at < m->hist_t0 + m->window_ns)
		return 0;
	return window(m, (at - m->hist_t0) / m->window_ns - 1, member);
}
