/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-top -- tracefs for live tracing: where it is, and --enable, which
 * switches the intel_iommu and iommu events on and puts everything back as
 * it was on exit, also from a signal handler.
 */
#ifndef VTD_TOP_TRACEFS_H
#define VTD_TOP_TRACEFS_H

#include "cli.h"

/*
 * The tracefs directory: 'dir' when given (--tracefs), else $VTD_TOP_TRACEFS
 * (tests), else /sys/kernel/tracing, else /sys/kernel/debug/tracing, the
 * first that holds a trace_pipe.  A place named by 'dir' or the variable is
 * the only one tried (a test must never reach the real tracefs).  Writes it
 * into 'out'; 0, or an exit code after a one-line error naming the places
 * tried.
 */
int top_tracefs_find(struct cli *c, const char *dir, char *out, size_t n);

struct top_tracefs;

/*
 * --enable: note the state of every event of the intel_iommu and iommu
 * systems (each events/SYS/EVENT/enable) and of tracing_on, then switch
 * them all on.  0, or an exit code after the error (what was changed before
 * the failure is put back first).  A system the kernel lacks is skipped; no
 * system at all is an error.
 */
int top_tracefs_enable(struct cli *c, const char *dir, struct top_tracefs **out);

/*
 * Put back what top_tracefs_enable() changed, then free.  The same undo
 * runs from the signal handlers (sig.h) when a signal ends us first.
 */
void top_tracefs_free(struct top_tracefs *t);

#endif
