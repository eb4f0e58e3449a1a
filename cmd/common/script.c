/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtdkit tools -- the scenario format: lines parsed once, operations to a backend */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "regs.h"
#include "script.h"
#include "text.h"

static int vfail(struct script *s, unsigned col, int code, const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (s->line && col)
		cli_error(s->cli, code, "%s:%u:%u: %s", s->name, s->line, col, msg);
	else if (s->line)
		cli_error(s->cli, code, "%s:%u: %s", s->name, s->line, msg);
	else
		cli_error(s->cli, code, "%s", msg);
	return code;
}

int script_fail(struct script *s, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(s, 0, code, fmt, ap);
	va_end(ap);
	return code;
}

int script_fail_col(struct script *s, unsigned col, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(s, col, code, fmt, ap);
	va_end(ap);
	return code;
}

const char *script_str(struct json_object *o, const char *key)
{
	struct json_object *x;

	if (!json_object_object_get_ex(o, key, &x) || !json_object_is_type(x, json_type_string))
		return NULL;
	return json_object_get_string(x);
}

int script_num(struct script *s, struct json_object *o, const char *key, int need, uint64_t *v)
{
	struct json_object *x;

	if (!json_object_object_get_ex(o, key, &x)) {
		if (!need)
			return 1;
		script_fail(s, EXIT_DATA, "missing \"%s\"", key);
		return -1;
	}
	if (json_object_is_type(x, json_type_int) && json_object_get_int64(x) >= 0) {
		*v = (uint64_t)json_object_get_int64(x);
		return 0;
	}
	if (json_object_is_type(x, json_type_string) && !vtd_parse_u64(json_object_get_string(x), v))
		return 0;
	script_fail(s, EXIT_DATA, "\"%s\" is not a number", key);
	return -1;
}

static int jbool(struct script *s, struct json_object *o, const char *key, uint8_t *out)
{
	struct json_object *x;

	if (!json_object_object_get_ex(o, key, &x))
		return 0;
	if (!json_object_is_type(x, json_type_boolean))
		return script_fail(s, EXIT_DATA, "\"%s\" must be true or false", key);
	*out = (uint8_t)json_object_get_boolean(x);
	return 0;
}

/* Up to 'max' hex digits, at least one; the value, or -1. */
static long hexn(const char **p, int max)
{
	long v = 0;
	int n = 0;

	for (; n < max; n++, (*p)++) {
		int c = **p, d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (d < 0)
			break;
		v = v * 16 + d;
	}
	return n ? v : -1;
}

/* By hand, not sscanf: a batch of requests parses one BDF per line. */
int script_bdf(const char *str, unsigned *out)
{
	const char *p = str;
	long f[4];
	int n = 0;

	for (;;) {
		if ((f[n++] = hexn(&p, 4)) < 0)
			return -1;
		if (*p == ':' && n < 3) {
			p++;
			continue;
		}
		if (*p == '.' && n <= 3) {
			p++;
			if ((f[n++] = hexn(&p, 1)) < 0 || *p)
				return -1;
			break;
		}
		return -1;
	}
	/* seg:bus:dev.fn, bus:dev.fn or dev.fn */
	long seg = n == 4 ? f[0] : 0, bus = n >= 3 ? f[n - 3] : 0, dev = f[n - 2], fn = f[n - 1];

	if (seg || bus > 255 || dev > 31 || fn > 7)
		return -1;
	*out = (unsigned)(bus << 8 | dev << 3 | fn);
	return 0;
}

const char *script_bdf_str(unsigned sid, char *buf)
{
	snprintf(buf, 8, "%02x:%02x.%x", (sid >> 8) & 0xff, (sid >> 3) & 0x1f, sid & 7);
	return buf;
}

/* "ok", "dropped", "suppressed" or a fault code. */
static int parse_expect(struct script *s, const char *e, uint8_t *kind, uint16_t *code)
{
	uint64_t v;

	if (!e)
		return 0;
	if (!strcmp(e, "ok"))
		*kind = EXPECT_OK;
	else if (!strcmp(e, "dropped"))
		*kind = EXPECT_DROPPED;
	else if (!strcmp(e, "suppressed"))
		*kind = EXPECT_SUPPRESSED;
	else if (!vtd_parse_u64(e, &v) && v && v <= 0xff) {
		*kind = EXPECT_FAULT;
		*code = (uint16_t)v;
	} else {
		return script_fail(s, EXIT_DATA, "\"expect\" must be ok, dropped, suppressed or a "
				   "fault reason 0x01-0xff, not '%s'", e);
	}
	return 0;
}

int script_vregv(const struct vtd_layout *l, uint64_t *out, va_list ap)
{
	uint8_t b[8] = { 0 };
	const char *name;
	int rc = 0;

	while ((name = va_arg(ap, const char *))) {
		uint64_t v = va_arg(ap, uint64_t);
		const struct vtd_field *f = vtd_field_find(l, name);

		if (!f || vtd_field_set_raw(f, b, v, NULL))
			rc = -1;
	}
	*out = vtd_bits_get(b, 0, 64);
	return rc;
}

int script_regv(const struct vtd_layout *l, uint64_t *out, ...)
{
	va_list ap;
	int rc;

	va_start(ap, out);
	rc = script_vregv(l, out, ap);
	va_end(ap);
	return rc;
}

/* ---- requests ------------------------------------------------------------------- */

static int parse_access(const char *w, unsigned *acc)
{
	static const struct { const char *name; unsigned acc; } names[] = {
		{ "read", VTD_ACC_R }, { "r", VTD_ACC_R }, { "write", VTD_ACC_W }, { "w", VTD_ACC_W },
		{ "exec", VTD_ACC_R | VTD_ACC_X }, { "x", VTD_ACC_R | VTD_ACC_X },
		{ "rx", VTD_ACC_R | VTD_ACC_X },
	};

	for (size_t i = 0; i < VTD_NELEM(names); i++)
		if (!strcmp(w, names[i].name)) {
			*acc = names[i].acc;
			return 0;
		}
	return -1;
}

static int parse_at(const char *w, uint8_t *at)
{
	if (!strcmp(w, "untranslated") || !strcmp(w, "ut"))
		*at = VTD_AT_UNTRANSLATED;
	else if (!strcmp(w, "translation-request") || !strcmp(w, "tr"))
		*at = VTD_AT_TRANSLATION_REQ;
	else if (!strcmp(w, "translated") || !strcmp(w, "t"))
		*at = VTD_AT_TRANSLATED;
	else if (!strcmp(w, "page-request") || !strcmp(w, "pr"))
		*at = VTD_AT_PAGE_REQUEST;
	else
		return -1;
	return 0;
}

static int check_pasid(struct script *s, unsigned col, uint64_t v, struct vtd_request *rq)
{
	if (v > 0xfffff)
		return script_fail_col(s, col, EXIT_DATA, "PASID 0x%llx is out of range (20 bits)",
				       (unsigned long long)v);
	rq->has_pasid = 1;
	rq->pasid = (uint32_t)v;
	return 0;
}

/*
 * Words of a text request; 'cols' (may be NULL) gives each word's column for
 * errors.
 */
static int request_words(struct script *s, char **w, const unsigned *cols, unsigned n,
			 struct script_request *r)
{
#define COL(i) (cols ? cols[i] : 0)
	unsigned sid;
	uint64_t v;

	memset(r, 0, sizeof(*r));
	if (n < 3)
		return script_fail_col(s, n ? COL(0) : 0, EXIT_DATA,
				       "a request is BDF ACCESS ADDRESS [pasid=N] [priv] [at=KIND]");
	if (script_bdf(w[0], &sid))
		return script_fail_col(s, COL(0), EXIT_DATA, "'%s' is not a bus:device.function", w[0]);
	r->rq.sid = (uint16_t)sid;
	if (parse_access(w[1], &r->rq.access))
		return script_fail_col(s, COL(1), EXIT_DATA, "access '%s' is not read, write or exec",
				       w[1]);
	if (vtd_parse_u64(w[2], &r->rq.addr))
		return script_fail_col(s, COL(2), EXIT_DATA, "address '%s' is not a number", w[2]);
	for (unsigned i = 3; i < n; i++) {
		if (!strncmp(w[i], "pasid=", 6)) {
			if (vtd_parse_u64(w[i] + 6, &v))
				return script_fail_col(s, COL(i), EXIT_DATA, "'%s': PASID is not a number",
						       w[i]);
			if (check_pasid(s, COL(i), v, &r->rq))
				return EXIT_DATA;
		} else if (!strcmp(w[i], "priv")) {
			r->rq.priv = 1;
		} else if (!strncmp(w[i], "at=", 3)) {
			if (parse_at(w[i] + 3, &r->rq.at))
				return script_fail_col(s, COL(i), EXIT_DATA, "'%s': address type is "
						       "untranslated, translation-request, translated "
						       "or page-request", w[i]);
		} else if (!strncmp(w[i], "expect=", 7)) {
			if (parse_expect(s, w[i] + 7, &r->expect, &r->code))
				return EXIT_DATA;
		} else {
			return script_fail_col(s, COL(i), EXIT_DATA, "unknown request word '%s' "
					       "(pasid=N, priv, at=KIND, expect=RESULT)", w[i]);
		}
	}
	if (r->rq.priv && !r->rq.has_pasid)
		return script_fail_col(s, COL(0), EXIT_DATA, "a privileged request needs a PASID");
	return 0;
#undef COL
}

int script_request_words(struct script *s, char **words, unsigned n, struct script_request *r)
{
	return request_words(s, words, NULL, n, r);
}

static int text_request(struct script *s, char *line, struct script_request *r)
{
	char *w[16];
	unsigned cols[16], n = 0;
	char *p = line;

	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			*p++ = '\0';
		if (!*p || *p == '#')
			break;
		if (n == VTD_NELEM(w))
			return script_fail_col(s, (unsigned)(p - line) + 1, EXIT_DATA,
					       "too many words in a request");
		cols[n] = (unsigned)(p - line) + 1;
		w[n++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			p++;
	}
	*p = '\0';
	return request_words(s, w, cols, n, r);
}

static int json_request(struct script *s, struct json_object *o, struct script_request *r,
			int need_access)
{
	const char *bdf = script_str(o, "bdf"), *acc = script_str(o, "access");
	const char *at = script_str(o, "at");
	uint64_t v;
	unsigned sid;
	int rc;

	memset(r, 0, sizeof(*r));
	r->name = script_str(o, "name");
	if (bdf) {
		if (script_bdf(bdf, &sid))
			return script_fail(s, EXIT_DATA, "\"bdf\": '%s' is not bus:dev.fn", bdf);
		r->rq.sid = (uint16_t)sid;
	} else if ((rc = script_num(s, o, "sid", 1, &v)) < 0) {
		return EXIT_DATA;
	} else if (v > 0xffff) {
		return script_fail(s, EXIT_DATA, "\"sid\" 0x%llx is beyond 16 bits",
				   (unsigned long long)v);
	} else {
		r->rq.sid = (uint16_t)v;
	}
	r->rq.access = VTD_ACC_W;
	if ((acc || need_access) && (!acc || parse_access(acc, &r->rq.access)))
		return script_fail(s, EXIT_DATA, "\"access\" must be read, write or exec");
	if (script_num(s, o, "addr", 1, &r->rq.addr) < 0)
		return EXIT_DATA;
	if ((rc = script_num(s, o, "pasid", 0, &v)) < 0)
		return EXIT_DATA;
	if (!rc && check_pasid(s, 0, v, &r->rq))
		return EXIT_DATA;
	if (jbool(s, o, "priv", &r->rq.priv))
		return EXIT_DATA;
	if (at && parse_at(at, &r->rq.at))
		return script_fail(s, EXIT_DATA, "\"at\" must be untranslated, translation-request, "
				   "translated or page-request");
	if (r->rq.priv && !r->rq.has_pasid)
		return script_fail(s, EXIT_DATA, "a privileged request needs a \"pasid\"");
	if (parse_expect(s, script_str(o, "expect"), &r->expect, &r->code))
		return EXIT_DATA;
	if ((rc = script_num(s, o, "expect_out", 0, &r->out)) < 0)
		return EXIT_DATA;
	r->has_out = rc == 0;
	return 0;
}

/* ---- operations ------------------------------------------------------------------ */

static int probe_op(struct script *s, struct json_object *o, struct script_probe *p)
{
	const char *bdf = script_str(o, "bdf"), *dir = script_str(o, "dir");
	int rc;

	memset(p, 0, sizeof(*p));
	p->name = script_str(o, "name");
	p->len = 8;
	if (bdf) {
		if (script_bdf(bdf, &p->sid))
			return script_fail(s, EXIT_DATA, "\"bdf\": '%s' is not bus:dev.fn", bdf);
		p->has_bdf = 1;
	} else {
		p->sid = 3 << 3;	/* the harness's one edu device */
	}
	if (!dir || (strcmp(dir, "read") && strcmp(dir, "write")))
		return script_fail(s, EXIT_DATA, "\"dir\" must be \"read\" or \"write\"");
	p->write = !strcmp(dir, "write");
	if (script_num(s, o, "iova", 1, &p->iova) < 0 || script_num(s, o, "len", 0, &p->len) < 0 ||
	    (rc = script_num(s, o, "expect_pa", 0, &p->pa)) < 0)
		return EXIT_DATA;
	p->has_pa = rc == 0;
	if (!p->len || p->iova + p->len < p->iova)
		return script_fail(s, EXIT_DATA, "\"len\" must be at least 1 and stay within 64 bits");
	if (jbool(s, o, "cache", &p->cache))
		return EXIT_DATA;
	return parse_expect(s, script_str(o, "expect"), &p->expect, &p->code);
}

static uint8_t *hex_bytes(struct script *s, const char *hex, size_t *len)
{
	size_t n = hex ? strlen(hex) : 1;

	if (n % 2 || n / 2 > 1u << 20) {
		script_fail(s, EXIT_DATA, "\"hex\" must be whole bytes, at most 1 MiB");
		return NULL;
	}
	uint8_t *buf = malloc(n / 2 + 1);
	if (!buf) {
		script_fail(s, EXIT_INTERNAL, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < n / 2; i++) {
		static const char digits[] = "0123456789abcdefABCDEF";
		char pair[3] = { hex[2 * i], hex[2 * i + 1], 0 };
		if (!strchr(digits, pair[0]) || !strchr(digits, pair[1])) {
			free(buf);
			script_fail(s, EXIT_DATA, "\"hex\": not a hex byte at offset %zu", i);
			return NULL;
		}
		buf[i] = (uint8_t)strtoul(pair, NULL, 16);
	}
	*len = n / 2;
	return buf;
}

/* "set": a structure built from fields through its layout, written at "pa". */
static int set_op(struct script *s, struct json_object *o, const struct script_backend *be,
		  void *ctx)
{
	const char *name = script_str(o, "struct");
	const struct vtd_layout *l = name ? vtd_layout_find(name) : NULL;
	struct json_object *fields;
	struct vtd_error e = { 0 };
	uint8_t buf[64];
	size_t len;
	uint64_t pa;

	if (!l)
		return script_fail(s, EXIT_DATA, "\"set\" needs \"struct\": a structure name "
				   "(vtd-decode --list)%s%s", name ? ", not " : "", name ? name : "");
	if (l->size > sizeof(buf))
		return script_fail(s, EXIT_DATA, "\"set\": %s is not a table entry", l->name);
	if (script_num(s, o, "pa", 1, &pa) < 0)
		return EXIT_DATA;
	if (!json_object_object_get_ex(o, "fields", &fields))
		fields = NULL;
	if (fields && !json_object_is_type(fields, json_type_object))
		return script_fail(s, EXIT_DATA, "\"fields\" must be an object");
	if (fields) {
		if (vtd_json_to_bytes(l, fields, buf, &len, "/fields", &e) < 0)
			return script_fail(s, EXIT_DATA, "%s%s%s", e.where[0] ? e.where : "",
					   e.where[0] ? ": " : "", e.msg);
	} else {
		memset(buf, 0, l->size);
	}
	/* An entry is stored whole: its bytes above min_size are zero, not kept. */
	return be->write(ctx, pa, buf, l->size);
}

/* "inv": register-based invalidation, as CCMD and IOTLB register values. */
static int inv_op(struct script *s, struct json_object *o, const struct script_backend *be,
		  void *ctx)
{
	const char *cc = script_str(o, "context"), *tlb = script_str(o, "iotlb");
	uint64_t did = 0, addr = 0, am = 0, ih = 0, fm = 0;
	unsigned sid = 0;
	int rc;

	if (!cc && !tlb)
		return script_fail(s, EXIT_DATA, "\"inv\" needs \"context\" and/or \"iotlb\"");
	if (s->qi_used)
		return script_fail(s, EXIT_DATA, "register invalidation after \"qi\": the "
				   "specification forbids it once the queue is enabled");
	if (!be->ccmd || !be->iotlb)
		return script_fail(s, EXIT_DATA, "\"inv\" is not supported by %s", s->cli->prog);
	if (script_num(s, o, "did", 0, &did) < 0 || script_num(s, o, "addr", 0, &addr) < 0 ||
	    script_num(s, o, "am", 0, &am) < 0 || script_num(s, o, "ih", 0, &ih) < 0 ||
	    script_num(s, o, "fm", 0, &fm) < 0)
		return EXIT_DATA;
	if (did > 0xffff || am > 63 || ih > 1 || fm > 3)
		return script_fail(s, EXIT_DATA, "\"did\" is 16 bits, \"am\" 0-63, \"ih\" 0-1, "
				   "\"fm\" 0-3");
	if (cc) {
		uint64_t g = !strcmp(cc, "global") ? 1 : !strcmp(cc, "domain") ? 2 :
			     !strcmp(cc, "device") ? 3 : 0;
		const char *bdf = script_str(o, "bdf");
		uint64_t v;

		if (!g)
			return script_fail(s, EXIT_DATA, "\"context\" must be global, domain or device");
		if (g == 3 && (!bdf || script_bdf(bdf, &sid)))
			return script_fail(s, EXIT_DATA, "device-selective context invalidation needs "
					   "\"bdf\"");
		if (script_regv(&vtd_l_reg_ccmd, &v, "ICC", (uint64_t)1, "CIRG", g, "DID", did,
				  "SID", (uint64_t)sid, "FM", fm, NULL))
			return script_fail(s, EXIT_INTERNAL, "CCMD layout lacks a field");
		if ((rc = be->ccmd(ctx, v)))
			return rc;
	}
	if (tlb) {
		uint64_t g = !strcmp(tlb, "global") ? 1 : !strcmp(tlb, "domain") ? 2 :
			     !strcmp(tlb, "page") ? 3 : 0;
		uint64_t v, iva = 0;

		if (!g)
			return script_fail(s, EXIT_DATA, "\"iotlb\" must be global, domain or page");
		if (script_regv(&vtd_l_reg_iotlb, &v, "IVT", (uint64_t)1, "IIRG", g, "DID", did,
				  NULL) ||
		    (g == 3 && script_regv(&vtd_l_reg_iva, &iva, "ADDR", addr >> 12, "AM", am,
					     "IH", ih, NULL)))
			return script_fail(s, EXIT_INTERNAL, "IOTLB/IVA layout lacks a field");
		return be->iotlb(ctx, v, iva);
	}
	return 0;
}

/* "qi": descriptors as hex words, qw0 first (vtd-decode --encode prints them). */
static int qi_op(struct script *s, struct json_object *o, const struct script_backend *be,
		 void *ctx)
{
	struct json_object *d;
	unsigned size = s->qi_width ? s->qi_width : 16, n;
	uint8_t *desc;
	int rc;

	if (!be->qi)
		return script_fail(s, EXIT_DATA, "\"qi\" is not supported by %s", s->cli->prog);
	if (!json_object_object_get_ex(o, "desc", &d))
		return script_fail(s, EXIT_DATA, "\"qi\" needs \"desc\": descriptor words, qw0 first");
	if (json_object_is_type(d, json_type_string))
		n = 1;
	else if (json_object_is_type(d, json_type_array) && json_object_array_length(d) <= 128)
		n = (unsigned)json_object_array_length(d);
	else
		return script_fail(s, EXIT_DATA, "\"desc\" must be a string or an array of at most "
				   "128 strings");
	if (!(desc = calloc(n ? n : 1, size)))
		return script_fail(s, EXIT_INTERNAL, "out of memory");
	for (unsigned i = 0; i < n; i++) {
		struct json_object *x = json_object_is_type(d, json_type_string) ? d
					: json_object_array_get_idx(d, i);
		const char *w = json_object_is_type(x, json_type_string) ? json_object_get_string(x)
								       : NULL;
		unsigned nw = 0;
		char *end;

		while (w && *w) {
			while (*w == ' ')
				w++;
			if (!*w)
				break;
			errno = 0;
			uint64_t v = strtoull(w, &end, 16);
			if (end == w || errno || nw * 8 >= size || (*end && *end != ' ')) {
				free(desc);
				return script_fail(s, EXIT_DATA, "\"desc\" %u: want at most %u hex words",
						   i, size / 8);
			}
			for (int b = 0; b < 8; b++)
				desc[i * size + nw * 8 + (unsigned)b] = (uint8_t)(v >> (8 * b));
			nw++;
			w = end;
		}
		if (nw < 2) {
			free(desc);
			return script_fail(s, EXIT_DATA, "\"desc\" %u: a descriptor has 2 or 4 words", i);
		}
	}
	s->qi_used = 1;
	rc = be->qi(ctx, desc, n);
	free(desc);
	return rc;
}

static int unsupported(struct script *s, const char *op)
{
	return script_fail(s, EXIT_DATA, "\"%s\" is not supported by %s", op, s->cli->prog);
}

/* The members each operation takes: a misspelt one is an error, not ignored. */
static const struct {
	const char *op;
	const char *keys;	/* space-separated, each followed by a space */
} members[] = {
	{ "request", "name bdf sid access addr pasid priv at expect expect_out " },
	{ "probe", "name bdf dir iova len expect expect_pa cache " },
	{ "write", "pa hex " },
	{ "set", "pa struct fields " },
	{ "unmap", "name bdf sid access addr pasid priv at " },
	{ "load", "file pa " },
	{ "enable", "rtaddr " },
	{ "disable", "" },
	{ "inv", "context iotlb did bdf addr am ih fm " },
	{ "qi", "desc " },
	{ "regs", "" },
	{ "stats", "" },
};

/* Is 'key' one of the space-separated words of 'keys'? */
static int has_word(const char *keys, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = keys; *p; p = strchr(p, ' ') + 1)
		if (!strncmp(p, key, n) && p[n] == ' ')
			return 1;
	return 0;
}

static int check_members(struct script *s, struct json_object *o, const char *op)
{
	const char *keys = NULL;

	for (size_t i = 0; i < VTD_NELEM(members); i++)
		if (!strcmp(op, members[i].op))
			keys = members[i].keys;
	if (!keys)
		return 0;	/* unknown ops are reported by the dispatcher */
	json_object_object_foreach(o, key, val) {
		(void)val;
		if (!strcmp(key, "op") || !strcmp(key, "comment"))
			continue;
		if (!has_word(keys, key))
			return script_fail(s, EXIT_DATA, "\"%s\" takes no member \"%s\" (%s%.*s)", op,
					   key, *keys ? "it takes: " : "it takes none",
					   (int)(*keys ? strlen(keys) - 1 : 0), keys);
	}
	if (json_object_object_get_ex(o, "expect", NULL) && !script_str(o, "expect"))
		return script_fail(s, EXIT_DATA, "\"expect\" must be a string: \"ok\", \"dropped\", "
				   "\"suppressed\" or a fault reason such as \"0x05\"");
	return 0;
}

static int dispatch(struct script *s, struct json_object *o, const struct script_backend *be,
		    void *ctx)
{
	const char *op = script_str(o, "op");
	struct script_request r;
	struct script_probe p;
	uint64_t v;
	int rc;

	if (json_object_object_get_ex(o, "op", NULL) && !op)
		return script_fail(s, EXIT_DATA, "\"op\" must be a string");
	if (check_members(s, o, op ? op : "request"))
		return EXIT_DATA;

	if (!op || !strcmp(op, "request")) {
		if (!op && !json_object_object_get_ex(o, "bdf", NULL) &&
		    !json_object_object_get_ex(o, "sid", NULL))
			return script_fail(s, EXIT_DATA, "missing \"op\" (or a request's \"bdf\")");
		if (!be->request)
			return unsupported(s, "request");
		return json_request(s, o, &r, 1) ? EXIT_DATA : be->request(ctx, &r);
	}
	if (!strcmp(op, "probe")) {
		if (!be->probe)
			return unsupported(s, op);
		return probe_op(s, o, &p) ? EXIT_DATA : be->probe(ctx, &p);
	}
	if (!strcmp(op, "write")) {
		size_t n;
		uint8_t *buf;
		if (script_num(s, o, "pa", 1, &v) < 0 || !(buf = hex_bytes(s, script_str(o, "hex"), &n)))
			return EXIT_DATA;
		rc = be->write(ctx, v, buf, n);
		free(buf);
		return rc;
	}
	if (!strcmp(op, "set"))
		return set_op(s, o, be, ctx);
	if (!strcmp(op, "unmap")) {
		if (!be->unmap)
			return unsupported(s, op);
		return json_request(s, o, &r, 0) ? EXIT_DATA : be->unmap(ctx, &r);
	}
	if (!strcmp(op, "load")) {
		const char *f = script_str(o, "file");
		if (!f)
			return script_fail(s, EXIT_DATA, "\"load\" needs \"file\" and \"pa\"");
		if (script_num(s, o, "pa", 1, &v) < 0)
			return EXIT_DATA;
		return be->load(ctx, f, v);
	}
	if (!strcmp(op, "enable")) {
		if (script_num(s, o, "rtaddr", 1, &v) < 0)
			return EXIT_DATA;
		return be->enable(ctx, v);
	}
	if (!strcmp(op, "disable"))
		return be->disable(ctx);
	if (!strcmp(op, "inv"))
		return inv_op(s, o, be, ctx);
	if (!strcmp(op, "qi"))
		return qi_op(s, o, be, ctx);
	if (!strcmp(op, "regs"))
		return be->regs ? be->regs(ctx) : unsupported(s, op);
	if (!strcmp(op, "stats"))
		return be->stats ? be->stats(ctx) : unsupported(s, op);
	return script_fail(s, EXIT_DATA, "unknown op '%s' (request, probe, write, set, unmap, load, "
			   "enable, disable, inv, qi, regs, stats)", op);
}

int script_line(struct script *s, char *line, const struct script_backend *be, void *ctx)
{
	static const char blank[] = " \t\r\n";
	char *t = line + strspn(line, blank);
	struct script_request r;

	if (!*t || *t == '#')
		return 0;
	if (*t != '{') {
		if (!be->request)
			return unsupported(s, "request");
		/* Columns count from the line's start: blanks are overwritten, not skipped. */
		return text_request(s, line, &r) ? EXIT_DATA : be->request(ctx, &r);
	}
	struct json_tokener *tok = json_tokener_new();
	if (!tok)
		return script_fail(s, EXIT_INTERNAL, "out of memory");
	size_t n = strlen(t);
	while (n && strchr(blank, t[n - 1]))
		n--;
	struct json_object *o = json_tokener_parse_ex(tok, t, (int)n);
	enum json_tokener_error je = json_tokener_get_error(tok);
	unsigned col = (unsigned)json_tokener_get_parse_end(tok) + (unsigned)(t - line) + 1;
	int rc;

	json_tokener_free(tok);
	if (!o || je != json_tokener_success) {
		json_object_put(o);
		return script_fail_col(s, col, EXIT_DATA, "%s", je == json_tokener_continue
				       ? "unterminated JSON object" : json_tokener_error_desc(je));
	}
	if (!json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return script_fail(s, EXIT_DATA, "each line must be a JSON object");
	}
	if (col - 1 - (unsigned)(t - line) < n) {
		json_object_put(o);
		return script_fail_col(s, col, EXIT_DATA, "text after the JSON object");
	}
	rc = dispatch(s, o, be, ctx);
	json_object_put(o);
	return rc;
}

int script_run(struct script *s, char *text, size_t len, const struct script_backend *be,
	       void *ctx)
{
	char *p = text, *end = text + len;

	s->line = 0;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *eol = nl ? nl : end;
		int rc;

		s->line++;
		*eol = '\0';
		if ((rc = script_line(s, p, be, ctx)))
			return rc;
		p = eol + 1;
	}
	s->line = 0;
	return 0;
}

int script_run_file(struct script *s, FILE *f, const struct script_backend *be, void *ctx)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;

	s->line = 0;
	while ((n = getline(&line, &cap, f)) >= 0) {
		s->line++;
		if ((size_t)n != strlen(line)) {
			rc = script_fail(s, EXIT_DATA, "a NUL byte in the line: not a text file");
			break;
		}
		if (n > 1 << 20) {
			rc = script_fail(s, EXIT_DATA, "a line of %zd bytes (at most 1 MiB)", n);
			break;
		}
		if ((rc = script_line(s, line, be, ctx)))
			break;
	}
	if (!rc && ferror(f))
		rc = script_fail(s, EXIT_SOURCE, "read error: %s", strerror(errno));
	free(line);
	if (!rc)
		s->line = 0;
	return rc;
}

int script_load_spec(struct script *s, const char *spec, const struct script_backend *be,
		     void *ctx)
{
	const char *at = strrchr(spec, '@');
	char path[4096];
	uint64_t pa;

	if (!at || at == spec || (size_t)(at - spec) >= sizeof(path) || vtd_parse_u64(at + 1, &pa))
		return script_fail(s, EXIT_USAGE, "load '%s': expected FILE@ADDRESS", spec);
	memcpy(path, spec, (size_t)(at - spec));
	path[at - spec] = '\0';
	return be->load(ctx, path, pa);
}

int script_machine_opt(struct cli *c, int key, const char *arg, struct script_machine *mo)
{
	uint64_t v;

	switch (key) {
	case 's':
		mo->scalable = 1;
		return 1;
	case 'a':
		if (vtd_parse_u64(arg, &v) || (v != 39 && v != 48)) {
			cli_error(c, EXIT_USAGE, "--aw-bits must be 39 or 48");
			return -1;
		}
		mo->aw_bits = (unsigned)v;
		return 1;
	case 'l':
		if (mo->nloads == VTD_NELEM(mo->loads)) {
			cli_error(c, EXIT_USAGE, "too many --load options");
			return -1;
		}
		mo->loads[mo->nloads++] = arg;
		return 1;
	case 'm':
		if (vtd_parse_u64(arg, &v) || v < 16 || v > 65536) {
			cli_error(c, EXIT_USAGE, "--ram must be 16 to 65536 (MiB)");
			return -1;
		}
		mo->ram = v << 20;
		return 1;
	}
	return 0;
}
