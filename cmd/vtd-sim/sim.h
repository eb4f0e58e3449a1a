/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtd-sim -- the simulated machine and what the commands share */
#ifndef VTD_SIM_H
#define VTD_SIM_H

#include <stdint.h>
#include <stdio.h>

#include "cache.h"
#include "cli.h"
#include "script.h"
#include "walk.h"

struct sim_opts {
	struct script_machine mach;
	const char *file;		/* -f: requests or a scenario */
	const char *output;		/* -o */
	const char *regs;		/* --regs: a register-page dump */
	const char *mem;		/* -M: a memory source instead of RAM */
	uint64_t rtaddr, cap, ecap;
	uint8_t has_rtaddr, has_cap, has_ecap;
	uint8_t json, explain, quiet, stats, tap, qemu, write_ad, no_cache;
	uint8_t cm;			/* -c: caching mode (CAP.CM) */
	const char *cache_spec;		/* --cache, applied once the model is known */
};

/* What the requests came to, for the summary and the exit status. */
struct sim_tally {
	uint64_t requests, ok, faults, suppressed, dropped, stale;
	uint64_t expected, mismatched;
};

struct sim {
	struct script sc;
	struct sim_opts *o;
	struct vtd_unit u;
	struct vtd_cache *cache;	/* NULL with --cache off */
	struct sim_tally n;
	FILE *out;
	unsigned ntap;			/* TAP lines printed */
	struct vtd_translation t;	/* big: one per simulator, reused */
	struct vtd_translation t2;	/* a second walk, to explain a mismatch */
};

/* A simulator for these options (after an error message: NULL), and its end. */
struct sim *sim_new(struct cli *c, struct sim_opts *o);
void sim_free(struct sim *s);

/*
 * RAM with the images loaded, the unit (QEMU's CAP/ECAP for the options,
 * then --regs, --cap, --ecap, --rtaddr), and the caches.  0 or an exit code.
 */
int sim_setup(struct sim *s, struct sim_opts *o);

/* The scenario operations over the engine and its caches (run.c). */
extern const struct script_backend sim_backend;

/* One answered request or probe, as text, JSON or TAP (print.c). */
struct sim_result {
	const char *name;		/* probe or request name, or NULL */
	const struct vtd_request *rq;
	uint64_t len;			/* probes: bytes of the DMA; 0 for requests */
	const struct vtd_translation *t;
	const struct vtd_cache_info *ci;	/* NULL without caches */
	uint8_t expect, has_out;	/* enum script_expect */
	uint16_t code;
	uint64_t want_out;
	uint8_t agree;			/* with expect */
};

void sim_print_result(struct sim *s, const struct sim_result *r);
void sim_print_stats(struct sim *s);
/* What ends the output: TAP's plan. */
void sim_print_end(struct sim *s);

/* Parse --cache "off" or "iotlb=N,context=N,...,ways=N,replace=lru". */
int sim_cache_spec(struct cli *c, const char *spec, struct vtd_cache_cfg *cfg, uint8_t *off);

#endif
