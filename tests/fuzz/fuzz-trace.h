/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The body of the fuzz-trace-* targets: one trace reader, FORMAT, over any
 * bytes (plain, or gzip/zstd when the bytes say so).  Every event must be
 * written as JSONL within VTD_EVENT_JSONL_MAX and read back as the same
 * event; the line counts must add up; nothing may crash or leak.
 */
#ifndef FUZZ_TRACE_H
#define FUZZ_TRACE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vtd_trace_opts o = { FORMAT, 8 };
	struct vtd_trace *t;
	struct vtd_trace_stats st;
	struct vtd_event ev, back;
	struct vtd_error err;
	char buf[VTD_EVENT_JSONL_MAX];
	int rc;

	if (vtd_trace_open_mem(data, size, "fuzz", &o, &t, &err))
		return 0;
	while ((rc = vtd_trace_next(t, &ev, &err)) > 0) {
		int n = vtd_event_jsonl(&ev, 0, buf, sizeof(buf));

		if (ev.kind < 1 || ev.kind >= VTD_EV_KIND_N || !ev.line || !ev.lineno || !ev.format)
			abort();
		if (ev.text && strlen(ev.text) > 255)
			abort();
		if (n < 0 || vtd_trace_parse_line("jsonl", buf, (size_t)n, &back, &err) != 1)
			abort();
		/* texts the library does not know are left out without a reader */
		if (!vtd_event_same(&ev, &back) || (back.text && strcmp(back.text, ev.text)))
			abort();
	}
	vtd_trace_stats(t, &st);
	if (rc == 0 && st.lines != st.events + st.bad + st.skipped)
		abort();
	vtd_trace_close(t);
	return 0;
}

#endif
