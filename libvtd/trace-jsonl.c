/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvtd -- our JSONL (formats/trace-event.md): one event per line, written
 * by vtd_event_jsonl() and read back by the reader here, member for member,
 * so that reading what was written gives the same event.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "fault.h"
#include "trace-internal.h"

/* ---- writing ------------------------------------------------------------------- */

struct out {
	char *b;
	size_t n, len;
	int over;
};

__attribute__((format(printf, 2, 3)))
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (o->over)
		return;
	va_start(ap, fmt);
	k = vsnprintf(o->b + o->len, o->n - o->len, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= o->n - o->len)
		o->over = 1;
	else
		o->len += (size_t)k;
}

/* A JSON string: quotes, backslashes and control bytes escaped. */
static void put_str(struct out *o, const char *key, const char *s)
{
	put(o, ",\"%s\":\"", key);
	for (; *s && !o->over; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			put(o, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			put(o, "\\u%04x", c);
		else if (o->len + 1 < o->n)
			o->b[o->len++] = (char)c, o->b[o->len] = 0;
		else
			o->over = 1;
	}
	put(o, "\"");
}

static const char access_letters[] = "rwxp";

int vtd_event_jsonl(const struct vtd_event *ev, int with_line, char *buf, size_t n)
{
	struct out o = { buf, n, 0, 0 };
	unsigned i;

	if (!ev || !buf || !n)
		return -VTD_EINVAL;
	buf[0] = 0;
	put(&o, "{\"kind\":\"%s\"", vtd_ev_kind_name(ev->kind));
	if (ev->has & VTD_EVH_TS)
		put(&o, ",\"ts_ns\":%" PRIu64, ev->ts_ns);
	if (ev->has & VTD_EVH_CPU)
		put(&o, ",\"cpu\":%" PRId32, ev->cpu);
	if (ev->unit[0])
		put_str(&o, "unit", ev->unit);
	if (ev->device[0])
		put_str(&o, "device", ev->device);
	if (ev->has & VTD_EVH_SID)
		put(&o, ",\"sid\":\"%02x:%02x.%x\"", ev->sid >> 8, (ev->sid >> 3) & 0x1f, ev->sid & 7);
	if (ev->has & VTD_EVH_PASID)
		put(&o, ",\"pasid\":%" PRIu32, ev->pasid);
	if (ev->has & VTD_EVH_ADDR)
		put(&o, ",\"addr\":\"0x%" PRIx64 "\"", ev->addr);
	if (ev->has & VTD_EVH_SIZE)
		put(&o, ",\"size\":\"0x%" PRIx64 "\"", ev->size);
	if (ev->has & VTD_EVH_PADDR)
		put(&o, ",\"paddr\":\"0x%" PRIx64 "\"", ev->paddr);
	if (ev->has & VTD_EVH_REASON)
		put(&o, ",\"reason\":%u", ev->reason);
	if (ev->access) {
		char a[5];
		unsigned k = 0;

		for (i = 0; i < 4; i++)
			if (ev->access & (1u << i))
				a[k++] = access_letters[i];
		a[k] = 0;
		put(&o, ",\"access\":\"%s\"", a);
	}
	if (ev->has & VTD_EVH_DID)
		put(&o, ",\"did\":%u", ev->did);
	if (ev->inv_type)
		put(&o, ",\"inv_type\":\"%s\"", vtd_inv_type_name(ev->inv_type));
	if (ev->inv_gran)
		put(&o, ",\"inv_gran\":\"%s\"", vtd_inv_gran_name(ev->inv_gran));
	if (ev->am)
		put(&o, ",\"am\":%u", ev->am);
	if (ev->ih)
		put(&o, ",\"ih\":%u", ev->ih);
	if (ev->has & VTD_EVH_DESC) {
		put(&o, ",\"qw\":[");
		for (i = 0; i < ev->nqw && i < 4; i++)
			put(&o, "%s\"0x%" PRIx64 "\"", i ? "," : "", ev->qw[i]);
		put(&o, "]");
	}
	if (ev->has & VTD_EVH_INDEX)
		put(&o, ",\"index\":\"0x%" PRIx64 "\"", ev->index);
	if (ev->has & VTD_EVH_GROUP)
		put(&o, ",\"group\":%" PRIu32, ev->group);
	if (ev->text)
		put_str(&o, "text", ev->text);
	if (with_line && ev->line)
		put_str(&o, "line", ev->line);
	put(&o, "}");
	return o.over ? -VTD_ERANGE : (int)o.len;
}

/* ---- reading ------------------------------------------------------------------- */

/* Texts the readers produce themselves: kept as static strings. */
static const char *const known_texts[] = {
	"fault-status", "dump", "root-entry", "context-entry", "pasid-dir-entry",
	"pasid-entry", "pte", "pte-not-present", "root-not-present", "context-not-present",
	"pgtable-not-present", "pasid-dir-not-present", "pasid-table-not-present", "unit",
	"dmar-enable", "ir-enable", "qi-enable", "fault-pending", "qi-setup", "root", "ir-root",
	"cc-reset", "iotlb-reset", "switch-as",
};

static int bad(struct vtd_error *err, const char *key, const char *why)
{
	return vtd_fail(err, VTD_EFORMAT, "JSONL member '%s': %s", key, why);
}

static int get_u(json_object *v, const char *key, uint64_t max, uint64_t *out,
		 struct vtd_error *err)
{
	int64_t x;

	if (!json_object_is_type(v, json_type_int))
		return bad(err, key, "not an integer");
	/* json-c keeps integers above INT64_MAX as unsigned */
	x = json_object_get_int64(v);
	if (x < 0 || json_object_get_uint64(v) > max)
		return bad(err, key, "out of range");
	*out = json_object_get_uint64(v);
	return 0;
}

static int get_hex(json_object *v, const char *key, uint64_t *out, struct vtd_error *err)
{
	const char *s;
	struct sc c;

	if (!json_object_is_type(v, json_type_string))
		return bad(err, key, "not a \"0x...\" string");
	s = json_object_get_string(v);
	c.p = s;
	c.e = s + json_object_get_string_len(v);
	if (!sc_hex0x(&c, out) || sc_more(&c))
		return bad(err, key, "not a \"0x...\" string");
	return 0;
}

static int get_str(json_object *v, const char *key, const char **out, size_t *len,
		   struct vtd_error *err)
{
	if (!json_object_is_type(v, json_type_string))
		return bad(err, key, "not a string");
	*out = json_object_get_string(v);
	*len = (size_t)json_object_get_string_len(v);
	if (memchr(*out, 0, *len))
		return bad(err, key, "holds a NUL");
	return 0;
}

static int get_name(json_object *v, const char *key, const char *(*name)(int), int n,
		    uint8_t *out, struct vtd_error *err)
{
	const char *s;
	size_t len;
	int i;

	if (get_str(v, key, &s, &len, err))
		return -VTD_EFORMAT;
	for (i = 1; i < n; i++)
		if (!strcmp(s, name(i))) {
			*out = (uint8_t)i;
			return 0;
		}
	return bad(err, key, "unknown name");
}

static int member(struct tr_state *st, const char *key, json_object *v, struct vtd_event *ev,
		  const char **text, struct vtd_error *err)
{
	const char *s;
	size_t len, i;
	uint64_t x;
	struct sc c;

#define KEY(k) (!strcmp(key, k))
	if (KEY("kind")) {
		if (get_str(v, key, &s, &len, err))
			return -VTD_EFORMAT;
		ev->kind = (uint16_t)vtd_ev_kind_of(s);
		return ev->kind ? 0 : bad(err, key, "unknown kind");
	}
	if (KEY("ts_ns")) {
		if (get_u(v, key, UINT64_MAX, &ev->ts_ns, err))
			return -VTD_EFORMAT;
		ev->has |= VTD_EVH_TS;
	} else if (KEY("cpu")) {
		if (get_u(v, key, INT32_MAX, &x, err))
			return -VTD_EFORMAT;
		ev->cpu = (int32_t)x;
		ev->has |= VTD_EVH_CPU;
	} else if (KEY("unit") || KEY("device")) {
		char *dst = KEY("unit") ? ev->unit : ev->device;
		size_t cap = KEY("unit") ? sizeof(ev->unit) : sizeof(ev->device);

		if (get_str(v, key, &s, &len, err))
			return -VTD_EFORMAT;
		if (len >= cap || !len)
			return bad(err, key, "empty or too long");
		memcpy(dst, s, len + 1);
	} else if (KEY("sid")) {
		uint64_t b, d, f;

		if (get_str(v, key, &s, &len, err))
			return -VTD_EFORMAT;
		c.p = s;
		c.e = s + len;
		if (!sc_hex(&c, &b) || !sc_ch(&c, ':') || !sc_hex(&c, &d) || !sc_ch(&c, '.') ||
		    !sc_hex(&c, &f) || sc_more(&c) || b > 0xff || d > 0x1f || f > 7)
			return bad(err, key, "not \"bus:dev.fn\"");
		ev->sid = (uint16_t)(b << 8 | d << 3 | f);
		ev->has |= VTD_EVH_SID;
	} else if (KEY("pasid")) {
		if (get_u(v, key, 0xfffff, &x, err))
			return -VTD_EFORMAT;
		ev->pasid = (uint32_t)x;
		ev->has |= VTD_EVH_PASID;
	} else if (KEY("addr")) {
		if (get_hex(v, key, &ev->addr, err))
			return -VTD_EFORMAT;
		ev->has |= VTD_EVH_ADDR;
	} else if (KEY("size")) {
		if (get_hex(v, key, &ev->size, err))
			return -VTD_EFORMAT;
		ev->has |= VTD_EVH_SIZE;
	} else if (KEY("paddr")) {
		if (get_hex(v, key, &ev->paddr, err))
			return -VTD_EFORMAT;
		ev->has |= VTD_EVH_PADDR;
	} else if (KEY("reason")) {
		if (get_u(v, key, 0xff, &x, err))
			return -VTD_EFORMAT;
		ev->reason = (uint16_t)x;
		ev->has |= VTD_EVH_REASON;
	} else if (KEY("access")) {
		if (get_str(v, key, &s, &len, err))
			return -VTD_EFORMAT;
		for (i = 0; i < len; i++) {
			const char *p = memchr(access_letters, s[i], 4);

			if (!p || !s[i])
				return bad(err, key, "not a set of r, w, x, p");
			ev->access |= (uint8_t)(1u << (p - access_letters));
		}
	} else if (KEY("did")) {
		if (get_u(v, key, 0xffff, &x, err))
			return -VTD_EFORMAT;
		ev->did = (uint16_t)x;
		ev->has |= VTD_EVH_DID;
	} else if (KEY("inv_type")) {
		return get_name(v, key, vtd_inv_type_name, VTD_INV_TYPE_N, &ev->inv_type, err);
	} else if (KEY("inv_gran")) {
		return get_name(v, key, vtd_inv_gran_name, VTD_GRAN_N, &ev->inv_gran, err);
	} else if (KEY("am") || KEY("ih")) {
		if (get_u(v, key, KEY("am") ? 63 : 1, &x, err))
			return -VTD_EFORMAT;
		*(KEY("am") ? &ev->am : &ev->ih) = (uint8_t)x;
	} else if (KEY("qw")) {
		size_t n;

		if (!json_object_is_type(v, json_type_array) ||
		    (n = json_object_array_length(v)) < 1 || n > 4)
			return bad(err, key, "not an array of 1 to 4 words");
		for (i = 0; i < n; i++)
			if (get_hex(json_object_array_get_idx(v, i), key, &ev->qw[i], err))
				return -VTD_EFORMAT;
		ev->nqw = (uint8_t)n;
		ev->has |= VTD_EVH_DESC;
	} else if (KEY("index")) {
		if (get_hex(v, key, &ev->index, err))
			return -VTD_EFORMAT;
		ev->has |= VTD_EVH_INDEX;
	} else if (KEY("group")) {
		if (get_u(v, key, UINT32_MAX, &x, err))
			return -VTD_EFORMAT;
		ev->group = (uint32_t)x;
		ev->has |= VTD_EVH_GROUP;
	} else if (KEY("text")) {
		if (get_str(v, key, &s, &len, err))
			return -VTD_EFORMAT;
		if (len > 255)
			return bad(err, key, "longer than 255 bytes");
		*text = s;	/* placed once the reason is known */
	} else if (KEY("line")) {
		if (get_str(v, key, &s, &len, err))
			return -VTD_EFORMAT;
		if (st->t) {
			if (len >= st->j_line_cap) {
				char *nb = realloc(st->j_line, len + 1);

				if (!nb)
					return vtd_fail(err, VTD_ENOMEM, "out of memory");
				st->j_line = nb;
				st->j_line_cap = len + 1;
			}
			memcpy(st->j_line, s, len + 1);
			ev->line = st->j_line;
		}
	}
	/* other members: later versions' additions, ignored */
#undef KEY
	return 0;
}

/*
 * Texts the library itself produces become its static strings (they stay
 * valid without a reader); others are copied into the reader's memory.
 */
static void set_text(struct tr_state *st, struct vtd_event *ev, const char *s)
{
	size_t i;

	if ((ev->has & VTD_EVH_REASON) && !strcmp(s, vtd_fault_linux_text(ev->reason))) {
		ev->text = vtd_fault_linux_text(ev->reason);
		return;
	}
	for (i = 0; i < VTD_NELEM(known_texts); i++)
		if (!strcmp(s, known_texts[i])) {
			ev->text = known_texts[i];
			return;
		}
	if (st->t) {
		snprintf(st->j_text, sizeof(st->j_text), "%s", s);
		ev->text = st->j_text;
	}
}

static int jsonl_parse(struct tr_state *st, const char *line, size_t len, uint64_t lineno,
		       struct vtd_event *ev, struct vtd_error *err)
{
	struct json_tokener *tok;
	json_object *o;
	int rc = TR_EVENT;
	size_t i = 0;

	(void)lineno;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i == len || line[i] != '{')
		return TR_NOTMINE;
	tok = json_tokener_new();
	if (!tok)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	o = json_tokener_parse_ex(tok, line, (int)len);
	if (!o || json_tokener_get_parse_end(tok) < len ||
	    !json_object_is_type(o, json_type_object)) {
		rc = vtd_fail(err, VTD_EFORMAT, "not one JSON object: %s",
			      json_tokener_error_desc(json_tokener_get_error(tok)));
	} else {
		const char *text = NULL;

		json_object_object_foreach(o, key, v) {
			rc = member(st, key, v, ev, &text, err);
			if (rc < 0)
				break;
		}
		if (rc >= 0 && text)
			set_text(st, ev, text);
		if (rc >= 0 && !ev->kind)
			rc = vtd_fail(err, VTD_EFORMAT, "JSONL object without \"kind\"");
		else if (rc >= 0)
			rc = TR_EVENT;
	}
	json_object_put(o);
	json_tokener_free(tok);
	return rc;
}

const struct tr_reader vtd__tr_jsonl = { "jsonl", jsonl_parse };
