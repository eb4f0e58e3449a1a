/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvtd -- the intel-iommu driver's units from its own structures: walk
 * dmar_drhd_units, read each struct dmar_drhd_unit and struct intel_iommu
 * at the offsets BTF gives, and rebuild the registers the driver wrote
 * from the structures it wrote them from.
 */
#include "kernel-internal.h"

#include <bpf/btf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyse.h"

/* A list longer than any machine's unit count is a corrupt or foreign one. */
#define MAX_UNITS 1024

#define ECAP_SMTS (1ull << 43)
#define RTADDR_TTM_SM (1ull << 10)	/* TTM 01b: scalable-mode root table */
#define IRTA_EIME (1ull << 11)		/* x2APIC (extended) interrupt mode */
#define IRTA_S_64K 0xfull		/* 2^(S+1) entries: the driver's fixed 65536 */
#define IQA_DW_QS 0x801ull		/* 256-bit descriptors, a 2-page queue */

/* Every member the walk reads, by structure. */
enum { F_NEXT, F_LIST, F_REGBASE, F_SEGMENT, F_IGNORED, F_IOMMU, F_REGPHYS, F_CAP, F_ECAP,
       F_GCMD, F_SEQ, F_NAME, F_ROOT, F_QI, F_IRT, F_DESC, F_HEAD, F_BASE, F_N };

enum { S_LIST, S_DRHD, S_IOMMU, S_QI, S_IRT, S_N };

static const struct {
	int st;
	const char *name;
	uint8_t optional;	/* kernels built without it (CONFIG_IRQ_REMAP) or older ones */
	uint8_t scalar;
} fields[F_N] = {
	[F_NEXT] = { S_LIST, "next", 0, 1 },
	[F_LIST] = { S_DRHD, "list", 0, 0 },
	[F_REGBASE] = { S_DRHD, "reg_base_addr", 0, 1 },
	[F_SEGMENT] = { S_DRHD, "segment", 0, 1 },
	[F_IGNORED] = { S_DRHD, "ignored", 1, 1 },
	[F_IOMMU] = { S_DRHD, "iommu", 0, 1 },
	[F_REGPHYS] = { S_IOMMU, "reg_phys", 0, 1 },
	[F_CAP] = { S_IOMMU, "cap", 0, 1 },
	[F_ECAP] = { S_IOMMU, "ecap", 0, 1 },
	[F_GCMD] = { S_IOMMU, "gcmd", 0, 1 },
	[F_SEQ] = { S_IOMMU, "seq_id", 0, 1 },
	[F_NAME] = { S_IOMMU, "name", 0, 0 },
	[F_ROOT] = { S_IOMMU, "root_entry", 0, 1 },
	[F_QI] = { S_IOMMU, "qi", 0, 1 },
	[F_IRT] = { S_IOMMU, "ir_table", 1, 1 },
	[F_DESC] = { S_QI, "desc", 0, 1 },
	[F_HEAD] = { S_QI, "free_head", 0, 1 },
	[F_BASE] = { S_IRT, "base", 0, 1 },
};

static const char *const struct_names[S_N] = {
	[S_LIST] = "list_head", [S_DRHD] = "dmar_drhd_unit", [S_IOMMU] = "intel_iommu",
	[S_QI] = "q_inval", [S_IRT] = "ir_table",
};

struct walk {
	struct vtd_mem *m;
	struct vtd_kvirt v;
	struct vtd_ksyms ks;
	struct vtd_kstruct st[S_N];
	struct vtd_kfield f[F_N];
	uint8_t have[F_N];
	uint8_t *blob;		/* room for the largest structure */
	int sm;			/* intel_iommu_sm, or -1 when the symbol is missing */
	int eim;		/* eim_mode (or x2apic_mode) */
};

static int load_layout(struct walk *w, const struct btf *b, struct vtd_error *err)
{
	uint32_t max = 0;
	int rc = 0;

	for (int i = 0; !rc && i < S_N; i++) {
		w->st[i].name = struct_names[i];
		rc = vtd__kbtf_struct(b, &w->st[i], err);
		/* Without CONFIG_IRQ_REMAP there is no ir_table, and nothing needs it. */
		if (rc && i == S_IRT) {
			vtd_error_clear(err);
			w->st[i].size = 0;
			rc = 0;
		}
		if (!rc && w->st[i].size > max)
			max = w->st[i].size;
	}
	for (int i = 0; !rc && i < F_N; i++) {
		if (!w->st[fields[i].st].size)
			continue;
		rc = vtd__kbtf_field(b, &w->st[fields[i].st], fields[i].name, fields[i].scalar,
				     &w->f[i], err);
		if (rc && fields[i].optional) {
			vtd_error_clear(err);
			rc = 0;
			continue;
		}
		w->have[i] = !rc;
	}
	if (rc)
		return rc;
	/* The walk takes 'next' from inside the unit's 'list' and copies 'name' bytewise. */
	if (w->f[F_LIST].bits || w->f[F_LIST].size < w->f[F_NEXT].bit_off / 8 + 8 ||
	    w->f[F_NAME].bits)
		return vtd_fail(err, VTD_EFORMAT, "the BTF's dmar_drhd_unit.list or "
				"intel_iommu.name has a shape the reader cannot use");
	w->blob = calloc(1, max);
	return w->blob ? 0 : vtd_fail(err, VTD_ENOMEM, "out of memory");
}

/* A structure 's' at 'va' into w->blob. */
static int read_struct(struct walk *w, int s, uint64_t va, const char *path,
		       struct vtd_error *err)
{
	return vtd__kvirt_read(w->m, &w->v, va, w->blob, w->st[s].size, path, err);
}

static uint64_t get(const struct walk *w, int f)
{
	return w->have[f] ? vtd__kfield_get(w->blob, &w->f[f]) : 0;
}

/* An int variable of the image (intel_iommu_sm, eim_mode): -1 when the symbol is missing. */
static int read_int(struct walk *w, int idx, struct vtd_error *err, int *out)
{
	uint8_t b[4];
	int rc;

	*out = -1;
	if (!w->ks.found[idx])
		return 0;
	rc = vtd__kvirt_read(w->m, &w->v, w->ks.addr[idx] + w->v.map.kaslr, b, sizeof(b),
			     vtd__ksym_names[idx], err);
	if (!rc)
		*out = (int)((uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
			     (uint32_t)b[3] << 24);
	return rc;
}

/*
 * Scalable or legacy, as the driver's sm_supported(): intel_iommu_sm and
 * ECAP.SMTS.  Without the symbol, the root table's content decides.
 */
static int decide_mode(struct walk *w, struct vtd_kunit *u, uint64_t root_pa)
{
	struct vtd_scan_hit lh, sh;
	int l, s;

	if (!(u->ecap & ECAP_SMTS)) {
		snprintf(u->mode_from, sizeof(u->mode_from), "ecap");
		return 0;
	}
	if (w->sm >= 0) {
		snprintf(u->mode_from, sizeof(u->mode_from), "intel_iommu_sm");
		return w->sm != 0;
	}
	snprintf(u->mode_from, sizeof(u->mode_from), "content");
	l = vtd_scan_page(w->m, NULL, root_pa, 0, &lh, NULL);
	s = vtd_scan_page(w->m, NULL, root_pa, 1, &sh, NULL);
	return s == 1 && (l != 1 || sh.score > lh.score);
}

/* The intel_iommu at 'va' and what hangs off it, into 'u'; 'path' ends at "-> iommu". */
static int read_iommu(struct walk *w, uint64_t va, struct vtd_kunit *u, const char *path,
		      struct vtd_error *err)
{
	char sub[256];
	uint64_t root, qi, irt, p;
	int rc = read_struct(w, S_IOMMU, va, path, err);
	size_t nlen;

	if (rc)
		return rc;
	u->reg_phys = get(w, F_REGPHYS);
	u->cap = get(w, F_CAP);
	u->ecap = get(w, F_ECAP);
	u->gcmd = (uint32_t)get(w, F_GCMD);
	u->seq_id = (int)(int32_t)get(w, F_SEQ);
	nlen = w->f[F_NAME].size < sizeof(u->name) ? w->f[F_NAME].size : sizeof(u->name) - 1;
	for (size_t i = 0; i < nlen; i++) {
		uint8_t c = w->blob[w->f[F_NAME].bit_off / 8 + i];

		if (!c)
			break;
		/* The name is printed by callers: a corrupt one must not carry controls. */
		u->name[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	root = get(w, F_ROOT);
	qi = get(w, F_QI);
	irt = get(w, F_IRT);
	if (root) {
		snprintf(sub, sizeof(sub), "%s@0x%" PRIx64 " -> root_entry", path, va);
		rc = vtd__kvirt_pa(&w->v, root, &p, sub, err);
		if (rc)
			return rc;
		u->rtaddr = p | (decide_mode(w, u, p) ? RTADDR_TTM_SM : 0);
	}
	if (qi) {
		snprintf(sub, sizeof(sub), "%s@0x%" PRIx64 " -> qi", path, va);
		rc = read_struct(w, S_QI, qi, sub, err);
		if (rc)
			return rc;
		p = get(w, F_DESC);
		snprintf(sub, sizeof(sub), "%s@0x%" PRIx64 " -> qi@0x%" PRIx64 " -> desc", path, va,
			 qi);
		if (p && (rc = vtd__kvirt_pa(&w->v, p, &p, sub, err)))
			return rc;
		if (p) {
			int smts = !!(u->ecap & ECAP_SMTS);

			u->iqa = p | (smts ? IQA_DW_QS : 0);
			u->iqt = (uint64_t)(uint32_t)get(w, F_HEAD) << (4 + smts);
		}
	}
	if (irt && w->st[S_IRT].size) {
		snprintf(sub, sizeof(sub), "%s@0x%" PRIx64 " -> ir_table", path, va);
		rc = read_struct(w, S_IRT, irt, sub, err);
		if (rc)
			return rc;
		p = get(w, F_BASE);
		snprintf(sub, sizeof(sub), "%s@0x%" PRIx64 " -> ir_table@0x%" PRIx64 " -> base", path,
			 va, irt);
		if (p && (rc = vtd__kvirt_pa(&w->v, p, &p, sub, err)))
			return rc;
		if (p)
			u->irta = p | (w->eim > 0 ? IRTA_EIME : 0) | IRTA_S_64K;
	}
	return 0;
}

/* The list from the head at 'head', unit by unit. */
static int walk_list(struct walk *w, uint64_t head, struct vtd_kunit **out, size_t *n,
		     struct vtd_error *err)
{
	uint64_t seen[MAX_UNITS], node, next_off = w->f[F_NEXT].bit_off / 8;
	uint64_t list_off = w->f[F_LIST].bit_off / 8;
	struct vtd_kunit *v = NULL;
	char path[160];
	size_t cnt = 0;
	uint8_t b[8];
	int rc;

	rc = vtd__kvirt_read(w->m, &w->v, head + next_off, b, sizeof(b), "dmar_drhd_units", err);
	if (rc)
		return rc;
	node = le64(b);
	while (node != head) {
		struct vtd_kunit *u;
		uint64_t unit = node - list_off, iommu;

		if (!node) {
			rc = vtd_fail(err, VTD_EFORMAT, "dmar_drhd_units: a next pointer is NULL "
				      "after %zu units (the list was not set up)", cnt);
			goto fail;
		}
		for (size_t i = 0; i < cnt; i++)
			if (seen[i] == node) {
				rc = vtd_fail(err, VTD_EFORMAT,
					      "dmar_drhd_units: the list loops back to unit %zu "
					      "(0x%" PRIx64 ") without reaching its head", i, node);
				goto fail;
			}
		if (cnt == MAX_UNITS) {
			rc = vtd_fail(err, VTD_EFORMAT, "dmar_drhd_units: more than %u units: not "
				      "a list the driver built", MAX_UNITS);
			goto fail;
		}
		seen[cnt] = node;
		snprintf(path, sizeof(path), "dmar_drhd_units -> dmar_drhd_unit@0x%" PRIx64, unit);
		rc = read_struct(w, S_DRHD, unit, path, err);
		if (rc)
			goto fail;
		if (cnt % 8 == 0) {
			struct vtd_kunit *nv = realloc(v, (cnt + 8) * sizeof(*v));

			if (!nv) {
				rc = vtd_fail(err, VTD_ENOMEM, "out of memory");
				goto fail;
			}
			v = nv;
		}
		u = &v[cnt++];
		memset(u, 0, sizeof(*u));
		u->reg_phys = get(w, F_REGBASE);
		u->segment = (uint16_t)get(w, F_SEGMENT);
		u->ignored = (uint8_t)get(w, F_IGNORED);
		u->seq_id = -1;
		iommu = get(w, F_IOMMU);
		/* Next before the blob is reused for the unit's iommu. */
		memcpy(b, w->blob + list_off + next_off, 8);
		node = le64(b);
		if (iommu) {
			snprintf(path, sizeof(path), "dmar_drhd_units -> dmar_drhd_unit@0x%" PRIx64
				 " -> iommu", unit);
			rc = read_iommu(w, iommu, u, path, err);
			if (rc)
				goto fail;
		}
	}
	*out = v;
	*n = cnt;
	return 0;
fail:
	free(v);
	return rc;
}

int vtd_kernel_units(struct vtd_mem *m, const struct vtd_kernel_opts *o,
		     struct vtd_kunit **out, size_t *n, struct vtd_kernel_map *map,
		     struct vtd_error *err)
{
	const char *vi = m ? vtd_mem_vmcoreinfo(m) : NULL;
	struct btf *b = NULL;
	struct walk w;
	uint64_t pb;
	int rc;

	*out = NULL;
	*n = 0;
	if (!m || !o)
		return vtd_fail(err, VTD_EINVAL, "no memory source");
	memset(&w, 0, sizeof(w));
	w.m = m;
	if (o->symbols)
		rc = vtd__ksyms_read(o->symbols, &w.ks, err);
	else if (!vi || !vtd__vmci_get(vi, "NUMBER(phys_base)", 10, &pb))
		rc = vtd_fail(err, VTD_ENOTFOUND, "the source has no VMCOREINFO to find the "
			      "kernel's symbols by: give its symbol table (/proc/kallsyms)");
	else
		rc = vtd__ksyms_from_memory(m, vi, pb, &w.ks, err);
	if (!rc && !w.ks.found[VTD_KS_DRHD_UNITS])
		rc = vtd_fail(err, VTD_EFORMAT,
			      "%s%s%s has no symbol dmar_drhd_units (a kernel without the "
			      "intel-iommu driver, or module symbols only?)",
			      o->symbols ? "'" : "", o->symbols ? o->symbols : "the kernel's kallsyms",
			      o->symbols ? "'" : "");
	if (!rc)
		rc = vtd__kvirt_place(m, &w.ks, &w.v, err);
	/* The BTF in the image needs the image placed first. */
	if (!rc)
		rc = o->btf ? vtd__kbtf_open(o->btf, &b, err)
			    : vtd__kbtf_from_memory(m, &w.v, &w.ks, &b, err);
	if (!rc)
		rc = load_layout(&w, b, err);
	btf__free(b);
	if (!rc)
		rc = read_int(&w, VTD_KS_SM, err, &w.sm);
	if (!rc) {
		rc = read_int(&w, VTD_KS_EIM, err, &w.eim);
		if (!rc && w.eim < 0)
			rc = read_int(&w, VTD_KS_X2APIC, err, &w.eim);
	}
	if (!rc)
		rc = walk_list(&w, w.ks.addr[VTD_KS_DRHD_UNITS] + w.v.map.kaslr, out, n, err);
	if (!rc && map)
		*map = w.v.map;
	free(w.blob);
	return rc;
}
