/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- the remapping-hardware register file: where each register lives */
#ifndef VTD_REGS_H
#define VTD_REGS_H

#include <stddef.h>
#include <stdint.h>

#include "layout.h"

/* One layout per register (spec 11.4); names are the lowercase mnemonics. */
VTD_API extern const struct vtd_layout vtd_l_reg_ver, vtd_l_reg_cap, vtd_l_reg_ecap,
	vtd_l_reg_gcmd, vtd_l_reg_gsts, vtd_l_reg_rtaddr, vtd_l_reg_ccmd, vtd_l_reg_iva,
	vtd_l_reg_iotlb, vtd_l_reg_fsts, vtd_l_reg_fectl, vtd_l_reg_fedata, vtd_l_reg_feaddr,
	vtd_l_reg_feuaddr, vtd_l_reg_aflog, vtd_l_reg_pmen, vtd_l_reg_plmbase,
	vtd_l_reg_plmlimit, vtd_l_reg_phmbase, vtd_l_reg_phmlimit, vtd_l_reg_iqh,
	vtd_l_reg_iqt, vtd_l_reg_iqa, vtd_l_reg_ics, vtd_l_reg_iectl, vtd_l_reg_iedata,
	vtd_l_reg_ieaddr, vtd_l_reg_ieuaddr, vtd_l_reg_iqercd, vtd_l_reg_irta, vtd_l_reg_pqh,
	vtd_l_reg_pqt, vtd_l_reg_pqa, vtd_l_reg_prs, vtd_l_reg_pectl, vtd_l_reg_pedata,
	vtd_l_reg_peaddr, vtd_l_reg_peuaddr, vtd_l_reg_mtrrcap, vtd_l_reg_mtrrdef,
	vtd_l_reg_mtrr_fix, vtd_l_reg_mtrr_physbase, vtd_l_reg_mtrr_physmask;

/* What a register's offset is relative to. */
enum vtd_reg_base {
	VTD_REG_ABS,	/* the register base */
	VTD_REG_IRO,	/* ECAP.IRO * 16: IVA and IOTLB */
	VTD_REG_FRO,	/* CAP.FRO * 16: fault record 0; CAP.NFR + 1 records of 16 bytes */
};

/* The capability bit that says a register is implemented. */
enum vtd_reg_need {
	VTD_REG_ALWAYS,
	VTD_REG_NEED_CAP,	/* CAP bit 'need_bit' */
	VTD_REG_NEED_ECAP,	/* ECAP bit 'need_bit' */
};

struct vtd_reg {
	const char *name;	/* "IOTLB", "MTRR_FIX4K_C0000": the spec mnemonic */
	uint16_t offset;	/* bytes from 'base' */
	uint8_t width;		/* bytes: 4, 8 or 16 */
	uint8_t base;		/* enum vtd_reg_base */
	const struct vtd_layout *layout;	/* NULL: see vtd_reg_layout() */
	uint8_t need;		/* enum vtd_reg_need */
	uint8_t need_bit;
};

/* The idx-th register of the map (0, 1, ...); NULL past the end. */
VTD_API const struct vtd_reg *vtd_reg_at(unsigned idx);

/* Register by name, case-insensitive; NULL if none. */
VTD_API const struct vtd_reg *vtd_reg_find(const char *name);

/*
 * The layout that decodes a register.  Fault records are described by the
 * fault family, found by name ("frcd") at run time; NULL when it is absent.
 */
VTD_API const struct vtd_layout *vtd_reg_layout(const struct vtd_reg *r);

/* Does a unit with these CAP and ECAP values implement the register? */
VTD_API int vtd_reg_implemented(const struct vtd_reg *r, uint64_t cap, uint64_t ecap);

/*
 * Byte offset of a register from the register base, resolving ECAP.IRO and
 * CAP.FRO (for the fault records: record 0).  0 or -VTD_EINVAL.
 */
VTD_API int vtd_reg_offset(const struct vtd_reg *r, uint64_t cap, uint64_t ecap,
			   uint64_t *off);

/* ---- decoding a dump of the register page -------------------------------- */

/* One register of a dump. */
struct vtd_regval {
	const struct vtd_reg *reg;
	const struct vtd_layout *layout;	/* NULL when unknown (see vtd_reg_layout) */
	char label[24];		/* "GSTS", "FRCD[3]" */
	unsigned index;		/* fault-record number; 0 otherwise */
	uint64_t off;		/* bytes from the register base */
	uint64_t value;		/* little-endian value; a fault record's low qword */
	uint64_t value_hi;	/* a fault record's high qword; 0 otherwise */
	const uint8_t *bytes;	/* the register inside the dump; NULL if truncated */
};

/*
 * The idx-th register (0, 1, ...) of a dump of 'len' bytes read from the
 * register base: every register of the map in map order, IVA and IOTLB at
 * ECAP.IRO, then CAP.NFR + 1 fault records at CAP.FRO.
 *
 * Returns 1 with 'out' filled, 0 past the last register, or -VTD_ETRUNC
 * when the register lies beyond 'len' (or its place depends on CAP/ECAP
 * and they lie beyond it); 'out' then still names the register, and the
 * next idx may succeed, so a caller simply loops until 0.
 */
VTD_API int vtd_regfile_read(const uint8_t *page, size_t len, unsigned idx,
			     struct vtd_regval *out, struct vtd_error *err);

#endif
