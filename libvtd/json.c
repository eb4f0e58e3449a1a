/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- structures to and from JSON, driven by the descriptor tables */
#include "json.h"

#include <stdio.h>
#include <string.h>

#include "text.h"

/* Integers beyond 2^53 lose precision in most JSON readers: give them as strings. */
#define JSON_SAFE_INT (1ULL << 53)

static struct json_object *json_hex(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	return json_object_new_string(buf);
}

static struct json_object *json_formatted(const struct vtd_field *f, uint64_t raw)
{
	struct vtd_sbuf sb = VTD_SBUF_INIT;
	struct json_object *o;

	vtd_field_format(f, raw, &sb);
	o = sb.oom ? NULL : json_object_new_string(vtd_sbuf_str(&sb));
	vtd_sbuf_release(&sb);
	return o;
}

struct json_object *vtd_json_field(const struct vtd_field *f, uint64_t raw, unsigned flags)
{
	const struct vtd_value *v;
	struct json_object *a;
	uint64_t value;
	unsigned bit;

	(void)flags;
	switch (f->kind) {
	case VTD_FLAG:
		return json_object_new_boolean(raw != 0);
	case VTD_UINT:
		return raw < JSON_SAFE_INT ? json_object_new_int64((int64_t)raw) : json_hex(raw);
	case VTD_ENUM:
		v = vtd_enum_lookup(f, raw);
		return v ? json_object_new_string(v->name) : json_object_new_int64((int64_t)raw);
	case VTD_CODED:
		value = vtd_field_value(f, raw);
		if (value < JSON_SAFE_INT)
			return json_object_new_int64((int64_t)value);
		return json_formatted(f, raw);
	case VTD_BITSET:
		a = json_object_new_array();
		for (bit = 0; a && bit < f->width; bit++) {
			if (!(raw & (1ULL << bit)))
				continue;
			v = vtd_enum_lookup(f, bit);
			if (v) {
				json_object_array_add(a, json_object_new_string(v->name));
			} else {
				char name[16];

				snprintf(name, sizeof(name), "bit%u", bit);
				json_object_array_add(a, json_object_new_string(name));
			}
		}
		return a;
	case VTD_STR:
		return json_formatted(f, raw);
	default: /* HEX, ADDR, IGN */
		return json_hex(vtd_field_value(f, raw));
	}
}

static int has_raw_form(const struct vtd_field *f)
{
	return f->kind == VTD_ENUM || f->kind == VTD_CODED || f->kind == VTD_BITSET;
}

struct json_object *vtd_json_from_bytes(const struct vtd_layout *l, const uint8_t *buf,
					size_t len, unsigned flags)
{
	struct json_object *o = json_object_new_object(), *rsvd = NULL;
	struct vtd_rsvd_run runs[64];
	unsigned i, nruns;

	if (!o)
		return NULL;
	for (i = 0; i < l->nfields; i++) {
		const struct vtd_field *f = &l->fields[i];
		uint64_t raw;

		if (!vtd_field_in(f, len))
			continue;
		raw = vtd_field_raw(f, buf);
		json_object_object_add(o, f->key, vtd_json_field(f, raw, flags));
		if ((flags & VTD_JSON_RAW) && has_raw_form(f)) {
			char key[64];

			snprintf(key, sizeof(key), "%s_raw", f->key);
			json_object_object_add(o, key, json_object_new_int64((int64_t)raw));
		}
	}
	nruns = vtd_layout_rsvd_runs(l, len, runs, VTD_NELEM(runs));
	for (i = 0; i < nruns && i < VTD_NELEM(runs); i++) {
		uint64_t v = vtd_bits_get(buf, runs[i].lsb, runs[i].width);
		char key[16];

		if (!v)
			continue;
		if (!rsvd) {
			rsvd = json_object_new_object();
			json_object_object_add(o, "rsvd", rsvd);
		}
		snprintf(key, sizeof(key), "%u:%u", runs[i].lsb + runs[i].width - 1, runs[i].lsb);
		json_object_object_add(rsvd, key, json_hex(v));
	}
	return o;
}

/* ---- JSON to bytes ------------------------------------------------------------ */

static int json_number(struct json_object *v, uint64_t *out)
{
	int64_t n;

	if (json_object_get_type(v) != json_type_int)
		return -1;
	/* json-c keeps integers above INT64_MAX as uint64. */
	n = json_object_get_int64(v);
	if (n < 0)
		return -1;
	if (n == INT64_MAX)
		*out = json_object_get_uint64(v);
	else
		*out = (uint64_t)n;
	return 0;
}

int vtd_json_field_raw(const struct vtd_field *f, struct json_object *v, uint64_t *raw,
		       struct vtd_error *err)
{
	uint64_t num;
	size_t i, n;

	switch (json_object_get_type(v)) {
	case json_type_boolean:
		if (f->kind != VTD_FLAG)
			return vtd_fail(err, VTD_EFORMAT, "%s: expected %s, got a boolean", f->name,
					"a number or a name");
		*raw = json_object_get_boolean(v) ? 1 : 0;
		return 0;
	case json_type_int:
		if (json_number(v, &num))
			return vtd_fail(err, VTD_ERANGE, "%s: negative value", f->name);
		if (f->kind == VTD_ENUM || f->kind == VTD_FLAG || f->kind == VTD_BITSET ||
		    f->kind == VTD_STR) {
			if (f->width < 64 && (num >> f->width))
				return vtd_fail(err, VTD_ERANGE, "%s: %llu does not fit %u bits",
						f->name, (unsigned long long)num, f->width);
			*raw = num;
			return 0;
		}
		return vtd_field_raw_of(f, num, raw, err);
	case json_type_string:
		return vtd_field_parse(f, json_object_get_string(v), raw, err);
	case json_type_array:
		if (f->kind != VTD_BITSET)
			return vtd_fail(err, VTD_EFORMAT, "%s: a list is only valid for bit sets",
					f->name);
		*raw = 0;
		n = json_object_array_length(v);
		for (i = 0; i < n; i++) {
			struct json_object *e = json_object_array_get_idx(v, i);
			const struct vtd_value *val;
			uint64_t bit;

			if (json_object_get_type(e) == json_type_int) {
				if (json_number(e, &bit) || bit >= f->width)
					return vtd_fail(err, VTD_ERANGE, "%s: no bit %lld", f->name,
							(long long)json_object_get_int64(e));
			} else if (json_object_get_type(e) == json_type_string) {
				const char *s = json_object_get_string(e);

				val = vtd_value_find(f, s);
				if (val)
					bit = val->raw;
				else if (!strncmp(s, "bit", 3) && !vtd_parse_u64(s + 3, &bit) &&
					 bit < f->width)
					;
				else
					return vtd_fail(err, VTD_ENOTFOUND, "%s: unknown name '%s'",
							f->name, s);
			} else {
				return vtd_fail(err, VTD_EFORMAT, "%s: list items are names or bit numbers",
						f->name);
			}
			*raw |= 1ULL << bit;
		}
		return 0;
	default:
		return vtd_fail(err, VTD_EFORMAT, "%s: expected a number, string or boolean",
				f->name);
	}
}

/* "hi:lo" or "bit" naming reserved bits only. */
static int put_rsvd(const struct vtd_layout *l, uint8_t *buf, const char *key,
		    struct json_object *v, struct vtd_error *err)
{
	unsigned hi, lo, n, i;
	uint8_t mask[512];
	uint64_t val;
	char tail;

	n = (unsigned)sscanf(key, "%u:%u%c", &hi, &lo, &tail);
	if (n == 1)
		lo = hi;
	if ((n != 1 && n != 2) || hi < lo || hi - lo >= 64 || hi >= l->size * 8u)
		return vtd_fail(err, VTD_EFORMAT, "bad reserved bit range '%s'", key);
	vtd_layout_rsvd_mask(l, l->size, mask);
	for (i = lo; i <= hi; i++)
		if (!(mask[i / 8] & (1u << (i % 8))))
			return vtd_fail(err, VTD_EFORMAT, "bit %u in '%s' is not reserved", i, key);
	if (json_object_get_type(v) == json_type_string) {
		if (vtd_parse_u64(json_object_get_string(v), &val))
			return vtd_fail(err, VTD_EFORMAT, "reserved bits '%s': not a number", key);
	} else if (json_number(v, &val)) {
		return vtd_fail(err, VTD_EFORMAT, "reserved bits '%s': not a number", key);
	}
	if (hi - lo < 63 && (val >> (hi - lo + 1)))
		return vtd_fail(err, VTD_ERANGE, "reserved bits '%s': 0x%llx does not fit", key,
				(unsigned long long)val);
	vtd_bits_set(buf, lo, hi - lo + 1, val);
	return 0;
}

static int where_fail(struct vtd_error *err, int rc, const char *path, const char *key)
{
	vtd_error_where(err, "%s.%s", path ? path : "$", key);
	return rc;
}

int vtd_json_to_bytes(const struct vtd_layout *l, struct json_object *obj, uint8_t *buf,
		      size_t *len, const char *path, struct vtd_error *err)
{
	size_t min = l->min_size ? l->min_size : l->size;
	int wide = 0, rc;
	unsigned i;

	if (!json_object_is_type(obj, json_type_object)) {
		vtd_error_where(err, "%s", path ? path : "$");
		return vtd_fail(err, VTD_EFORMAT, "%s: expected a JSON object", l->name);
	}
	memset(buf, 0, l->size);
	for (i = 0; i < l->nfields; i++)
		if (l->fields[i].flags & VTD_FF_FIXED)
			vtd_bits_set(buf, l->fields[i].lsb, l->fields[i].width, l->fields[i].fixed);

	json_object_object_foreach(obj, key, val) {
		const struct vtd_field *f;
		uint64_t raw;
		size_t klen = strlen(key);

		if (!strcmp(key, "rsvd")) {
			if (!json_object_is_type(val, json_type_object))
				return where_fail(err, vtd_fail(err, VTD_EFORMAT,
						  "'rsvd' must be an object"), path, key);
			json_object_object_foreach(val, rkey, rval) {
				rc = put_rsvd(l, buf, rkey, rval, err);
				if (rc) {
					vtd_error_where(err, "%s.rsvd.%s", path ? path : "$", rkey);
					return rc;
				}
			}
			continue;
		}
		/* "<key>_raw" (from --raw output) must agree with the named value. */
		if (klen > 4 && !strcmp(key + klen - 4, "_raw")) {
			char base[64];

			snprintf(base, sizeof(base), "%.*s", (int)(klen - 4), key);
			f = vtd_field_find(l, base);
			if (f && has_raw_form(f)) {
				if (json_number(val, &raw))
					return where_fail(err, vtd_fail(err, VTD_EFORMAT,
							  "%s: raw value must be a number", f->name),
							  path, key);
				/* With the named value present, agreement is checked below. */
				if (!json_object_object_get_ex(obj, f->key, NULL)) {
					rc = vtd_field_set_raw(f, buf, raw, err);
					if (rc)
						return where_fail(err, rc, path, key);
				}
				if (f->lsb >= min * 8)
					wide = 1;
				continue;
			}
		}
		f = vtd_field_find(l, key);
		if (!f)
			return where_fail(err, vtd_fail(err, VTD_ENOTFOUND, "%s has no field '%s'",
							l->name, key), path, key);
		rc = vtd_json_field_raw(f, val, &raw, err);
		if (!rc)
			rc = vtd_field_set_raw(f, buf, raw, err);
		if (rc)
			return where_fail(err, rc, path, key);
		if (f->lsb >= min * 8)
			wide = 1;
	}
	json_object_object_foreach(obj, rkey, rval) {
		size_t klen = strlen(rkey);
		const struct vtd_field *f;
		char base[64];
		uint64_t raw;

		if (klen <= 4 || strcmp(rkey + klen - 4, "_raw"))
			continue;
		snprintf(base, sizeof(base), "%.*s", (int)(klen - 4), rkey);
		f = vtd_field_find(l, base);
		if (f && json_object_object_get_ex(obj, f->key, NULL) && !json_number(rval, &raw) &&
		    vtd_field_raw(f, buf) != raw)
			return where_fail(err, vtd_fail(err, VTD_EFORMAT,
					  "%s: raw value %llu disagrees with '%s'", f->name,
					  (unsigned long long)raw, f->key), path, rkey);
	}
	if (!wide && min < l->size) {
		for (i = (unsigned)min; i < l->size; i++)
			if (buf[i])
				wide = 1;
	}
	*len = wide ? l->size : min;
	return 0;
}
