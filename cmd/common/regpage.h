/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtdkit tools -- what a saved register page says about where the tables are */
#ifndef VTD_REGPAGE_H
#define VTD_REGPAGE_H

#include <stdint.h>

#include "error.h"

struct regpage {
	uint64_t cap, ecap, rtaddr, irta;
	uint8_t te;		/* GSTS.TES */
};

/*
 * Read a dump of the register page (vtd-decode regs' input): CAP, ECAP,
 * RTADDR, IRTA and GSTS.TES.  0, or -VTD_EIO (the file) or -VTD_ETRUNC
 * (shorter than the registers up to RTADDR) with 'err' filled.
 */
int regpage_load(const char *path, struct regpage *rp, struct vtd_error *err);

/* HAW for a unit's own registers: the DMAR table's, which MGAW stands in for (39 when 0). */
unsigned regpage_haw(uint64_t cap, uint64_t ecap);

#endif
