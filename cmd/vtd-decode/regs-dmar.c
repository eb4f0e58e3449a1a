/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtd-decode -- the ACPI DMAR table and register-page dumps */
#include "decode.h"

#include <stdlib.h>
#include <string.h>

#include "dmar.h"
#include "json.h"
#include "regs.h"
#include "text.h"

static const char *display_name(const char *path)
{
	return strcmp(path, "-") ? path : "<stdin>";
}

int cmd_dmar(struct opts *o, int argc, char **argv)
{
	struct vtd_error err = { 0 };
	struct json_object *doc = NULL;
	uint8_t *data, *out = NULL;
	size_t len, outlen;
	int rc, badsum = 0;

	if (argc != 1) {
		cli_error(o->cli, EXIT_USAGE, "dmar: give one FILE ('-' for stdin)");
		return EXIT_USAGE;
	}
	rc = cli_read_file(argv[0], MAX_INPUT, &data, &len, &err);
	if (rc)
		return cli_report(o->cli, &err, rc);
	if (o->encode) {
		/* JSON in, table bytes out: the exact inverse of the decode. */
		rc = cli_parse_json(argv[0], (const char *)data, len, &doc, &err);
		free(data);
		if (!rc)
			rc = vtd_dmar_from_json(doc, &out, &outlen, &err);
		json_object_put(doc);
		if (rc) {
			if (err.where[0] && strncmp(err.where, argv[0], strlen(argv[0]))) {
				char w[sizeof(err.where)];

				snprintf(w, sizeof(w), "%.60s: %.90s", argv[0], err.where);
				memcpy(err.where, w, sizeof(w));
			}
			return cli_report(o->cli, &err, rc);
		}
		if (!o->output) {
			free(out);
			cli_error(o->cli, EXIT_USAGE, "dmar --encode: name the output with -o FILE ('-' for stdout)");
			return EXIT_USAGE;
		}
		rc = cli_write_file(o->output, out, outlen, &err);
		free(out);
		return rc ? cli_report(o->cli, &err, rc) : EXIT_OK;
	}
	/* A wrong checksum still decodes, but it is a finding: firmware got it wrong. */
	badsum = len >= 36 && vtd_dmar_sum(data, len) != 0;
	if (o->json) {
		rc = vtd_dmar_to_json(data, len, &doc, &err);
		if (!rc) {
			cli_print_json(doc, o->pretty);
			json_object_put(doc);
		}
	} else {
		struct vtd_sbuf sb = VTD_SBUF_INIT;

		rc = vtd_dmar_text(&sb, data, len, &err);
		if (!rc)
			fputs(vtd_sbuf_str(&sb), stdout);
		vtd_sbuf_release(&sb);
	}
	free(data);
	if (rc) {
		char w[sizeof(err.where)];

		snprintf(w, sizeof(w), "%.60s%s%.90s", display_name(argv[0]), err.where[0] ? ": " : "",
			 err.where);
		memcpy(err.where, w, sizeof(w));
		return cli_report(o->cli, &err, rc);
	}
	if (badsum) {
		if (!o->json)
			printf("  ! checksum: the table's bytes do not sum to zero\n");
		return EXIT_FINDING;
	}
	return EXIT_OK;
}

/* A raw dump of the register page (e.g. 4 KiB read at the DRHD base). */
int cmd_regs(struct opts *o, int argc, char **argv)
{
	struct vtd_error err = { 0 };
	struct json_object *doc = NULL, *arr = NULL;
	struct vtd_regval rv;
	uint8_t *data;
	size_t len;
	unsigned idx, truncated = 0, absent = 0;
	uint64_t cap, ecap;
	int rc;

	if (argc != 1) {
		cli_error(o->cli, EXIT_USAGE, "regs: give one FILE ('-' for stdin)");
		return EXIT_USAGE;
	}
	rc = cli_read_file(argv[0], MAX_INPUT, &data, &len, &err);
	if (rc)
		return cli_report(o->cli, &err, rc);
	if (len < 0x20) {
		free(data);
		cli_error(o->cli, EXIT_DATA, "%s: %zu bytes is too short for a register page",
			  display_name(argv[0]), len);
		return EXIT_DATA;
	}
	/* CAP and ECAP say which optional registers exist; the rest read as 0. */
	cap = vtd_bits_get(data, 0x08 * 8, 64);
	ecap = vtd_bits_get(data, 0x10 * 8, 64);
	if (o->json) {
		doc = json_object_new_object();
		arr = json_object_new_array();
		json_object_object_add(doc, "format", json_object_new_string("vtd-decode/1"));
		json_object_object_add(doc, "registers", arr);
	}
	for (idx = 0; (rc = vtd_regfile_read(data, len, idx, &rv, &err)) != 0; idx++) {
		struct vtd_sbuf sb = VTD_SBUF_INIT;
		size_t w;

		if (rc < 0) {
			truncated++;
			continue;
		}
		if (!rv.bytes || !rv.layout)
			continue;
		if (rv.reg && !vtd_reg_implemented(rv.reg, cap, ecap)) {
			absent++;
			continue;
		}
		w = rv.layout->size;
		if (arr) {
			struct json_object *e = json_object_new_object();
			char v[40];

			json_object_object_add(e, "name", json_object_new_string(rv.label));
			json_object_object_add(e, "offset", json_object_new_int64((int64_t)rv.off));
			if (w == 16)
				snprintf(v, sizeof(v), "0x%016llx%016llx",
					 (unsigned long long)rv.value_hi, (unsigned long long)rv.value);
			else
				snprintf(v, sizeof(v), "0x%0*llx", (int)(2 * w),
					 (unsigned long long)rv.value);
			json_object_object_add(e, "value", json_object_new_string(v));
			json_object_object_add(e, "fields",
					       vtd_json_from_bytes(rv.layout, rv.bytes, w,
								   o->raw ? VTD_JSON_RAW : 0));
			json_object_array_add(arr, e);
			continue;
		}
		vtd_text_render(&sb, rv.layout, rv.bytes, w, VTD_TEXT_ONELINE);
		if (w == 16)
			printf("%-17s 0x%03llx  0x%016llx%016llx  %s", rv.label,
			       (unsigned long long)rv.off, (unsigned long long)rv.value_hi,
			       (unsigned long long)rv.value, vtd_sbuf_str(&sb));
		else
			printf("%-17s 0x%03llx  0x%0*llx%*s  %s", rv.label, (unsigned long long)rv.off,
			       (int)(2 * w), (unsigned long long)rv.value, (int)(32 - 2 * w), "",
			       vtd_sbuf_str(&sb));
		vtd_sbuf_release(&sb);
	}
	if (doc) {
		json_object_object_add(doc, "beyond_dump", json_object_new_int((int)truncated));
		json_object_object_add(doc, "not_implemented", json_object_new_int((int)absent));
		cli_print_json(doc, o->pretty);
		json_object_put(doc);
	} else {
		if (absent)
			printf("(%u registers not implemented according to CAP/ECAP are not shown)\n",
			       absent);
		if (truncated)
			printf("(%u registers lie beyond the %zu bytes of the dump)\n", truncated, len);
	}
	free(data);
	return EXIT_OK;
}
