/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the engine and cache unit tests share: a unit over a buffer source,
 * and tables built through the layouts (field names), never by hand shifts.
 * Every helper is static inline, so a test uses what it needs.
 */
#ifndef VTD_TEST_ENV_H
#define VTD_TEST_ENV_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regs.h"
#include "tables.h"
#include "tap.h"
#include "walk.h"

#define TBASE	0x100000ULL	/* the tables live in [TBASE, TBASE + TSIZE) */
#define TSIZE	0x400000ULL

#define L(...) ((const char *const[]){ __VA_ARGS__, NULL })

struct env {
	struct vtd_unit u;
	uint64_t next;		/* next free table page */
	uint64_t root;		/* root table */
	int scalable;
	/* What map() puts in the entries above the leaf: second stage, first stage. */
	const char *const *mid[2];
};

static inline int field_put(const struct vtd_layout *l, uint8_t *b, const char *name,
			    uint64_t value)
{
	const struct vtd_field *f = vtd_field_find(l, name);
	struct vtd_error err = { 0 };
	uint64_t raw;

	if (!f || vtd_field_raw_of(f, value, &raw, &err) || vtd_field_set_raw(f, b, raw, &err)) {
		printf("# cannot set %s.%s = 0x%llx: %s\n", l->name, name, (unsigned long long)value,
		       f ? err.msg : "no such field");
		return -1;
	}
	return 0;
}

/* A register value from field values. */
static inline void reg_set(uint64_t *reg, const struct vtd_layout *l, const char *name,
			   uint64_t value)
{
	uint8_t b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(*reg >> (8 * i));
	if (field_put(l, b, name, value))
		ok(0, "register field %s.%s", l->name, name);
	*reg = vtd_bits_get(b, 0, 64);
}

/* Fields from "NAME=VALUE" items into a structure's bytes. */
static inline void encode(uint8_t *b, const struct vtd_layout *l, const char *const *items)
{
	for (; items && *items; items++) {
		char name[32];
		const char *eq = strchr(*items, '=');
		size_t n = eq ? (size_t)(eq - *items) : 0;

		if (!eq || n >= sizeof(name)) {
			ok(0, "bad item '%s'", *items);
			return;
		}
		memcpy(name, *items, n);
		name[n] = 0;
		if (field_put(l, b, name, strtoull(eq + 1, NULL, 0)))
			ok(0, "encode %s %s", l->name, *items);
	}
}

/* Set one field of a structure in memory (read, modify, write). */
static inline void setf(struct env *e, uint64_t pa, const struct vtd_layout *l, const char *name,
			uint64_t value)
{
	uint8_t b[64];

	if (vtd_mem_read(e->u.mem, pa, b, l->size, NULL) || field_put(l, b, name, value) ||
	    vtd_mem_write(e->u.mem, pa, b, l->size, NULL))
		ok(0, "set %s.%s at 0x%llx", l->name, name, (unsigned long long)pa);
}

static inline uint64_t getf(struct env *e, uint64_t pa, const struct vtd_layout *l,
			    const char *name)
{
	const struct vtd_field *f = vtd_field_find(l, name);
	uint8_t b[64];

	if (!f || vtd_mem_read(e->u.mem, pa, b, l->size, NULL))
		return ~0ULL;
	return vtd_field_value(f, vtd_field_raw(f, b));
}

/* Write a whole structure from "NAME=VALUE" items (the rest zero). */
static inline void put(struct env *e, uint64_t pa, const struct vtd_layout *l,
		       const char *const *items)
{
	uint8_t b[64] = { 0 };

	encode(b, l, items);
	if (vtd_mem_write(e->u.mem, pa, b, l->size, NULL))
		ok(0, "write %s at 0x%llx", l->name, (unsigned long long)pa);
}

static inline uint64_t page(struct env *e)
{
	uint64_t p = e->next;

	e->next += 0x1000;
	return p;
}

/* Zeroed tables at TBASE, a root table, RTADDR in the mode asked for, translation on. */
static inline void env_open(struct env *e, int scalable)
{
	memset(e, 0, sizeof(*e));
	if (vtd_mem_open_buffer(&e->u.mem, NULL) ||
	    vtd_mem_buffer_map(e->u.mem, TBASE, NULL, TSIZE, NULL))
		ok(0, "buffer source");
	e->u.enabled = 1;
	e->next = TBASE;
	e->root = page(e);
	e->scalable = scalable;
	reg_set(&e->u.rtaddr, &vtd_l_reg_rtaddr, "RTA", e->root);
	reg_set(&e->u.rtaddr, &vtd_l_reg_rtaddr, "TTM", scalable ? 1 : 0);
}

static inline void env_free(struct env *e)
{
	vtd_mem_close(e->u.mem);
	e->u.mem = NULL;
}

/* The context entry of a source id, with its root entry and context table made present. */
static inline uint64_t ctx_of(struct env *e, unsigned sid)
{
	unsigned bus = sid >> 8, devfn = sid & 0xff;
	uint64_t re = e->root + 16 * bus, ct;

	if (!e->scalable) {
		if (!getf(e, re, &vtd_l_root_legacy, "P"))
			put(e, re, &vtd_l_root_legacy, L("P=1"));
		if (!(ct = getf(e, re, &vtd_l_root_legacy, "CTP")))
			setf(e, re, &vtd_l_root_legacy, "CTP", ct = page(e));
		return ct + 16 * devfn;
	}
	const char *p = devfn >= 128 ? "UP" : "LP", *ptr = devfn >= 128 ? "UCTP" : "LCTP";
	setf(e, re, &vtd_l_root_sm, p, 1);
	if (!(ct = getf(e, re, &vtd_l_root_sm, ptr)))
		setf(e, re, &vtd_l_root_sm, ptr, ct = page(e));
	return ct + 32 * (devfn & 0x7f);
}

/*
 * Map 'in' to 'out' with a leaf at level 'leaf' (1: 4 KiB, 2: 2 MiB, 3: 1 GiB)
 * in a table of 'levels' levels; the entries above it hold e->mid.
 * Returns the leaf entry's address.
 */
static inline uint64_t map(struct env *e, int fs, uint64_t root, int levels, uint64_t in,
			   uint64_t out, int leaf, const char *const *leaf_items)
{
	uint64_t table = root, pa;

	for (int lvl = levels; lvl > leaf; lvl--) {
		const struct vtd_layout *nl = vtd_paging_layout(fs, lvl, 0);

		pa = table + 8 * ((in >> (12 + 9 * (lvl - 1))) & 511);
		if (!getf(e, pa, nl, fs ? "P" : "R")) {
			put(e, pa, nl, e->mid[!!fs]);
			setf(e, pa, nl, "ADDR", page(e));
		}
		table = getf(e, pa, nl, "ADDR");
	}
	pa = table + 8 * ((in >> (12 + 9 * (leaf - 1))) & 511);
	put(e, pa, vtd_paging_layout(fs, leaf, 1), leaf_items);
	setf(e, pa, vtd_paging_layout(fs, leaf, 1), "ADDR",
	     out & ~((1ULL << (12 + 9 * (leaf - 1))) - 1));
	if (leaf > 1)
		setf(e, pa, vtd_paging_layout(fs, leaf, 1), "PS", 1);
	return pa;
}

/* The address of the entry at 'level' that translates 'in' (after map()). */
static inline uint64_t entry_at(struct env *e, int fs, uint64_t root, int levels, uint64_t in,
				int level)
{
	uint64_t table = root;

	for (int lvl = levels; lvl > level; lvl--)
		table = getf(e, table + 8 * ((in >> (12 + 9 * (lvl - 1))) & 511),
			     vtd_paging_layout(fs, lvl, 0), "ADDR");
	return table + 8 * ((in >> (12 + 9 * (level - 1))) & 511);
}

/* A legacy device: context entry (multi-level, AW from levels) over a fresh table. */
static inline uint64_t legacy_dev(struct env *e, unsigned sid, unsigned did, int levels,
				  uint64_t *root)
{
	uint64_t ce = ctx_of(e, sid);

	*root = page(e);
	put(e, ce, &vtd_l_context_legacy, L("P=1", "TT=0"));
	setf(e, ce, &vtd_l_context_legacy, "DID", did);
	setf(e, ce, &vtd_l_context_legacy, "AW", (uint64_t)levels - 2);
	setf(e, ce, &vtd_l_context_legacy, "SSPTPTR", *root);
	return ce;
}

struct smdev {
	uint64_t ctx, dir, pe, ss, fs;	/* entries; second- and first-stage roots */
};

/*
 * A scalable-mode device: context entry, directory entry and the PASID
 * entry of 'pasid' (PGTT, DID, AW from pe_items), with fresh first- and
 * second-stage roots.  A context entry or directory entry already present
 * (another PASID of the device) is kept, and ctx_items apply only to a new one.
 */
static inline struct smdev sm_dev(struct env *e, unsigned sid, uint32_t pasid,
				  const char *const *ctx_items, const char *const *pe_items)
{
	struct smdev d;
	uint64_t dir, tbl;

	d.ctx = ctx_of(e, sid);
	if (!(dir = getf(e, d.ctx, &vtd_l_context_sm, "PASIDDIRPTR"))) {
		put(e, d.ctx, &vtd_l_context_sm, ctx_items);
		setf(e, d.ctx, &vtd_l_context_sm, "P", 1);
		setf(e, d.ctx, &vtd_l_context_sm, "PASIDDIRPTR", dir = page(e));
	}
	d.dir = dir + 8 * (pasid >> 6);
	if (!(tbl = getf(e, d.dir, &vtd_l_pasid_dir, "SMPTBLPTR"))) {
		put(e, d.dir, &vtd_l_pasid_dir, L("P=1"));
		setf(e, d.dir, &vtd_l_pasid_dir, "SMPTBLPTR", tbl = page(e));
	}
	d.pe = tbl + 64 * (pasid & 63);
	put(e, d.pe, &vtd_l_pasid_entry, pe_items);
	setf(e, d.pe, &vtd_l_pasid_entry, "P", 1);
	d.ss = page(e);
	d.fs = page(e);
	setf(e, d.pe, &vtd_l_pasid_entry, "SSPTPTR", d.ss);
	setf(e, d.pe, &vtd_l_pasid_entry, "FSPTPTR", d.fs);
	return d;
}

static inline struct vtd_request rq(unsigned sid, uint64_t addr, unsigned access)
{
	return (struct vtd_request){ .sid = (uint16_t)sid, .addr = addr, .access = access };
}

#endif
