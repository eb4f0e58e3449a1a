/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-compile -- a layout document (formats/layout.md) to a plan.  Every
 * problem is noted with the JSON pointer of the value at fault and reading
 * goes on, so that one run reports them all.  Each plan element's 'where'
 * is its pointer: problems the library finds later point there too.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "json.h"
#include "script.h"
#include "tables.h"
#include "text.h"

/* The most mappings (after count expansion) a layout may make. */
size_t layout_max_maps = (size_t)1 << 24;

struct rd {
	struct cdiags *d;
	struct vtd_plan *p;
	int allow_raw;
	int scalable;
	const char **dnames;	/* domain names, by index */
	size_t ndnames;
	size_t nmaps;		/* all domains' mappings so far */
	int oom;
};

#define FAIL(r, ptr, ...) cdiag_add((r)->d, (ptr), __VA_ARGS__)

/* ---- pointers ------------------------------------------------------------ */

char *jptr_key(const char *base, const char *key)
{
	size_t n = strlen(base), extra = 0, i;
	char *s, *o;

	for (i = 0; key[i]; i++)
		extra += key[i] == '~' || key[i] == '/';
	if (!(s = malloc(n + 1 + i + extra + 1)))
		return NULL;
	memcpy(s, base, n);
	o = s + n;
	*o++ = '/';
	for (i = 0; key[i]; i++) {
		if (key[i] == '~' || key[i] == '/') {
			*o++ = '~';
			*o++ = key[i] == '~' ? '0' : '1';
		} else {
			*o++ = key[i];
		}
	}
	*o = '\0';
	return s;
}

char *jptr_idx(const char *base, size_t idx)
{
	size_t n = strlen(base) + 24;
	char *s = malloc(n);

	if (s)
		snprintf(s, n, "%s/%zu", base, idx);
	return s;
}

/* Scratch pointers: a small ring, so that callers need not free them. */
static const char *pk(const char *base, const char *key)
{
	static char *ring[8];
	static unsigned at;
	char *s = jptr_key(base, key);

	at = (at + 1) % 8;
	free(ring[at]);
	ring[at] = s;
	return s ? s : base;
}

static char *own(struct rd *r, const char *s)
{
	char *c = strdup(s ? s : "");

	if (!c)
		r->oom = 1;
	return c;
}

/* ---- values -------------------------------------------------------------------- */

int layout_parse_num(const char *s, uint64_t *v)
{
	size_t n = s ? strlen(s) : 0, i;
	unsigned shift = 0;
	char buf[64];
	uint64_t x;

	if (!n || n >= sizeof(buf))
		return -1;
	/* The format's numbers: hex or decimal, no "0b" (vtd_parse_u64 takes it). */
	if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		return -1;
	/* '_' only between two digits. */
	for (i = 0; i < n; i++)
		if (s[i] == '_' && (!i || !isxdigit((unsigned char)s[i - 1]) ||
				    !isxdigit((unsigned char)s[i + 1])))
			return -1;
	switch (s[n - 1]) {
	case 'K': shift = 10; break;
	case 'M': shift = 20; break;
	case 'G': shift = 30; break;
	case 'T': shift = 40; break;
	}
	if (!shift)
		return vtd_parse_u64(s, v);
	memcpy(buf, s, n - 1);
	buf[n - 1] = '\0';
	/* A size suffix goes with decimal digits only: "0x10M" is a mistake. */
	if (!isdigit((unsigned char)buf[0]) || (buf[0] == '0' && buf[1] && !isdigit((unsigned char)buf[1]) &&
						 buf[1] != '_'))
		return -1;
	if (vtd_parse_u64(buf, &x) || x > (UINT64_MAX >> shift))
		return -1;
	*v = x << shift;
	return 0;
}

static const char *type_name(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null: return "null";
	case json_type_boolean: return "a boolean";
	case json_type_double: return "a fraction";
	case json_type_int: return "an integer";
	case json_type_object: return "an object";
	case json_type_array: return "an array";
	case json_type_string: return "a string";
	}
	return "?";
}

/* A number value: 0 ok, -1 after reporting. */
static int val_num(struct rd *r, struct json_object *v, const char *ptr, uint64_t *out)
{
	if (json_object_is_type(v, json_type_int)) {
		int64_t i = json_object_get_int64(v);

		if (i < 0) {
			FAIL(r, ptr, "%lld is negative", (long long)i);
			return -1;
		}
		*out = i == INT64_MAX ? json_object_get_uint64(v) : (uint64_t)i;
		return 0;
	}
	if (json_object_is_type(v, json_type_string)) {
		if (layout_parse_num(json_object_get_string(v), out)) {
			FAIL(r, ptr, "'%s' is not a number (0x.., decimal, or a size such as 4K, 2M)",
			     json_object_get_string(v));
			return -1;
		}
		return 0;
	}
	FAIL(r, ptr, "expected a number, got %s", type_name(v));
	return -1;
}

/* A member: 0 found, 1 absent, -1 after reporting. */
static int m_num(struct rd *r, struct json_object *o, const char *key, const char *base,
		 int need, uint64_t *out)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v)) {
		if (need) {
			FAIL(r, base, "'%s' is missing", key);
			return -1;
		}
		return 1;
	}
	return val_num(r, v, pk(base, key), out) ? -1 : 0;
}

/* A number with a maximum. */
static int m_max(struct rd *r, struct json_object *o, const char *key, const char *base,
		 int need, uint64_t max, uint64_t *out)
{
	int rc = m_num(r, o, key, base, need, out);

	if (!rc && *out > max) {
		FAIL(r, pk(base, key), "%llu is beyond the largest %s, %llu",
		     (unsigned long long)*out, key, (unsigned long long)max);
		return -1;
	}
	return rc;
}

static int m_bool(struct rd *r, struct json_object *o, const char *key, const char *base,
		  int *out)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return 1;
	if (!json_object_is_type(v, json_type_boolean)) {
		FAIL(r, pk(base, key), "expected true or false, got %s", type_name(v));
		return -1;
	}
	*out = json_object_get_boolean(v);
	return 0;
}

static int m_str(struct rd *r, struct json_object *o, const char *key, const char *base,
		 const char **out)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return 1;
	if (!json_object_is_type(v, json_type_string)) {
		FAIL(r, pk(base, key), "expected a string, got %s", type_name(v));
		return -1;
	}
	*out = json_object_get_string(v);
	return 0;
}

/* A string that must be one of 'names' (NULL-terminated): its index. */
static int m_enum(struct rd *r, struct json_object *o, const char *key, const char *base,
		  const char *const *names, int *out)
{
	const char *s;
	int rc = m_str(r, o, key, base, &s), i;
	char list[200] = "";

	if (rc)
		return rc;
	for (i = 0; names[i]; i++)
		if (!strcmp(s, names[i])) {
			*out = i;
			return 0;
		}
	for (i = 0; names[i]; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? ", " : "",
			 names[i]);
	FAIL(r, pk(base, key), "'%s' is not one of %s", s, list);
	return -1;
}

static int is_object(struct rd *r, struct json_object *v, const char *ptr, const char *what)
{
	if (json_object_is_type(v, json_type_object))
		return 1;
	FAIL(r, ptr, "%s must be an object, not %s", what, type_name(v));
	return 0;
}

static int is_array(struct rd *r, struct json_object *v, const char *ptr, const char *what)
{
	if (json_object_is_type(v, json_type_array))
		return 1;
	FAIL(r, ptr, "%s must be an array, not %s", what, type_name(v));
	return 0;
}

/* Unknown members are errors: misspelt names must not pass silently. */
static void only(struct rd *r, struct json_object *o, const char *base,
		 const char *const *keys)
{
	json_object_object_foreach(o, k, v) {
		unsigned i;

		(void)v;
		for (i = 0; keys[i] && strcmp(keys[i], k); i++)
			;
		if (!keys[i])
			FAIL(r, pk(base, k), "unknown member '%s'", k);
	}
}

/* ---- raw fields ------------------------------------------------------------------- */

static int add_raw(struct rd *r, struct vtd_braw **v, size_t *n, const struct vtd_field *f,
		   unsigned lsb, unsigned width, uint64_t raw, const char *ptr)
{
	struct vtd_braw *nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (!nv) {
		r->oom = 1;
		return -1;
	}
	*v = nv;
	nv[*n] = (struct vtd_braw){ .f = f, .lsb = (uint16_t)lsb, .width = (uint16_t)width,
				    .raw = raw, .where = own(r, ptr) };
	(*n)++;
	return 0;
}

static void free_raws(struct vtd_braw *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free((char *)v[i].where);
	free(v);
}

/*
 * "raw": fields of 'l' by key, and "rsvd": {"HI:LO": N} for reserved bits.
 * 'gate' 0: no allow_raw needed (IRTE fields are the entry itself).
 */
static void read_fields(struct rd *r, struct json_object *o, const char *ptr,
			const struct vtd_layout *l, int rsvd_needs_allow, struct vtd_braw **out,
			size_t *nout)
{
	uint8_t mask[64];

	if (!is_object(r, o, ptr, "raw"))
		return;
	vtd_layout_rsvd_mask(l, l->size, mask);
	json_object_object_foreach(o, k, v) {
		const char *kp = pk(ptr, k);

		if (!strcmp(k, "rsvd")) {
			if (rsvd_needs_allow && !r->allow_raw) {
				FAIL(r, kp, "reserved bits need \"allow_raw\": true");
				continue;
			}
			if (!is_object(r, v, kp, "rsvd"))
				continue;
			json_object_object_foreach(v, rk, rv) {
				char *kbuf = jptr_key(ptr, "rsvd");
				const char *rp = kbuf ? pk(kbuf, rk) : ptr;

				free(kbuf);
				unsigned hi, lo, b;
				int end = 0;
				uint64_t raw;

				if (sscanf(rk, "%u:%u%n", &hi, &lo, &end) != 2 &&
				    sscanf(rk, "%u%n", &hi, &end) == 1)
					lo = hi;	/* "BIT": one bit */
				else if (sscanf(rk, "%u:%u%n", &hi, &lo, &end) != 2)
					end = 0, hi = 0, lo = 1;
				if (!isdigit((unsigned char)rk[0]) || rk[end] || hi < lo ||
				    hi >= l->size * 8u || hi - lo >= 64) {
					FAIL(r, rp, "'%s' is not a bit range HI:LO or a bit of %s (%u bits, at "
						 "most 64 at a time)", rk, l->name, l->size * 8u);
					continue;
				}
				for (b = lo; b <= hi && (mask[b / 8] >> (b % 8) & 1); b++)
					;
				if (b <= hi) {
					FAIL(r, rp, "bit %u of %s is not reserved: give its field "
						 "by name", b, l->name);
					continue;
				}
				if (val_num(r, rv, rp, &raw))
					continue;
				if (hi - lo < 63 && raw >> (hi - lo + 1)) {
					FAIL(r, rp, "0x%llx does not fit bits %u:%u",
					     (unsigned long long)raw, hi, lo);
					continue;
				}
				add_raw(r, out, nout, NULL, lo, hi - lo + 1, raw, rp);
			}
			continue;
		}
		const struct vtd_field *f = vtd_field_find(l, k);
		struct vtd_error e = { 0 };
		uint64_t raw;

		if (!f) {
			FAIL(r, kp, "%s has no field '%s' (vtd-decode --fields %s)", l->name, k,
			     l->name);
			continue;
		}
		if (vtd_json_field_raw(f, v, &raw, &e) ||
		    (f->width < 64 && raw >> f->width &&
		     vtd_fail(&e, VTD_ERANGE, "%s: 0x%llx does not fit %u bits", f->name,
			      (unsigned long long)raw, f->width))) {
			FAIL(r, kp, "%s", e.msg);
			continue;
		}
		add_raw(r, out, nout, f, f->lsb, f->width, raw, kp);
	}
}

static void read_raw(struct rd *r, struct json_object *o, const char *base,
		     const struct vtd_layout *l, struct vtd_braw **out, size_t *nout)
{
	struct json_object *v;
	const char *ptr;

	if (!json_object_object_get_ex(o, "raw", &v))
		return;
	ptr = pk(base, "raw");
	if (!r->allow_raw) {
		FAIL(r, ptr, "\"raw\" needs \"allow_raw\": true at the top of the layout");
		return;
	}
	{
		char *p = jptr_key(base, "raw");

		if (!p) {
			r->oom = 1;
			return;
		}
		read_fields(r, v, p, l, 1, out, nout);
		free(p);
	}
}

/* ---- profile ---------------------------------------------------------------------- */

static void set_reg_field(const char *reg, const char *field, uint64_t *value, uint64_t raw)
{
	const struct vtd_layout *l = vtd_layout_find(reg);
	const struct vtd_field *f = l ? vtd_field_find(l, field) : NULL;
	uint8_t b[8];
	unsigned i;

	if (!f)
		return;
	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(*value >> (8 * i));
	vtd_bits_set(b, f->lsb, f->width, raw);
	for (*value = 0, i = 0; i < 8; i++)
		*value |= (uint64_t)b[i] << (8 * i);
}

static const char *read_profile(struct rd *r, struct json_object *root, const char *override)
{
	static const char *const keys[] = { "base", "aw", "cap", "ecap", "haw", NULL };
	const struct vtd_profile *pr = vtd_profile_at(0);
	struct json_object *v = NULL;
	const char *name = NULL;
	uint64_t x;

	json_object_object_get_ex(root, "profile", &v);
	if (v && json_object_is_type(v, json_type_string)) {
		name = json_object_get_string(v);
		if (!override && !(pr = vtd_profile_find(name))) {
			FAIL(r, "/profile", "unknown profile '%s' (vtd-compile --list-profiles)",
			     name);
			pr = vtd_profile_at(0);
		}
	} else if (v && is_object(r, v, "/profile", "profile")) {
		only(r, v, "/profile", keys);
		if (!m_str(r, v, "base", "/profile", &name) && !(pr = vtd_profile_find(name))) {
			FAIL(r, "/profile/base", "unknown profile '%s' (vtd-compile --list-profiles)",
			     name);
			pr = vtd_profile_at(0);
		}
	}
	if (override)
		pr = vtd_profile_find(override);
	if (!pr)
		pr = vtd_profile_at(0);
	r->p->cap = pr->cap;
	r->p->ecap = pr->ecap;
	r->p->haw = pr->haw;
	if (override || !v || json_object_is_type(v, json_type_string))
		return pr->name;
	if (!m_num(r, v, "cap", "/profile", 0, &x))
		r->p->cap = x;
	if (!m_num(r, v, "ecap", "/profile", 0, &x))
		r->p->ecap = x;
	if (!m_max(r, v, "haw", "/profile", 0, 64, &x)) {
		if (x < 12)
			FAIL(r, "/profile/haw", "a host address width of %llu bits is too small",
			     (unsigned long long)x);
		else
			r->p->haw = (unsigned)x;
	}
	if (!m_num(r, v, "aw", "/profile", 0, &x)) {
		if (x != 39 && x != 48 && x != 57)
			FAIL(r, "/profile/aw", "aw must be 39, 48 or 57, not %llu",
			     (unsigned long long)x);
		else
			set_reg_field("cap", "sagaw", &r->p->cap, 1u << (x == 39 ? 1 : x == 48 ? 2 : 3));
	}
	return NULL;
}

/* ---- domains ---------------------------------------------------------------------- */

static int page_of(const char *s, uint64_t *page)
{
	static const struct { const char *n; uint64_t v; } pages[] = {
		{ "auto", 0 }, { "4K", 4096 }, { "2M", 2u << 20 }, { "1G", 1u << 30 },
	};
	unsigned i;

	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		if (!strcmp(s, pages[i].n)) {
			*page = pages[i].v;
			return 0;
		}
	return -1;
}

struct mapsort {
	uint64_t iova;
	size_t seq;
};

static int mapsort_cmp(const void *a, const void *b)
{
	const struct mapsort *x = a, *y = b;

	if (x->iova != y->iova)
		return x->iova < y->iova ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void read_map(struct rd *r, struct vtd_bdomain *dom, struct json_object *m,
		     const char *ptr, size_t *cap)
{
	static const char *const keys[] = { "iova", "pa", "identity", "size", "perm", "snoop",
		"user", "page", "count", "stride", "pa_stride", "raw", NULL };
	struct vtd_bmap t = { .perm = VTD_ACC_R | VTD_ACC_W };
	uint64_t count = 1, stride, pa_stride, k;
	int has_iova, has_pa, has_id, bad = 0, b;
	const char *s;

	if (!is_object(r, m, ptr, "a mapping"))
		return;
	only(r, m, ptr, keys);
	has_iova = json_object_object_get_ex(m, "iova", NULL);
	has_pa = json_object_object_get_ex(m, "pa", NULL);
	has_id = json_object_object_get_ex(m, "identity", NULL);
	if (has_id && (has_iova || has_pa)) {
		FAIL(r, pk(ptr, "identity"), "give either \"identity\" or \"iova\" and \"pa\"");
		bad = 1;
	} else if (has_id) {
		bad |= m_num(r, m, "identity", ptr, 1, &t.iova) != 0;
		t.pa = t.iova;
	} else if (!has_iova || !has_pa) {
		FAIL(r, ptr, "a mapping needs \"iova\" and \"pa\", or \"identity\"");
		bad = 1;
	} else {
		bad |= m_num(r, m, "iova", ptr, 1, &t.iova) != 0;
		bad |= m_num(r, m, "pa", ptr, 1, &t.pa) != 0;
	}
	if (!bad && t.iova & 0xfff) {
		FAIL(r, pk(ptr, has_id ? "identity" : "iova"), "0x%llx is not 4 KiB aligned",
		     (unsigned long long)t.iova);
		bad = 1;
	} else if (!bad && t.pa & 0xfff) {
		FAIL(r, pk(ptr, "pa"), "0x%llx is not 4 KiB aligned", (unsigned long long)t.pa);
		bad = 1;
	}
	if (!m_num(r, m, "size", ptr, 1, &t.size)) {
		if (!t.size || t.size & 0xfff) {
			FAIL(r, pk(ptr, "size"), "size 0x%llx is not a positive multiple of 4 KiB",
			     (unsigned long long)t.size);
			bad = 1;
		}
	} else {
		bad = 1;
	}
	if (!m_str(r, m, "perm", ptr, &s)) {
		t.perm = 0;
		for (; *s; s++) {
			unsigned bit = *s == 'r' ? VTD_ACC_R : *s == 'w' ? VTD_ACC_W
						: *s == 'x' ? VTD_ACC_X : 0;

			if (!bit || t.perm & bit) {
				FAIL(r, pk(ptr, "perm"), "perm is a string of r, w and x, each at "
							 "most once");
				bad = 1;
				break;
			}
			t.perm |= bit;
		}
	}
	if (!m_bool(r, m, "snoop", ptr, &b))
		t.snoop = (uint8_t)b;
	if (!m_bool(r, m, "user", ptr, &b))
		t.user = (uint8_t)b;
	if (!m_str(r, m, "page", ptr, &s) && page_of(s, &t.page)) {
		FAIL(r, pk(ptr, "page"), "page must be auto, 4K, 2M or 1G, not '%s'", s);
		bad = 1;
	}
	stride = t.size;
	if (!m_num(r, m, "count", ptr, 0, &count) && count == 0) {
		FAIL(r, pk(ptr, "count"), "count must be at least 1");
		bad = 1;
	}
	if (!m_num(r, m, "stride", ptr, 0, &stride) && stride & 0xfff) {
		FAIL(r, pk(ptr, "stride"), "stride 0x%llx is not a multiple of 4 KiB",
		     (unsigned long long)stride);
		bad = 1;
	}
	pa_stride = stride;
	if (!m_num(r, m, "pa_stride", ptr, 0, &pa_stride) && pa_stride & 0xfff) {
		FAIL(r, pk(ptr, "pa_stride"), "pa_stride 0x%llx is not a multiple of 4 KiB",
		     (unsigned long long)pa_stride);
		bad = 1;
	}
	if (!bad && count > 1 &&
	    ((stride && (count - 1 > (UINT64_MAX - t.iova - (t.size - 1)) / stride)) ||
	     (pa_stride && (count - 1 > (UINT64_MAX - t.pa - (t.size - 1)) / pa_stride)))) {
		FAIL(r, pk(ptr, "count"), "%llu mappings run past 2^64",
		     (unsigned long long)count);
		bad = 1;
	} else if (!bad && t.size - 1 > UINT64_MAX - (t.iova > t.pa ? t.iova : t.pa)) {
		FAIL(r, pk(ptr, "size"), "the mapping runs past 2^64");
		bad = 1;
	}
	if (!bad && (count > layout_max_maps || r->nmaps + count > layout_max_maps)) {
		FAIL(r, count > 1 ? pk(ptr, "count") : ptr,
		     "too many mappings: a layout makes at most %zu", layout_max_maps);
		bad = 1;
	}
	{
		int level = t.page == (1u << 30) ? 3 : t.page == (2u << 20) ? 2 : 1;

		read_raw(r, m, ptr, vtd_paging_layout(dom->stage == VTD_STAGE_FIRST, level, 1),
			 &t.raw, &t.nraw);
	}
	if (bad || r->oom) {
		free_raws(t.raw, t.nraw);
		return;
	}
	if (dom->nmaps + count > *cap) {
		size_t nc = (dom->nmaps + count) * 2;
		struct vtd_bmap *nv = realloc(dom->maps, nc * sizeof(*nv));

		if (!nv) {
			r->oom = 1;
			free_raws(t.raw, t.nraw);
			return;
		}
		dom->maps = nv;
		*cap = nc;
	}
	for (k = 0; k < count; k++) {
		struct vtd_bmap *o = &dom->maps[dom->nmaps];
		size_t j;

		*o = t;
		o->iova = t.iova + k * stride;
		o->pa = t.pa + k * pa_stride;
		o->where = own(r, ptr);
		if (k && t.nraw) {
			o->raw = malloc(t.nraw * sizeof(*o->raw));
			if (!o->raw) {
				r->oom = 1;
				o->nraw = 0;
			} else {
				for (j = 0; j < t.nraw; j++) {
					o->raw[j] = t.raw[j];
					o->raw[j].where = own(r, t.raw[j].where);
				}
			}
		}
		dom->nmaps++;
	}
	r->nmaps += count;
}

static void sort_maps(struct rd *r, struct vtd_bdomain *dom)
{
	struct mapsort *ix;
	struct vtd_bmap *nv;
	size_t i;

	for (i = 1; i < dom->nmaps && dom->maps[i - 1].iova <= dom->maps[i].iova; i++)
		;
	if (i >= dom->nmaps)
		return;
	ix = malloc(dom->nmaps * sizeof(*ix));
	nv = malloc(dom->nmaps * sizeof(*nv));
	if (!ix || !nv) {
		free(ix);
		free(nv);
		r->oom = 1;
		return;
	}
	for (i = 0; i < dom->nmaps; i++)
		ix[i] = (struct mapsort){ dom->maps[i].iova, i };
	qsort(ix, dom->nmaps, sizeof(*ix), mapsort_cmp);
	for (i = 0; i < dom->nmaps; i++)
		nv[i] = dom->maps[ix[i].seq];
	free(dom->maps);
	free(ix);
	dom->maps = nv;
}

static void read_domains(struct rd *r, struct json_object *doms)
{
	static const char *const keys[] = { "did", "stage", "levels", "map", NULL };
	static const char *const stages[] = { "second", "first", NULL };
	size_t n, i = 0;

	if (!is_object(r, doms, "/domains", "domains"))
		return;
	n = (size_t)json_object_object_length(doms);
	r->p->domains = calloc(n ? n : 1, sizeof(*r->p->domains));
	r->dnames = calloc(n ? n : 1, sizeof(*r->dnames));
	if (!r->p->domains || !r->dnames) {
		r->oom = 1;
		return;
	}
	json_object_object_foreach(doms, name, dv) {
		struct vtd_bdomain *dom = &r->p->domains[i];
		const char *ptr;
		struct json_object *maps;
		uint64_t x;
		int st;
		size_t cap = 0, j;

		r->dnames[i] = name;
		r->ndnames = ++i;
		r->p->ndomains = i;
		dom->name = own(r, name);
		dom->where = jptr_key("/domains", name);
		if (!dom->where) {
			r->oom = 1;
			break;
		}
		ptr = dom->where;
		if (!is_object(r, dv, ptr, "a domain"))
			continue;
		only(r, dv, ptr, keys);
		if (!m_enum(r, dv, "stage", ptr, stages, &st))
			dom->stage = (uint8_t)st;
		if (!m_max(r, dv, "did", ptr, dom->stage == VTD_STAGE_SECOND, 0xffff, &x))
			dom->did = (uint16_t)x;
		if (!m_num(r, dv, "levels", ptr, 0, &x)) {
			if (x < 3 || x > 5)
				FAIL(r, pk(ptr, "levels"), "levels must be 3, 4 or 5, not %llu",
				     (unsigned long long)x);
			else
				dom->levels = (unsigned)x;
		}
		if (!json_object_object_get_ex(dv, "map", &maps))
			continue;
		{
			char *mptr = jptr_key(ptr, "map");

			if (!mptr) {
				r->oom = 1;
				break;
			}
			if (!is_array(r, maps, mptr, "map")) {
				free(mptr);
				continue;
			}
			for (j = 0; j < json_object_array_length(maps) && !r->oom; j++) {
				char *ep = jptr_idx(mptr, j);

				if (!ep) {
					r->oom = 1;
					break;
				}
				read_map(r, dom, json_object_array_get_idx(maps, j), ep, &cap);
				free(ep);
			}
			free(mptr);
		}
		sort_maps(r, dom);
	}
}

static int domain_ref(struct rd *r, struct json_object *o, const char *key, const char *base,
		      int *out)
{
	const char *s;
	size_t i;
	int rc = m_str(r, o, key, base, &s);

	if (rc)
		return rc;
	for (i = 0; i < r->ndnames; i++)
		if (!strcmp(r->dnames[i], s)) {
			*out = (int)i;
			return 0;
		}
	FAIL(r, pk(base, key), "no domain named '%s' in \"domains\"", s);
	return -1;
}

/* ---- devices ------------------------------------------------------------------------ */

static int parse_bdf_range(const char *s, unsigned *a, unsigned *b)
{
	const char *dash = strchr(s, '-');
	char first[64];

	if (!dash) {
		if (script_bdf(s, a) < 0)
			return -1;
		*b = *a;
		return 0;
	}
	if ((size_t)(dash - s) >= sizeof(first))
		return -1;
	memcpy(first, s, (size_t)(dash - s));
	first[dash - s] = '\0';
	if (script_bdf(first, a) < 0 || script_bdf(dash + 1, b) < 0)
		return -1;
	return 0;
}

static void read_pasid(struct rd *r, struct vtd_bpasid *pe, struct json_object *o,
		       const char *ptr)
{
	static const char *const keys[] = { "pasid", "pgtt", "ss_domain", "fs_domain", "did",
		"sre", "ere", "raw", NULL };
	static const char *const pgtts[] = { "-", "first", "second", "nested", "pt", NULL };
	uint64_t x;
	int k, b;

	pe->ss_domain = pe->fs_domain = -1;
	pe->where = own(r, ptr);
	if (!is_object(r, o, ptr, "a PASID entry"))
		return;
	only(r, o, ptr, keys);
	if (!m_max(r, o, "pasid", ptr, 1, 0xfffff, &x))
		pe->pasid = (uint32_t)x;
	if (!json_object_object_get_ex(o, "pgtt", NULL))
		FAIL(r, ptr, "'pgtt' is missing");
	else if (!m_enum(r, o, "pgtt", ptr, pgtts, &k)) {
		if (k == 0)
			FAIL(r, pk(ptr, "pgtt"), "pgtt must be first, second, nested or pt");
		pe->pgtt = (uint8_t)k;
	}
	if (!domain_ref(r, o, "ss_domain", ptr, &k))
		pe->ss_domain = k;
	if (!domain_ref(r, o, "fs_domain", ptr, &k))
		pe->fs_domain = k;
	if ((pe->pgtt == VTD_PGTT_SECOND || pe->pgtt == VTD_PGTT_NESTED) &&
	    !json_object_object_get_ex(o, "ss_domain", NULL))
		FAIL(r, ptr, "pgtt %s needs \"ss_domain\"", pgtts[pe->pgtt]);
	if ((pe->pgtt == VTD_PGTT_FIRST || pe->pgtt == VTD_PGTT_NESTED) &&
	    !json_object_object_get_ex(o, "fs_domain", NULL))
		FAIL(r, ptr, "pgtt %s needs \"fs_domain\"", pgtts[pe->pgtt]);
	if ((pe->pgtt == VTD_PGTT_FIRST || pe->pgtt == VTD_PGTT_PT) &&
	    json_object_object_get_ex(o, "ss_domain", NULL))
		FAIL(r, pk(ptr, "ss_domain"), "pgtt %s takes no \"ss_domain\"", pgtts[pe->pgtt]);
	if ((pe->pgtt == VTD_PGTT_SECOND || pe->pgtt == VTD_PGTT_PT) &&
	    json_object_object_get_ex(o, "fs_domain", NULL))
		FAIL(r, pk(ptr, "fs_domain"), "pgtt %s takes no \"fs_domain\"", pgtts[pe->pgtt]);
	if (!m_max(r, o, "did", ptr, 0, 0xffff, &x)) {
		if (pe->pgtt == VTD_PGTT_SECOND || pe->pgtt == VTD_PGTT_NESTED)
			FAIL(r, pk(ptr, "did"), "pgtt %s takes the DID of its \"ss_domain\"",
			     pgtts[pe->pgtt]);
		pe->did = (uint16_t)x;
	}
	if (!m_bool(r, o, "sre", ptr, &b))
		pe->sre = (uint8_t)b;
	if (!m_bool(r, o, "ere", ptr, &b))
		pe->ere = (uint8_t)b;
	read_raw(r, o, ptr, &vtd_l_pasid_entry, &pe->raw, &pe->nraw);
}

static int pasid_cmp(const void *a, const void *b)
{
	const struct vtd_bpasid *x = a, *y = b;

	return x->pasid < y->pasid ? -1 : x->pasid > y->pasid;
}

struct devsort {
	uint16_t sid;
	size_t seq;
};

static int devsort_cmp(const void *a, const void *b)
{
	const struct devsort *x = a, *y = b;

	if (x->sid != y->sid)
		return x->sid < y->sid ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static struct vtd_braw *copy_raws(struct rd *r, const struct vtd_braw *v, size_t n)
{
	struct vtd_braw *c;
	size_t i;

	if (!n)
		return NULL;
	if (!(c = malloc(n * sizeof(*c)))) {
		r->oom = 1;
		return NULL;
	}
	for (i = 0; i < n; i++) {
		c[i] = v[i];
		c[i].where = own(r, v[i].where);
	}
	return c;
}

static void read_device(struct rd *r, struct json_object *o, const char *ptr, size_t *cap)
{
	static const char *const keys[] = { "bdf", "bus", "domain", "passthrough", "blocked",
		"device_tlb", "rid_pasid", "pasid_bits", "pasids", "raw", NULL };
	struct vtd_bdevice t = { .domain = -1, .pdts_auto = 1 };
	struct json_object *pv;
	unsigned first = 0, last = 0, sid, nkind = 0;
	int has_bdf, has_bus, b, bad = 0, k;
	const char *s;
	uint64_t x;
	size_t i;

	if (!is_object(r, o, ptr, "a device"))
		return;
	only(r, o, ptr, keys);
	has_bdf = json_object_object_get_ex(o, "bdf", NULL);
	has_bus = json_object_object_get_ex(o, "bus", NULL);
	if (has_bdf == has_bus) {
		FAIL(r, has_bdf ? pk(ptr, "bus") : ptr,
		     "a device needs exactly one of \"bdf\" and \"bus\"");
		bad = 1;
	} else if (has_bdf) {
		if (!m_str(r, o, "bdf", ptr, &s)) {
			if (parse_bdf_range(s, &first, &last)) {
				FAIL(r, pk(ptr, "bdf"), "'%s' is not a BDF ([0000:]bb:dd.f) or a "
							"range of them (bb:dd.f-bb:dd.f)", s);
				bad = 1;
			} else if (first >> 8 != last >> 8 || first > last) {
				FAIL(r, pk(ptr, "bdf"), "'%s': a range goes upwards within one bus",
				     s);
				bad = 1;
			}
		} else {
			bad = 1;
		}
	} else if (!m_max(r, o, "bus", ptr, 1, 0xff, &x)) {
		first = (unsigned)x << 8;
		last = first | 0xff;
	} else {
		bad = 1;
	}
	if (!domain_ref(r, o, "domain", ptr, &k)) {
		t.domain = k;
		nkind++;
	} else if (json_object_object_get_ex(o, "domain", NULL)) {
		nkind++;
		bad = 1;
	}
	if (!m_bool(r, o, "passthrough", ptr, &b) && b) {
		t.kind = VTD_BDEV_PASSTHROUGH;
		nkind++;
	}
	if (!m_bool(r, o, "blocked", ptr, &b) && b) {
		t.kind = VTD_BDEV_BLOCKED;
		nkind++;
	}
	if (!m_bool(r, o, "device_tlb", ptr, &b))
		t.devtlb = (uint8_t)b;
	if (!r->scalable) {
		static const char *const sm_only[] = { "rid_pasid", "pasid_bits", "pasids" };

		for (i = 0; i < 3; i++)
			if (json_object_object_get_ex(o, sm_only[i], NULL))
				FAIL(r, pk(ptr, sm_only[i]), "\"%s\" needs \"mode\": \"scalable\"",
				     sm_only[i]);
	} else {
		if (!m_max(r, o, "rid_pasid", ptr, 0, 0xfffff, &x))
			t.rid_pasid = (uint32_t)x;
		if (!m_num(r, o, "pasid_bits", ptr, 0, &x)) {
			if (x < 1 || x > 20)
				FAIL(r, pk(ptr, "pasid_bits"), "pasid_bits must be 1 to 20, not %llu",
				     (unsigned long long)x);
			t.pdts_auto = 0;
			t.pdts = x > 13 ? (unsigned)x - 13 : 0;
		}
		if (json_object_object_get_ex(o, "pasids", &pv)) {
			char *pp = jptr_key(ptr, "pasids");

			if (pp && is_array(r, pv, pp, "pasids")) {
				size_t n = json_object_array_length(pv);

				t.pasids = calloc(n ? n : 1, sizeof(*t.pasids));
				if (!t.pasids)
					r->oom = 1;
				for (i = 0; i < n && t.pasids; i++) {
					char *ep = jptr_idx(pp, i);

					if (!ep) {
						r->oom = 1;
						break;
					}
					read_pasid(r, &t.pasids[t.npasids++],
						   json_object_array_get_idx(pv, i), ep);
					free(ep);
				}
				if (t.pasids)
					qsort(t.pasids, t.npasids, sizeof(*t.pasids), pasid_cmp);
			}
			if (!pp)
				r->oom = 1;
			free(pp);
		}
	}
	if (nkind == 0) {
		int rid_entry = 0;

		for (i = 0; i < t.npasids; i++)
			rid_entry |= t.pasids[i].pasid == t.rid_pasid;
		if (!r->scalable || !rid_entry) {
			FAIL(r, ptr, r->scalable ? "a device needs \"domain\", \"passthrough\", "
						   "\"blocked\" or a \"pasids\" entry for its rid_pasid"
						 : "a device needs \"domain\", \"passthrough\" or "
						   "\"blocked\"");
			bad = 1;
		}
	} else if (nkind > 1) {
		FAIL(r, ptr, "a device takes only one of \"domain\", \"passthrough\" and "
			     "\"blocked\"");
		bad = 1;
	}
	read_raw(r, o, ptr, r->scalable ? &vtd_l_context_sm : &vtd_l_context_legacy, &t.raw,
		 &t.nraw);
	if (bad || r->oom) {
		for (i = 0; i < t.npasids; i++) {
			free((char *)t.pasids[i].where);
			free_raws(t.pasids[i].raw, t.pasids[i].nraw);
		}
		free(t.pasids);
		free_raws(t.raw, t.nraw);
		return;
	}
	if (r->p->ndevices + (last - first + 1) > *cap) {
		size_t nc = (r->p->ndevices + (last - first + 1)) * 2;
		struct vtd_bdevice *nv = realloc(r->p->devices, nc * sizeof(*nv));

		if (!nv) {
			r->oom = 1;
			return;
		}
		r->p->devices = nv;
		*cap = nc;
	}
	for (sid = first; sid <= last; sid++) {
		struct vtd_bdevice *dv = &r->p->devices[r->p->ndevices++];

		*dv = t;
		dv->sid = (uint16_t)sid;
		dv->where = own(r, ptr);
		if (sid == first)
			continue;
		dv->raw = copy_raws(r, t.raw, t.nraw);
		if (t.npasids && (dv->pasids = malloc(t.npasids * sizeof(*dv->pasids)))) {
			for (i = 0; i < t.npasids; i++) {
				dv->pasids[i] = t.pasids[i];
				dv->pasids[i].where = own(r, t.pasids[i].where);
				dv->pasids[i].raw = copy_raws(r, t.pasids[i].raw, t.pasids[i].nraw);
			}
		} else if (t.npasids) {
			r->oom = 1;
			dv->npasids = 0;
		}
	}
}

static void read_devices(struct rd *r, struct json_object *devs)
{
	size_t i, cap = 0;
	struct devsort *ix;
	struct vtd_bdevice *nv;

	if (!is_array(r, devs, "/devices", "devices"))
		return;
	for (i = 0; i < json_object_array_length(devs) && !r->oom; i++) {
		char *ep = jptr_idx("/devices", i);

		if (!ep) {
			r->oom = 1;
			return;
		}
		read_device(r, json_object_array_get_idx(devs, i), ep, &cap);
		free(ep);
	}
	if (r->p->ndevices < 2)
		return;
	ix = malloc(r->p->ndevices * sizeof(*ix));
	nv = malloc(r->p->ndevices * sizeof(*nv));
	if (!ix || !nv) {
		free(ix);
		free(nv);
		r->oom = 1;
		return;
	}
	for (i = 0; i < r->p->ndevices; i++)
		ix[i] = (struct devsort){ r->p->devices[i].sid, i };
	qsort(ix, r->p->ndevices, sizeof(*ix), devsort_cmp);
	for (i = 0; i < r->p->ndevices; i++)
		nv[i] = r->p->devices[ix[i].seq];
	free(r->p->devices);
	free(ix);
	r->p->devices = nv;
}

/* ---- interrupt remapping ------------------------------------------------------------ */

static int irte_cmp(const void *a, const void *b)
{
	const struct vtd_birte *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

static void read_irte(struct rd *r, struct vtd_birte *e, struct json_object *o,
		      const char *ptr)
{
	const struct vtd_layout *l = &vtd_l_irte_remapped;
	struct json_object *copy = json_object_new_object(), *v;
	struct vtd_braw *raws = NULL;
	size_t nraws = 0, i;
	uint64_t x;

	e->where = own(r, ptr);
	if (!copy) {
		r->oom = 1;
		return;
	}
	if (!m_max(r, o, "index", ptr, 1, 0xffff, &x))
		e->index = (uint32_t)x;
	/* The entry's fields as IRTE fields; "sid" may be a BDF. */
	json_object_object_foreach(o, k, val) {
		if (!strcmp(k, "index"))
			continue;
		if (!strcmp(k, "sid") && json_object_is_type(val, json_type_string) &&
		    strchr(json_object_get_string(val), ':')) {
			unsigned sid;

			if (script_bdf(json_object_get_string(val), &sid) < 0) {
				FAIL(r, pk(ptr, "sid"), "'%s' is not a BDF ([0000:]bb:dd.f)",
				     json_object_get_string(val));
				continue;
			}
			json_object_object_add(copy, k, json_object_new_int((int)sid));
			continue;
		}
		json_object_object_add(copy, k, json_object_get(val));
	}
	if (!json_object_object_get_ex(copy, "p", &v))
		json_object_object_add(copy, "p", json_object_new_boolean(1));
	read_fields(r, copy, ptr, l, 1, &raws, &nraws);
	json_object_put(copy);
	for (i = 0; i < nraws; i++)
		vtd_bits_set(e->bytes, raws[i].lsb, raws[i].width, raws[i].raw);
	free_raws(raws, nraws);
}

static void read_ir(struct rd *r, struct json_object *ir)
{
	static const char *const keys[] = { "size", "x2apic", "entries", NULL };
	const char *ptr = "/interrupt_remapping";
	struct json_object *v, *ents;
	uint64_t x;
	int b;
	size_t i, n;

	if (!is_object(r, ir, ptr, "interrupt_remapping"))
		return;
	only(r, ir, ptr, keys);
	r->p->irt_size_auto = 1;
	if (json_object_object_get_ex(ir, "size", &v) &&
	    !(json_object_is_type(v, json_type_string) &&
	      !strcmp(json_object_get_string(v), "auto"))) {
		if (!val_num(r, v, "/interrupt_remapping/size", &x)) {
			if (x < 2 || x > 65536 || (x & (x - 1)))
				FAIL(r, "/interrupt_remapping/size", "size must be \"auto\" or a "
					 "power of two from 2 to 65536 entries, not %llu",
				     (unsigned long long)x);
			else {
				r->p->irt_size_auto = 0;
				for (r->p->irt_size_log2 = 0; (2ull << r->p->irt_size_log2) < x;)
					r->p->irt_size_log2++;
			}
		}
	}
	if (!m_bool(r, ir, "x2apic", ptr, &b))
		r->p->irt_eime = (uint8_t)b;
	if (!json_object_object_get_ex(ir, "entries", &ents) ||
	    !is_array(r, ents, "/interrupt_remapping/entries", "entries"))
		return;
	n = json_object_array_length(ents);
	if (!n)
		return;
	if (!(r->p->irtes = calloc(n, sizeof(*r->p->irtes)))) {
		r->oom = 1;
		return;
	}
	for (i = 0; i < n; i++) {
		char *ep = jptr_idx("/interrupt_remapping/entries", i);
		struct json_object *e = json_object_array_get_idx(ents, i);

		if (!ep) {
			r->oom = 1;
			return;
		}
		if (is_object(r, e, ep, "an interrupt-remapping entry"))
			read_irte(r, &r->p->irtes[r->p->nirtes++], e, ep);
		free(ep);
	}
	qsort(r->p->irtes, r->p->nirtes, sizeof(*r->p->irtes), irte_cmp);
	for (i = 1; i < r->p->nirtes; i++)
		if (r->p->irtes[i].index == r->p->irtes[i - 1].index)
			FAIL(r, r->p->irtes[i].where, "a second entry for index %u",
			     r->p->irtes[i].index);
}

/* ---- the document --------------------------------------------------------------------- */

int layout_read(struct json_object *root, const char *profile, struct vtd_plan *p,
		const char **profile_name, struct cdiags *d)
{
	static const char *const keys[] = { "vtd_layout", "profile", "mode", "placement", "dedup",
		"allow_raw", "domains", "devices", "interrupt_remapping", NULL };
	static const char *const pkeys[] = { "base", "size", "exclude", NULL };
	static const char *const ekeys[] = { "base", "size", NULL };
	static const char *const modes[] = { "legacy", "scalable", NULL };
	struct rd r = { .d = d, .p = p };
	struct json_object *v, *pl;
	size_t before = d->n + d->dropped, i;
	uint64_t x;
	int b;

	memset(p, 0, sizeof(*p));
	p->where = own(&r, "");
	*profile_name = NULL;
	if (!json_object_is_type(root, json_type_object)) {
		FAIL(&r, "", "a layout is a JSON object, not %s", type_name(root));
		goto out;
	}
	only(&r, root, "", keys);
	if (!m_num(&r, root, "vtd_layout", "", 1, &x) && x != 1)
		FAIL(&r, "/vtd_layout", "format version %llu is not known: this is version 1",
		     (unsigned long long)x);
	*profile_name = read_profile(&r, root, profile);
	if (!m_enum(&r, root, "mode", "", modes, &b))
		p->scalable = (uint8_t)b;
	r.scalable = p->scalable;
	if (!m_bool(&r, root, "dedup", "", &b))
		p->dedup = (uint8_t)b;
	if (!m_bool(&r, root, "allow_raw", "", &b))
		r.allow_raw = b;
	if (!json_object_object_get_ex(root, "placement", &pl)) {
		FAIL(&r, "", "'placement' is missing");
	} else if (is_object(&r, pl, "/placement", "placement")) {
		only(&r, pl, "/placement", pkeys);
		if (!m_num(&r, pl, "base", "/placement", 1, &p->base) && p->base & 0xfff)
			FAIL(&r, "/placement/base", "0x%llx is not 4 KiB aligned",
			     (unsigned long long)p->base);
		if (!m_num(&r, pl, "size", "/placement", 1, &p->size) &&
		    (p->size < 4096 || p->base + p->size - 1 < p->base))
			FAIL(&r, "/placement/size", "the region must hold a page and end below 2^64");
		if (json_object_object_get_ex(pl, "exclude", &v) &&
		    is_array(&r, v, "/placement/exclude", "exclude")) {
			size_t n = json_object_array_length(v);

			p->exclude = calloc(n ? n : 1, sizeof(*p->exclude));
			if (!p->exclude)
				r.oom = 1;
			for (i = 0; i < n && p->exclude; i++) {
				struct json_object *e = json_object_array_get_idx(v, i);
				struct vtd_brange *br = &p->exclude[p->nexclude];
				char *ep = jptr_idx("/placement/exclude", i);

				if (!ep) {
					r.oom = 1;
					break;
				}
				if (is_object(&r, e, ep, "an excluded range")) {
					only(&r, e, ep, ekeys);
					m_num(&r, e, "base", ep, 1, &br->base);
					m_num(&r, e, "size", ep, 1, &br->size);
					br->where = own(&r, ep);
					p->nexclude++;
				}
				free(ep);
			}
		}
	}
	if (json_object_object_get_ex(root, "domains", &v))
		read_domains(&r, v);
	if (json_object_object_get_ex(root, "devices", &v))
		read_devices(&r, v);
	if (json_object_object_get_ex(root, "interrupt_remapping", &v))
		read_ir(&r, v);
out:
	free(r.dnames);
	if (r.oom)
		FAIL(&r, "", "out of memory");
	if (d->n + d->dropped == before)
		return 0;
	vtd_plan_free(p);
	return -1;
}
