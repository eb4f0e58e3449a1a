/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtd-decode -- shared state of the subcommands */
#ifndef VTD_DECODE_H
#define VTD_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "layout.h"

struct opts {
	struct cli *cli;
	int json, pretty, oneline, raw, bytes, encode, list, all;
	const char *fields;	/* --fields STRUCT */
	const char *file;	/* -f FILE */
	const char *from_json;	/* --from-json FILE */
	const char *output;	/* -o FILE */
	uint64_t offset;	/* --offset */
	uint64_t count;		/* -n: structures to decode from a file */
	unsigned width;		/* -w 128|256: descriptor width */
	unsigned haw;		/* --haw: host address width for validation */
};

/* A pseudo-structure that picks the layout from the bytes ("inv", "irte"). */
struct picker {
	const char *name;
	const char *title;
	size_t size, min_size;
	const struct vtd_layout *(*pick)(const uint8_t *buf, size_t len);
};

const struct picker *picker_find(const char *name);
const struct picker *picker_at(unsigned idx);

int cmd_decode(struct opts *o, const char *name, int argc, char **argv);
int cmd_encode(struct opts *o, const char *name, int argc, char **argv);
int cmd_list(struct opts *o);
int cmd_fields(struct opts *o, const char *name);
int cmd_dmar(struct opts *o, int argc, char **argv);
int cmd_regs(struct opts *o, int argc, char **argv);

/* The largest structure any layout describes. */
#define MAX_STRUCT 64
/* Largest input file or hex text we accept. */
#define MAX_INPUT (64u << 20)

#endif
