/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: vtd-compile's input, a layout (formats/layout.md), through
 * the front end and the builder: JSON syntax, layout_read() with every
 * problem located in the text (jpos), vtd_plan_check(), vtd_build() and
 * the layout written back from the plan.  Any input must end in a plan or
 * in problems, never a crash, a hang or unbounded memory.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "compile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vtd_plan plan;
	struct vtd_image img = { 0 };
	struct vtd_problems ps = { .max = 64 };
	struct cdiags d = { .max = 64 };
	struct json_object *root = NULL, *back;
	const char *pname;
	char *text;

	if (size > (1u << 16))
		return 0;
	/* Bounded work per input: a count of 2^40 mappings is a problem, not a job. */
	layout_max_maps = 1u << 14;
	if (!(text = malloc(size + 1)))
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	if (cli_parse_json("fuzz", text, size, &root, NULL)) {
		free(text);
		return 0;
	}
	if (!layout_read(root, NULL, &plan, &pname, &d)) {
		if (!vtd_plan_check(&plan, &ps) && plan.size <= (64u << 20) &&
		    !vtd_build(&plan, &img, &ps, NULL))
			vtd_image_free(&img);
		cdiags_from_problems(&d, &ps);
		if ((back = layout_write(&plan, pname))) {
			FILE *f = fopen("/dev/null", "w");

			if (f) {
				layout_print(f, back);
				fclose(f);
			}
			json_object_put(back);
		}
		vtd_plan_free(&plan);
	}
	cdiags_locate(&d, text, size);
	cdiags_free(&d);
	vtd_problems_free(&ps);
	json_object_put(root);
	free(text);
	return 0;
}
