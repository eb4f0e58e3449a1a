/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- the ACPI DMAR table: strict walk, JSON both ways, text */
#include "dmar.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json.h"
#include "text.h"

/* Remapping structure types 0..6; anything above is kept as raw bytes. */
struct stype {
	const struct vtd_layout *l;
	unsigned char scopes;	/* device scopes follow the fixed part */
	unsigned char name;	/* an ACPI object name follows (ANDD) */
	unsigned char exact;	/* nothing may follow the fixed part */
};

static const struct stype stypes[] = {
	{ &vtd_l_acpi_drhd, 1, 0, 0 },
	{ &vtd_l_acpi_rmrr, 1, 0, 0 },
	{ &vtd_l_acpi_atsr, 1, 0, 0 },
	{ &vtd_l_acpi_rhsa, 0, 0, 1 },
	{ &vtd_l_acpi_andd, 0, 1, 0 },
	{ &vtd_l_acpi_satc, 1, 0, 0 },
	{ &vtd_l_acpi_sidp, 1, 0, 0 },
};

#define SCOPE_SIZE	6
/* JSON paths; err->where has room for 160 characters anyway. */
#define PATHLEN		160
/* A scope's length is one byte: at most (255 - 6) / 2 path entries. */
#define SCOPE_MAX_PATH	124

static unsigned le16(const uint8_t *p)
{
	return p[0] | (unsigned)p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v & 0xffff);
	put16(p + 2, v >> 16);
}

uint8_t vtd_dmar_sum(const uint8_t *buf, size_t len)
{
	uint8_t s = 0;

	while (len--)
		s = (uint8_t)(s + *buf++);
	return s;
}

/* ---- the strict walk ------------------------------------------------------ */

/*
 * Decoding errors carry the byte offset (what a hex dump shows) and the
 * JSON path of the element that would have held the bad data.
 */
static int dfail(struct vtd_error *err, int code, size_t off, const char *path,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int dfail(struct vtd_error *err, int code, size_t off, const char *path,
		 const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vtd_vfail(err, code, fmt, ap);
	va_end(ap);
	vtd_error_where(err, "offset 0x%zx: %s", off, path);
	return r;
}

static int check_header(const uint8_t *buf, size_t len, struct vtd_error *err)
{
	uint32_t tlen;

	if (!buf && len)
		return vtd_fail(err, VTD_EINVAL, "no buffer");
	if (len >= 4 && memcmp(buf, "DMAR", 4))
		return dfail(err, VTD_EFORMAT, 0, "$.header.signature",
			     "signature is %02x %02x %02x %02x, not \"DMAR\"",
			     buf[0], buf[1], buf[2], buf[3]);
	if (len < 8)
		return dfail(err, VTD_ETRUNC, len, "$.header",
			     "%zu bytes are too few for a DMAR header (48)", len);
	tlen = le32(buf + 4);
	if (tlen < VTD_DMAR_HEADER_SIZE)
		return dfail(err, VTD_EFORMAT, 4, "$.header.length",
			     "table length %u is shorter than the 48-byte header", tlen);
	if (tlen > len)
		return dfail(err, VTD_ETRUNC, len, "$.header.length",
			     "table length is %u but the data ends after %zu bytes", tlen, len);
	/*
	 * Extra bytes have no place in the JSON form, so accepting them would
	 * break the round trip; a caller with a padded copy knows the Length.
	 */
	if (tlen < len)
		return dfail(err, VTD_EFORMAT, tlen, "$",
			     "%zu bytes follow the end of the table (length %u)", len - tlen, tlen);
	return 0;
}

struct sinfo {
	size_t off, len;		/* in the table */
	unsigned type;
	const struct stype *t;		/* NULL for unknown types */
};

static int check_name(const uint8_t *buf, const struct sinfo *s, const char *path,
		      struct vtd_error *err)
{
	size_t start = s->off + s->t->l->size, end = s->off + s->len, i;
	int nul = 0;

	/* The name becomes a JSON string: keep it to what ACPI allows in paths. */
	for (i = start; i < end; i++) {
		if (nul) {
			if (buf[i])
				return dfail(err, VTD_EFORMAT, i, path,
					     "byte 0x%02x after the end of the ANDD name", buf[i]);
		} else if (!buf[i]) {
			nul = 1;
		} else if (buf[i] < 0x20 || buf[i] > 0x7e) {
			return dfail(err, VTD_EFORMAT, i, path,
				     "ANDD name byte 0x%02x is not printable ASCII", buf[i]);
		}
	}
	if (!nul)
		return dfail(err, VTD_EFORMAT, start, path,
			     "ANDD name is not NUL-terminated within the structure");
	return 0;
}

/* Validate the scope at 'off' of structure 'si', which ends at 'send'. */
static int check_scope(const uint8_t *buf, size_t send, size_t off, unsigned si, unsigned ci,
		       struct vtd_error *err)
{
	char path[PATHLEN];
	unsigned slen;

	snprintf(path, sizeof(path), "$.structures[%u].scopes[%u]", si, ci);
	if (send - off < SCOPE_SIZE)
		return dfail(err, VTD_EFORMAT, off, path,
			     "%zu bytes left in the structure, too few for a device scope (6)",
			     send - off);
	slen = buf[off + 1];
	if (slen < SCOPE_SIZE)
		return dfail(err, VTD_EFORMAT, off + 1, path,
			     "device scope length %u is shorter than 6", slen);
	if ((slen - SCOPE_SIZE) % 2)
		return dfail(err, VTD_EFORMAT, off + 1, path,
			     "device scope length %u leaves half a path entry", slen);
	if (slen > send - off)
		return dfail(err, VTD_EFORMAT, off + 1, path,
			     "device scope of %u bytes crosses the end of its structure at 0x%zx",
			     slen, send);
	return 0;
}

/* Validate structure 'idx' at 'off' with everything inside it; fill 's'. */
static int check_struct(const uint8_t *buf, size_t tlen, size_t off, unsigned idx,
			struct sinfo *s, struct vtd_error *err)
{
	char path[PATHLEN];
	size_t slen, p;
	unsigned ci;
	int r;

	snprintf(path, sizeof(path), "$.structures[%u]", idx);
	if (tlen - off < 4)
		return dfail(err, VTD_EFORMAT, off, path,
			     "%zu bytes left at the end of the table, too few for a structure",
			     tlen - off);
	s->off = off;
	s->type = le16(buf + off);
	s->len = slen = le16(buf + off + 2);
	s->t = s->type < VTD_NELEM(stypes) ? &stypes[s->type] : NULL;
	/* A zero length would make the walk stand still. */
	if (slen < 4)
		return dfail(err, VTD_EFORMAT, off + 2, path,
			     "structure length %zu is shorter than 4", slen);
	if (slen > tlen - off)
		return dfail(err, VTD_EFORMAT, off + 2, path,
			     "structure of %zu bytes crosses the end of the table at 0x%zx",
			     slen, tlen);
	if (!s->t)
		return 0;
	if (slen < s->t->l->size)
		return dfail(err, VTD_EFORMAT, off + 2, path,
			     "%s length %zu is shorter than its %u-byte fixed part",
			     s->t->l->name, slen, s->t->l->size);
	if (s->t->exact && slen != s->t->l->size)
		return dfail(err, VTD_EFORMAT, off + 2, path, "%s length %zu is not %u",
			     s->t->l->name, slen, s->t->l->size);
	if (s->t->name) {
		snprintf(path, sizeof(path), "$.structures[%u].name", idx);
		return check_name(buf, s, path, err);
	}
	if (!s->t->scopes)
		return 0;
	for (p = off + s->t->l->size, ci = 0; p < off + slen; p += buf[p + 1], ci++) {
		r = check_scope(buf, off + slen, p, idx, ci, err);
		if (r)
			return r;
	}
	return 0;
}

/* ---- bytes to JSON -------------------------------------------------------- */

/* Add a member, taking ownership of 'v' even on failure; NULL is out of memory. */
static int put(struct json_object *o, const char *key, struct json_object *v)
{
	if (!v)
		return -1;
	if (json_object_object_add(o, key, v)) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

static int append(struct json_object *a, struct json_object *v)
{
	if (!v)
		return -1;
	if (json_object_array_add(a, v)) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

static struct json_object *hex_string(const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	struct json_object *o;
	char *s;
	size_t i;

	if (n > (size_t)(INT32_MAX / 2))
		return NULL;
	s = malloc(2 * n + 1);
	if (!s)
		return NULL;
	for (i = 0; i < n; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 15];
	}
	s[2 * n] = 0;
	o = json_object_new_string_len(s, (int)(2 * n));
	free(s);
	return o;
}

static struct json_object *scope_json(const uint8_t *p)
{
	struct json_object *o, *path;
	unsigned i, n = (p[1] - SCOPE_SIZE) / 2;

	o = vtd_json_from_bytes(&vtd_l_acpi_dev_scope, p, SCOPE_SIZE, 0);
	if (!o)
		return NULL;
	path = json_object_new_array();
	if (put(o, "path", path))
		goto fail;
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_new_object();

		if (append(path, e) ||
		    put(e, "device", json_object_new_int(p[SCOPE_SIZE + 2 * i])) ||
		    put(e, "function", json_object_new_int(p[SCOPE_SIZE + 2 * i + 1])))
			goto fail;
	}
	return o;
fail:
	json_object_put(o);
	return NULL;
}

static struct json_object *struct_json(const uint8_t *buf, const struct sinfo *s)
{
	const uint8_t *p = buf + s->off, *end = p + s->len;
	struct json_object *o, *a;
	size_t fixed, n;

	if (!s->t) {
		o = json_object_new_object();
		if (!o || put(o, "type", json_object_new_string("unknown")) ||
		    put(o, "type_code", json_object_new_int((int)s->type)) ||
		    put(o, "length", json_object_new_int((int)s->len)) ||
		    put(o, "raw", hex_string(p + 4, s->len - 4)))
			goto fail;
		return o;
	}
	fixed = s->t->l->size;
	o = vtd_json_from_bytes(s->t->l, p, fixed, 0);
	if (!o)
		return NULL;
	if (s->t->name) {
		n = strlen((const char *)p + fixed);
		if (put(o, "name", json_object_new_string_len((const char *)p + fixed, (int)n)))
			goto fail;
		/* Zero padding after the NUL is rare; record it only when present. */
		if (n + 1 != s->len - fixed &&
		    put(o, "name_size", json_object_new_int((int)(s->len - fixed))))
			goto fail;
	}
	if (s->t->scopes) {
		a = json_object_new_array();
		if (put(o, "scopes", a))
			goto fail;
		for (p += fixed; p < end; p += p[1])
			if (append(a, scope_json(p)))
				goto fail;
	}
	return o;
fail:
	json_object_put(o);
	return NULL;
}

int vtd_dmar_to_json(const uint8_t *buf, size_t len, struct json_object **out,
		     struct vtd_error *err)
{
	struct json_object *root, *a;
	struct sinfo s;
	size_t off;
	unsigned i;
	int r;

	if (!out)
		return vtd_fail(err, VTD_EINVAL, "no result pointer");
	*out = NULL;
	r = check_header(buf, len, err);
	if (r)
		return r;
	root = json_object_new_object();
	if (!root)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	a = json_object_new_array();
	if (put(root, "format", json_object_new_string(VTD_DMAR_FORMAT)) ||
	    put(root, "header", vtd_json_from_bytes(&vtd_l_acpi_dmar_header, buf,
						    VTD_DMAR_HEADER_SIZE, 0)) ||
	    put(root, "checksum_valid", json_object_new_boolean(!vtd_dmar_sum(buf, len))) ||
	    put(root, "structures", a))
		goto oom;
	for (off = VTD_DMAR_HEADER_SIZE, i = 0; off < len; off += s.len, i++) {
		r = check_struct(buf, len, off, i, &s, err);
		if (r) {
			json_object_put(root);
			return r;
		}
		if (append(a, struct_json(buf, &s)))
			goto oom;
	}
	*out = root;
	return 0;
oom:
	json_object_put(root);
	return vtd_fail(err, VTD_ENOMEM, "out of memory");
}

/* ---- JSON to bytes -------------------------------------------------------- */

struct obuf {
	uint8_t *p;
	size_t len, cap;
};

/* Append 'n' zero bytes at '*off'. */
static int ob_add(struct obuf *b, size_t n, const char *path, size_t *off,
		  struct vtd_error *err)
{
	size_t need;

	/* The table length is a u32; this also keeps the sums below from wrapping. */
	if (b->len > UINT32_MAX || n > UINT32_MAX - b->len) {
		vtd_error_where(err, "%s", path);
		return vtd_fail(err, VTD_ERANGE, "the table would exceed 4 GiB");
	}
	need = b->len + n;
	if (need > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		uint8_t *np;

		while (cap < need)
			cap = cap > SIZE_MAX / 2 ? need : cap * 2;
		np = realloc(b->p, cap);
		if (!np)
			return vtd_fail(err, VTD_ENOMEM, "out of memory");
		b->p = np;
		b->cap = cap;
	}
	*off = b->len;
	memset(b->p + b->len, 0, n);
	b->len = need;
	return 0;
}

static int jfail(struct vtd_error *err, int code, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int jfail(struct vtd_error *err, int code, const char *path, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vtd_vfail(err, code, fmt, ap);
	va_end(ap);
	vtd_error_where(err, "%s", path);
	return r;
}

/* A member that must be an integer in [lo, hi]. */
static int get_int(struct json_object *o, const char *key, int64_t lo, int64_t hi,
		   const char *path, int64_t *v, struct vtd_error *err)
{
	struct json_object *m;
	char p[PATHLEN];

	snprintf(p, sizeof(p), "%.100s.%.40s", path, key);
	if (!json_object_object_get_ex(o, key, &m))
		return jfail(err, VTD_EFORMAT, p, "missing member \"%s\"", key);
	if (!json_object_is_type(m, json_type_int))
		return jfail(err, VTD_EFORMAT, p, "\"%s\" must be an integer", key);
	*v = json_object_get_int64(m);
	if (*v < lo || *v > hi)
		return jfail(err, VTD_ERANGE, p, "%lld is outside %lld..%lld", (long long)*v,
			     (long long)lo, (long long)hi);
	return 0;
}

/*
 * A shallow copy of 'o' without the members this file handles itself, so
 * that vtd_json_to_bytes sees only fields of the layout (and still rejects
 * anything unknown).  NULL when out of memory.
 */
static struct json_object *layout_part(struct json_object *o, const char *const *skip)
{
	struct json_object *c = json_object_new_object();
	const char *const *k;

	if (!c)
		return NULL;
	json_object_object_foreach(o, key, val) {
		for (k = skip; *k && strcmp(*k, key); k++)
			;
		if (*k)
			continue;
		if (json_object_object_add(c, key, json_object_get(val))) {
			json_object_put(val);
			json_object_put(c);
			return NULL;
		}
	}
	return c;
}

/* Encode the fixed part of a layout from 'o' minus 'skip' into the buffer. */
static int encode_fixed(struct obuf *b, const struct vtd_layout *l, struct json_object *o,
			const char *const *skip, const char *path, size_t *at,
			struct vtd_error *err)
{
	struct json_object *c;
	uint8_t tmp[64];
	size_t n = 0;
	int r;

	if (!json_object_is_type(o, json_type_object))
		return jfail(err, VTD_EFORMAT, path, "must be an object");
	c = layout_part(o, skip);
	if (!c)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	r = vtd_json_to_bytes(l, c, tmp, &n, path, err);
	json_object_put(c);
	if (r)
		return r;
	r = ob_add(b, l->size, path, at, err);
	if (r)
		return r;
	memcpy(b->p + *at, tmp, l->size);
	return 0;
}

static int encode_scope(struct obuf *b, struct json_object *o, const char *path,
			struct vtd_error *err)
{
	static const char *const skip[] = { "path", NULL };
	struct json_object *a = NULL;
	char p[PATHLEN], q[PATHLEN];
	size_t i, n = 0;
	size_t at;
	int r;

	r = encode_fixed(b, &vtd_l_acpi_dev_scope, o, skip, path, &at, err);
	if (r)
		return r;
	snprintf(p, sizeof(p), "%.100s.path", path);
	if (json_object_object_get_ex(o, "path", &a)) {
		if (!json_object_is_type(a, json_type_array))
			return jfail(err, VTD_EFORMAT, p, "must be an array");
		n = json_object_array_length(a);
	}
	if (n > SCOPE_MAX_PATH)
		return jfail(err, VTD_ERANGE, p, "%zu path entries, a scope holds at most %u",
			     n, SCOPE_MAX_PATH);
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);
		int64_t dev, fn;
		size_t eo;

		snprintf(q, sizeof(q), "%.100s[%zu]", p, i);
		if (!json_object_is_type(e, json_type_object))
			return jfail(err, VTD_EFORMAT, q, "must be an object");
		if (json_object_object_length(e) != 2)
			return jfail(err, VTD_EFORMAT, q,
				     "a path entry has exactly \"device\" and \"function\"");
		r = get_int(e, "device", 0, 255, q, &dev, err);
		if (!r)
			r = get_int(e, "function", 0, 255, q, &fn, err);
		if (r)
			return r;
		r = ob_add(b, 2, q, &eo, err);
		if (r)
			return r;
		b->p[eo] = (uint8_t)dev;
		b->p[eo + 1] = (uint8_t)fn;
	}
	b->p[at + 1] = (uint8_t)(SCOPE_SIZE + 2 * n);
	return 0;
}

static int encode_name(struct obuf *b, struct json_object *o, const char *path,
		       struct vtd_error *err)
{
	struct json_object *m;
	const char *s;
	char p[PATHLEN];
	size_t n, size, i;
	int64_t v;
	size_t at;
	int r;

	snprintf(p, sizeof(p), "%.100s.name", path);
	if (!json_object_object_get_ex(o, "name", &m))
		return jfail(err, VTD_EFORMAT, p, "missing member \"name\"");
	if (!json_object_is_type(m, json_type_string))
		return jfail(err, VTD_EFORMAT, p, "must be a string");
	s = json_object_get_string(m);
	n = (size_t)json_object_get_string_len(m);
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return jfail(err, VTD_EFORMAT, p,
				     "character %zu (0x%02x) is not printable ASCII", i,
				     (unsigned char)s[i]);
	size = n + 1;
	if (json_object_object_get_ex(o, "name_size", &m)) {
		r = get_int(o, "name_size", (int64_t)n + 1, 0xffff, path, &v, err);
		if (r)
			return r;
		size = (size_t)v;
	}
	r = ob_add(b, size, p, &at, err);
	if (r)
		return r;
	memcpy(b->p + at, s, n);
	return 0;
}

static int encode_unknown(struct obuf *b, struct json_object *o, const char *path,
			  struct vtd_error *err)
{
	static const char *const allowed[] = { "type", "type_code", "length", "raw", NULL };
	struct json_object *m;
	const char *s;
	const char *const *k;
	char p[PATHLEN];
	size_t n, i;
	int64_t code;
	size_t at;
	int r;

	json_object_object_foreach(o, key, val) {
		(void)val;
		for (k = allowed; *k && strcmp(*k, key); k++)
			;
		if (!*k) {
			snprintf(p, sizeof(p), "%.100s.%.40s", path, key);
			return jfail(err, VTD_EFORMAT, p, "unknown member of an unknown structure");
		}
	}
	/* Known codes have a form of their own: one JSON spelling per table. */
	r = get_int(o, "type_code", (int64_t)VTD_NELEM(stypes), 0xffff, path, &code, err);
	if (r)
		return r;
	snprintf(p, sizeof(p), "%.100s.raw", path);
	if (!json_object_object_get_ex(o, "raw", &m) || !json_object_is_type(m, json_type_string))
		return jfail(err, VTD_EFORMAT, p, "\"raw\" must be a string of hex digits");
	s = json_object_get_string(m);
	n = (size_t)json_object_get_string_len(m);
	if (n % 2)
		return jfail(err, VTD_EFORMAT, p, "odd number of hex digits");
	if (n / 2 > 0xffff - 4)
		return jfail(err, VTD_ERANGE, p, "%zu bytes do not fit a structure", n / 2);
	r = ob_add(b, 4 + n / 2, path, &at, err);
	if (r)
		return r;
	put16(b->p + at, (unsigned)code);
	for (i = 0; i < n; i++) {
		int c = s[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return jfail(err, VTD_EFORMAT, p, "character %zu is not a hex digit", i);
		b->p[at + 4 + i / 2] |= (uint8_t)(i % 2 ? d : d << 4);
	}
	return 0;
}

static int encode_struct(struct obuf *b, struct json_object *o, unsigned idx,
			 struct vtd_error *err)
{
	static const char *const skip_scopes[] = { "scopes", NULL };
	static const char *const skip_name[] = { "name", "name_size", NULL };
	static const char *const skip_none[] = { NULL };
	const struct stype *t = NULL;
	struct json_object *m, *a;
	const char *type;
	char path[PATHLEN], p[PATHLEN];
	size_t start = b->len, i, n;
	unsigned k;
	size_t at;
	int r;

	snprintf(path, sizeof(path), "$.structures[%u]", idx);
	if (!json_object_is_type(o, json_type_object))
		return jfail(err, VTD_EFORMAT, path, "must be an object");
	snprintf(p, sizeof(p), "%.100s.type", path);
	if (!json_object_object_get_ex(o, "type", &m) || !json_object_is_type(m, json_type_string))
		return jfail(err, VTD_EFORMAT, p, "\"type\" must be a structure name");
	type = json_object_get_string(m);
	if (!strcasecmp(type, "unknown")) {
		r = encode_unknown(b, o, path, err);
		goto done;
	}
	for (k = 0; k < VTD_NELEM(stypes); k++)
		if (!strcasecmp(stypes[k].l->name, type))
			t = &stypes[k];
	if (!t)
		return jfail(err, VTD_ENOTFOUND, p, "unknown structure type \"%s\"", type);
	r = encode_fixed(b, t->l, o, t->scopes ? skip_scopes : t->name ? skip_name : skip_none,
			 path, &at, err);
	if (r)
		return r;
	if (t->name) {
		r = encode_name(b, o, path, err);
	} else if (t->scopes && json_object_object_get_ex(o, "scopes", &a)) {
		snprintf(p, sizeof(p), "%.100s.scopes", path);
		if (!json_object_is_type(a, json_type_array))
			return jfail(err, VTD_EFORMAT, p, "must be an array");
		n = json_object_array_length(a);
		for (i = 0; i < n && !r; i++) {
			char q[PATHLEN];

			snprintf(q, sizeof(q), "%.100s[%zu]", p, i);
			r = encode_scope(b, json_object_array_get_idx(a, i), q, err);
		}
	}
done:
	if (r)
		return r;
	if (b->len - start > 0xffff)
		return jfail(err, VTD_ERANGE, path, "structure of %zu bytes exceeds 65535",
			     b->len - start);
	put16(b->p + start + 2, (unsigned)(b->len - start));
	return 0;
}

int vtd_dmar_from_json(struct json_object *obj, uint8_t **out, size_t *len,
		       struct vtd_error *err)
{
	static const char *const top[] = { "format", "header", "checksum_valid", "structures",
					   NULL };
	static const char *const skip_none[] = { NULL };
	struct obuf b = { 0 };
	struct json_object *m, *hdr, *a = NULL;
	const char *const *k;
	int keep_sum = 0, r;
	char p[PATHLEN];
	size_t i, n = 0;
	size_t at;

	if (!obj || !out || !len)
		return vtd_fail(err, VTD_EINVAL, "missing argument");
	*out = NULL;
	*len = 0;
	if (!json_object_is_type(obj, json_type_object))
		return jfail(err, VTD_EFORMAT, "$", "a DMAR table must be a JSON object");
	json_object_object_foreach(obj, key, val) {
		(void)val;
		for (k = top; *k && strcmp(*k, key); k++)
			;
		if (!*k) {
			snprintf(p, sizeof(p), "$.%.40s", key);
			return jfail(err, VTD_EFORMAT, p, "unknown member");
		}
	}
	if (!json_object_object_get_ex(obj, "format", &m) ||
	    !json_object_is_type(m, json_type_string) ||
	    strcmp(json_object_get_string(m), VTD_DMAR_FORMAT))
		return jfail(err, VTD_EFORMAT, "$.format", "format must be \"%s\"",
			     VTD_DMAR_FORMAT);
	if (json_object_object_get_ex(obj, "checksum_valid", &m)) {
		if (!json_object_is_type(m, json_type_boolean))
			return jfail(err, VTD_EFORMAT, "$.checksum_valid", "must be true or false");
		keep_sum = !json_object_get_boolean(m);
	}
	if (!json_object_object_get_ex(obj, "header", &hdr))
		return jfail(err, VTD_EFORMAT, "$.header", "missing member \"header\"");
	if (json_object_object_get_ex(obj, "structures", &a)) {
		if (!json_object_is_type(a, json_type_array))
			return jfail(err, VTD_EFORMAT, "$.structures", "must be an array");
		n = json_object_array_length(a);
	}

	r = encode_fixed(&b, &vtd_l_acpi_dmar_header, hdr, skip_none, "$.header", &at, err);
	if (r)
		goto fail;
	if (memcmp(b.p, "DMAR", 4)) {
		/* An absent signature is the obvious one; a different one is a mistake. */
		if (json_object_object_get_ex(hdr, "signature", NULL)) {
			r = jfail(err, VTD_EFORMAT, "$.header.signature",
				  "signature must be \"DMAR\"");
			goto fail;
		}
		memcpy(b.p, "DMAR", 4);
	}
	for (i = 0; i < n; i++) {
		r = encode_struct(&b, json_object_array_get_idx(a, i), (unsigned)i, err);
		if (r)
			goto fail;
	}
	put32(b.p + 4, (uint32_t)b.len);
	if (!keep_sum) {
		b.p[9] = 0;
		b.p[9] = (uint8_t)(0x100 - vtd_dmar_sum(b.p, b.len));
	}
	*out = b.p;
	*len = b.len;
	return 0;
fail:
	free(b.p);
	return r;
}

/* ---- text ------------------------------------------------------------------ */

/* Append 'src' with every line indented, ending in exactly one newline. */
static void add_indented(struct vtd_sbuf *out, const char *indent, const char *src)
{
	const char *nl;

	while (*src) {
		nl = strchr(src, '\n');
		vtd_sbuf_addf(out, "%s", indent);
		if (!nl) {
			vtd_sbuf_addf(out, "%s\n", src);
			return;
		}
		vtd_sbuf_add(out, src, (size_t)(nl - src + 1));
		src = nl + 1;
	}
}

static void render(struct vtd_sbuf *out, const char *indent, const struct vtd_layout *l,
		   const uint8_t *p, size_t n, unsigned flags)
{
	struct vtd_sbuf tmp = VTD_SBUF_INIT;

	vtd_text_render(&tmp, l, p, n, flags);
	if (tmp.oom)
		out->oom = 1;
	add_indented(out, indent, vtd_sbuf_str(&tmp));
	vtd_sbuf_release(&tmp);
}

/* A scope's path as "00:1c.0/00.0". */
static void path_text(struct vtd_sbuf *out, const uint8_t *p)
{
	unsigned i, n = (p[1] - SCOPE_SIZE) / 2;

	/* Only the first hop's bus is known; later hops sit behind bridges. */
	if (!n)
		vtd_sbuf_addf(out, "(empty)");
	for (i = 0; i < n; i++) {
		unsigned dev = p[SCOPE_SIZE + 2 * i], fn = p[SCOPE_SIZE + 2 * i + 1];

		if (!i)
			vtd_sbuf_addf(out, "%02x:%02x.%x", p[5], dev, fn);
		else
			vtd_sbuf_addf(out, "/%02x.%x", dev, fn);
		if (dev > 31 || fn > 7)
			vtd_sbuf_addf(out, "(invalid)");
	}
}

static void scope_text(struct vtd_sbuf *out, const uint8_t *p, unsigned ci)
{
	struct vtd_sbuf tmp = VTD_SBUF_INIT;
	const char *s;
	size_t sl;

	vtd_text_render(&tmp, &vtd_l_acpi_dev_scope, p, SCOPE_SIZE, VTD_TEXT_ONELINE);
	if (tmp.oom)
		out->oom = 1;
	s = vtd_sbuf_str(&tmp);
	sl = strlen(s);
	while (sl && s[sl - 1] == '\n')
		sl--;
	vtd_sbuf_addf(out, "    scope[%u] ", ci);
	vtd_sbuf_add(out, s, sl);
	vtd_sbuf_release(&tmp);
	vtd_sbuf_addf(out, "  path ");
	path_text(out, p);
	vtd_sbuf_addf(out, "\n");
}

static void struct_text(struct vtd_sbuf *out, const uint8_t *buf, const struct sinfo *s,
			unsigned idx)
{
	const uint8_t *p = buf + s->off, *end = p + s->len;
	size_t fixed, i;
	unsigned ci;

	if (!s->t) {
		vtd_sbuf_addf(out, "\n[%u] unknown type %u at offset 0x%zx, %zu bytes\n    raw %s",
			      idx, s->type, s->off, s->len, s->len > 4 ? "" : "(empty)");
		for (i = 4; i < s->len; i++)
			vtd_sbuf_addf(out, "%02x", p[i]);
		vtd_sbuf_addf(out, "\n");
		return;
	}
	fixed = s->t->l->size;
	vtd_sbuf_addf(out, "\n[%u] %s: %s at offset 0x%zx, %zu bytes\n", idx, s->t->l->name,
		      s->t->l->title, s->off, s->len);
	render(out, "  ", s->t->l, p, fixed, 0);
	if (s->t->name)
		vtd_sbuf_addf(out, "    name \"%s\"\n", (const char *)p + fixed);
	if (!s->t->scopes)
		return;
	if (s->len == fixed)
		vtd_sbuf_addf(out, "    no device scopes\n");
	for (p += fixed, ci = 0; p < end; p += p[1], ci++)
		scope_text(out, p, ci);
}

int vtd_dmar_text(struct vtd_sbuf *out, const uint8_t *buf, size_t len, struct vtd_error *err)
{
	struct vtd_error local;
	struct sinfo s;
	size_t off;
	unsigned i;
	int r;

	/* The error line needs the detail even when the caller passed no record. */
	if (!err) {
		vtd_error_clear(&local);
		err = &local;
	}
	r = check_header(buf, len, err);
	if (r)
		goto fail;
	vtd_sbuf_addf(out, "DMAR table, %zu bytes, checksum 0x%02x (%s)\n", len, buf[9],
		      vtd_dmar_sum(buf, len) ? "wrong" : "valid");
	render(out, "  ", &vtd_l_acpi_dmar_header, buf, VTD_DMAR_HEADER_SIZE, 0);
	for (off = VTD_DMAR_HEADER_SIZE, i = 0; off < len; off += s.len, i++) {
		r = check_struct(buf, len, off, i, &s, err);
		if (r)
			goto fail;
		struct_text(out, buf, &s, i);
	}
	return 0;
fail:
	vtd_sbuf_addf(out, "error: %s: %s\n", err->where, err->msg);
	return r;
}

/* ---- RMRRs ------------------------------------------------------------------ */

/* PCI configuration header bytes (PCI-to-PCI bridge header, type 1). */
#define CFG_HEADER_TYPE		0x0e
#define CFG_SECONDARY_BUS	0x19
#define CFG_SUBORDINATE_BUS	0x1a

enum { SCOPE_ENDPOINT = 1, SCOPE_BRIDGE = 2, SCOPE_ACPI = 5 };

/* A field of a fixed part, read through its descriptor (the names are the tables'). */
static uint64_t fval(const struct vtd_layout *l, const char *name, const uint8_t *p)
{
	const struct vtd_field *f = vtd_field_find(l, name);

	return vtd_field_value(f, vtd_field_raw(f, p));
}

struct sidv {
	uint16_t *v;
	size_t n, cap;
};

static int sid_add(struct sidv *s, uint16_t sid, struct vtd_error *err)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		uint16_t *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return vtd_fail(err, VTD_ENOMEM, "out of memory");
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = sid;
	return 0;
}

static int cmp_sid(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

/* The structure being read and the scope inside it, for the reasons given. */
struct rwalk {
	const uint8_t *buf;
	uint16_t seg;
	const struct vtd_dmar_pci *pci;
	struct vtd_error *err;
	size_t soff;			/* offset of the scope */
	unsigned si, ci;		/* indexes of the structure and scope, for the JSON path */
	uint8_t drhd;			/* IOAPIC and HPET scopes are at home here */
	char name[80];			/* "RMRR at 0x48 (0x7b800000-0x7fffffff)" */
};

/* Pass a reason to pci->skipped (1), or fail with it when nobody listens (< 0). */
static int skip(const struct rwalk *w, size_t soff, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* 'soff' is the scope's offset, or the structure's (then naming no scope). */
static int skip(const struct rwalk *w, size_t soff, int code, const char *fmt, ...)
{
	struct vtd_error e;
	char m[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	vtd_error_clear(&e);
	if (soff == w->soff)
		vtd_error_where(&e, "offset 0x%zx: $.structures[%u].scopes[%u]", soff, w->si,
				w->ci);
	else
		vtd_error_where(&e, "offset 0x%zx: $.structures[%u]", soff, w->si);
	vtd_fail(&e, code, "%s: %s", w->name, m);
	if (w->pci && w->pci->skipped) {
		w->pci->skipped(w->pci->ctx, &e);
		return 1;
	}
	if (w->err)
		*w->err = e;
	return -code;
}

/* One configuration byte of 'sid'; 0 or the reader's negative code (ENOTSUP: no reader). */
static int cfg(const struct rwalk *w, uint16_t sid, unsigned off, uint8_t *v)
{
	if (!w->pci || !w->pci->cfg_read)
		return -VTD_ENOTSUP;
	return w->pci->cfg_read(w->pci->ctx, w->seg, sid, off, v);
}

/*
 * The bus numbers behind the bridge 'sid' ('what' names the path in the
 * reasons).  0, 1 when the scope was skipped, or a negative error.
 */
static int bridge_buses(const struct rwalk *w, uint16_t sid, const char *what, uint8_t *sec,
			uint8_t *sub)
{
	static const unsigned offs[] = { CFG_HEADER_TYPE, CFG_SECONDARY_BUS, CFG_SUBORDINATE_BUS };
	uint8_t v[3];
	int r = 0;

	for (unsigned i = 0; i < 3 && !r; i++)
		r = cfg(w, sid, offs[i], &v[i]);
	if (r == -VTD_ENOTSUP)
		r = skip(w, w->soff, VTD_ENOTSUP, "%s: the buses behind bridge %02x:%02x.%x need its "
			 "PCI configuration, and none can be read", what, sid >> 8, sid >> 3 & 31,
			 sid & 7);
	else if (r == -VTD_ENOTFOUND)
		r = skip(w, w->soff, VTD_ENOTFOUND, "%s: there is no device %02x:%02x.%x", what,
			 sid >> 8, sid >> 3 & 31, sid & 7);
	else if (r)
		r = skip(w, w->soff, -r, "%s: reading the configuration of %02x:%02x.%x: %s", what,
			 sid >> 8, sid >> 3 & 31, sid & 7, vtd_strerror(r));
	else if ((v[0] & 0x7f) != 1)
		r = skip(w, w->soff, VTD_EFORMAT, "%s: %02x:%02x.%x is not a bridge (header type 0x%02x)",
			 what, sid >> 8, sid >> 3 & 31, sid & 7, v[0]);
	else if (!v[1] || v[1] <= sid >> 8 || v[2] < v[1])
		r = skip(w, w->soff, VTD_EFORMAT, "%s: bridge %02x:%02x.%x has buses 0x%02x-0x%02x, "
			 "which do not lie below its own", what, sid >> 8, sid >> 3 & 31, sid & 7,
			 v[1], v[2]);
	else {
		*sec = v[1];
		*sub = v[2];
		return 0;
	}
	return r;
}

/* The source-ids of the scope at 'p' added to 's'. */
static int scope_sids(struct rwalk *w, const uint8_t *p, struct sidv *s)
{
	const struct vtd_layout *l = &vtd_l_acpi_dev_scope;
	unsigned type = (unsigned)fval(l, "TYPE", p), bus = (unsigned)fval(l, "START_BUS", p);
	unsigned n = ((unsigned)fval(l, "LENGTH", p) - SCOPE_SIZE) / 2, i;
	struct vtd_sbuf what = VTD_SBUF_INIT;
	uint16_t sid = 0;
	size_t n0 = s->n;
	uint8_t sec, sub;
	int r = 0;

	vtd_sbuf_addf(&what, "path ");
	path_text(&what, p);
	if (what.oom) {
		r = vtd_fail(w->err, VTD_ENOMEM, "out of memory");
		goto out;
	}
	if (type != SCOPE_ENDPOINT && type != SCOPE_BRIDGE && type != SCOPE_ACPI) {
		const struct vtd_value *v = vtd_enum_lookup(vtd_field_find(l, "TYPE"), type);

		if (w->drhd && type != 0 && type < 5)	/* interrupt sources: no DMA */
			goto out;
		r = skip(w, w->soff, VTD_ENOTSUP, "a%s %s scope names no PCI requester",
			 v && strchr("aeiou", v->name[0]) ? "n" : "", v ? v->name : "reserved");
		goto out;
	}
	if (!n) {
		r = skip(w, w->soff, VTD_EFORMAT, "the scope's path is empty");
		goto out;
	}
	for (i = 0; i < n; i++) {
		unsigned dev = p[SCOPE_SIZE + 2 * i], fn = p[SCOPE_SIZE + 2 * i + 1];

		if (dev > 31 || fn > 7) {
			r = skip(w, w->soff, VTD_EFORMAT, "%s: hop %u (%02x.%x) is beyond device 31, "
				 "function 7", vtd_sbuf_str(&what), i, dev, fn);
			goto out;
		}
		sid = (uint16_t)(bus << 8 | dev << 3 | fn);
		if (i + 1 < n) {
			if ((r = bridge_buses(w, sid, vtd_sbuf_str(&what), &sec, &sub)))
				goto out;
			bus = sec;
		}
	}
	if (type != SCOPE_BRIDGE) {
		r = sid_add(s, sid, w->err);
		goto out;
	}
	/*
	 * The bridge and its sub-hierarchy (VT-d 8.3.1): every device that
	 * answers there.  A skipped scope adds nothing, not even the bridge.
	 */
	if ((r = bridge_buses(w, sid, vtd_sbuf_str(&what), &sec, &sub)) ||
	    (r = sid_add(s, sid, w->err)))
		goto out;
	for (unsigned b = sec; b <= sub && !r; b++)
		for (unsigned df = 0; df < 256 && !r; df++) {
			uint8_t v;

			r = cfg(w, (uint16_t)(b << 8 | df), 0, &v);
			if (!r)
				r = sid_add(s, (uint16_t)(b << 8 | df), w->err);
			else if (r == -VTD_ENOTFOUND)
				r = 0;
			else
				r = skip(w, w->soff, -r, "%s: reading the configuration of %02x:%02x.%x: %s",
					 vtd_sbuf_str(&what), b, df >> 3, df & 7, vtd_strerror(r));
		}
out:
	vtd_sbuf_release(&what);
	if (r > 0)
		s->n = n0;
	return r < 0 ? r : 0;
}

/*
 * The source-ids of the scopes of the structure at 'p' ('fixed' bytes of
 * fixed part), sorted, each once: two scopes may name one device (a bridge
 * and a device below it).
 */
static int struct_sids(struct rwalk *w, const uint8_t *p, size_t slen, size_t fixed,
		       struct sidv *v)
{
	const uint8_t *q;
	size_t k = 0;
	int r = 0;

	for (q = p + fixed, w->ci = 0; q < p + slen && !r; q += q[1], w->ci++) {
		w->soff = (size_t)(q - w->buf);
		r = scope_sids(w, q, v);
	}
	if (r || !v->n)
		return r;
	qsort(v->v, v->n, sizeof(*v->v), cmp_sid);
	for (size_t a = 0; a < v->n; a++)
		if (!k || v->v[k - 1] != v->v[a])
			v->v[k++] = v->v[a];
	v->n = k;
	return 0;
}

/* What the structures of one type give: an array that grows by one each. */
struct acc {
	void *v;
	size_t n;
	uint16_t segment;		/* RMRRs: the segment asked for */
};

/*
 * The structures of code 'type' one by one: 'fn' is called with each
 * (checked like vtd_dmar_to_json checks it) and 'w' set to it, and adds
 * to 'a'; on failure what it added goes to 'drop'.
 */
static int each_struct(const uint8_t *buf, size_t len, unsigned type, struct rwalk *w,
		       int (*fn)(struct rwalk *w, const uint8_t *p, size_t off, size_t slen,
				 struct acc *a),
		       struct acc *a, void (*drop)(void *v, size_t n))
{
	struct sinfo s;
	size_t off;
	unsigned i;
	int r;

	if ((r = check_header(buf, len, w->err)))
		return r;
	for (off = VTD_DMAR_HEADER_SIZE, i = 0; off < len && !r; off += s.len, i++) {
		if ((r = check_struct(buf, len, off, i, &s, w->err)) || s.t != &stypes[type])
			continue;
		w->si = i;
		w->soff = SIZE_MAX;
		r = fn(w, buf + off, off, s.len, a);
	}
	if (r) {
		drop(a->v, a->n);
		a->v = NULL;
		a->n = 0;
	}
	return r;
}

/* Grow an array of 'size'-byte elements by one; NULL when out of memory. */
static void *grow(void **arr, size_t *n, size_t size, struct vtd_error *err)
{
	uint8_t *a = realloc(*arr, (*n + 1) * size);

	if (!a) {
		vtd_fail(err, VTD_ENOMEM, "out of memory");
		return NULL;
	}
	*arr = a;
	memset(a + *n * size, 0, size);
	return a + (*n)++ * size;
}

static int one_rmrr(struct rwalk *w, const uint8_t *p, size_t off, size_t slen, struct acc *a)
{
	const struct vtd_layout *l = &vtd_l_acpi_rmrr;
	uint64_t base = fval(l, "BASE", p), limit = fval(l, "LIMIT", p);
	struct sidv v = { 0 };
	struct vtd_rmrr *e;
	int r;

	if (fval(l, "SEGMENT", p) != a->segment)
		return 0;
	snprintf(w->name, sizeof(w->name), "RMRR at 0x%zx (0x%" PRIx64 "-0x%" PRIx64 ")", off,
		 base, limit);
	/* A size that does not fit 64 bits is no range the lint can take either. */
	if (limit < base || limit - base == UINT64_MAX) {
		r = skip(w, off, VTD_EFORMAT, limit < base ? "the limit lies below the base"
							   : "the range covers all 2^64 bytes");
		return r < 0 ? r : 0;
	}
	if ((r = struct_sids(w, p, slen, l->size, &v)) ||
	    !(e = grow(&a->v, &a->n, sizeof(*e), w->err))) {
		free(v.v);
		return r ? r : -VTD_ENOMEM;
	}
	*e = (struct vtd_rmrr){ .base = base, .size = limit - base + 1, .sids = v.v,
				.nsids = v.n };
	return 0;
}

void vtd_dmar_rmrrs_free(struct vtd_rmrr *r, size_t n)
{
	for (size_t i = 0; r && i < n; i++)
		free((void *)r[i].sids);
	free(r);
}

static void drop_rmrrs(void *v, size_t n)
{
	vtd_dmar_rmrrs_free(v, n);
}

int vtd_dmar_rmrrs(const uint8_t *buf, size_t len, uint16_t segment,
		   const struct vtd_dmar_pci *pci, struct vtd_rmrr **out, size_t *n,
		   struct vtd_error *err)
{
	struct rwalk w = { .buf = buf, .seg = segment, .pci = pci, .err = err };
	struct acc a = { .segment = segment };
	int r;

	if (!out || !n)
		return vtd_fail(err, VTD_EINVAL, "no result pointer");
	r = each_struct(buf, len, 1, &w, one_rmrr, &a, drop_rmrrs);
	*out = a.v;
	*n = a.n;
	return r;
}

static int one_drhd(struct rwalk *w, const uint8_t *p, size_t off, size_t slen, struct acc *a)
{
	const struct vtd_layout *l = &vtd_l_acpi_drhd;
	struct vtd_dmar_drhd *e;
	struct sidv v = { 0 };
	int r;

	w->seg = (uint16_t)fval(l, "SEGMENT", p);
	snprintf(w->name, sizeof(w->name), "DRHD at 0x%zx (0x%" PRIx64 ")", off,
		 fval(l, "REG_BASE", p));
	if ((r = struct_sids(w, p, slen, l->size, &v)) ||
	    !(e = grow(&a->v, &a->n, sizeof(*e), w->err))) {
		free(v.v);
		return r ? r : -VTD_ENOMEM;
	}
	*e = (struct vtd_dmar_drhd){ .reg_base = fval(l, "REG_BASE", p), .segment = w->seg,
				     .include_all = (uint8_t)fval(l, "INCLUDE_PCI_ALL", p),
				     .sids = v.v, .nsids = v.n };
	return 0;
}

void vtd_dmar_drhds_free(struct vtd_dmar_drhd *d, size_t n)
{
	for (size_t i = 0; d && i < n; i++)
		free(d[i].sids);
	free(d);
}

static void drop_drhds(void *v, size_t n)
{
	vtd_dmar_drhds_free(v, n);
}

int vtd_dmar_drhds(const uint8_t *buf, size_t len, const struct vtd_dmar_pci *pci,
		   struct vtd_dmar_drhd **out, size_t *n, struct vtd_error *err)
{
	struct rwalk w = { .buf = buf, .pci = pci, .err = err, .drhd = 1 };
	struct acc a = { 0 };
	int r;

	if (!out || !n)
		return vtd_fail(err, VTD_EINVAL, "no result pointer");
	r = each_struct(buf, len, 0, &w, one_drhd, &a, drop_drhds);
	*out = a.v;
	*n = a.n;
	return r;
}
