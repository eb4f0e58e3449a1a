/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-compile --probes: a scenario (formats/scenario.md) that checks the
 * compiled tables on vtd-sim or on QEMU (tests/qemu): the plan's probes
 * (vtd_plan_probes) as "probe" operations a device without PASID support
 * can perform, i.e. untranslated reads and writes.  A success expects the
 * plan's output address; a fault expects the reason the engine gives when
 * it walks the image, in the numbering asked for.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "script.h"

int image_unit(const struct vtd_plan *p, const struct vtd_image *img, int qemu,
	       struct vtd_unit *u, struct vtd_error *err)
{
	struct vtd_mem *m;
	int rc;

	memset(u, 0, sizeof(*u));
	if ((rc = vtd_mem_open_buffer(&m, err)))
		return rc;
	if (img->size && (rc = vtd_mem_buffer_map(m, img->base, img->bytes, img->size, err))) {
		vtd_mem_close(m);
		return rc;
	}
	u->mem = m;
	u->rtaddr = img->rtaddr;
	u->cap = p->cap;
	u->ecap = p->ecap;
	u->haw = p->haw;
	u->enabled = 1;
	u->numbering = qemu ? VTD_NUM_QEMU72 : VTD_NUM_SPEC;
	u->no_steps = 1;
	if ((rc = vtd_unit_prepare(u, err))) {
		vtd_mem_close(m);
		u->mem = NULL;
	}
	return rc;
}

struct pctx {
	FILE *f;
	const struct vtd_plan *p;
	struct vtd_unit *u;
	struct probe_stats *st;
	struct cdiags *d;
	struct vtd_error *err;
	int rc, qemu;
	/*
	 * QEMU's IOTLB: pages translated since the last invalidation.  QEMU
	 * 7.2 drops (records no fault for) a request that an IOTLB entry
	 * denies, so a probe of a cached page is preceded by a global IOTLB
	 * invalidation, and every probe sees what a walk of the tables sees.
	 */
	struct {
		uint64_t base, size;
	} cached[64];
	unsigned ncached;
};

static void iotlb_inv(struct pctx *c)
{
	fprintf(c->f, "{\"op\":\"inv\",\"iotlb\":\"global\"}\n");
	c->ncached = 0;
}

static int one(const struct vtd_probe *pr, void *ctx)
{
	struct pctx *c = ctx;
	struct vtd_translation t;
	struct json_object *o;
	char bdf[16], buf[24];
	int rc, ok;

	if (pr->rq.has_pasid || pr->rq.priv || pr->rq.at != VTD_AT_UNTRANSLATED ||
	    (pr->rq.access != VTD_ACC_R && pr->rq.access != VTD_ACC_W)) {
		c->st->skipped++;
		return 0;
	}
	if ((rc = vtd_translate(c->u, &pr->rq, &t, c->err)) < 0) {
		c->rc = rc;
		return 1;
	}
	ok = !t.fault;
	c->st->probes++;
	if (c->qemu) {
		unsigned i;

		for (i = 0; i < c->ncached; i++)
			if (pr->rq.addr - c->cached[i].base < c->cached[i].size) {
				iotlb_inv(c);
				break;
			}
		if (ok) {
			uint64_t size = t.page_size ? t.page_size : 4096;

			if (c->ncached == 64)
				iotlb_inv(c);
			c->cached[c->ncached].base = pr->rq.addr & ~(size - 1);
			c->cached[c->ncached++].size = size;
		}
	}
	if (ok != !!pr->expect_ok || (ok && t.out != pr->out)) {
		c->st->mismatched++;
		if (pr->expect_ok && ok)
			cdiag_add(c->d, pr->where, "%s %s 0x%" PRIx64 ": the plan says 0x%" PRIx64
				  ", the tables give 0x%" PRIx64, script_bdf_str(pr->rq.sid, bdf),
				  pr->rq.access == VTD_ACC_W ? "write" : "read", pr->rq.addr,
				  pr->out, t.out);
		else if (pr->expect_ok)
			cdiag_add(c->d, pr->where, "%s %s 0x%" PRIx64 ": the plan says 0x%" PRIx64
				  ", the tables fault (0x%02x)", script_bdf_str(pr->rq.sid, bdf),
				  pr->rq.access == VTD_ACC_W ? "write" : "read", pr->rq.addr,
				  pr->out, t.fault);
		else
			cdiag_add(c->d, pr->where, "%s %s 0x%" PRIx64 ": the plan says it faults, "
				  "the tables give 0x%" PRIx64, script_bdf_str(pr->rq.sid, bdf),
				  pr->rq.access == VTD_ACC_W ? "write" : "read", pr->rq.addr, t.out);
	}
	o = json_object_new_object();
	json_object_object_add(o, "op", json_object_new_string("probe"));
	if (pr->where)
		json_object_object_add(o, "name", json_object_new_string(pr->where));
	json_object_object_add(o, "bdf", json_object_new_string(script_bdf_str(pr->rq.sid, bdf)));
	json_object_object_add(o, "dir", json_object_new_string(pr->rq.access == VTD_ACC_W ?
								 "write" : "read"));
	snprintf(buf, sizeof(buf), "0x%" PRIx64, pr->rq.addr);
	json_object_object_add(o, "iova", json_object_new_string(buf));
	if (ok) {
		json_object_object_add(o, "expect", json_object_new_string("ok"));
		snprintf(buf, sizeof(buf), "0x%" PRIx64, t.out);
		json_object_object_add(o, "expect_pa", json_object_new_string(buf));
	} else if (t.suppressed) {
		json_object_object_add(o, "expect", json_object_new_string("suppressed"));
	} else {
		snprintf(buf, sizeof(buf), "0x%02x", t.fault);
		json_object_object_add(o, "expect", json_object_new_string(buf));
	}
	cli_fprint_json(c->f, o, 0);
	json_object_put(o);
	return 0;
}

int probes_write(FILE *f, const struct vtd_plan *p, const struct vtd_image *img, int qemu,
		 struct probe_stats *st, struct cdiags *d, struct vtd_error *err)
{
	struct vtd_unit u;
	struct pctx c = { .f = f, .p = p, .u = &u, .st = st, .d = d, .err = err, .qemu = qemu };
	int rc;

	memset(st, 0, sizeof(*st));
	if ((rc = image_unit(p, img, qemu, &u, err)))
		return rc;
	fprintf(f, "# Probes of a vtd-compile image (%s fault numbering): load the image first,\n"
		   "# e.g. vtd-sim --cap 0x%" PRIx64 " --ecap 0x%" PRIx64 "%s -l IMAGE.bin@0x%" PRIx64
		   " -f THIS\n",
		qemu ? "QEMU 7.2's" : "the specification's", p->cap, p->ecap,
		qemu ? " --faults qemu" : "", img->base);
	fprintf(f, "{\"op\":\"enable\",\"rtaddr\":\"0x%" PRIx64 "\"}\n", img->rtaddr);
	rc = vtd_plan_probes(p, 0, one, &c);
	vtd_mem_close(u.mem);
	if (c.rc)
		return c.rc;
	if (rc)
		return vtd_fail(err, VTD_EINTERNAL, "the probes stopped (%d)", rc);
	return 0;
}
