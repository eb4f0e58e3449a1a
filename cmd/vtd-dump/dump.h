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
#include "jsonw.h"
#include "mem.h"

/* What to print (one at a time). */
enum dump_mode { M_TREE = 0, M_RAW, M_LAYOUT, M_CHECK, M_REACH, M_SCAN };

#define MAX_DEVS 64

struct dopts {
	const char *regs, *profile, *out;
	const char *btf, *symbols;	/* the kernel route (kernel.h) */
	const char *dmar;		/* ACPI DMAR table: RMRRs for --check */
	uint64_t rtaddr, irta, cap, ecap;
	uint8_t has_rtaddr, has_irta, has_cap, has_ecap;
	uint16_t devs[MAX_DEVS];
	unsigned ndevs;
	uint32_t pasid;
	uint16_t did;
	uint64_t addr;
	uint8_t has_pasid, has_did, has_addr;
	int mode, nmodes;
	int pick, json, pretty, quiet, live, kernel;
};

/* One remapping unit: where its tables are and what it can do. */
struct unit {
	char name[32];			/* "dmar0" live, "unit" otherwise */
	uint64_t base;			/* register base (live), 0 when unknown */
	uint64_t cap, ecap, rtaddr, irta;
	unsigned haw;
	uint8_t te, has_te;		/* GSTS.TES, when the registers said */
	/* The invalidation queue: IQA, and IQH/IQT when known (the kernel knows no IQH). */
	uint64_t iqa, iqh, iqt;
	uint8_t has_iq, has_iqh;
	const char *from;		/* "debugfs", "devmem", "kernel", "regs", "options" */
	/* The status registers, when read (--regs, debugfs): regs.c decodes them. */
	uint32_t gsts, fsts;
	uint8_t has_gsts, has_fsts;
	uint8_t *frcd;			/* the fault records (16 bytes each), malloc'd; NULL: unknown */
	unsigned nfrcd;
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

/* '$VTD_DUMP_SYSROOT' + 'path' in 'buf' when that file can be read, else NULL. */
const char *live_file(const char *path, char *buf, size_t n);

/* ---- kunits.c: the units in the kernel's structures (libvtd kernel.h) ------------------- */

/*
 * The units on the kernel's dmar_drhd_units list in 'm'; 'btf' and
 * 'symbols' may be NULL (the kernel's own, found through VMCOREINFO).
 * 'how' receives where the kernel image was found.  0 or a negative code.
 */
int kernel_units(struct vtd_mem *m, const char *btf, const char *symbols, struct unit **out,
		 size_t *n, char *how, size_t hown, struct vtd_error *err);

/* Parse iommu_regset's text (Linux drivers/iommu/intel/debugfs.c); the number of units. */
size_t live_parse_regset(const char *text, struct unit *u, size_t max);

/* ---- tree.c: the default output, text and JSON ----------------------------------------- */

int tree_text(struct dump *d, const struct unit *u, const struct vtd_plan *p);
/* The tree's members of the unit object, streamed. */
void tree_json(struct dump *d, const struct unit *u, const struct vtd_plan *p, struct jsonw *w);

/* Does the device (and the PASID, -1 for the device's own) pass --device/--pasid? */
int dev_selected(const struct dopts *o, uint16_t sid);

/* ---- raw.c: every entry ------------------------------------------------------------------ */

/* Text lines to d->f, or entry objects streamed to 'w' (an open array) when not NULL. */
int raw_dump(struct dump *d, const struct unit *u, struct jsonw *w, struct vtd_error *err);
/* Can the root table be read (raw_dump's only error)?  0, or an error in 'err'. */
int raw_ready(struct dump *d, const struct unit *u, struct vtd_error *err);

/* ---- regs.c: the unit's status registers and pending faults ----------------------------- */

/* Lines under the unit header; nothing when no register was read. */
void regs_text(struct dump *d, const struct unit *u);
/* The "registers" member, when any register was read. */
void regs_json(const struct unit *u, struct jsonw *w);

/* ---- irt.c: the interrupt-remapping table ------------------------------------------------- */

void irt_text(struct dump *d, const struct unit *u, const struct vtd_plan *p);
/* The "interrupt_remapping" member, when the unit has an IRT. */
void irt_json(struct dump *d, const struct unit *u, const struct vtd_plan *p, struct jsonw *w);

/* ---- iq.c: the invalidation queue --------------------------------------------------------- */

/* Where the queue is and where its head and tail are, from IQA/IQH/IQT. */
struct iq_ring {
	uint64_t base;		/* IQA.IQA */
	unsigned bytes;		/* 4 KiB << IQA.QS */
	unsigned width;		/* bytes per slot: 16 or 32 (IQA.DW) */
	unsigned n;		/* slots */
	unsigned head_off, tail_off;	/* IQH.QH, IQT.QT: bytes */
	unsigned head, tail;	/* slot indexes */
	uint8_t has_head;
	uint8_t guessed;	/* 256-bit though IQA.DW reads 0 (QEMU 7.2; iq.c) */
};
/* 0 with 'r' filled when the unit's queue is known, else -1. */
int iq_ring_of(const struct unit *u, struct iq_ring *r);
void iq_set_width(struct iq_ring *r, unsigned width);
/* The ring's bytes (malloc'd) with 'r' filled and its width checked; NULL: none, unreadable. */
uint8_t *iq_ring_read(struct dump *d, const struct unit *u, struct iq_ring *r);
/* The descriptor in 'slot' (r->width bytes) in one line: "inv-iotlb: G=page ...". */
void iq_slot_line(const struct iq_ring *r, const uint8_t *slot, char *b, size_t n);
/* The layout of a slot, NULL for an unknown type. */
const struct vtd_layout *iq_slot_layout(const struct iq_ring *r, const uint8_t *slot);

void iq_text(struct dump *d, const struct unit *u);
/* The "invalidation_queue" member, when the queue is known. */
void iq_json(struct dump *d, const struct unit *u, struct jsonw *w);

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

/* ---- dmar.c: the ACPI DMAR table -------------------------------------------------------- */

/*
 * The RMRRs --check holds unit 'u' to, each with the devices the unit
 * translates ('*out', free with vtd_dmar_rmrrs_free): from --dmar, or this
 * host's table when the memory is this host's.  '*from' names the table
 * (NULL: none, nothing to check).  Read and checked once; bad tables fail
 * with the file and offset in err->where.
 */
int dmar_unit_rmrrs(struct dump *d, const struct unit *u, struct vtd_rmrr **out, size_t *n,
		    const char **from, struct vtd_error *err);

/* ---- pci.c: device names ------------------------------------------------------------------- */

/* "Intel Corporation 82574L Gigabit Network Connection" of a host device, or NULL. */


/* ---- helpers (tree.c) --------------------------------------------------------------------------- */

/* "rw-". */
void perm_str(unsigned p, char *b);
/* An entry in one line, the renderer vtd-sim --explain uses: "P+ TT=... DID=1". */
void entry_line(const struct vtd_layout *l, const uint8_t *raw, char *b, size_t n);
/* The same for the first 'len' bytes (a 128-bit descriptor in a 256-bit layout). */
void entry_line_len(const struct vtd_layout *l, const uint8_t *raw, size_t len, char *b,
		    size_t n);
/* A field's value (vtd_field_value) by key; 0 when the layout has no such field. */
uint64_t field_of(const struct vtd_layout *l, const uint8_t *b, const char *key);
/* An entry object streamed: {"struct", "pa", "index", "fields"}. */
void entry_jsonw(struct jsonw *w, const struct vtd_layout *l, uint64_t pa, unsigned idx,
		 const uint8_t *raw, size_t len);

#endif
