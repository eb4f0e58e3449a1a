/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-top -- the undo registry that the signal handlers run: --enable's
 * tracefs changes must not outlive us, whether we end by ^C, a kill or a
 * crash.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>

#include "sig.h"

#define MAX_UNDO 8

struct undo {
	void (*fn)(void *);
	void *arg;
};

/*
 * Written only with the signals blocked (see block()), read by the handler:
 * the handler never sees an entry half written.
 */
static struct undo undo[MAX_UNDO];
static volatile sig_atomic_t nundo;
static volatile sig_atomic_t undoing;	/* the handler ran them already */
static int installed;

static const int signals[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
};
#define NSIGNALS (sizeof(signals) / sizeof(signals[0]))
#define NASYNC 4	/* the first four come from outside; the rest are crashes */

static void handler(int sig)
{
	int saved = errno;
	sigset_t set;

	/* Once: a second signal (or a crash inside an undo) goes straight on. */
	if (!undoing) {
		undoing = 1;
		for (sig_atomic_t i = nundo; i-- > 0;)
			undo[i].fn(undo[i].arg);
	}
	/* Die of the same signal, so the parent's wait status names it. */
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	errno = saved;	/* a signal whose default is to ignore would come back here */
}

static void block(sigset_t *old)
{
	sigset_t all;

	sigemptyset(&all);
	for (size_t i = 0; i < NSIGNALS; i++)
		sigaddset(&all, signals[i]);
	sigprocmask(SIG_BLOCK, &all, old);
}

static void install(void)
{
	struct sigaction sa = { .sa_handler = handler };

	/* While one handler runs, the others wait: the undo list runs once, in order. */
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NSIGNALS; i++)
		sigaddset(&sa.sa_mask, signals[i]);
	for (size_t i = 0; i < NSIGNALS; i++) {
		struct sigaction old;

		/*
		 * A signal ignored by whoever started us (nohup, '&' in a script)
		 * stays ignored: it cannot end us, so nothing needs undoing.  The
		 * crash signals are caught always: the kernel kills with them
		 * even when they are ignored, and abort() raises SIGABRT anyway.
		 */
		if (i < NASYNC && !sigaction(signals[i], NULL, &old) &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(signals[i], &sa, NULL);
	}
	installed = 1;
}

int top_sig_undo(void (*fn)(void *), void *arg)
{
	sigset_t old;
	int rc = -1;

	block(&old);
	if (!installed)
		install();
	if (nundo < MAX_UNDO) {
		undo[nundo].fn = fn;
		undo[nundo].arg = arg;
		nundo++;
		rc = 0;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

void top_sig_forget(void (*fn)(void *), void *arg)
{
	sigset_t old;

	block(&old);
	for (sig_atomic_t i = nundo; i-- > 0;) {
		if (undo[i].fn != fn || undo[i].arg != arg)
			continue;
		for (sig_atomic_t j = i; j + 1 < nundo; j++)
			undo[j] = undo[j + 1];
		nundo--;
		break;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}
