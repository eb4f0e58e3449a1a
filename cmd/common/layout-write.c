/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtdkit tools -- a plan back to a layout (vtd-compile --decompile, vtd-dump
 * --layout): the document that vtd-compile's layout_read() turns into the
 * same plan.  Regular runs of mappings come out in the compact form (count,
 * stride, pa_stride), runs of devices with the same settings as BDF ranges
 * or whole buses.
 */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "layout-write.h"
#include "script.h"
#include "tables.h"

static struct json_object *sizenum(uint64_t v)
{
	static const char suf[] = "TGMK";
	char b[32];
	unsigned i;

	for (i = 0; i < 4; i++) {
		unsigned sh = 40 - 10 * i;

		if (v && !(v & ((1ull << sh) - 1))) {
			snprintf(b, sizeof(b), "%llu%c", (unsigned long long)(v >> sh), suf[i]);
			return json_object_new_string(b);
		}
	}
	return cli_json_hex(v);
}

static void add(struct json_object *o, const char *k, struct json_object *v)
{
	json_object_object_add(o, k, v);
}

/* A raw list as the "raw" object; NULL when empty. */
static struct json_object *raw_obj(const struct vtd_braw *v, size_t n)
{
	struct json_object *o, *rsvd = NULL;
	size_t i;

	if (!n)
		return NULL;
	o = json_object_new_object();
	for (i = 0; i < n; i++) {
		if (v[i].f) {
			add(o, v[i].f->key, vtd_json_field(v[i].f, v[i].raw, 0));
		} else {
			char k[24];

			if (!rsvd)
				rsvd = json_object_new_object();
			snprintf(k, sizeof(k), "%u:%u", v[i].lsb + v[i].width - 1u, v[i].lsb);
			add(rsvd, k, cli_json_hex(v[i].raw));
		}
	}
	if (rsvd)
		add(o, "rsvd", rsvd);
	return o;
}

static int same_raw(const struct vtd_braw *a, size_t na, const struct vtd_braw *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (a[i].f != b[i].f || a[i].lsb != b[i].lsb || a[i].width != b[i].width ||
		    a[i].raw != b[i].raw)
			return 0;
	return 1;
}

static int same_attrs(const struct vtd_bmap *a, const struct vtd_bmap *b)
{
	return a->size == b->size && a->perm == b->perm && a->snoop == b->snoop &&
	       a->user == b->user && a->page == b->page &&
	       same_raw(a->raw, a->nraw, b->raw, b->nraw);
}

static struct json_object *map_obj(const struct vtd_bmap *m, size_t count, uint64_t stride,
				   uint64_t pa_stride, int *any_raw)
{
	struct json_object *o = json_object_new_object(), *r;
	char perm[4], *pp = perm;

	if (m->iova == m->pa && (count == 1 || stride == pa_stride)) {
		add(o, "identity", cli_json_hex(m->iova));
	} else {
		add(o, "iova", cli_json_hex(m->iova));
		add(o, "pa", cli_json_hex(m->pa));
	}
	add(o, "size", sizenum(m->size));
	if (m->perm & VTD_ACC_R)
		*pp++ = 'r';
	if (m->perm & VTD_ACC_W)
		*pp++ = 'w';
	if (m->perm & VTD_ACC_X)
		*pp++ = 'x';
	*pp = '\0';
	add(o, "perm", json_object_new_string(perm));
	if (m->snoop)
		add(o, "snoop", json_object_new_boolean(1));
	if (m->user)
		add(o, "user", json_object_new_boolean(1));
	if (m->page)
		add(o, "page", sizenum(m->page));
	if (count > 1) {
		add(o, "count", json_object_new_int64((int64_t)count));
		if (stride != m->size)
			add(o, "stride", sizenum(stride));
		if (pa_stride != stride)
			add(o, "pa_stride", pa_stride ? sizenum(pa_stride) : json_object_new_int(0));
	}
	if ((r = raw_obj(m->raw, m->nraw))) {
		add(o, "raw", r);
		*any_raw = 1;
	}
	return o;
}

static struct json_object *maps_arr(const struct vtd_bdomain *d, int *any_raw)
{
	struct json_object *a = json_object_new_array();
	size_t i = 0, j;

	while (i < d->nmaps) {
		const struct vtd_bmap *m = &d->maps[i];
		uint64_t stride = 0, pa_stride = 0;

		j = i + 1;
		if (j < d->nmaps && same_attrs(m, &d->maps[j]) && d->maps[j].pa >= m->pa) {
			stride = d->maps[j].iova - m->iova;
			pa_stride = d->maps[j].pa - m->pa;
			/* pa_stride 0 would alias every page: only when the plan says so. */
			while (j < d->nmaps && same_attrs(m, &d->maps[j]) &&
			       d->maps[j].iova - d->maps[j - 1].iova == stride &&
			       d->maps[j].pa - d->maps[j - 1].pa == pa_stride)
				j++;
		}
		json_object_array_add(a, map_obj(m, j - i, stride, pa_stride, any_raw));
		i = j;
	}
	return a;
}

static const char *const pgtt_names[] = { "?", "first", "second", "nested", "pt" };

static int dev_groupable(const struct vtd_bdevice *a, const struct vtd_bdevice *b)
{
	return (a->sid >> 8) == (b->sid >> 8) && b->sid == a->sid + 1 && a->kind == b->kind &&
	       a->domain == b->domain && a->devtlb == b->devtlb && a->rid_pasid == b->rid_pasid &&
	       a->pdts == b->pdts && a->pdts_auto == b->pdts_auto && !a->npasids && !b->npasids &&
	       !a->nraw && !b->nraw;
}

static struct json_object *dev_obj(const struct vtd_plan *p, const struct vtd_bdevice *d,
				   const struct vtd_bdevice *last, char **names, int *any_raw)
{
	struct json_object *o = json_object_new_object(), *r;
	char b1[16], b2[16], bdf[40];
	size_t i;

	if (d->sid == last->sid) {
		add(o, "bdf", json_object_new_string(script_bdf_str(d->sid, b1)));
	} else if ((d->sid & 0xff) == 0 && (last->sid & 0xff) == 0xff) {
		snprintf(bdf, sizeof(bdf), "0x%02x", d->sid >> 8);
		add(o, "bus", json_object_new_string(bdf));
	} else {
		snprintf(bdf, sizeof(bdf), "%s-%s", script_bdf_str(d->sid, b1),
			 script_bdf_str(last->sid, b2));
		add(o, "bdf", json_object_new_string(bdf));
	}
	if (d->kind == VTD_BDEV_PASSTHROUGH)
		add(o, "passthrough", json_object_new_boolean(1));
	else if (d->kind == VTD_BDEV_BLOCKED)
		add(o, "blocked", json_object_new_boolean(1));
	else if (d->domain >= 0 && (size_t)d->domain < p->ndomains)
		add(o, "domain", json_object_new_string(names[d->domain]));
	if (d->devtlb)
		add(o, "device_tlb", json_object_new_boolean(1));
	if (p->scalable) {
		if (d->rid_pasid)
			add(o, "rid_pasid", json_object_new_int64(d->rid_pasid));
		if (!d->pdts_auto)
			add(o, "pasid_bits", json_object_new_int((int)d->pdts + 13));
	}
	if (d->npasids) {
		struct json_object *a = json_object_new_array();

		for (i = 0; i < d->npasids; i++) {
			const struct vtd_bpasid *x = &d->pasids[i];
			struct json_object *e = json_object_new_object();

			add(e, "pasid", json_object_new_int64(x->pasid));
			add(e, "pgtt", json_object_new_string(x->pgtt <= 4 ? pgtt_names[x->pgtt] : "?"));
			if (x->ss_domain >= 0 && (size_t)x->ss_domain < p->ndomains)
				add(e, "ss_domain", json_object_new_string(names[x->ss_domain]));
			if (x->fs_domain >= 0 && (size_t)x->fs_domain < p->ndomains)
				add(e, "fs_domain", json_object_new_string(names[x->fs_domain]));
			if (x->pgtt == VTD_PGTT_FIRST || x->pgtt == VTD_PGTT_PT)
				add(e, "did", json_object_new_int(x->did));
			if (x->sre)
				add(e, "sre", json_object_new_boolean(1));
			if (x->ere)
				add(e, "ere", json_object_new_boolean(1));
			if ((r = raw_obj(x->raw, x->nraw))) {
				add(e, "raw", r);
				*any_raw = 1;
			}
			json_object_array_add(a, e);
		}
		add(o, "pasids", a);
	}
	if ((r = raw_obj(d->raw, d->nraw))) {
		add(o, "raw", r);
		*any_raw = 1;
	}
	return o;
}

static struct json_object *irte_obj(const struct vtd_birte *e, int *any_raw)
{
	const struct vtd_layout *l = &vtd_l_irte_remapped;
	struct json_object *full = vtd_json_from_bytes(l, e->bytes, sizeof(e->bytes), 0);
	struct json_object *o = json_object_new_object(), *v;
	unsigned i;

	add(o, "index", json_object_new_int64(e->index));
	if (!full)
		return o;
	/* Only what is set (P defaults to true). */
	for (i = 0; i < l->nfields; i++) {
		const struct vtd_field *f = &l->fields[i];
		uint64_t raw = vtd_field_raw(f, e->bytes);

		if (!json_object_object_get_ex(full, f->key, &v))
			continue;
		if ((f->flags & VTD_FF_FIXED) && raw == f->fixed)
			continue;
		if (!strcmp(f->key, "p") ? raw == 1 : raw == 0)
			continue;
		add(o, f->key, json_object_get(v));
	}
	if (json_object_object_get_ex(full, "rsvd", &v)) {
		add(o, "rsvd", json_object_get(v));
		*any_raw = 1;
	}
	json_object_put(full);
	return o;
}

/* Raw fields anywhere, or reserved bits in an IRTE: the layout needs allow_raw. */
static int plan_has_raw(const struct vtd_plan *p)
{
	const struct vtd_layout *l = &vtd_l_irte_remapped;
	uint8_t mask[16];
	size_t i, j;

	for (i = 0; i < p->ndomains; i++)
		for (j = 0; j < p->domains[i].nmaps; j++)
			if (p->domains[i].maps[j].nraw)
				return 1;
	for (i = 0; i < p->ndevices; i++) {
		if (p->devices[i].nraw)
			return 1;
		for (j = 0; j < p->devices[i].npasids; j++)
			if (p->devices[i].pasids[j].nraw)
				return 1;
	}
	vtd_layout_rsvd_mask(l, l->size, mask);
	for (i = 0; i < p->nirtes; i++)
		for (j = 0; j < 16; j++)
			if (p->irtes[i].bytes[j] & mask[j])
				return 1;
	return 0;
}

/* Unique names for the domains: the plan's, else "d<DID>" or "fs<N>". */
static char **domain_names(const struct vtd_plan *p)
{
	char **n = calloc(p->ndomains ? p->ndomains : 1, sizeof(*n));
	size_t i, j;

	if (!n)
		return NULL;
	for (i = 0; i < p->ndomains; i++) {
		const struct vtd_bdomain *d = &p->domains[i];
		char b[64];
		unsigned k = 1;

		if (d->name && *d->name)
			snprintf(b, sizeof(b), "%s", d->name);
		else if (d->stage == VTD_STAGE_SECOND)
			snprintf(b, sizeof(b), "d%u", d->did);
		else
			snprintf(b, sizeof(b), "fs%zu", i);
		for (;;) {
			char t[80];

			if (k == 1)
				snprintf(t, sizeof(t), "%s", b);
			else
				snprintf(t, sizeof(t), "%s-%u", b, k);
			for (j = 0; j < i && strcmp(n[j], t); j++)
				;
			if (j == i) {
				n[i] = strdup(d->name && *d->name && k == 1 ? d->name : t);
				break;
			}
			k++;
		}
		if (!n[i]) {
			while (i--)
				free(n[i]);
			free(n);
			return NULL;
		}
	}
	return n;
}

struct json_object *layout_write(const struct vtd_plan *p, const char *profile_name)
{
	const struct vtd_profile *pr = profile_name ? vtd_profile_find(profile_name) : NULL;
	struct json_object *o = json_object_new_object(), *v, *a;
	char **names = domain_names(p);
	int any_raw = 0;
	size_t i, j;

	if (!o || !names) {
		json_object_put(o);
		free(names);
		return NULL;
	}
	add(o, "vtd_layout", json_object_new_int(1));
	if (pr && pr->cap == p->cap && pr->ecap == p->ecap && pr->haw == p->haw) {
		add(o, "profile", json_object_new_string(pr->name));
	} else {
		v = json_object_new_object();
		add(v, "base", json_object_new_string(pr ? pr->name : vtd_profile_at(0)->name));
		add(v, "cap", cli_json_hex(p->cap));
		add(v, "ecap", cli_json_hex(p->ecap));
		add(v, "haw", json_object_new_int((int)p->haw));
		add(o, "profile", v);
	}
	add(o, "mode", json_object_new_string(p->scalable ? "scalable" : "legacy"));
	v = json_object_new_object();
	add(v, "base", cli_json_hex(p->base));
	add(v, "size", sizenum(p->size));
	if (p->nexclude) {
		a = json_object_new_array();
		for (i = 0; i < p->nexclude; i++) {
			struct json_object *e = json_object_new_object();

			add(e, "base", cli_json_hex(p->exclude[i].base));
			add(e, "size", sizenum(p->exclude[i].size));
			json_object_array_add(a, e);
		}
		add(v, "exclude", a);
	}
	add(o, "placement", v);
	if (p->dedup)
		add(o, "dedup", json_object_new_boolean(1));
	if (plan_has_raw(p))
		add(o, "allow_raw", json_object_new_boolean(1));
	v = json_object_new_object();
	for (i = 0; i < p->ndomains; i++) {
		const struct vtd_bdomain *d = &p->domains[i];
		struct json_object *dv = json_object_new_object();

		if (d->stage == VTD_STAGE_FIRST)
			add(dv, "stage", json_object_new_string("first"));
		if (d->stage == VTD_STAGE_SECOND || d->did)
			add(dv, "did", json_object_new_int(d->did));
		if (d->levels)
			add(dv, "levels", json_object_new_int((int)d->levels));
		add(dv, "map", maps_arr(d, &any_raw));
		add(v, names[i], dv);
	}
	add(o, "domains", v);
	a = json_object_new_array();
	for (i = 0; i < p->ndevices; i = j) {
		for (j = i + 1; j < p->ndevices && dev_groupable(&p->devices[j - 1], &p->devices[j]);
		     j++)
			;
		/* A range that is not a whole bus stays within what one BDF range says. */
		json_object_array_add(a, dev_obj(p, &p->devices[i], &p->devices[j - 1], names,
						 &any_raw));
	}
	add(o, "devices", a);
	if (p->nirtes) {
		v = json_object_new_object();
		if (p->irt_size_auto)
			add(v, "size", json_object_new_string("auto"));
		else
			add(v, "size", json_object_new_int64(2ll << p->irt_size_log2));
		if (p->irt_eime)
			add(v, "x2apic", json_object_new_boolean(1));
		a = json_object_new_array();
		for (i = 0; i < p->nirtes; i++)
			json_object_array_add(a, irte_obj(&p->irtes[i], &any_raw));
		add(v, "entries", a);
		add(o, "interrupt_remapping", v);
	}
	(void)any_raw;	/* plan_has_raw() said so above */
	for (i = 0; i < p->ndomains; i++)
		free(names[i]);
	free(names);
	return o;
}

/* ---- printing: small objects on one line ------------------------------------------ */

static void print_v(FILE *f, struct json_object *v, unsigned ind)
{
	const char *flat = json_object_to_json_string_ext(v, JSON_C_TO_STRING_SPACED |
							  JSON_C_TO_STRING_NOSLASHESCAPE);
	int is_obj = json_object_is_type(v, json_type_object);
	size_t i, n;

	if ((!is_obj && !json_object_is_type(v, json_type_array)) || strlen(flat) + ind <= 100) {
		/* json-c's spaced form: { "a": 1 }; keep it, it reads well. */
		fputs(flat, f);
		return;
	}
	if (is_obj) {
		int first = 1;

		fputs("{\n", f);
		json_object_object_foreach(v, k, val) {
			struct json_object *ks = json_object_new_string(k);

			fprintf(f, "%s%*s%s: ", first ? "" : ",\n", (int)ind + 2, "",
				json_object_to_json_string_ext(ks, JSON_C_TO_STRING_NOSLASHESCAPE));
			json_object_put(ks);
			print_v(f, val, ind + 2);
			first = 0;
		}
		fprintf(f, "\n%*s}", (int)ind, "");
		return;
	}
	n = json_object_array_length(v);
	fputs("[\n", f);
	for (i = 0; i < n; i++) {
		fprintf(f, "%*s", (int)ind + 2, "");
		print_v(f, json_object_array_get_idx(v, i), ind + 2);
		fputs(i + 1 < n ? ",\n" : "\n", f);
	}
	fprintf(f, "%*s]", (int)ind, "");
}

void layout_print(FILE *f, struct json_object *o)
{
	print_v(f, o, 0);
	fputc('\n', f);
}
