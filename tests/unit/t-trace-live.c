/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests of live traces (vtd_trace_opts.live): a pipe fed a line in
 * pieces, a regular file that grows (tail -f), the end of a pipe, a
 * two-line fault split across reads, and what live mode refuses.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "trace.h"

static const char ftrace_line[] =
	"            init-1       [000] .....     1.987454: map: IOMMU: iova=0x00000000fffff000 "
	"- 0x0000000100000000 paddr=0x0000000001234000 size=4096\n";

static void put(int fd, const char *s)
{
	size_t n = strlen(s);

	if (write(fd, s, n) != (ssize_t)n)
		abort();
}

static int next(struct vtd_trace *t, struct vtd_event *ev)
{
	struct vtd_error e = { 0 };
	int rc = vtd_trace_next(t, ev, &e);

	if (rc < 0)
		fprintf(stderr, "# next: %s\n", e.msg);
	return rc;
}

static void test_pipe(void)
{
	struct vtd_trace_opts o = { .live = 1 };
	struct vtd_error e = { 0 };
	struct vtd_trace *t = NULL;
	struct vtd_event ev;
	char path[64];
	int p[2], rc;
	size_t half = sizeof(ftrace_line) / 2;

	if (pipe(p))
		abort();
	snprintf(path, sizeof(path), "/dev/fd/%d", p[0]);
	/* Opening a live source reads nothing: an empty pipe does not block it. */
	rc = vtd_trace_open(path, &o, &t, &e);
	if (!ok(rc == 0, "open an empty pipe live (%d %s)", rc, e.msg))
		return;
	ok(vtd_trace_fd(t) >= 0, "a live trace has a descriptor to poll");
	ok(next(t, &ev) == 0 && !vtd_trace_ended(t), "nothing yet, not the end");
	if (write(p[1], ftrace_line, half) != (ssize_t)half)
		abort();
	ok(next(t, &ev) == 0 && !vtd_trace_ended(t), "half a line: still nothing");
	put(p[1], ftrace_line + half);
	rc = next(t, &ev);
	ok(rc == 1 && ev.kind == VTD_EV_MAP && ev.addr == 0xfffff000 && ev.size == 4096,
	   "the line completed: a map event (%d)", rc);
	ok(next(t, &ev) == 0 && !vtd_trace_ended(t), "then nothing again");
	/* An old kernel's two-line fault whose halves come in two reads. */
	put(p[1], "[    1.5] DMAR: DRHD: handling fault status reg 3\n"
		  "[    1.5] DMAR: [DMA Read] Request device [00:03.0] fault addr 7ffff000 \n");
	ok(next(t, &ev) == 1 && ev.kind == VTD_EV_CONFIG, "the fault-status line");
	ok(next(t, &ev) == 0, "the first half of a fault is held");
	put(p[1], "[    1.5] DMAR:[fault reason 06] PTE Read access is not set\n");
	rc = next(t, &ev);
	ok(rc == 1 && ev.kind == VTD_EV_DMA_FAULT && ev.reason == 6 && ev.addr == 0x7ffff000,
	   "then the whole fault (%d)", rc);
	/* A last line without its newline is a line once the pipe closes. */
	put(p[1], "[    2.0] DMAR: [INTR-REMAP] Request device [00:1f.0] fault index 0x17 "
		  "[fault reason 0x25] Blocked a compatibility format interrupt request");
	ok(next(t, &ev) == 0 && !vtd_trace_ended(t), "a line without its newline waits");
	close(p[1]);
	rc = next(t, &ev);
	ok(rc == 1 && ev.kind == VTD_EV_IR_FAULT && ev.index == 0x17, "the pipe closed: the "
	   "last line is read (%d)", rc);
	ok(next(t, &ev) == 0 && vtd_trace_ended(t), "and then the end");
	vtd_trace_close(t);
	close(p[0]);
}

static void test_growing_file(void)
{
	struct vtd_trace_opts o = { .live = 1, .format = "ftrace" };
	char path[] = "/tmp/vtd-t-live.XXXXXX";
	struct vtd_error e = { 0 };
	struct vtd_trace *t = NULL;
	struct vtd_trace_stats s;
	struct vtd_event ev;
	int fd = mkstemp(path), rc, n = 0;

	if (fd < 0)
		abort();
	put(fd, "# tracer: nop\n");
	put(fd, ftrace_line);
	rc = vtd_trace_open(path, &o, &t, &e);
	if (!ok(rc == 0, "open a file live (%d %s)", rc, e.msg))
		goto out;
	ok(next(t, &ev) == 1, "what the file holds already is read");
	ok(next(t, &ev) == 0 && !vtd_trace_ended(t), "at its end: not the end (tail -f)");
	for (int i = 0; i < 3; i++)
		put(fd, ftrace_line);
	while (next(t, &ev) == 1)
		n++;
	ok(n == 3, "lines appended later are read (%d of 3)", n);
	ok(!vtd_trace_ended(t), "a regular file followed live never ends");
	vtd_trace_stats(t, &s);
	ok(s.events == 4 && s.lines == 5 && s.lost == 0, "stats: 5 lines, 4 events (%llu %llu)",
	   (unsigned long long)s.lines, (unsigned long long)s.events);
	vtd_trace_close(t);
out:
	close(fd);
	unlink(path);
}

static void test_refused(void)
{
	struct vtd_trace_opts o = { .live = 1, .format = "trace-cmd" };
	struct vtd_error e = { 0 };
	struct vtd_trace *t = NULL;
	int rc = vtd_trace_open("/dev/null", &o, &t, &e);

	ok(rc == -VTD_ENOTSUP && !t && strstr(e.msg, "trace.dat"),
	   "a trace.dat cannot be followed live (%d %s)", rc, e.msg);
	o.format = NULL;
	rc = vtd_trace_open("/nonexistent/trace", &o, &t, &e);
	ok(rc == -VTD_EIO && strstr(e.msg, "/nonexistent/trace"), "a missing file: the path "
	   "(%d %s)", rc, e.msg);
	/* Not live: 0 from next is always the end. */
	o.live = 0;
	rc = vtd_trace_open("/dev/null", &o, &t, &e);
	if (ok(rc == 0, "/dev/null opens as an empty trace")) {
		struct vtd_event ev;

		ok(next(t, &ev) == 0 && vtd_trace_ended(t), "not live: 0 is the end");
		vtd_trace_close(t);
	}
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_pipe();
	test_growing_file();
	test_refused();
	return tap_done();
}
