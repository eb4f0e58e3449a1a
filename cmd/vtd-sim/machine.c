/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtd-sim -- the simulated machine: RAM, the remapping unit and its caches */
#include <stdlib.h>
#include <string.h>

#include "regpage.h"
#include "regs.h"
#include "sim.h"
#include "text.h"

struct sim *sim_new(struct cli *c, struct sim_opts *o)
{
	/* The translation result is large: keep it off the stack. */
	struct sim *s = calloc(1, sizeof(*s));

	if (!s) {
		cli_error(c, EXIT_INTERNAL, "out of memory");
		return NULL;
	}
	s->sc.cli = c;
	s->o = o;
	return s;
}

void sim_free(struct sim *s)
{
	if (!s)
		return;
	vtd_cache_free(s->cache);
	vtd_mem_close(s->u.mem);
	free(s);
}

/* CAP, ECAP, RTADDR and GSTS.TES from a dump of the register page. */
static int load_regs(struct sim *s, const char *path)
{
	struct vtd_error e = { 0 };
	struct regpage rp;
	int rc = regpage_load(path, &rp, &e);

	if (rc)
		return script_fail(&s->sc, rc == -VTD_ETRUNC ? EXIT_DATA : EXIT_SOURCE, "%s: %s",
				   path, e.msg);
	s->u.cap = rp.cap;
	s->u.ecap = rp.ecap;
	s->u.rtaddr = rp.rtaddr;
	s->u.enabled = rp.te;
	return 0;
}

int sim_cache_spec(struct cli *c, const char *spec, struct vtd_cache_cfg *cfg, uint8_t *off)
{
	static const char *const names[VTD_CACHE_N] = {
		[VTD_CACHE_CONTEXT] = "context", [VTD_CACHE_PASID] = "pasid",
		[VTD_CACHE_IOTLB] = "iotlb", [VTD_CACHE_PSC] = "psc", [VTD_CACHE_DEVTLB] = "devtlb",
	};
	static const char *const policies[] = { "lru", "fifo", "random", "flush" };
	char buf[256], *save = NULL, *kv;

	if (!strcmp(spec, "off")) {
		*off = 1;
		return 0;
	}
	*off = 0;
	if (strlen(spec) >= sizeof(buf))
		goto bad;
	strcpy(buf, spec);
	for (kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(kv, '=');
		uint64_t v = 0;
		unsigned k;

		if (!eq)
			goto bad;
		*eq++ = '\0';
		if (!strcmp(kv, "replace")) {
			for (k = 0; k < VTD_NELEM(policies) && strcmp(eq, policies[k]); k++)
				;
			if (k == VTD_NELEM(policies))
				goto bad;
			cfg->replace = (uint8_t)k;
			continue;
		}
		if (vtd_parse_u64(eq, &v) || v > 1u << 24)
			goto bad;
		if (!strcmp(kv, "ways")) {
			cfg->ways = (unsigned)v;
			continue;
		}
		if (!strcmp(kv, "seed")) {
			cfg->seed = (uint32_t)v;
			continue;
		}
		for (k = 0; k < VTD_CACHE_N && strcmp(kv, names[k]); k++)
			;
		if (k == VTD_CACHE_N)
			goto bad;
		cfg->size[k] = (unsigned)v;
	}
	return 0;
bad:
	cli_error(c, EXIT_USAGE, "--cache '%s': expected 'off' or NAME=N,... with NAME one of "
		  "context, pasid, iotlb, psc, devtlb, ways, seed (N up to 16777216), and "
		  "replace=lru|fifo|random|flush", spec);
	return -1;
}

/* -c and CAP.CM say the same thing: either one sets both. */
static int caching_mode(struct sim *s, uint8_t *cm)
{
	const struct vtd_field *f = vtd_field_find(&vtd_l_reg_cap, "CM");
	uint8_t b[8];

	if (!f)
		return script_fail(&s->sc, EXIT_INTERNAL, "the CAP layout has no CM field");
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(s->u.cap >> (8 * i));
	if (vtd_field_raw(f, b))
		*cm = 1;
	vtd_field_set_raw(f, b, *cm, NULL);
	s->u.cap = vtd_bits_get(b, 0, 64);
	return 0;
}

int sim_setup(struct sim *s, struct sim_opts *o)
{
	struct vtd_error e = { 0 };
	struct vtd_cache_cfg cfg;
	uint8_t off = 0;
	int rc;

	if (o->mem) {
		/* A dump or a live source: opened read-only, and never written. */
		if (vtd_mem_open(o->mem, &s->u.mem, &e) < 0)
			return cli_report(s->sc.cli, &e, -e.code);
	} else if (vtd_mem_open_buffer(&s->u.mem, &e) < 0 ||
		   vtd_mem_buffer_map(s->u.mem, 0, NULL, (size_t)o->mach.ram, &e) < 0) {
		return cli_report(s->sc.cli, &e, -e.code);
	}
	vtd_unit_qemu_defaults(&s->u, o->mach.scalable, o->mach.aw_bits);
	s->u.numbering = o->qemu ? VTD_NUM_QEMU72 : VTD_NUM_SPEC;
	s->u.write_ad = o->write_ad;
	/* Steps cost time: only an explanation needs them. */
	s->u.no_steps = !o->explain;
	if (o->regs && (rc = load_regs(s, o->regs)))
		return rc;
	if (o->has_cap)
		s->u.cap = o->cap;
	if (o->has_ecap)
		s->u.ecap = o->ecap;
	if (o->has_rtaddr) {
		/* -s names the mode, so the address alone will do. */
		s->u.rtaddr = o->rtaddr | (o->mach.scalable && !(o->rtaddr & 0xc00) ? 0x400 : 0);
		s->u.enabled = 1;
	}
	if ((rc = caching_mode(s, &o->cm)))
		return rc;
	/* The registers are final: resolve what the walks derive from them once. */
	if (vtd_unit_prepare(&s->u, &e) < 0)
		return cli_report(s->sc.cli, &e, -e.code);
	s->sc.qi_width = o->mach.scalable ? 32 : 16;
	for (unsigned i = 0; i < o->mach.nloads; i++)
		if ((rc = script_load_spec(&s->sc, o->mach.loads[i], &sim_backend, s)))
			return rc;
	vtd_cache_cfg_default(&cfg, o->qemu ? VTD_CMODEL_QEMU72 : VTD_CMODEL_SPEC);
	cfg.cm = o->cm;
	if (o->cache_spec && sim_cache_spec(s->sc.cli, o->cache_spec, &cfg, &off))
		return EXIT_USAGE;
	if (!off && vtd_cache_new(&cfg, &s->cache, &e) < 0)
		return cli_report(s->sc.cli, &e, -e.code);
	return 0;
}

