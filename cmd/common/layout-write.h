/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtdkit tools -- a plan as a layout document (formats/layout.md): what
 * vtd-compile --decompile and vtd-dump --layout write.
 */
#ifndef VTD_LAYOUT_WRITE_H
#define VTD_LAYOUT_WRITE_H

#include <stdio.h>

#include <json-c/json.h>

#include "build.h"

/*
 * A plan as a layout document (a new object) that vtd-compile turns into
 * the same plan, or NULL when out of memory.  'profile_name' names the
 * profile the plan's registers came from, NULL for a unit's own registers
 * (then the document carries CAP, ECAP and HAW).
 */
struct json_object *layout_write(const struct vtd_plan *p, const char *profile_name);

/* Print a layout (or any JSON): objects that fit a line on one line. */
void layout_print(FILE *f, struct json_object *o);

#endif
