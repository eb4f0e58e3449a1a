/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- trace statistics: faults by device, reason and page; storms */
#include <stdio.h>
#include <string.h>

#include "tstat-internal.h"

/*
 * The device as one name whatever the line gave: dmesg and QEMU give the
 * source id, ftrace the PCI name ("0000:00:03.0"), which is the same
 * device in segment 0.
 */
void vtd_tstat_device_name(const struct vtd_event *ev, char *b, size_t n)
{
	const char *d = ev->device;

	if (ev->has & VTD_EVH_SID)
		snprintf(b, n, "%02x:%02x.%x", ev->sid >> 8, (ev->sid >> 3) & 0x1f, ev->sid & 7);
	else if (!strncmp(d, "0000:", 5) && strlen(d) == 12)
		snprintf(b, n, "%s", d + 5);
	else
		snprintf(b, n, "%s", *d ? d : "?");
}

static int same_fault(const struct vtd_tstat_fault *f, const struct vtd_tstat_fault *k)
{
	return f->page == k->page && f->reason == k->reason && f->access == k->access &&
	       f->kind == k->kind && f->has_pasid == k->has_pasid && f->pasid == k->pasid &&
	       !strcmp(f->device, k->device);
}

static void distinct(struct vtd_tstat *s, const struct vtd_tstat_fault *k, uint64_t ts)
{
	struct vtd_tstat_fault *f = NULL;

	if (s->nfault && same_fault(&s->fault[s->last_fault], k))
		f = &s->fault[s->last_fault];
	for (size_t i = 0; !f && i < s->nfault && i < TS_NFAULT; i++)
		if (same_fault(&s->fault[i], k))
			f = &s->fault[s->last_fault = i];
	if (!f) {
		s->last_fault = s->nfault < TS_NFAULT ? s->nfault : TS_NFAULT;
		f = &s->fault[s->last_fault];
		if (s->nfault <= TS_NFAULT && s->last_fault == s->nfault) {
			*f = *k;
			if (s->nfault == TS_NFAULT)	/* the "other" row: no key */
				memset(f, 0, sizeof(*f));
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
	if (ev->has & VTD_EVH_REASON)
		snprintf(reason, sizeof(reason), "0x%02x", ev->reason);
	else
		snprintf(reason, sizeof(reason), "?");
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
