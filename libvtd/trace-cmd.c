/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvtd -- trace-cmd's binary trace.dat through libtracecmd/libtraceevent:
 * each record, in time order over the CPUs, rendered to the text line
 * "TASK-PID [CPU] TIMESTAMP: EVENT: payload" that the ftrace reader parses.
 * The payload is libtraceevent's rendering of the event's own print format,
 * the same text the kernel writes into "trace".
 */
#include <stdlib.h>
#include <string.h>

#include <trace-cmd/trace-cmd.h>

#include "trace-internal.h"

struct tr_cmd {
	struct tracecmd_input *h;
	struct tep_handle *tep;
	int ncpu;
	struct tep_record **next;	/* per CPU: the record not yet given out */
	struct trace_seq seq;
	int seq_live;
};

int vtd__tr_cmd_open(const char *path, const char *name, struct tr_cmd **out,
		     struct vtd_error *err)
{
	struct tr_cmd *c = calloc(1, sizeof(*c));
	int i;

	*out = NULL;
	if (!c)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	/*
	 * No plugins: they would change how some events print, and the ftrace
	 * reader expects the kernel's own formats.
	 *
	 * libtracecmd 1.3 faults in tracecmd_close() when tracecmd_init_data()
	 * has failed (a truncated file, a corrupt format text): tracecmd_open()
	 * does exactly that on its error path.  So the headers are read first
	 * and the data set up separately, and a handle whose set-up failed is
	 * left alone: a small leak per broken file instead of a crash.
	 */
	c->h = tracecmd_open_head(path, TRACECMD_FL_LOAD_NO_PLUGINS);
	if (!c->h) {
		free(c);
		return vtd_fail(err, VTD_EFORMAT, "'%s': libtracecmd cannot read this trace.dat",
				name);
	}
	if (tracecmd_init_data(c->h) < 0) {
		free(c);	/* and not the handle: see above */
		return vtd_fail(err, VTD_EFORMAT, "'%s': libtracecmd cannot read this trace.dat "
				"(truncated?)", name);
	}
	c->tep = tracecmd_get_tep(c->h);
	c->ncpu = c->tep ? tep_get_cpus(c->tep) : 0;
	if (!c->tep || c->ncpu <= 0 || c->ncpu > 65536) {
		vtd__tr_cmd_close(c);
		return vtd_fail(err, VTD_EFORMAT, "'%s': trace.dat without CPUs", name);
	}
	c->next = calloc((size_t)c->ncpu, sizeof(*c->next));
	if (!c->next) {
		vtd__tr_cmd_close(c);
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	}
	trace_seq_init(&c->seq);
	c->seq_live = 1;
	for (i = 0; i < c->ncpu; i++)
		c->next[i] = tracecmd_read_cpu_first(c->h, i);
	*out = c;
	return 0;
}

int vtd__tr_cmd_next(struct tr_cmd *c, const char **line, size_t *len, struct vtd_error *err)
{
	struct tep_record *r;
	int i, best = -1;

	/* The per-CPU buffers are each in time order: merge them. */
	for (i = 0; i < c->ncpu; i++)
		if (c->next[i] && (best < 0 || c->next[i]->ts < c->next[best]->ts))
			best = i;
	if (best < 0)
		return 0;
	r = c->next[best];
	c->next[best] = tracecmd_read_data(c->h, best);
	trace_seq_reset(&c->seq);
	tep_print_event(c->tep, &c->seq, r, "%s-%d [%03d] %6.1000d: %s: %s", TEP_PRINT_COMM,
			TEP_PRINT_PID, TEP_PRINT_CPU, TEP_PRINT_TIME, TEP_PRINT_NAME,
			TEP_PRINT_INFO);
	tracecmd_free_record(r);
	trace_seq_terminate(&c->seq);
	if (c->seq.state != TRACE_SEQ__GOOD)
		return vtd_fail(err, VTD_ENOMEM, "cannot render a trace.dat record");
	*line = c->seq.buffer;
	*len = strlen(c->seq.buffer);
	/* one line per record, as in "trace" */
	while (*len && (c->seq.buffer[*len - 1] == '\n' || c->seq.buffer[*len - 1] == ' '))
		c->seq.buffer[--*len] = 0;
	return 1;
}

void vtd__tr_cmd_close(struct tr_cmd *c)
{
	int i;

	if (!c)
		return;
	for (i = 0; c->next && i < c->ncpu; i++)
		if (c->next[i])
			tracecmd_free_record(c->next[i]);
	free(c->next);
	if (c->seq_live)
		trace_seq_destroy(&c->seq);
	if (c->h)
		tracecmd_close(c->h);
	free(c);
}
