/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtd-dump -- what its parts share: options, units, the output */
#ifndef VTD_DUMP_H
#define VTD_DUMP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "analyse.h"
#include "build.h"
#include "cli.h"
#include "error.h"
#include "mem.h"

/* What to print (one at a time). */
enum dump_mode { M_TREE = 0, M_RAW, M_LAYOUT, M_CHECK, M_REACH, M_SCAN };

#define MAX_DEVS 64

struct dopts {
	const char *regs, *profile, *out;
	uint64_t rtaddr, irta, cap, ecap;
	uint8_t has_rtaddr, has_irta, has_cap, has_ecap;
	uint16_t devs[MAX_DEVS];
	unsigned ndevs;
	uint32_t pasid;
	uint16_t did;
	uint64_t addr;
	uint8_t has_pasid, has_did, has_addr;
	int mode, nmodes;
	int pick, json, pretty, quiet, live;
};

/* One remapping unit: where its tables are and what it can do. */
struct unit {
	char name[32];			/* "dmar0" live, "unit" otherwise */
	uint64_t base;			/* register base (live), 0 when unknown */
	uint64_t cap, ecap, rtaddr, irta;
	unsigned haw;
	uint8_t te, has_te;		/* GSTS.TES, when the registers said */
};

struct dump {
	struct cli *c;
	const struct dopts *o;
	struct vtd_mem *mem;
	const char *source;		/* the spec the memory came from */
	FILE *f;			/* where the answer goes */
	int live;			/* this host's tables: PCI names from libpci */
	const char *profile_name;	/* the registers are a profile's (layout) */
};

/* ---- live.c: this host's units ------------------------------------------------------- */

/*
 * The units of this host: registers from debugfs's iommu_regset when it
 * can be read, else CAP/ECAP and the register base from sysfs and RTADDR,
 * IRTA and GSTS through devmem:.  '$VTD_DUMP_SYSROOT' (tests) prefixes the
 * paths.  0 with '*out' (malloc'd) and '*n' >= 1, or a negative code with
 * 'why' saying why in one line.
 */
int live_units(struct unit **out, size_t *n, char *why, size_t whyn);

/* Parse iommu_regset's text (Linux drivers/iommu/intel/debugfs.c); the number of units. */
size_t live_parse_regset(const char *text, struct unit *u, size_t max);

/* ---- tree.c: the default output, text and JSON ----------------------------------------- */

int tree_text(struct dump *d, const struct unit *u, const struct vtd_plan *p);
struct json_object *tree_json(struct dump *d, const struct unit *u, const struct vtd_plan *p);

/* Does the device (and the PASID, -1 for the device's own) pass --device/--pasid? */
int dev_selected(const struct dopts *o, uint16_t sid);

/* ---- raw.c: every entry ------------------------------------------------------------------ */

/* Text lines to d->f, or entries appended to 'arr' when not NULL. */
int raw_dump(struct dump *d, const struct unit *u, struct json_object *arr,
	     struct vtd_error *err);

/* ---- analyse.c: --check, --reachable, --scan -------------------------------------------- */

/* Findings as text or appended to 'arr'; their number, or a negative error. */
long check_unit(struct dump *d, const struct unit *u, struct json_object *arr,
		struct vtd_error *err);
int reach_unit(struct dump *d, const struct unit *u, const struct vtd_plan *p,
	       struct json_object *arr, struct vtd_error *err);
/*
 * Scan the source; hits printed (or appended to 'arr') best first.  The
 * best one's RTADDR in '*best' (0 when none); the number of hits, or a
 * negative error.
 */
long scan_source(struct dump *d, const struct unit *u, struct json_object *arr, uint64_t *best,
		 struct vtd_error *err);

/* ---- pci.c: device names ------------------------------------------------------------------- */

/* "Intel Corporation 82574L Gigabit Network Connection" of a host device, or NULL. */
const char *pci_name(uint16_t sid, char *buf, size_t n);
void pci_done(void);

/* ---- helpers (tree.c) --------------------------------------------------------------------------- */

/* "rw-". */
void perm_str(unsigned p, char *b);
/* An entry in one line, the renderer vtd-sim --explain uses: "P+ TT=... DID=1". */
void entry_line(const struct vtd_layout *l, const uint8_t *raw, char *b, size_t n);

#endif
