/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- trace statistics: faults by device, reason and page; storms */
#include <stdio.h>
#include <string.h>

#include "tstat-internal.h"

static const char hexd[] = "0123456789abcdef";

/* snprintf(b, n, "%s", s), without the cost of a format */
static void copy_cut(char *b, size_t n, const char *s)
{
	size_t l = strlen(s);

	if (!n)
		return;
	if (l >= n)
		l = n - 1;
	memcpy(b, s, l);
	b[l] = 0;
}

/*
 * The device as one name whatever the line gave: dmesg and QEMU give the
 * source id, ftrace the PCI name ("0000:00:03.0"), which is the same
 * device in segment 0.
 */
void vtd_tstat_device_name(const struct vtd_event *ev, char *b, size_t n)
{
	const char *d = ev->device;

	if (ev->has & VTD_EVH_SID) {
		/* "%02x:%02x.%x" by hand: this runs for every fault */
		unsigned bus = ev->sid >> 8, dev = (ev->sid >> 3) & 0x1f;
		char t[8] = { hexd[bus >> 4], hexd[bus & 15], ':', hexd[dev >> 4], hexd[dev & 15],
			      '.', hexd[ev->sid & 7], 0 };

		copy_cut(b, n, t);
	} else if (!strncmp(d, "0000:", 5) && strlen(d) == 12)
		copy_cut(b, n, d + 5);
	else
		copy_cut(b, n, *d ? d : "?");
}

static int same_fault(const struct vtd_tstat_fault *f, const struct vtd_tstat_fault *k)
{
	return f->page == k->page && f->reason == k->reason && f->access == k->access &&
	       f->kind == k->kind && f->has_pasid == k->has_pasid && f->pasid == k->pasid &&
	       !strcmp(f->device, k->device);
}

static unsigned fault_hash(const struct vtd_tstat_fault *k)
{
	uint64_t h = (k->page ^ (uint64_t)k->reason << 48 ^ (uint64_t)k->access << 40 ^
		      (uint64_t)k->kind << 32 ^ (uint64_t)k->has_pasid << 31 ^ k->pasid ^
		      vtd__ts_name_hash(k->device)) * 0x9e3779b97f4a7c15ull;

	return (unsigned)(h >> 32);
}

/*
 * The fault's row (the "other" row past TS_NFAULT).  The rows are found
 * through an index (a probe or two, where a scan compared each row), which
 * holds every row but "other", as the scan saw them.
 */
static void distinct(struct vtd_tstat *s, const struct vtd_tstat_fault *k, uint64_t ts)
{
	struct vtd_tstat_fault *f = NULL;
	const unsigned mask = 2 * TS_NFAULT - 1;
	unsigned i = 0;

	if (s->nfault && same_fault(&s->fault[s->last_fault], k)) {
		f = &s->fault[s->last_fault];
	} else {
		for (i = fault_hash(k) & mask; s->fslot[i]; i = (i + 1) & mask)
			if (same_fault(&s->fault[s->fslot[i] - 1], k)) {
				f = &s->fault[s->last_fault = s->fslot[i] - 1u];
				break;
			}
	}
	if (!f) {
		s->last_fault = s->nfault < TS_NFAULT ? s->nfault : TS_NFAULT;
		f = &s->fault[s->last_fault];
		if (s->nfault <= TS_NFAULT && s->last_fault == s->nfault) {
			*f = *k;
			if (s->nfault == TS_NFAULT)	/* the "other" row: no key */
				memset(f, 0, sizeof(*f));
			else		/* slot i: where the probe for k stopped */
				s->fslot[i] = (uint16_t)(s->nfault + 1);
			f->first_ns = ts;
			s->nfault++;
		}
	}
	f->count++;
	f->last_ns = ts;
}

static uint64_t window_of(const struct vtd_tstat *s, uint64_t ts)
{
	return ts / s->o.window_ns;
}

uint64_t vtd__tstat_storms(const struct vtd_tstat *s)
{
	return s->storms + (s->win_n >= s->o.storm_faults);
}

void vtd__tstat_fault(struct vtd_tstat *s, const struct vtd_event *ev, uint64_t ts)
{
	struct vtd_tstat_fault k = { 0 };
	char reason[32];
	uint64_t w = window_of(s, ts);

	if (ev->kind == VTD_EV_DMA_FAULT)
		s->faults_dma++;
	else
		s->faults_ir++;
	vtd_tstat_device_name(ev, k.device, sizeof(k.device));
	k.sid = ev->sid;
	k.has_sid = !!(ev->has & VTD_EVH_SID);
	k.has_pasid = !!(ev->has & VTD_EVH_PASID);
	k.pasid = ev->pasid;
	k.reason = ev->reason;
	k.access = ev->access;
	k.kind = (uint8_t)ev->kind;
	k.page = ev->kind == VTD_EV_IR_FAULT ? ev->index : ev->addr & ~0xfffull;
	distinct(s, &k, ts);
	vtd__keys_get(&s->fdev, k.device, ts)->n++;
	if (ev->has & VTD_EVH_REASON) {
		/* "0x%02x" by hand: this runs for every fault */
		unsigned r = ev->reason, nd = r >> 12 ? 4 : r >> 8 ? 3 : 2;

		reason[0] = '0';
		reason[1] = 'x';
		for (unsigned i = 0; i < nd; i++)
			reason[2 + i] = hexd[(r >> 4 * (nd - 1 - i)) & 15];
		reason[2 + nd] = 0;
	} else {
		reason[0] = '?';
		reason[1] = 0;
	}
	vtd__keys_get(&s->freason, reason, ts)->n++;

	if (w != s->win) {
		s->storms += s->win_n >= s->o.storm_faults;
		s->win = w;
		s->win_n = 0;
	}
	if (++s->win_n > s->peak_win)
		s->peak_win = s->win_n;
	if ((ev->has & VTD_EVH_ADDR) && ev->kind == VTD_EV_DMA_FAULT &&
	    vtd__tstat_in_window(s, ev->addr))
		s->stale_faults++;
}
