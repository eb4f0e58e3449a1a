/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- capability profiles: the units the builder can target */
#include <pthread.h>
#include <string.h>
#include <strings.h>

#include "build-internal.h"
#include "regs.h"

/* A register field value, by the register layout's mnemonic. */
struct pfield {
	const char *name;
	uint64_t raw;
};

struct pdef {
	const char *name, *desc;
	int qemu_sm, qemu;		/* 1: take QEMU's registers (scalable, aw) */
	unsigned qemu_aw, haw;
	const struct pfield *cap, *ecap;
};

/* ND raw 2: 2^(4+2*2) = 256 domains; 6: 65536.  MGAW raw = width - 1. */
static const struct pfield client_cap[] = {
	{ "ND", 2 }, { "SAGAW", 0x6 }, { "MGAW", 38 }, { "FRO", 0x400 / 16 }, { "SSLPS", 0x3 },
	{ "PSI", 1 }, { "MAMV", 18 }, { "DWD", 1 }, { "DRD", 1 }, { NULL, 0 },
};
static const struct pfield client_ecap[] = {
	{ "QI", 1 }, { "DT", 1 }, { "IR", 1 }, { "EIM", 1 }, { "PT", 1 }, { "SC", 1 },
	{ "IRO", 0x500 / 16 }, { "MHMV", 15 }, { NULL, 0 },
};
static const struct pfield server_cap[] = {
	{ "ND", 6 }, { "SAGAW", 0xc }, { "MGAW", 56 }, { "FRO", 0x400 / 16 }, { "SSLPS", 0x3 },
	{ "PSI", 1 }, { "NFR", 7 }, { "MAMV", 18 }, { "DWD", 1 }, { "DRD", 1 }, { "FS1GP", 1 },
	{ "FS5LP", 1 }, { "PI", 1 }, { NULL, 0 },
};
static const struct pfield server_ecap[] = {
	{ "QI", 1 }, { "DT", 1 }, { "IR", 1 }, { "EIM", 1 }, { "PT", 1 }, { "SC", 1 },
	{ "IRO", 0x500 / 16 }, { "MHMV", 15 }, { "NEST", 1 }, { "ERS", 1 }, { "SRS", 1 },
	{ "PSS", 19 }, { "PASID", 1 }, { "SMTS", 1 }, { "SSTS", 1 }, { "FSTS", 1 },
	{ "RPS", 1 }, { NULL, 0 },
};

static const struct pdef defs[] = {
	{ "qemu", "QEMU 7.2 intel-iommu defaults: legacy mode, 39-bit", 0, 1, 39, 39, NULL, NULL },
	{ "qemu-sm", "QEMU 7.2 intel-iommu x-scalable-mode=on aw-bits=48", 1, 1, 48, 48, NULL,
	  NULL },
	{ "client", "a typical Intel client part: 39/48-bit, 2M+1G, PT, DT, IR, no scalable mode",
	  0, 0, 0, 39, client_cap, client_ecap },
	{ "server", "a typical Intel server part: 48/57-bit, scalable mode, PASID, nesting", 0, 0,
	  0, 52, server_cap, server_ecap },
};

/*
 * Filled once, on first use, from the register layouts; read-only after
 * that, so callers on any thread see the same values.
 */
static struct vtd_profile profiles[VTD_NELEM(defs)];
static pthread_once_t profiles_once = PTHREAD_ONCE_INIT;

static uint64_t reg_of(const struct vtd_layout *l, const struct pfield *v)
{
	uint8_t b[8] = { 0 };

	for (; v && v->name; v++) {
		const struct vtd_field *f = vtd_field_find(l, v->name);

		if (f)
			vtd_field_set_raw(f, b, v->raw, NULL);
	}
	return le64(b);
}

static void profiles_fill(void)
{
	for (size_t i = 0; i < VTD_NELEM(defs); i++) {
		struct vtd_profile *p = &profiles[i];

		p->name = defs[i].name;
		p->desc = defs[i].desc;
		if (defs[i].qemu) {
			struct vtd_unit u;

			memset(&u, 0, sizeof(u));
			vtd_unit_qemu_defaults(&u, defs[i].qemu_sm, defs[i].qemu_aw);
			p->cap = u.cap;
			p->ecap = u.ecap;
			p->haw = u.haw;
		} else {
			p->cap = reg_of(&vtd_l_reg_cap, defs[i].cap);
			p->ecap = reg_of(&vtd_l_reg_ecap, defs[i].ecap);
			p->haw = defs[i].haw;
		}
	}
}

const struct vtd_profile *vtd_profile_at(unsigned idx)
{
	if (idx >= VTD_NELEM(defs))
		return NULL;
	pthread_once(&profiles_once, profiles_fill);
	return &profiles[idx];
}

const struct vtd_profile *vtd_profile_find(const char *name)
{
	for (unsigned i = 0; name && i < VTD_NELEM(defs); i++)
		if (!strcasecmp(defs[i].name, name))
			return vtd_profile_at(i);
	return NULL;
}

static uint64_t regf(const struct vtd_layout *l, uint64_t reg, const char *name)
{
	const struct vtd_field *f = vtd_field_find(l, name);
	uint8_t b[8];

	if (!f)
		return 0;
	put_le64(b, reg);
	return vtd_field_raw(f, b);
}

static uint64_t regv(const struct vtd_layout *l, uint64_t reg, const char *name)
{
	const struct vtd_field *f = vtd_field_find(l, name);

	return f ? vtd_field_value(f, regf(l, reg, name)) : 0;
}

void vtd_caps_of(uint64_t cap, uint64_t ecap, unsigned haw, struct vtd_caps *out)
{
	const struct vtd_layout *c = &vtd_l_reg_cap, *e = &vtd_l_reg_ecap;
	uint64_t nd = regv(c, cap, "ND");

	memset(out, 0, sizeof(*out));
	out->haw = haw;
	out->sagaw = (uint8_t)regf(c, cap, "SAGAW");
	out->sslps = (uint8_t)regf(c, cap, "SSLPS");
	out->fs1gp = (uint8_t)regf(c, cap, "FS1GP");
	out->fs5lp = (uint8_t)regf(c, cap, "FS5LP");
	out->mgaw = (unsigned)regv(c, cap, "MGAW");
	out->pt = (uint8_t)regf(e, ecap, "PT");
	out->dt = (uint8_t)regf(e, ecap, "DT");
	out->sm = (uint8_t)regf(e, ecap, "SMTS");
	out->ir = (uint8_t)regf(e, ecap, "IR");
	out->ere = (uint8_t)regf(e, ecap, "ERS");
	out->nest = (uint8_t)regf(e, ecap, "NEST");
	out->fsts = (uint8_t)regf(e, ecap, "FSTS");
	out->ssts = (uint8_t)regf(e, ecap, "SSTS");
	out->sc = (uint8_t)regf(e, ecap, "SC");
	out->srs = (uint8_t)regf(e, ecap, "SRS");
	out->rps = (uint8_t)regf(e, ecap, "RPS");
	for (out->nd_bits = 0; out->nd_bits < 63 && (1ULL << out->nd_bits) < nd; out->nd_bits++)
		;
	if (regf(e, ecap, "PASID"))
		out->pasid_bits = (unsigned)regv(e, ecap, "PSS");
}
