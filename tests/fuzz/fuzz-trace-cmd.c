/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target: trace.dat through libtracecmd.  libtracecmd reads
 * files, so each input is written to a temporary file and opened by name;
 * inputs are given the trace.dat magic so that they reach libtracecmd.
 * Every event must make valid JSONL; nothing may crash.
 *
 * libtracecmd 1.3.1 itself can crash on broken files.  So each input
 * first goes through libtracecmd alone in a child process, opened the way
 * trace-cmd.c opens it; an input the library cannot survive on its own is
 * skipped (so is one whose data libtracecmd cannot set up, where the
 * reader leaks a handle on purpose), and every other one runs in this
 * process, where a crash is ours.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <trace-cmd/trace-cmd.h>

#include "trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * libtracecmd 1.3 leaks a few bytes of an sscanf("%ms") per file it opens
 * (reproduced with tracecmd_open() and tracecmd_close() alone); its frames
 * have no frame pointers, so the report ends in vsscanf.  Not ours.
 */
__attribute__((visibility("default"))) const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libtracecmd.so\nleak:libtraceevent.so\nleak:__isoc99_vsscanf\n";
}

/* Present when a sanitizer runtime is linked in. */
extern void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static void child_died(void)
{
	_exit(3);
}

/* Does libtracecmd read the whole file, records rendered, without us? */
static int library_survives(const char *path)
{
	pid_t pid = fork();
	struct tracecmd_input *h;
	struct tep_handle *tep;
	struct trace_seq seq;
	int status, cpu, ncpu;

	if (pid < 0)
		return 0;
	if (pid == 0) {
		/*
		 * The library's own faults in the child are its business: no
		 * crash report, no libFuzzer artifact, just a status.
		 */
		if (__sanitizer_set_death_callback)
			__sanitizer_set_death_callback(child_died);
		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		signal(SIGABRT, SIG_DFL);
		signal(SIGFPE, SIG_DFL);
		signal(SIGILL, SIG_DFL);
		h = tracecmd_open_head(path, TRACECMD_FL_LOAD_NO_PLUGINS);
		if (!h)
			_exit(0);
		/* trace-cmd.c leaves such a handle unclosed, on purpose: not a leak to report */
		if (tracecmd_init_data(h) < 0)
			_exit(2);
		tep = tracecmd_get_tep(h);
		ncpu = tep ? tep_get_cpus(tep) : 0;
		trace_seq_init(&seq);
		for (cpu = 0; cpu < ncpu && cpu < 4096; cpu++) {
			struct tep_record *r;

			for (r = tracecmd_read_cpu_first(h, cpu); r; r = tracecmd_read_data(h, cpu)) {
				trace_seq_reset(&seq);
				tep_print_event(tep, &seq, r, "%s-%d [%03d] %6.1000d: %s: %s",
						TEP_PRINT_COMM, TEP_PRINT_PID, TEP_PRINT_CPU,
						TEP_PRINT_TIME, TEP_PRINT_NAME, TEP_PRINT_INFO);
				tracecmd_free_record(r);
			}
		}
		trace_seq_destroy(&seq);
		tracecmd_close(h);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return 0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char magic[10] = "\x17\x08\x44tracing";
	char path[] = "/tmp/vtd-fuzz-trace-cmd.XXXXXX";
	struct vtd_trace *t;
	struct vtd_event ev;
	struct vtd_error err;
	char buf[VTD_EVENT_JSONL_MAX];
	int fd;

	/* libtracecmd's own complaints about broken files are not findings */
	tracecmd_set_loglevel(TEP_LOG_NONE);
	tep_set_loglevel(TEP_LOG_NONE);
	fd = mkstemp(path);
	if (fd < 0)
		return 0;
	if (size < sizeof(magic) || memcmp(data, magic, sizeof(magic)))
		if (write(fd, magic, sizeof(magic)) != (ssize_t)sizeof(magic))
			goto out;
	if (write(fd, data, size) != (ssize_t)size)
		goto out;
	if (library_survives(path) && !vtd_trace_open(path, NULL, &t, &err)) {
		while (vtd_trace_next(t, &ev, &err) > 0)
			if (vtd_event_jsonl(&ev, 0, buf, sizeof(buf)) < 0 || !ev.line)
				abort();
		vtd_trace_close(t);
	}
out:
	close(fd);
	unlink(path);
	return 0;
}
