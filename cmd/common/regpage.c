// SPDX-License-Identifier: GPL-2.0-or-later
/* vtdkit tools -- a saved register page, read through the register map */
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "cli.h"
#include "regpage.h"
#include "regs.h"

unsigned regpage_haw(uint64_t cap, uint64_t ecap)
{
	struct vtd_caps k;

	vtd_caps_of(cap, ecap, 64, &k);
	return k.mgaw ? k.mgaw : 39;
}

int regpage_load(const char *path, struct regpage *rp, struct vtd_error *err)
{
	struct vtd_regval rv;
	uint8_t *page;
	size_t len;
	int rc;

	memset(rp, 0, sizeof(*rp));
	if ((rc = cli_read_file(path, 1u << 20, &page, &len, err)) < 0)
		return rc;
	/* Registers past a short dump are skipped: only the first four are required. */
	for (unsigned i = 0; (rc = vtd_regfile_read(page, len, i, &rv, NULL)) != 0; i++) {
		if (rc < 0)
			continue;
		if (!strcmp(rv.label, "CAP"))
			rp->cap = rv.value;
		else if (!strcmp(rv.label, "ECAP"))
			rp->ecap = rv.value;
		else if (!strcmp(rv.label, "RTADDR"))
			rp->rtaddr = rv.value;
		else if (!strcmp(rv.label, "IRTA"))
			rp->irta = rv.value;
		else if (!strcmp(rv.label, "GSTS"))
			rp->te = (uint8_t)(rv.value >> 31 & 1);
	}
	free(page);
	if (len < 0x28) {
		vtd_error_where(err, "%s", path);
		return vtd_fail(err, VTD_ETRUNC, "%zu bytes is too short for a register page "
				"(CAP, ECAP, GSTS and RTADDR end at 0x28)", len);
	}
	return 0;
}
