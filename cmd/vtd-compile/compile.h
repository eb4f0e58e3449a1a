/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-compile -- the front end: layouts (formats/layout.md) to plans and
 * back, problems with their places in the source text, probe scenarios.
 */
#ifndef VTD_COMPILE_H
#define VTD_COMPILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "build.h"
#include "error.h"
#include "layout-write.h"

/* ---- problems with a JSON pointer ---------------------------------------- */

struct cdiag {
	char *ptr;		/* JSON pointer into the layout ("" is the document) */
	char *msg;
	unsigned line, col;	/* filled by cdiags_locate; 0 when unknown */
	size_t seq;		/* order found, for a stable sort */
};

struct cdiags {
	struct cdiag *v;
	size_t n, cap;
	size_t max;		/* stop storing after this many (0: 1000) */
	size_t dropped;
};

void cdiag_add(struct cdiags *d, const char *ptr, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The problems of a library check or build, by their 'where'. */
void cdiags_from_problems(struct cdiags *d, const struct vtd_problems *ps);
/* Find each problem's line:col in the source text and sort them by place. */
void cdiags_locate(struct cdiags *d, const char *text, size_t len);
void cdiags_free(struct cdiags *d);

/* A JSON pointer token appended to 'base', escaped (~0, ~1): a new string. */
char *jptr_key(const char *base, const char *key);
char *jptr_idx(const char *base, size_t idx);

/* ---- jpos.c: JSON pointer -> line:col ------------------------------------------ */

/*
 * Where the value each pointer names begins in 'text' (json-c's syntax:
 * comments, single-quoted strings); a pointer whose value is not there
 * gets its deepest ancestor's place.  line/col 0 when not even the
 * document is found.  One pass over the text for all pointers.
 */
void jpos_resolve(const char *text, size_t len, const char *const *ptrs, size_t n,
		  unsigned *line, unsigned *col);

/* ---- layout-read.c ------------------------------------------------------------- */

/*
 * A layout document to a plan.  'profile' (may be NULL) overrides the
 * layout's.  Every problem goes to 'd'; returns 0 with the plan filled, or
 * -1 (plan freed) when there were any.  '*profile_name' receives the name
 * of the profile used (static) or NULL for a custom one.
 */
int layout_read(struct json_object *root, const char *profile, struct vtd_plan *plan,
		const char **profile_name, struct cdiags *d);

/* The most mappings a layout may make after count expansion (the fuzzer lowers it). */
extern size_t layout_max_maps;

/* Number syntax of layouts: integer >= 0, or "0x..", "4096", "64M", "1_000". */
int layout_parse_num(const char *s, uint64_t *v);

/* ---- probes.c ----------------------------------------------------------------------- */

struct probe_stats {
	unsigned long probes, skipped, mismatched;
};

/*
 * A scenario (formats/scenario.md) of "probe" operations that check the
 * plan against the image: the plan's answer for successes, the engine's
 * fault reason (spec or QEMU 7.2 numbering) for faults.  A probe whose
 * outcome the image gives differently from the plan is counted in
 * 'mismatched' and reported on stderr as 'prog: where: message' via 'd'.
 */
int probes_write(FILE *f, const struct vtd_plan *p, const struct vtd_image *img, int qemu,
		 struct probe_stats *st, struct cdiags *d, struct vtd_error *err);

/* A remapping unit over an image, for --verify and --probes. */
int image_unit(const struct vtd_plan *p, const struct vtd_image *img, int qemu,
	       struct vtd_unit *u, struct vtd_error *err);

#endif
