/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtdkit tools -- what every tool shares: options, errors, exit codes, files */
#ifndef VTD_CLI_H
#define VTD_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "error.h"

/* Exit codes, the same in every tool (man pages: EXIT STATUS). */
enum cli_exit {
	EXIT_OK = 0,
	EXIT_FINDING = 1,	/* a fault, a difference, reserved bits: an answer, not an error */
	EXIT_USAGE = 2,
	EXIT_DATA = 3,		/* bad input data */
	EXIT_SOURCE = 4,	/* source or I/O error */
	EXIT_INTERNAL = 5,
};

/*
 * One row per option.  The table drives getopt_long, --help, the man
 * page's option list check and the shell completions (--completion-helper),
 * so none of them can drift from the code.
 */
struct cli_opt {
	int key;		/* short option character, or a value >= 256 for long-only */
	const char *lng;	/* long name */
	const char *arg;	/* argument name, NULL when the option takes none */
	const char *help;
	const char *complete;	/* completion kind: "file", "struct", "field", NULL */
};

struct cli {
	const char *prog;
	const struct cli_opt *opts;	/* ends with lng == NULL */
	const char *usage;		/* synopsis lines */
	const char *more;		/* text after the option list */
	int json;			/* errors as {"error": ...} on stdout too */
};

/*
 * Parse options: calls 'handle' for each; returns the index of the first
 * operand, or -1 after printing a usage error.  Handles --help, --version
 * and --completion-helper itself (they exit 0).
 */
int cli_parse(struct cli *c, int argc, char **argv,
	      int (*handle)(struct cli *c, int key, const char *arg, void *ctx), void *ctx);

void cli_help(const struct cli *c, FILE *f);

/* "prog: message" on stderr (and a JSON error object on stdout in JSON mode). */
void cli_error(const struct cli *c, int exit_code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Report a library error in one line: "prog: where: message"; returns the exit code. */
int cli_report(const struct cli *c, const struct vtd_error *err, int rc);

/* An option's number (vtd_parse_u64), or a usage error naming the option: 0 or -1. */
int cli_num(struct cli *c, const char *opt, const char *arg, uint64_t *v);

/* --faults spec|qemu: *qemu 0 or 1; 0, or -1 after a usage error. */
int cli_faults(struct cli *c, const char *arg, uint8_t *qemu);

/* A byte count as people write it: "4K", "2M", "1G", "1T" when exact, else decimal. */
void cli_size_str(uint64_t size, char *b, size_t n);

/* The exit code for a library error code (data vs source vs usage). */
int cli_exit_for(int rc);

/* Read a whole file ("-" is stdin), at most 'max' bytes; NUL-terminated. */
int cli_read_file(const char *path, size_t max, uint8_t **data, size_t *len,
		  struct vtd_error *err);

/* Write atomically: temp file in the same directory, fsync, rename. */
int cli_write_file(const char *path, const void *data, size_t len, struct vtd_error *err);

/*
 * Output streamed to a file that appears only when complete: a temporary
 * file beside it, renamed by cli_out_close(keep = 1), removed otherwise.
 * NULL or "-" is standard output.
 */
struct cli_out {
	FILE *f;
	const char *path;
	char tmp[4200];
};
FILE *cli_out_open(struct cli_out *o, const char *path, struct vtd_error *err);
int cli_out_close(struct cli_out *o, int keep, struct vtd_error *err);

/* Print a JSON document (pretty or compact) with a trailing newline: on stdout, or on 'f'. */
void cli_print_json(struct json_object *o, int pretty);
void cli_fprint_json(FILE *f, struct json_object *o, int pretty);

/* A JSON string "0x..." for a number (addresses, registers, sizes). */
struct json_object *cli_json_hex(uint64_t v);

/* Parse a JSON text with positions: errors name "file:line:col". */
int cli_parse_json(const char *name, const char *text, size_t len, struct json_object **out,
		   struct vtd_error *err);

#endif
