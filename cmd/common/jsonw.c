// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vtdkit tools -- a streaming JSON writer (in the spirit of bpftool's
 * json_writer) whose bytes are json-c's: the large answers (a million
 * mappings) are written as they are walked instead of growing a json-c tree
 * of gigabytes, and the goldens made through json-c stay valid.  json-c
 * 0.16's printer, which this follows: a container opens with "{" and, when
 * pretty, a newline; members are separated by ",\n", each indented two
 * spaces a level; it closes with a newline only when it had members, then
 * the indent of its own level: an empty object prints "{\n<indent>}".
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"

#define MAX_DEPTH 64

struct jsonw {
	FILE *f;
	int pretty;
	unsigned depth;
	uint8_t had[MAX_DEPTH];	/* the container at each depth has a member already */
	uint8_t keyed;		/* a key was written: the value follows it directly */
};

struct jsonw *jsonw_new(FILE *f, int pretty)
{
	struct jsonw *w = calloc(1, sizeof(*w));

	if (w) {
		w->f = f;
		w->pretty = pretty;
	}
	return w;
}

void jsonw_free(struct jsonw *w)
{
	if (!w)
		return;
	fputc('\n', w->f);
	free(w);
}

static void indent(struct jsonw *w, unsigned level)
{
	static const char sp[] = "                                                                ";

	if (!w->pretty)
		return;
	for (size_t n = 2 * (size_t)level; n; ) {
		size_t k = n < sizeof(sp) - 1 ? n : sizeof(sp) - 1;

		fwrite(sp, 1, k, w->f);
		n -= k;
	}
}

/* What comes before a member of the current container: separator and indent. */
static void member(struct jsonw *w)
{
	if (!w->depth)
		return;
	if (w->had[w->depth - 1])
		fputc(',', w->f);
	if (w->pretty && w->had[w->depth - 1])
		fputc('\n', w->f);
	w->had[w->depth - 1] = 1;
	indent(w, w->depth);
}

static void value(struct jsonw *w)
{
	if (w->keyed)
		w->keyed = 0;
	else
		member(w);
}

static void escaped(FILE *f, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\b': fputs("\\b", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		case '\f': fputs("\\f", f); break;
		default:
			if (*p < ' ')
				fprintf(f, "\\u00%c%c", hex[*p >> 4], hex[*p & 15]);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void open_c(struct jsonw *w, char c)
{
	value(w);
	fputc(c, w->f);
	if (w->pretty)
		fputc('\n', w->f);
	if (w->depth < MAX_DEPTH)
		w->had[w->depth] = 0;
	w->depth++;
}

static void close_c(struct jsonw *w, char c)
{
	unsigned d = --w->depth;

	if (w->pretty && d < MAX_DEPTH && w->had[d])
		fputc('\n', w->f);
	indent(w, d);
	fputc(c, w->f);
}

void jsonw_start_object(struct jsonw *w) { open_c(w, '{'); }
void jsonw_end_object(struct jsonw *w) { close_c(w, '}'); }
void jsonw_start_array(struct jsonw *w) { open_c(w, '['); }
void jsonw_end_array(struct jsonw *w) { close_c(w, ']'); }

void jsonw_key(struct jsonw *w, const char *key)
{
	member(w);
	escaped(w->f, key);
	fputs(w->pretty ? ": " : ":", w->f);
	w->keyed = 1;
}

void jsonw_string(struct jsonw *w, const char *s)
{
	value(w);
	escaped(w->f, s);
}

void jsonw_int(struct jsonw *w, int64_t v)
{
	value(w);
	fprintf(w->f, "%" PRId64, v);
}

void jsonw_bool(struct jsonw *w, int v)
{
	value(w);
	fputs(v ? "true" : "false", w->f);
}

void jsonw_hex(struct jsonw *w, uint64_t v)
{
	value(w);
	fprintf(w->f, "\"0x%" PRIx64 "\"", v);
}

void jsonw_json(struct jsonw *w, struct json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_object:
		jsonw_start_object(w);
		json_object_object_foreach(o, k, v) {
			jsonw_key(w, k);
			jsonw_json(w, v);
		}
		jsonw_end_object(w);
		break;
	case json_type_array:
		jsonw_start_array(w);
		for (size_t i = 0; i < json_object_array_length(o); i++)
			jsonw_json(w, json_object_array_get_idx(o, i));
		jsonw_end_array(w);
		break;
	case json_type_string:
		jsonw_string(w, json_object_get_string(o));
		break;
	default:
		/* numbers, booleans, null: json-c's own text for them */
		value(w);
		fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN), w->f);
	}
}

void jsonw_kstring(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	jsonw_string(w, s);
}

void jsonw_kint(struct jsonw *w, const char *key, int64_t v)
{
	jsonw_key(w, key);
	jsonw_int(w, v);
}

void jsonw_kbool(struct jsonw *w, const char *key, int v)
{
	jsonw_key(w, key);
	jsonw_bool(w, v);
}

void jsonw_khex(struct jsonw *w, const char *key, uint64_t v)
{
	jsonw_key(w, key);
	jsonw_hex(w, v);
}

void jsonw_kjson(struct jsonw *w, const char *key, struct json_object *o)
{
	jsonw_key(w, key);
	jsonw_json(w, o);
	json_object_put(o);
}
