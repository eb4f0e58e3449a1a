/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Benchmark of the trace readers alone: every event of a file through
 * vtd_trace_next(), nothing analysed, with the threads asked for; beside
 * it, in the same run, the floor any line reader has: read() and memchr
 * for the line ends over the same bytes.  vtd-top --report adds the
 * statistics to the first (tests/bench.sh).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "trace.h"

static double lines_floor(const char *path, uint64_t *bytes, uint64_t *lines)
{
	static char buf[1 << 20];
	double t0 = now();
	int fd = open(path, O_RDONLY);
	ssize_t r;

	*bytes = *lines = 0;
	if (fd < 0)
		return -1;
	while ((r = read(fd, buf, sizeof(buf))) > 0) {
		const char *p = buf, *e = buf + r;

		while ((p = memchr(p, '\n', (size_t)(e - p)))) {
			++*lines;
			p++;
		}
		*bytes += (uint64_t)r;
	}
	close(fd);
	return r < 0 ? -1 : now() - t0;	/* no figure for a read that failed */
}

static int parse(const char *path, unsigned threads, uint64_t bytes)
{
	struct vtd_trace_opts o = { .threads = threads };
	struct vtd_error e = { 0 };
	struct vtd_trace *t;
	struct vtd_event ev;
	uint64_t n = 0;
	volatile uint64_t sink = 0;	/* the events are looked at, not optimised away */
	double t0 = now(), el;
	int rc;

	if ((rc = vtd_trace_open(path, &o, &t, &e)) < 0) {
		fprintf(stderr, "bench-trace: %s\n", e.msg);
		return 1;
	}
	while ((rc = vtd_trace_next(t, &ev, &e)) > 0) {
		n++;
		sink += ev.addr;
	}
	el = now() - t0;
	vtd_trace_close(t);
	if (rc < 0) {
		fprintf(stderr, "bench-trace: %s\n", e.msg);
		return 1;
	}
	printf("  libvtd readers alone, --threads %-2u %8.2f s  %7.1f MB/s  (%llu events)\n",
	       threads, el, (double)bytes / 1e6 / el, (unsigned long long)n);
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t bytes, lines;
	double el;
	int i, rc = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: bench-trace FILE THREADS...\n");
		return 2;
	}
	if ((el = lines_floor(argv[1], &bytes, &lines)) < 0) {
		perror(argv[1]);
		return 1;
	}
	for (i = 2; i < argc; i++)
		rc |= parse(argv[1], (unsigned)atoi(argv[i]), bytes);
	printf("  read() + memchr per line, same file %6.2f s  %7.1f MB/s  (%llu lines)\n", el,
	       (double)bytes / 1e6 / el, (unsigned long long)lines);
	return rc;
}
