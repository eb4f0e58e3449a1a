/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtd-compile -- the map output: what each table page holds (formats/compile-map.md) */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "cli.h"
#include "emit.h"

static const char *domain_name(const struct vtd_plan *p, int i)
{
	return i >= 0 && (size_t)i < p->ndomains && p->domains[i].name ? p->domains[i].name : NULL;
}

static struct json_object *page_json(const struct vtd_plan *p, const struct vtd_bpage *pg)
{
	struct json_object *o = json_object_new_object();
	const char *dn;
	char bdf[8];

	if (!o)
		return NULL;
	json_object_object_add(o, "pa", cli_json_hex(pg->pa));
	json_object_object_add(o, "kind", json_object_new_string(emit_page_kind(pg->kind)));
	switch (pg->kind) {
	case VTD_PG_CONTEXT:
		json_object_object_add(o, "bus", json_object_new_int(pg->bus));
		if (p->scalable)
			json_object_object_add(o, "upper", json_object_new_boolean(pg->upper));
		break;
	case VTD_PG_PASID_DIR:
	case VTD_PG_PASID_TABLE:
		if (pg->device >= 0 && (size_t)pg->device < p->ndevices)
			json_object_object_add(
				o, "device",
				json_object_new_string(emit_bdf(p->devices[pg->device].sid, bdf)));
		if (pg->kind == VTD_PG_PASID_TABLE)
			json_object_object_add(o, "pasid", json_object_new_int64(pg->pasid));
		break;
	case VTD_PG_SS:
	case VTD_PG_FS:
		json_object_object_add(o, "level", json_object_new_int(pg->level));
		if ((dn = domain_name(p, pg->domain)))
			json_object_object_add(o, "domain", json_object_new_string(dn));
		json_object_object_add(o, "iova", cli_json_hex(pg->iova));
		break;
	default:
		break;
	}
	json_object_object_add(o, "shared", json_object_new_int64(pg->shared));
	return o;
}

static const char *dev_kind(const struct vtd_bdevice *d)
{
	switch (d->kind) {
	case VTD_BDEV_PASSTHROUGH:
		return "passthrough";
	case VTD_BDEV_BLOCKED:
		return "blocked";
	default:
		return "translate";
	}
}

struct json_object *emit_map_json(const struct vtd_plan *p, const struct vtd_image *img)
{
	struct json_object *m = json_object_new_object(), *a, *o;

	if (!m)
		return NULL;
	json_object_object_add(m, "mode", json_object_new_string(p->scalable ? "scalable" : "legacy"));
	json_object_object_add(m, "base", cli_json_hex(img->base));
	json_object_object_add(m, "size", cli_json_hex(img->size));
	json_object_object_add(m, "region_size", cli_json_hex(p->size));
	json_object_object_add(m, "rtaddr", cli_json_hex(img->rtaddr));
	json_object_object_add(m, "irta", cli_json_hex(img->irta));
	json_object_object_add(m, "pages_used", json_object_new_int64((int64_t)img->npages));
	json_object_object_add(m, "pages_min", json_object_new_int64((int64_t)img->min_pages));

	a = json_object_new_array();
	for (size_t i = 0; i < p->ndomains; i++) {
		const struct vtd_bdomain *d = &p->domains[i];

		o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string(d->name ? d->name : ""));
		json_object_object_add(o, "stage", json_object_new_string(
							   d->stage == VTD_STAGE_FIRST ? "first" : "second"));
		if (d->stage != VTD_STAGE_FIRST)
			json_object_object_add(o, "did", json_object_new_int(d->did));
		json_object_object_add(o, "levels", json_object_new_int((int)d->levels));
		json_object_object_add(o, "maps", json_object_new_int64((int64_t)d->nmaps));
		if (img->domain_top && img->domain_top[i])
			json_object_object_add(o, "top", cli_json_hex(img->domain_top[i]));
		json_object_array_add(a, o);
	}
	json_object_object_add(m, "domains", a);

	a = json_object_new_array();
	for (size_t i = 0; i < p->ndevices; i++) {
		const struct vtd_bdevice *d = &p->devices[i];
		const char *dn = d->kind == VTD_BDEV_TRANSLATE ? domain_name(p, d->domain) : NULL;
		char bdf[8];

		o = json_object_new_object();
		json_object_object_add(o, "bdf", json_object_new_string(emit_bdf(d->sid, bdf)));
		json_object_object_add(o, "kind", json_object_new_string(dev_kind(d)));
		if (dn)
			json_object_object_add(o, "domain", json_object_new_string(dn));
		if (d->npasids)
			json_object_object_add(o, "pasids", json_object_new_int64((int64_t)d->npasids));
		json_object_array_add(a, o);
	}
	json_object_object_add(m, "devices", a);

	a = json_object_new_array();
	for (size_t i = 0; i < img->npages; i++)
		json_object_array_add(a, page_json(p, &img->pages[i]));
	json_object_object_add(m, "pages", a);
	return m;
}

int emit_map(FILE *f, const struct vtd_plan *p, const struct vtd_image *img,
	     const struct emit_opts *o, struct vtd_error *err)
{
	struct json_object *m = emit_map_json(p, img);
	const char *s;

	(void)o;
	if (!m)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	s = json_object_to_json_string_ext(m, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
						      JSON_C_TO_STRING_NOSLASHESCAPE);
	fputs(s, f);
	fputc('\n', f);
	json_object_put(m);
	if (fflush(f) || ferror(f))
		return vtd_fail(err, VTD_EIO, "write failed: %s", strerror(errno));
	return 0;
}
