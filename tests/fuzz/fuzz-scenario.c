/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: vtd-sim's input, a scenario of text requests, JSON requests
 * and operations, run against a small machine with the caches on.  Any
 * input must end in an answer or a one-line error, never a crash, a hang or
 * unbounded memory.  The first byte picks the machine (bit 0 scalable,
 * bit 1 QEMU's model, bit 2 caching mode, bit 3 explain); the rest is the
 * scenario.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct cli_opt none[] = { { 0, NULL, NULL, NULL, NULL } };
	struct cli c = { .prog = "fuzz-scenario", .opts = none, .usage = "" };
	struct sim_opts o = { .mach = { .aw_bits = 48, .ram = 4u << 20 } };
	struct sim *s;
	char *text;

	if (size < 1 || size > (1u << 16))
		return 0;
	o.mach.scalable = data[0] & 1;
	o.qemu = data[0] >> 1 & 1;
	o.cm = data[0] >> 2 & 1;
	o.explain = data[0] >> 3 & 1;
	if (!(text = malloc(size)))
		abort();
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	s = sim_new(&c, &o);
	if (!s || !(s->out = fopen("/dev/null", "w")))
		abort();
	s->sc.name = "fuzz";
	/* Loads would read the host's files: not what is under test. */
	if (!strstr(text, "\"load\"") && !sim_setup(s, &o))
		script_run(&s->sc, text, strlen(text), &sim_backend, s);
	fclose(s->out);
	sim_free(s);
	free(text);
	return 0;
}
