/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtd-decode -- decode, encode, list and describe single structures */
#include "decode.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hex.h"
#include "invdesc.h"
#include "json.h"
#include "tables.h"
#include "text.h"

/* ---- pseudo-structures that pick their layout from the bytes ------------------ */

static const struct vtd_layout *pick_inv(const uint8_t *buf, size_t len)
{
	return vtd_invdesc_layout(buf, len);
}

static const struct vtd_layout *pick_irte(const uint8_t *buf, size_t len)
{
	(void)len;
	/* IM (bit 15) tells the posted format from the remapped one. */
	return vtd_bits_get(buf, 15, 1) ? vtd_layout_find("irte-posted")
					: vtd_layout_find("irte-remapped");
}

static const struct picker pickers[] = {
	{ "inv", "invalidation descriptor of any type (by its type field)", 32, 16, pick_inv },
	{ "irte", "interrupt-remapping entry, remapped or posted (by IM)", 16, 16, pick_irte },
};

const struct picker *picker_at(unsigned idx)
{
	return idx < VTD_NELEM(pickers) ? &pickers[idx] : NULL;
}

const struct picker *picker_find(const char *name)
{
	unsigned i;

	for (i = 0; i < VTD_NELEM(pickers); i++)
		if (!strcasecmp(pickers[i].name, name))
			return &pickers[i];
	return NULL;
}

/* ---- helpers ---------------------------------------------------------------- */

static const struct vtd_layout *find_layout(struct opts *o, const char *name)
{
	const struct vtd_layout *l = vtd_layout_find(name), *c;
	struct vtd_sbuf sb = VTD_SBUF_INIT;
	unsigned i, n = 0;

	if (l)
		return l;
	for (i = 0; (c = vtd_layout_at(i)); i++)
		if (!strncasecmp(c->name, name, strlen(name)))
			vtd_sbuf_addf(&sb, "%s%s", n++ ? ", " : "", c->name);
	if (picker_find(name))
		cli_error(o->cli, EXIT_USAGE, "'%s' picks a structure from the bytes; name one here", name);
	else if (n > 1)
		cli_error(o->cli, EXIT_USAGE, "'%s' is ambiguous: %s", name, vtd_sbuf_str(&sb));
	else
		cli_error(o->cli, EXIT_USAGE, "unknown structure '%s' (see --list)", name);
	vtd_sbuf_release(&sb);
	return NULL;
}

static void words_text(struct vtd_sbuf *sb, const uint8_t *buf, size_t len)
{
	size_t i;

	if (len < 8) {
		vtd_sbuf_addf(sb, "0x%08llx", (unsigned long long)vtd_bits_get(buf, 0, 32));
		return;
	}
	for (i = 0; i + 8 <= len; i += 8)
		vtd_sbuf_addf(sb, "%s0x%016llx", i ? " " : "",
			      (unsigned long long)vtd_bits_get(buf, (unsigned)(8 * i), 64));
}

static struct json_object *words_json(const uint8_t *buf, size_t len)
{
	struct json_object *a = json_object_new_array();
	char w[24];
	size_t i;

	if (len < 8) {
		snprintf(w, sizeof(w), "0x%08llx", (unsigned long long)vtd_bits_get(buf, 0, 32));
		json_object_array_add(a, json_object_new_string(w));
		return a;
	}
	for (i = 0; i + 8 <= len; i += 8) {
		snprintf(w, sizeof(w), "0x%016llx",
			 (unsigned long long)vtd_bits_get(buf, (unsigned)(8 * i), 64));
		json_object_array_add(a, json_object_new_string(w));
	}
	return a;
}

static struct json_object *findings_json(const struct vtd_finding *f, unsigned n)
{
	struct json_object *a = json_object_new_array();
	static const char *const kinds[] = { "", "reserved", "address-width", "value" };
	unsigned i;

	for (i = 0; i < n; i++) {
		struct json_object *x = json_object_new_object();
		char bits[16];

		if (f[i].width == 1)
			snprintf(bits, sizeof(bits), "%u", f[i].lsb);
		else
			snprintf(bits, sizeof(bits), "%u:%u", f[i].lsb + f[i].width - 1, f[i].lsb);
		json_object_object_add(x, "kind", json_object_new_string(kinds[f[i].kind]));
		json_object_object_add(x, "bits", json_object_new_string(bits));
		json_object_object_add(x, "field",
				       f[i].field ? json_object_new_string(f[i].field->name) : NULL);
		json_object_object_add(x, "message", json_object_new_string(f[i].msg));
		json_object_array_add(a, x);
	}
	return a;
}

/*
 * Show one structure; returns the number of findings.  'where' is the
 * offset in a file, or -1 for words from the command line.
 */
static unsigned show_one(struct opts *o, const struct vtd_layout *l, const uint8_t *buf,
			 size_t len, unsigned idx, unsigned total, long long where,
			 struct json_object *entries)
{
	struct vtd_check_opts copts = { .haw = o->haw };
	struct vtd_finding fnd[16];
	unsigned n, i, shown;
	struct vtd_sbuf sb = VTD_SBUF_INIT;

	n = vtd_layout_check(l, buf, len, &copts, fnd, VTD_NELEM(fnd));
	shown = n < VTD_NELEM(fnd) ? n : VTD_NELEM(fnd);
	if (o->json) {
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "structure", json_object_new_string(l->name));
		json_object_object_add(e, "index", json_object_new_int((int)idx));
		if (where >= 0)
			json_object_object_add(e, "offset", json_object_new_int64(where));
		json_object_object_add(e, "size", json_object_new_int((int)len));
		json_object_object_add(e, "words", words_json(buf, len));
		json_object_object_add(e, "fields",
				       vtd_json_from_bytes(l, buf, len, o->raw ? VTD_JSON_RAW : 0));
		json_object_object_add(e, "findings", findings_json(fnd, shown));
		json_object_array_add(entries, e);
		return n;
	}
	if (o->oneline) {
		if (total > 1)
			vtd_sbuf_addf(&sb, "[%u] ", idx);
		vtd_sbuf_addf(&sb, "%s: ", l->name);
		vtd_text_render(&sb, l, buf, len,
				VTD_TEXT_ONELINE | (o->all ? VTD_TEXT_ALL : 0));
	} else {
		vtd_sbuf_addf(&sb, "%s%s", idx ? "\n" : "", l->name);
		if (total > 1)
			vtd_sbuf_addf(&sb, "[%u]", idx);
		if (where >= 0)
			vtd_sbuf_addf(&sb, " at offset 0x%llx", where);
		vtd_sbuf_addf(&sb, ": %s (%zu-bit, spec %s)\n  words: ", l->title, len * 8, l->spec);
		words_text(&sb, buf, len);
		vtd_sbuf_addf(&sb, "\n");
		vtd_text_render(&sb, l, buf, len, o->raw ? VTD_TEXT_RAW : 0);
	}
	for (i = 0; i < shown; i++)
		vtd_sbuf_addf(&sb, "  ! %s\n", fnd[i].msg);
	if (n > shown)
		vtd_sbuf_addf(&sb, "  ! ... and %u more\n", n - shown);
	fputs(vtd_sbuf_str(&sb), stdout);
	vtd_sbuf_release(&sb);
	return n;
}

static struct json_object *doc_new(void)
{
	struct json_object *d = json_object_new_object();

	json_object_object_add(d, "format", json_object_new_string("vtd-decode/1"));
	return d;
}

/* Input bytes: from --file, from the words on the command line, or stdin text. */
static int get_input(struct opts *o, int argc, char **argv, unsigned word_bytes,
		     uint8_t **data, size_t *len, long long *where)
{
	struct vtd_error err = { 0 };
	struct vtd_sbuf text = VTD_SBUF_INIT;
	const char *name = "<args>";
	uint8_t *raw = NULL;
	size_t rawlen = 0, cap;
	int rc, i;

	*where = -1;
	if (o->file) {
		if (argc) {
			cli_error(o->cli, EXIT_USAGE, "give words or --file, not both");
			return EXIT_USAGE;
		}
		rc = cli_read_file(o->file, MAX_INPUT, data, len, &err);
		if (rc)
			return cli_report(o->cli, &err, rc);
		*where = (long long)o->offset;
		return 0;
	}
	if (argc) {
		for (i = 0; i < argc; i++)
			vtd_sbuf_addf(&text, "%s%s", i ? " " : "", argv[i]);
	} else {
		rc = cli_read_file("-", MAX_INPUT, &raw, &rawlen, &err);
		if (rc)
			return cli_report(o->cli, &err, rc);
		vtd_sbuf_add(&text, (const char *)raw, rawlen);
		free(raw);
		name = "<stdin>";
	}
	if (text.oom) {
		vtd_sbuf_release(&text);
		cli_error(o->cli, EXIT_INTERNAL, "out of memory");
		return EXIT_INTERNAL;
	}
	/* Every word is at least one digit and a separator, and fills word_bytes. */
	cap = (text.len / 2 + 1) * (o->bytes ? 1 : word_bytes);
	*data = malloc(cap);
	if (!*data) {
		vtd_sbuf_release(&text);
		cli_error(o->cli, EXIT_INTERNAL, "out of memory");
		return EXIT_INTERNAL;
	}
	if (o->bytes)
		rc = vtd_hex_parse_bytes(vtd_sbuf_str(&text), *data, cap, len, name, &err);
	else
		rc = vtd_hex_parse_words(vtd_sbuf_str(&text), word_bytes, *data, cap, len, name,
					 &err);
	vtd_sbuf_release(&text);
	if (rc) {
		free(*data);
		return cli_report(o->cli, &err, rc);
	}
	if (!*len) {
		free(*data);
		cli_error(o->cli, EXIT_DATA, "%s: no hex words", name);
		return EXIT_DATA;
	}
	return 0;
}

int cmd_decode(struct opts *o, const char *name, int argc, char **argv)
{
	const struct picker *pk = picker_find(name);
	const struct vtd_layout *l = NULL;
	struct json_object *doc = NULL, *entries = NULL;
	size_t size, min, unit, len, avail, start = 0, count;
	unsigned findings = 0, i;
	long long where;
	uint8_t *data;
	int rc;

	if (!pk && !(l = find_layout(o, name)))
		return EXIT_USAGE;
	size = pk ? pk->size : l->size;
	min = pk ? pk->min_size : (l->min_size ? l->min_size : l->size);
	rc = get_input(o, argc, argv, size < 8 ? (unsigned)size : 8, &data, &len, &where);
	if (rc)
		return rc;
	if (o->width) {
		unit = o->width / 8;
		if (unit != size && unit != min) {
			free(data);
			cli_error(o->cli, EXIT_USAGE, "%s has no %u-bit form", name, o->width);
			return EXIT_USAGE;
		}
	} else {
		unit = (len % size == 0 || len < min) ? size : min;
	}
	if (o->file) {
		count = o->count ? o->count : 1;
		start = o->offset;
		if (start > len || (len - start) / unit < count) {
			cli_error(o->cli, EXIT_DATA,
				  "%s: %zu bytes needed at offset 0x%zx, the file has %zu", o->file,
				  count * unit, start, len);
			free(data);
			return EXIT_DATA;
		}
	} else {
		if (len % unit) {
			cli_error(o->cli, EXIT_DATA, "%zu bytes of input: %s takes %zu-byte units",
				  len, name, unit);
			free(data);
			return EXIT_DATA;
		}
		count = len / unit;
	}
	avail = count;
	if (o->json) {
		doc = doc_new();
		entries = json_object_new_array();
		json_object_object_add(doc, "entries", entries);
	}
	for (i = 0; i < avail; i++) {
		const uint8_t *p = data + start + i * unit;
		const struct vtd_layout *li = pk ? pk->pick(p, unit) : l;

		if (!li) {
			cli_error(o->cli, EXIT_DATA, "%s[%u]: unknown descriptor type 0x%llx", name, i,
				  (unsigned long long)(vtd_bits_get(p, 0, 4) |
						       vtd_bits_get(p, 9, 3) << 4));
			json_object_put(doc);
			free(data);
			return EXIT_DATA;
		}
		if (!vtd_layout_len_ok(li, unit)) {
			cli_error(o->cli, EXIT_USAGE, "%s has no %zu-bit form", li->name, unit * 8);
			json_object_put(doc);
			free(data);
			return EXIT_USAGE;
		}
		findings += show_one(o, li, p, unit, i, (unsigned)count,
				     where >= 0 ? (long long)(start + i * unit) : -1, entries);
	}
	if (doc) {
		cli_print_json(doc, o->pretty);
		json_object_put(doc);
	}
	free(data);
	return findings ? EXIT_FINDING : EXIT_OK;
}

/* ---- encode ------------------------------------------------------------------ */

/* Warn about an encoded structure's findings: a reserved value is allowed on purpose. */
static unsigned warn_findings(struct opts *o, const struct vtd_layout *l, const uint8_t *buf,
			      size_t len)
{
	struct vtd_check_opts copts = { .haw = o->haw };
	struct vtd_finding fnd[16];
	unsigned n, i;

	n = vtd_layout_check(l, buf, len, &copts, fnd, VTD_NELEM(fnd));
	for (i = 0; i < n && i < VTD_NELEM(fnd); i++)
		fprintf(stderr, "%s: warning: %s\n", o->cli->prog, fnd[i].msg);
	return n;
}

static int encode_pairs(struct opts *o, const struct vtd_layout *l, int argc, char **argv,
			uint8_t *buf, size_t *len)
{
	size_t min = l->min_size ? l->min_size : l->size;
	struct vtd_error err = { 0 };
	uint8_t seen[64] = { 0 };
	int i, wide = 0;

	memset(buf, 0, l->size);
	for (i = 0; i < (int)l->nfields; i++)
		if (l->fields[i].flags & VTD_FF_FIXED)
			vtd_bits_set(buf, l->fields[i].lsb, l->fields[i].width, l->fields[i].fixed);
	for (i = 0; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		const struct vtd_field *f;
		char key[64];
		uint64_t raw;
		int rc;

		if (!eq || eq == argv[i] || (size_t)(eq - argv[i]) >= sizeof(key)) {
			cli_error(o->cli, EXIT_USAGE, "'%s': expected FIELD=VALUE", argv[i]);
			return EXIT_USAGE;
		}
		snprintf(key, sizeof(key), "%.*s", (int)(eq - argv[i]), argv[i]);
		f = vtd_field_find(l, key);
		if (!f) {
			cli_error(o->cli, EXIT_USAGE, "%s has no field '%s' (see --fields %s)",
				  l->name, key, l->name);
			return EXIT_USAGE;
		}
		if (seen[f - l->fields]++) {
			cli_error(o->cli, EXIT_USAGE, "field '%s' given twice", f->name);
			return EXIT_USAGE;
		}
		rc = vtd_field_parse(f, eq + 1, &raw, &err);
		if (!rc)
			rc = vtd_field_set_raw(f, buf, raw, &err);
		if (rc) {
			vtd_error_where(&err, "argument %d", i + 1);
			return cli_report(o->cli, &err, rc);
		}
		if (f->lsb >= min * 8)
			wide = 1;
	}
	*len = wide ? l->size : min;
	return 0;
}

static int encode_json(struct opts *o, const struct vtd_layout *l, uint8_t **out, size_t *outlen,
		       unsigned *findings)
{
	struct vtd_error err = { 0 };
	struct json_object *doc, *ents = NULL, *one;
	uint8_t *text, *buf = NULL;
	size_t tlen, n = 1, i, len, total = 0;
	int rc;

	rc = cli_read_file(o->from_json, MAX_INPUT, &text, &tlen, &err);
	if (rc)
		return cli_report(o->cli, &err, rc);
	rc = cli_parse_json(o->from_json, (const char *)text, tlen, &doc, &err);
	free(text);
	if (rc)
		return cli_report(o->cli, &err, rc);
	if (json_object_object_get_ex(doc, "entries", &ents)) {
		if (!json_object_is_type(ents, json_type_array) ||
		    !(n = json_object_array_length(ents))) {
			json_object_put(doc);
			cli_error(o->cli, EXIT_DATA, "%s: $.entries must be a non-empty array",
				  o->from_json);
			return EXIT_DATA;
		}
	}
	buf = malloc(n * l->size);
	if (!buf) {
		json_object_put(doc);
		cli_error(o->cli, EXIT_INTERNAL, "out of memory");
		return EXIT_INTERNAL;
	}
	for (i = 0; i < n; i++) {
		struct json_object *st;
		char path[48];

		one = ents ? json_object_array_get_idx(ents, i) : doc;
		snprintf(path, sizeof(path), ents ? "$.entries[%zu]" : "$", i);
		if (json_object_object_get_ex(one, "structure", &st) &&
		    strcmp(json_object_get_string(st), l->name)) {
			cli_error(o->cli, EXIT_DATA, "%s: %s.structure is '%s', not '%s'",
				  o->from_json, path, json_object_get_string(st), l->name);
			rc = EXIT_DATA;
			break;
		}
		if (json_object_object_get_ex(one, "fields", &st)) {
			one = st;
			strncat(path, ".fields", sizeof(path) - strlen(path) - 1);
		}
		rc = vtd_json_to_bytes(l, one, buf + total, &len, path, &err);
		if (rc) {
			char where[sizeof(err.where)];

			snprintf(where, sizeof(where), "%.60s: %.90s", o->from_json, err.where);
			memcpy(err.where, where, sizeof(where));
			rc = cli_report(o->cli, &err, rc);
			break;
		}
		if (o->width)
			len = o->width / 8;
		*findings += warn_findings(o, l, buf + total, len);
		total += len;
	}
	json_object_put(doc);
	if (rc) {
		free(buf);
		return rc;
	}
	*out = buf;
	*outlen = total;
	return 0;
}

int cmd_encode(struct opts *o, const char *name, int argc, char **argv)
{
	const struct vtd_layout *l;
	struct vtd_error err = { 0 };
	uint8_t one[MAX_STRUCT], *buf = one;
	size_t len = 0;
	unsigned findings = 0;
	int rc;

	if (picker_find(name)) {
		cli_error(o->cli, EXIT_USAGE, "'%s' names a family: encode a concrete structure", name);
		return EXIT_USAGE;
	}
	if (!(l = find_layout(o, name)))
		return EXIT_USAGE;
	if (o->width && !vtd_layout_len_ok(l, o->width / 8)) {
		cli_error(o->cli, EXIT_USAGE, "%s has no %u-bit form", l->name, o->width);
		return EXIT_USAGE;
	}
	if (o->from_json) {
		if (argc) {
			cli_error(o->cli, EXIT_USAGE, "give FIELD=VALUE pairs or --from-json, not both");
			return EXIT_USAGE;
		}
		rc = encode_json(o, l, &buf, &len, &findings);
	} else {
		rc = encode_pairs(o, l, argc, argv, one, &len);
		if (!rc && o->width)
			len = o->width / 8;
		if (!rc)
			findings = warn_findings(o, l, one, len);
	}
	if (rc)
		return rc;
	if (o->output) {
		rc = cli_write_file(o->output, buf, len, &err);
		if (rc) {
			if (buf != one)
				free(buf);
			return cli_report(o->cli, &err, rc);
		}
	} else if (o->json) {
		struct json_object *d = doc_new();

		json_object_object_add(d, "structure", json_object_new_string(l->name));
		json_object_object_add(d, "size", json_object_new_int((int)len));
		json_object_object_add(d, "words", words_json(buf, len));
		cli_print_json(d, o->pretty);
		json_object_put(d);
	} else {
		struct vtd_sbuf sb = VTD_SBUF_INIT;

		words_text(&sb, buf, len);
		printf("%s\n", vtd_sbuf_str(&sb));
		vtd_sbuf_release(&sb);
	}
	if (buf != one)
		free(buf);
	return findings ? EXIT_FINDING : EXIT_OK;
}

/* ---- list and fields --------------------------------------------------------------- */

int cmd_list(struct opts *o)
{
	struct json_object *arr = o->json ? json_object_new_array() : NULL;
	const struct vtd_layout *l;
	const struct picker *pk;
	unsigned i;

	for (i = 0; (l = vtd_layout_at(i)); i++) {
		if (arr) {
			struct json_object *e = json_object_new_object();

			json_object_object_add(e, "name", json_object_new_string(l->name));
			json_object_object_add(e, "family", json_object_new_string(l->family));
			json_object_object_add(e, "size", json_object_new_int(l->size));
			if (l->min_size)
				json_object_object_add(e, "min_size", json_object_new_int(l->min_size));
			json_object_object_add(e, "spec", json_object_new_string(l->spec));
			json_object_object_add(e, "title", json_object_new_string(l->title));
			json_object_array_add(arr, e);
		} else {
			char size[16];

			if (l->min_size)
				snprintf(size, sizeof(size), "%u/%u", l->min_size * 8, l->size * 8);
			else
				snprintf(size, sizeof(size), "%u", l->size * 8);
			printf("%-16s %-10s %7s  %s\n", l->name, l->family, size, l->title);
		}
	}
	for (i = 0; (pk = picker_at(i)); i++) {
		if (arr) {
			struct json_object *e = json_object_new_object();

			json_object_object_add(e, "name", json_object_new_string(pk->name));
			json_object_object_add(e, "family", json_object_new_string("picker"));
			json_object_object_add(e, "title", json_object_new_string(pk->title));
			json_object_array_add(arr, e);
		} else {
			printf("%-16s %-10s %7s  %s\n", pk->name, "picker", "-", pk->title);
		}
	}
	if (arr) {
		struct json_object *d = doc_new();

		json_object_object_add(d, "structures", arr);
		cli_print_json(d, o->pretty);
		json_object_put(d);
	}
	return EXIT_OK;
}

static const char *kind_name(int kind)
{
	static const char *const names[] = {
		[VTD_FLAG] = "flag", [VTD_UINT] = "uint", [VTD_HEX] = "hex",
		[VTD_ADDR] = "address", [VTD_ENUM] = "enum", [VTD_CODED] = "coded",
		[VTD_BITSET] = "bitset", [VTD_STR] = "string", [VTD_IGN] = "ignored",
	};

	return kind >= 0 && kind < (int)VTD_NELEM(names) ? names[kind] : "?";
}

static void coding_text(const struct vtd_coding *c, char *buf, size_t n)
{
	if (c->pow2)
		snprintf(buf, n, "2^(raw*%u%+d) %s", c->mul, c->add, c->unit ? c->unit : "");
	else
		snprintf(buf, n, "raw*%u%+d %s", c->mul, c->add, c->unit ? c->unit : "");
}

int cmd_fields(struct opts *o, const char *name)
{
	const struct vtd_layout *l = find_layout(o, name);
	struct json_object *arr = NULL;
	struct vtd_rsvd_run runs[64];
	unsigned i, nr;

	if (!l)
		return EXIT_USAGE;
	if (o->json)
		arr = json_object_new_array();
	else
		printf("%s: %s (%u-bit, spec %s)\n%-12s %7s  %-8s %-12s %s\n", l->name, l->title,
		       l->size * 8, l->spec, "FIELD", "BITS", "KIND", "KEY", "MEANING");
	for (i = 0; i < l->nfields; i++) {
		const struct vtd_field *f = &l->fields[i];
		const struct vtd_value *v;
		char bits[16], cod[64] = "";

		if (f->width == 1)
			snprintf(bits, sizeof(bits), "%u", f->lsb);
		else
			snprintf(bits, sizeof(bits), "%u:%u", f->lsb + f->width - 1, f->lsb);
		if (f->coding)
			coding_text(f->coding, cod, sizeof(cod));
		if (arr) {
			struct json_object *e = json_object_new_object(), *vals;

			json_object_object_add(e, "name", json_object_new_string(f->name));
			json_object_object_add(e, "key", json_object_new_string(f->key));
			json_object_object_add(e, "bits", json_object_new_string(bits));
			json_object_object_add(e, "lsb", json_object_new_int(f->lsb));
			json_object_object_add(e, "width", json_object_new_int(f->width));
			json_object_object_add(e, "kind", json_object_new_string(kind_name(f->kind)));
			json_object_object_add(e, "meaning", json_object_new_string(f->desc));
			if (f->kind == VTD_ADDR)
				json_object_object_add(e, "shift", json_object_new_int(f->shift));
			if (f->coding)
				json_object_object_add(e, "coding", json_object_new_string(cod));
			if (f->flags & VTD_FF_FIXED)
				json_object_object_add(e, "fixed", json_object_new_int64((int64_t)f->fixed));
			if (f->values) {
				vals = json_object_new_array();
				for (v = f->values; v->name; v++) {
					struct json_object *x = json_object_new_object();

					json_object_object_add(x, "raw", json_object_new_int64((int64_t)v->raw));
					json_object_object_add(x, "name", json_object_new_string(v->name));
					json_object_object_add(x, "meaning", json_object_new_string(v->desc));
					if (v->flags & VTD_VF_RESERVED)
						json_object_object_add(x, "reserved", json_object_new_boolean(1));
					json_object_array_add(vals, x);
				}
				json_object_object_add(e, "values", vals);
			}
			json_object_array_add(arr, e);
			continue;
		}
		printf("%-12s %7s  %-8s %-12s %s%s%s\n", f->name, bits, kind_name(f->kind), f->key,
		       f->desc, cod[0] ? "; value = " : "", cod);
		for (v = f->values; v && v->name; v++)
			printf("%-12s %7s  %-8s %-12s   %s%llu = %s: %s%s\n", "", "", "", "",
			       f->kind == VTD_BITSET ? "bit " : "", (unsigned long long)v->raw,
			       v->name, v->desc, v->flags & VTD_VF_RESERVED ? " (reserved)" : "");
	}
	nr = vtd_layout_rsvd_runs(l, l->size, runs, VTD_NELEM(runs));
	if (arr) {
		struct json_object *d = doc_new(), *rs = json_object_new_array();

		for (i = 0; i < nr && i < VTD_NELEM(runs); i++) {
			char bits[16];

			snprintf(bits, sizeof(bits), "%u:%u", runs[i].lsb + runs[i].width - 1,
				 runs[i].lsb);
			json_object_array_add(rs, json_object_new_string(bits));
		}
		json_object_object_add(d, "structure", json_object_new_string(l->name));
		json_object_object_add(d, "title", json_object_new_string(l->title));
		json_object_object_add(d, "size", json_object_new_int(l->size));
		json_object_object_add(d, "spec", json_object_new_string(l->spec));
		json_object_object_add(d, "fields", arr);
		json_object_object_add(d, "reserved", rs);
		cli_print_json(d, o->pretty);
		json_object_put(d);
	} else if (nr) {
		printf("reserved (must be zero):");
		for (i = 0; i < nr && i < VTD_NELEM(runs); i++) {
			if (runs[i].width == 1)
				printf(" %u", runs[i].lsb);
			else
				printf(" %u:%u", runs[i].lsb + runs[i].width - 1, runs[i].lsb);
		}
		printf("\n");
	}
	return EXIT_OK;
}
