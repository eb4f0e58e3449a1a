/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtdkit tools -- a streaming JSON writer that prints what json-c would print */
#ifndef VTD_JSONW_H
#define VTD_JSONW_H

#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

/*
 * Output that needs no tree in memory: values go to the FILE as they come,
 * byte for byte as cli_fprint_json() prints the same document through
 * json-c (compact, or pretty with two-space indent and "key": value), so
 * either path gives the same output.  Members are written in call order:
 * the caller keeps keys unique.  Write errors show in the FILE's error
 * flag, as with any stdio output.
 */
struct jsonw;

/* NULL when out of memory. */
struct jsonw *jsonw_new(FILE *f, int pretty);
/* End the document with a newline (after the last close) and free the writer. */
void jsonw_free(struct jsonw *w);

void jsonw_start_object(struct jsonw *w);
void jsonw_end_object(struct jsonw *w);
void jsonw_start_array(struct jsonw *w);
void jsonw_end_array(struct jsonw *w);
/* The key of the next member of the current object. */
void jsonw_key(struct jsonw *w, const char *key);

void jsonw_string(struct jsonw *w, const char *s);
void jsonw_int(struct jsonw *w, int64_t v);
void jsonw_bool(struct jsonw *w, int v);
/* "0x..." in lower case, as cli_json_hex(). */
void jsonw_hex(struct jsonw *w, uint64_t v);
/* A json-c value (objects and arrays walked, scalars as json-c prints them). */
void jsonw_json(struct jsonw *w, struct json_object *o);

/* key and value in one call */
void jsonw_kstring(struct jsonw *w, const char *key, const char *s);
void jsonw_kint(struct jsonw *w, const char *key, int64_t v);
void jsonw_kbool(struct jsonw *w, const char *key, int v);
void jsonw_khex(struct jsonw *w, const char *key, uint64_t v);
/* Takes the reference: 'o' is put after it is written (NULL writes null). */
void jsonw_kjson(struct jsonw *w, const char *key, struct json_object *o);

#endif
