/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-top --tables -- each distinct fault walked through the tables it
 * happened in (an image, a crash dump, tables vtd-compile built), with
 * libvtd's translation engine: which entry refused the request, and why.
 */
#include <stdlib.h>
#include <string.h>

#include "fault.h"
#include "mem.h"
#include "regpage.h"
#include "top.h"
#include "walk.h"

struct top_explain {
	struct vtd_unit u;
	struct vtd_translation t;	/* large: kept here, not on the stack */
};

int top_explain_open(struct cli *c, const struct top_opts *o, struct top_explain **out)
{
	struct top_explain *x = calloc(1, sizeof(*x));
	struct vtd_error e = { 0 };
	struct regpage rp = { 0 };
	int rc;

	*out = NULL;
	if (!x) {
		cli_error(c, EXIT_INTERNAL, "out of memory");
		return EXIT_INTERNAL;
	}
	if (o->regs && (rc = regpage_load(o->regs, &rp, &e))) {
		free(x);
		return cli_report(c, &e, rc);
	}
	if ((rc = vtd_mem_open(o->tables, &x->u.mem, &e))) {
		free(x);
		return cli_report(c, &e, rc);
	}
	x->u.rtaddr = o->has_rtaddr ? o->rtaddr : rp.rtaddr;
	if (o->regs) {
		x->u.cap = rp.cap;
		x->u.ecap = rp.ecap;
		x->u.haw = regpage_haw(rp.cap, rp.ecap);
	} else {
		/* QEMU's unit, in the mode RTADDR's TTM names. */
		vtd_unit_qemu_defaults(&x->u, (x->u.rtaddr >> 10 & 3) == 1, 39);
	}
	x->u.enabled = 1;
	if ((rc = vtd_unit_prepare(&x->u, &e))) {
		top_explain_close(x);
		return cli_report(c, &e, rc);
	}
	*out = x;
	return 0;
}

int top_explain_fault(struct top_explain *x, const struct vtd_tstat_fault *f, char *verdict,
		      size_t nv, char *path, size_t np)
{
	struct vtd_request rq = { .addr = f->page, .has_pasid = f->has_pasid, .pasid = f->pasid };
	struct vtd_error e = { 0 };
	unsigned bus, dev, fn;
	const char *why;
	char at[64] = "";	/* the entry's name, when the walk read one */

	if (f->has_sid)
		rq.sid = f->sid;
	else if (sscanf(f->device, "%x:%x.%x", &bus, &dev, &fn) == 3 && bus < 256 && dev < 32 &&
		 fn < 8)
		rq.sid = (uint16_t)(bus << 8 | dev << 3 | fn);
	else
		return 0;
	rq.access = f->access & VTD_EVA_WRITE ? VTD_ACC_W : VTD_ACC_R;
	if (vtd_translate(&x->u, &rq, &x->t, &e)) {
		snprintf(verdict, nv, "the walk could not run: %s", e.msg);
		path[0] = 0;
		return 1;
	}
	vtd_translation_path(&x->t, path, np);
	if (!x->t.fault) {
		snprintf(verdict, nv, "translates to %#llx now: the tables changed since, or the fault "
			 "came from a stale cache entry", (unsigned long long)x->t.out);
		return 1;
	}
	why = vtd_fault_linux_text(x->t.fault);
	if (x->t.nsteps) {
		const struct vtd_walk_step *st = &x->t.steps[x->t.nsteps - 1];

		snprintf(at, sizeof(at), "%s[%#x] @", st->layout->name, st->index);
	}
	snprintf(verdict, nv, "fault 0x%02x %s%s, at %s%#llx; %s 0x%02x", x->t.fault,
		 why ? why : "", x->t.unbacked ? " (not in the memory source)" : "", at,
		 (unsigned long long)x->t.fault_addr,
		 x->t.fault == f->reason ? "as the trace says:" : "but the trace says", f->reason);
	return 1;
}

void top_explain_close(struct top_explain *x)
{
	if (!x)
		return;
	vtd_mem_close(x->u.mem);
	free(x);
}
