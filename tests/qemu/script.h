/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtdkit tests -- the probe-script format that qprobe and qpredict share */
#ifndef VTD_QSCRIPT_H
#define VTD_QSCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "cli.h"

/* Where in a script we are, for one-line errors "script:line: message". */
struct script {
	struct cli *cli;
	const char *name;
	unsigned line;		/* 0 outside the script (options, set-up) */
};

/* Print "name:line: message" (or just the message) and return 'code'. */
int script_fail(struct script *s, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * What a script does, per tool (qprobe: QEMU; qpredict: the translation
 * engine).  The script layer parses each line and its arguments and calls
 * these; a NULL member makes its op a no-op (qpredict has no caches to
 * invalidate).  Each returns 0 or an exit code, after reporting.
 */
struct script_backend {
	int (*load)(void *ctx, const char *file, uint64_t pa);
	int (*write)(void *ctx, uint64_t pa, const uint8_t *buf, size_t len);
	int (*enable)(void *ctx, uint64_t rtaddr);
	int (*disable)(void *ctx);
	int (*probe)(void *ctx, struct json_object *o);
	int (*inv)(void *ctx, struct json_object *o);
	int (*qi)(void *ctx, struct json_object *o);
	int (*regs)(void *ctx);
};

/*
 * Run each line of 'text' (JSON objects; blank and '#' lines skipped)
 * through the backend; stops at the first non-zero result.  A line that is
 * not a JSON object fails with its column.
 */
int script_run(struct script *s, char *text, size_t len, const struct script_backend *be,
	       void *ctx);

/* "--load FILE@ADDRESS" through the backend's load. */
int script_load_spec(struct script *s, const char *spec, const struct script_backend *be,
		     void *ctx);

/* "bb:dd.f", "dd.f" or "0000:bb:dd.f" -> bus << 8 | devfn; -1 if malformed. */
int script_bdf(const char *str, unsigned *out);

/* A string member, or NULL. */
const char *script_str(struct json_object *o, const char *key);

/*
 * A number member (JSON integer or a string vtd_parse_u64 accepts): 0 found,
 * 1 absent and optional, -1 after reporting it missing or malformed.
 */
int script_num(struct script *s, struct json_object *o, const char *key, int need, uint64_t *v);

/* The machine both tools describe: options -s, -a, -l, -m. */
struct script_machine {
	int scalable;
	unsigned aw_bits;	/* 39 or 48; 0 leaves QEMU's default (39) */
	uint64_t ram;		/* bytes; set the default before parsing */
	const char *loads[64];	/* FILE@PA */
	unsigned nloads;
};

/* Handle a machine option: 1 handled, 0 not one of them, -1 after a usage error. */
int script_machine_opt(struct cli *c, int key, const char *arg, struct script_machine *mo);

/* The options qprobe and qpredict share (qpredict ignores QEMU-only ones). */
#define SCRIPT_OPT_SCRATCH	256
#define SCRIPT_OPT_TIMEOUT	257
#define SCRIPT_OPT_QEMU		258
#define SCRIPT_OPT_TAP		259
extern const struct cli_opt script_options[];

#endif
