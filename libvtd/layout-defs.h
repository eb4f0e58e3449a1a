/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- private shorthand for writing descriptor tables (not installed) */
#ifndef VTD_LAYOUT_DEFS_H
#define VTD_LAYOUT_DEFS_H

#include "layout.h"

/*
 * Bit ranges are written hi, lo exactly as the specification prints them
 * (absolute positions: bit 64 is bit 0 of the second 64-bit word).
 */
#define VTD_BITS_(hi, lo) .lsb = (lo), .width = (hi) - (lo) + 1

#define FLAG(b, nm, k, d) \
	{ .name = nm, .key = k, VTD_BITS_(b, b), .kind = VTD_FLAG, .desc = d }
#define UINT(hi, lo, nm, k, d) \
	{ .name = nm, .key = k, VTD_BITS_(hi, lo), .kind = VTD_UINT, .desc = d }
#define HEX(hi, lo, nm, k, d) \
	{ .name = nm, .key = k, VTD_BITS_(hi, lo), .kind = VTD_HEX, .desc = d }
/* An address whose low bits are implied zero (value = raw << (lo % 64)),
 * with bits at or above the host address width reserved. */
#define ADDR(hi, lo, nm, k, d) \
	{ .name = nm, .key = k, VTD_BITS_(hi, lo), .kind = VTD_ADDR, \
	  .shift = (lo) % 64, .flags = VTD_FF_HAW, .desc = d }
/* An address (or part of one) with an explicit shift and no HAW rule. */
#define ADDRS(hi, lo, sh, nm, k, d) \
	{ .name = nm, .key = k, VTD_BITS_(hi, lo), .kind = VTD_ADDR, .shift = sh, .desc = d }
#define ENUM(hi, lo, nm, k, vals, d) \
	{ .name = nm, .key = k, VTD_BITS_(hi, lo), .kind = VTD_ENUM, .values = vals, .desc = d }
/* An enum field whose value selects this layout (descriptor type, IM, PS). */
#define FIXED(hi, lo, nm, k, vals, v, d) \
	{ .name = nm, .key = k, VTD_BITS_(hi, lo), .kind = VTD_ENUM, .values = vals, \
	  .flags = VTD_FF_FIXED, .fixed = v, .desc = d }
#define CODED(hi, lo, nm, k, cod, d) \
	{ .name = nm, .key = k, VTD_BITS_(hi, lo), .kind = VTD_CODED, .coding = cod, .desc = d }
#define BITSET(hi, lo, nm, k, vals, d) \
	{ .name = nm, .key = k, VTD_BITS_(hi, lo), .kind = VTD_BITSET, .values = vals, .desc = d }
#define STR(hi, lo, nm, k, d) \
	{ .name = nm, .key = k, VTD_BITS_(hi, lo), .kind = VTD_STR, .desc = d }
#define IGN(hi, lo, nm, k, d) \
	{ .name = nm, .key = k, VTD_BITS_(hi, lo), .kind = VTD_IGN, .desc = d }

/* Anything else: FIELDX(hi, lo, VTD_FLAG, "PPF", "ppf", "...", .flags = VTD_FF_W1C). */
#define FIELDX(hi, lo, kd, nm, k, d, ...) \
	{ .name = nm, .key = k, VTD_BITS_(hi, lo), .kind = kd, .desc = d, __VA_ARGS__ }

/* Value lists end with an empty entry. */
#define VTD_VALUES_END { 0, NULL, NULL, 0 }

/* Define a layout from a field array declared just before it. */
#define VTD_LAYOUT(ident, nm, ttl, fam, sec, sz, minsz, flds) \
	const struct vtd_layout ident = { \
		.name = nm, .title = ttl, .family = fam, .spec = sec, \
		.size = sz, .min_size = minsz, \
		.fields = flds, .nfields = VTD_NELEM(flds), \
	}

/*
 * Each family file (l-*.c) ends with its NULL-terminated list of layouts,
 * which layouts.c joins into the registry.
 */
extern const struct vtd_layout *const vtd__layouts_tables[];	/* l-root.c ... l-paging.c */
extern const struct vtd_layout *const vtd__layouts_regs[];	/* l-regs.c */
extern const struct vtd_layout *const vtd__layouts_intr[];	/* l-irte.c */
extern const struct vtd_layout *const vtd__layouts_inv[];	/* l-invdesc.c */
extern const struct vtd_layout *const vtd__layouts_fault[];	/* l-fault.c */
extern const struct vtd_layout *const vtd__layouts_acpi[];	/* l-acpi.c */

#endif
