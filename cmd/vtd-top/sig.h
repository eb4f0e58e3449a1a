/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-top -- what must be undone however the process ends: on SIGINT,
 * SIGTERM, SIGHUP, SIGQUIT and on the crash signals (SIGSEGV, SIGBUS,
 * SIGFPE, SIGILL, SIGABRT) the registered undo functions run, newest
 * first, then the signal is raised again with its default action, so the
 * exit status still tells what killed us.
 */
#ifndef VTD_TOP_SIG_H
#define VTD_TOP_SIG_H

/*
 * Register 'fn(arg)'; the handlers are installed on the first call.  'fn'
 * must be async-signal-safe.  At most 8; 0, or -1 when full.
 */
int top_sig_undo(void (*fn)(void *), void *arg);

/* Unregister it (after it was undone on a normal exit). */
void top_sig_forget(void (*fn)(void *), void *arg);

#endif
