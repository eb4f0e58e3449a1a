/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtdkit tools -- the scenario format (formats/scenario.md): one operation
 * per line, run by vtd-sim against the translation engine and its caches,
 * and by the QEMU harness's qprobe against QEMU's intel-iommu.  The script
 * layer parses every line and its members once and calls a backend.
 */
#ifndef VTD_SCRIPT_H
#define VTD_SCRIPT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "cli.h"
#include "walk.h"

/* Where in a script we are, for one-line errors "script:line[:col]: message". */
struct script {
	struct cli *cli;
	const char *name;
	unsigned line;		/* 0 outside the script (options, set-up) */
	unsigned qi_width;	/* descriptor size of the queue: 16 or 32 bytes */
	uint8_t qi_used;	/* a "qi" ran: register invalidations are forbidden now */
};

/* Print "name:line: message" (or just the message) and return 'code'. */
int script_fail(struct script *s, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The same with a column (1-based) within the line. */
int script_fail_col(struct script *s, unsigned col, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* What a request or a probe expects ("expect"). */
enum script_expect {
	EXPECT_NONE = 0,
	EXPECT_OK,
	EXPECT_FAULT,		/* a recorded fault with 'code' */
	EXPECT_SUPPRESSED,	/* a fault FPD kept from the record */
	EXPECT_DROPPED,		/* blocked without a fault record */
};

/*
 * "probe": a DMA of 'len' bytes as a device performs it (QEMU's edu in the
 * harness): translated page by page, the first fault wins.
 */
struct script_probe {
	const char *name;	/* NULL when unnamed */
	unsigned sid;
	uint8_t has_bdf;
	uint8_t write;
	uint8_t cache;		/* the outcome depends on a cache (a hit, a stale entry) */
	uint8_t expect;		/* enum script_expect */
	uint8_t has_pa;
	uint16_t code;		/* EXPECT_FAULT */
	uint64_t iova, len, pa;	/* pa: "expect_pa", where the bytes land or come from */
};

/* "request" (or a line without "op", or a text line): one translation request. */
struct script_request {
	struct vtd_request rq;
	const char *name;
	uint8_t expect;		/* enum script_expect */
	uint8_t has_out;
	uint16_t code;
	uint64_t out;		/* "expect_out" */
};

/*
 * What a script does, per tool.  Each returns 0 or an exit code, after
 * reporting.  A NULL member makes its operation an error ("not supported
 * by <tool>").
 */
struct script_backend {
	int (*load)(void *ctx, const char *file, uint64_t pa);
	int (*write)(void *ctx, uint64_t pa, const uint8_t *buf, size_t len);
	int (*enable)(void *ctx, uint64_t rtaddr);
	int (*disable)(void *ctx);
	int (*probe)(void *ctx, const struct script_probe *p);
	int (*request)(void *ctx, const struct script_request *r);
	/* Register-based invalidation: CCMD, or the IOTLB register with IVA. */
	int (*ccmd)(void *ctx, uint64_t ccmd);
	int (*iotlb)(void *ctx, uint64_t iotlb, uint64_t iva);
	/* Queued invalidation: 'n' descriptors of s->qi_width bytes each. */
	int (*qi)(void *ctx, const uint8_t *desc, unsigned n);
	int (*regs)(void *ctx);
	/* Clear the leaf entry that maps the request's address. */
	int (*unmap)(void *ctx, const struct script_request *r);
	int (*stats)(void *ctx);
};

/*
 * Run each line of 'f' through the backend; stops at the first non-zero
 * result.  Blank and '#' lines are skipped; a line starting with '{' is a
 * JSON object (an operation, or a request when it has no "op"); any other
 * line is a text request "BDF ACCESS ADDRESS [pasid=N] [priv] [at=KIND]".
 * Lines are read one at a time: memory does not grow with the input.
 */
int script_run_file(struct script *s, FILE *f, const struct script_backend *be, void *ctx);

/* The same over text in memory (modified: lines are cut in place). */
int script_run(struct script *s, char *text, size_t len, const struct script_backend *be,
	       void *ctx);

/* Run one line (NUL-terminated, modifiable). */
int script_line(struct script *s, char *line, const struct script_backend *be, void *ctx);

/* A text request from words (the command line's operands, or a split line). */
int script_request_words(struct script *s, char **words, unsigned n, struct script_request *r);

/*
 * A register value (or any structure's first 64 bits) from FIELD, raw value
 * pairs ending with NULL; -1 when a name is unknown or a value does not fit.
 */
int script_regv(const struct vtd_layout *l, uint64_t *out, ...);
int script_vregv(const struct vtd_layout *l, uint64_t *out, va_list ap);

/* "--load FILE@ADDRESS" through the backend's load. */
int script_load_spec(struct script *s, const char *spec, const struct script_backend *be,
		     void *ctx);

/* "bb:dd.f", "dd.f" or "0000:bb:dd.f" -> bus << 8 | devfn; -1 if malformed. */
int script_bdf(const char *str, unsigned *out);

/* "bb:dd.f" of a source-id, in 'buf' (8 bytes). */
const char *script_bdf_str(unsigned sid, char *buf);

/* A string member, or NULL. */
const char *script_str(struct json_object *o, const char *key);

/*
 * A number member (JSON integer or a string vtd_parse_u64 accepts): 0 found,
 * 1 absent and optional, -1 after reporting it missing or malformed.
 */
int script_num(struct script *s, struct json_object *o, const char *key, int need, uint64_t *v);

/* The machine every backend describes: options -s, -a, -l, -m. */
struct script_machine {
	int scalable;
	unsigned aw_bits;	/* 39 or 48; 0 leaves QEMU's default (39) */
	uint64_t ram;		/* bytes; set the default before parsing */
	const char *loads[64];	/* FILE@PA */
	unsigned nloads;
};

/* Handle a machine option: 1 handled, 0 not one of them, -1 after a usage error. */
int script_machine_opt(struct cli *c, int key, const char *arg, struct script_machine *mo);

/* The machine options as rows for a tool's option table. */
#define SCRIPT_MACHINE_OPTIONS \
	{ 's', "scalable", NULL, "scalable mode (QEMU's x-scalable-mode=on)", NULL }, \
	{ 'a', "aw-bits", "BITS", "address width of the unit: 39 or 48 (QEMU's aw-bits)", NULL }, \
	{ 'l', "load", "FILE@PA", "load a memory image at a physical address (repeatable)", \
	  "file" }, \
	{ 'm', "ram", "MIB", "RAM from address 0, in MiB (default 256)", NULL }

#endif
