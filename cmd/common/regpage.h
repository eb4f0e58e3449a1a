/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtdkit tools -- what a saved register page says about where the tables are */
#ifndef VTD_REGPAGE_H
#define VTD_REGPAGE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Fault records kept at most (CAP.NFR allows 256). */
#define REGPAGE_MAX_FRCD 256

struct regpage {
	uint8_t *page;		/* the whole dump, malloc'd (regpage_release) */
	size_t len;
	uint64_t cap, ecap, rtaddr, irta;
	uint64_t iqa, iqh, iqt;	/* the invalidation queue: with has_iq */
	uint32_t gsts, fsts;
	uint8_t te;		/* GSTS.TES */
	uint8_t has_iq, has_fsts;
	const uint8_t *frcd;	/* the fault records in 'page', 16 bytes each; NULL when none */
	unsigned nfrcd;		/* CAP.NFR + 1, or fewer when the dump ends before */
};

/*
 * Read a dump of the register page (vtd-decode regs' input): CAP, ECAP,
 * RTADDR, IRTA, GSTS, FSTS, IQA/IQH/IQT and the fault records, found
 * through libvtd's register map.  0, or -VTD_EIO (the file) or
 * -VTD_ETRUNC (shorter than the registers up to RTADDR) with 'err'
 * filled.  regpage_read keeps the page ('page', 'frcd'; regpage_release()
 * frees it), regpage_load only the values.
 */
int regpage_read(const char *path, struct regpage *rp, struct vtd_error *err);
int regpage_load(const char *path, struct regpage *rp, struct vtd_error *err);
void regpage_release(struct regpage *rp);

/* HAW for a unit's own registers: the DMAR table's, which MGAW stands in for (39 when 0). */
unsigned regpage_haw(uint64_t cap, uint64_t ecap);

#endif
