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

void regpage_release(struct regpage *rp)
{
	free(rp->page);
	memset(rp, 0, sizeof(*rp));
}

/* Note one register of the map in 'rp'. */
static void note(struct regpage *rp, const struct vtd_regval *rv)
{
	static const struct { const char *label; size_t off; unsigned bits; } regs[] = {
		{ "CAP", offsetof(struct regpage, cap), 64 },
		{ "ECAP", offsetof(struct regpage, ecap), 64 },
		{ "RTADDR", offsetof(struct regpage, rtaddr), 64 },
		{ "IRTA", offsetof(struct regpage, irta), 64 },
		{ "IQA", offsetof(struct regpage, iqa), 64 },
		{ "IQH", offsetof(struct regpage, iqh), 64 },
		{ "IQT", offsetof(struct regpage, iqt), 64 },
		{ "GSTS", offsetof(struct regpage, gsts), 32 },
		{ "FSTS", offsetof(struct regpage, fsts), 32 },
	};

	if (rv->reg && !strcmp(rv->reg->name, "FRCD")) {
		/* The records follow one another: the first gives where, the count grows. */
		if (!rp->frcd)
			rp->frcd = rv->bytes;
		if (rp->nfrcd < REGPAGE_MAX_FRCD)
			rp->nfrcd++;
		return;
	}
	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		if (strcmp(rv->label, regs[i].label))
			continue;
		if (regs[i].bits == 64)
			memcpy((char *)rp + regs[i].off, &rv->value, 8);
		else
			*(uint32_t *)(void *)((char *)rp + regs[i].off) = (uint32_t)rv->value;
		if (!strcmp(rv->label, "IQT"))
			rp->has_iq = 1;
		if (!strcmp(rv->label, "FSTS"))
			rp->has_fsts = 1;
	}
}

int regpage_read(const char *path, struct regpage *rp, struct vtd_error *err)
{
	struct vtd_regval rv;
	int rc;

	memset(rp, 0, sizeof(*rp));
	if ((rc = cli_read_file(path, 1u << 20, &rp->page, &rp->len, err)) < 0)
		return rc;
	/* Registers past a short dump are skipped: only the first four are required. */
	for (unsigned i = 0; (rc = vtd_regfile_read(rp->page, rp->len, i, &rv, NULL)) != 0; i++)
		if (rc > 0 && rv.bytes)
			note(rp, &rv);
	rp->te = (uint8_t)(rp->gsts >> 31 & 1);
	/* A queue needs all three: IQA at 0x90 is the last of them. */
	rp->has_iq = rp->len >= 0x98;
	if (rp->len < 0x28) {
		size_t len = rp->len;

		regpage_release(rp);
		vtd_error_where(err, "%s", path);
		return vtd_fail(err, VTD_ETRUNC, "%zu bytes is too short for a register page "
				"(CAP, ECAP, GSTS and RTADDR end at 0x28)", len);
	}
	return 0;
}

int regpage_load(const char *path, struct regpage *rp, struct vtd_error *err)
{
	int rc = regpage_read(path, rp, err);

	/* The values are all these callers want: not the page behind them. */
	if (!rc) {
		free(rp->page);
		rp->page = NULL;
		rp->frcd = NULL;
	}
	return rc;
}
