/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtd-compile -- what the emitters share; the binary output */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"

static const char *const format_names[] = {
	[EMIT_BIN] = "bin", [EMIT_C] = "c", [EMIT_ELF] = "elf", [EMIT_MAP] = "map",
};

enum emit_format emit_format_by_name(const char *s)
{
	for (unsigned i = EMIT_BIN; i <= EMIT_MAP; i++)
		if (s && !strcmp(s, format_names[i]))
			return (enum emit_format)i;
	return EMIT_NONE;
}

enum emit_format emit_format_by_path(const char *path)
{
	static const struct {
		const char *ext;
		enum emit_format f;
	} exts[] = {
		{".bin", EMIT_BIN}, {".img", EMIT_BIN}, {".c", EMIT_C},
		{".o", EMIT_ELF},   {".json", EMIT_MAP},
	};
	const char *dot = path ? strrchr(path, '.') : NULL;

	if (!dot || strchr(dot, '/'))
		return EMIT_NONE;
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (!strcmp(dot, exts[i].ext))
			return exts[i].f;
	return EMIT_NONE;
}

const char *emit_format_name(enum emit_format f)
{
	return f >= EMIT_BIN && f <= EMIT_MAP ? format_names[f] : "none";
}

int emit_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n > EMIT_NAME_MAX || !(isalpha((unsigned char)name[0]) || name[0] == '_'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(isalnum((unsigned char)name[i]) || name[i] == '_'))
			return 0;
	return 1;
}

const char *emit_name(const struct emit_opts *o)
{
	return o && o->name ? o->name : EMIT_DEFAULT_NAME;
}

char *emit_sym(const char *name, int upper)
{
	size_t n = name ? strlen(name) : 0;
	char *s = malloc(n + 1);

	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		/* Bytes, not the C locale's idea of letters: UTF-8 becomes '_'s. */
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			s[i] = (char)(upper && c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
		else
			s[i] = '_';
	}
	s[n] = '\0';
	return s;
}

int emit_in_image(const struct vtd_image *img, uint64_t a)
{
	return a >= img->base && !(a & 0xfff) && a - img->base < img->size &&
	       img->size - (a - img->base) >= 4096;
}

const char *emit_bdf(uint16_t sid, char *buf)
{
	snprintf(buf, 8, "%02x:%02x.%x", sid >> 8, (sid >> 3) & 0x1f, sid & 7);
	return buf;
}

const char *emit_page_kind(unsigned kind)
{
	static const char *const names[] = {
		[VTD_PG_ROOT] = "root",
		[VTD_PG_CONTEXT] = "context",
		[VTD_PG_PASID_DIR] = "pasid-dir",
		[VTD_PG_PASID_TABLE] = "pasid-table",
		[VTD_PG_SS] = "second-stage",
		[VTD_PG_FS] = "first-stage",
		[VTD_PG_IRT] = "irt",
	};

	return kind < sizeof(names) / sizeof(names[0]) && names[kind] ? names[kind] : "unknown";
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int emit_check(const struct vtd_plan *p, const struct vtd_image *img, const struct emit_opts *o,
	       struct vtd_error *err)
{
	const char *name = emit_name(o);
	char **syms;
	int rc = 0;

	(void)img;
	if (!emit_name_ok(name))
		return vtd_fail(err, VTD_EINVAL,
				"--name '%s' is not a C identifier of at most %d characters", name,
				EMIT_NAME_MAX);
	if (p->ndomains < 2)
		return 0;
	/* Macro names are the stricter test: "nic" and "NIC" meet there. */
	if (!(syms = calloc(p->ndomains, sizeof(*syms))))
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	for (size_t i = 0; i < p->ndomains && !rc; i++)
		if (!(syms[i] = emit_sym(p->domains[i].name, 1)))
			rc = vtd_fail(err, VTD_ENOMEM, "out of memory");
	if (!rc) {
		qsort(syms, p->ndomains, sizeof(*syms), cmp_str);
		for (size_t i = 1; i < p->ndomains; i++)
			if (!strcmp(syms[i - 1], syms[i])) {
				rc = vtd_fail(err, VTD_EINVAL,
					      "two domains have the symbol name '%s' (the C and ELF "
					      "outputs spell domain names with [A-Z0-9_] only): "
					      "rename one",
					      syms[i]);
				break;
			}
	}
	for (size_t i = 0; i < p->ndomains; i++)
		free(syms[i]);
	free(syms);
	return rc;
}

int emit_bin(FILE *f, const struct vtd_plan *p, const struct vtd_image *img,
	     const struct emit_opts *o, struct vtd_error *err)
{
	(void)p;
	(void)o;
	if (img->size && fwrite(img->bytes, 1, img->size, f) != img->size)
		return vtd_fail(err, VTD_EIO, "write failed");
	if (fflush(f) || ferror(f))
		return vtd_fail(err, VTD_EIO, "write failed");
	return 0;
}
