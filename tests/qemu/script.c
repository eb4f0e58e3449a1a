/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtdkit tests -- the probe-script format that qprobe and qpredict share */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"
#include "text.h"

const struct cli_opt script_options[] = {
	{ 's', "scalable", NULL, "scalable mode (x-scalable-mode=on)", NULL },
	{ 'a', "aw-bits", "BITS", "intel-iommu aw-bits (39 or 48)", NULL },
	{ 'c', "caching-mode", NULL, "caching-mode=on", NULL },
	{ 'e', "edu", "BDF", "an edu device: 00:DD.F, or BB:00.F behind a root port "
	  "(repeatable; default 00:03.0)", NULL },
	{ 'l', "load", "FILE@PA", "load a memory image at a physical address (repeatable)", "file" },
	{ 'm', "ram", "SIZE", "guest RAM in MiB (default 256)", NULL },
	{ 't', "trace", "FILE", "keep QEMU's vtd_* trace events in FILE", "file" },
	{ 'L', "qemu-log", "FILE", "QEMU's stderr into FILE", "file" },
	{ 'o', "output", "FILE", "write the results (JSONL) to FILE, atomically", "file" },
	{ SCRIPT_OPT_SCRATCH, "scratch", "PA", "the harness's own 8 KiB: DMA bounce page and "
	  "invalidation queue (default: the top of RAM)", NULL },
	{ SCRIPT_OPT_TIMEOUT, "timeout", "MS", "longest wait for one QEMU answer (default 20000)",
	  NULL },
	{ SCRIPT_OPT_QEMU, "qemu", "BIN", "QEMU binary (default qemu-system-x86_64)", "file" },
	{ SCRIPT_OPT_TAP, "tap", NULL, "print one TAP line per probe with an expectation", NULL },
	{ 0, NULL, NULL, NULL, NULL },
};

int script_fail(struct script *s, int code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (s->line)
		cli_error(s->cli, code, "%s:%u: %s", s->name, s->line, msg);
	else
		cli_error(s->cli, code, "%s", msg);
	return code;
}

static uint8_t *script_hex(struct script *s, const char *hex, size_t *len);
static int script_file_at(const char *spec, char *path, size_t size, uint64_t *pa);

static int dispatch(struct script *s, struct json_object *o, const struct script_backend *be,
		    void *ctx)
{
	const char *op = script_str(o, "op");
	uint64_t v;

	if (!op)
		return script_fail(s, EXIT_DATA, "missing \"op\"");
	if (!strcmp(op, "probe"))
		return be->probe(ctx, o);
	if (!strcmp(op, "write")) {
		size_t n;
		uint8_t *buf;
		if (script_num(s, o, "pa", 1, &v) < 0 ||
		    !(buf = script_hex(s, script_str(o, "hex"), &n)))
			return EXIT_DATA;
		int rc = be->write(ctx, v, buf, n);
		free(buf);
		return rc;
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
		return be->inv ? be->inv(ctx, o) : 0;
	if (!strcmp(op, "qi"))
		return be->qi ? be->qi(ctx, o) : 0;
	if (!strcmp(op, "regs"))
		return be->regs ? be->regs(ctx) : 0;
	return script_fail(s, EXIT_DATA, "unknown op '%s' (probe, write, load, enable, disable, "
			   "inv, qi, regs)", op);
}

int script_load_spec(struct script *s, const char *spec, const struct script_backend *be,
		     void *ctx)
{
	char path[4096];
	uint64_t pa;

	if (script_file_at(spec, path, sizeof(path), &pa))
		return script_fail(s, EXIT_USAGE, "load '%s': expected FILE@ADDRESS", spec);
	return be->load(ctx, path, pa);
}

int script_run(struct script *s, char *text, size_t len, const struct script_backend *be,
	       void *ctx)
{
	char *p = text, *end = text + len;

	s->line = 0;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *eol = nl ? nl : end;
		char *t = p;

		s->line++;
		*eol = '\0';
		while (*t == ' ' || *t == '\t')
			t++;
		if (*t && *t != '#' && *t != '\r') {
			struct json_tokener *tok = json_tokener_new();
			struct json_object *o = json_tokener_parse_ex(tok, t, (int)strlen(t));
			enum json_tokener_error je = json_tokener_get_error(tok);
			int col = (int)json_tokener_get_parse_end(tok) + (int)(t - p) + 1;

			json_tokener_free(tok);
			if (!o || je != json_tokener_success) {
				json_object_put(o);
				cli_error(s->cli, EXIT_DATA, "%s:%u:%d: %s", s->name, s->line, col,
					  json_tokener_error_desc(je));
				return EXIT_DATA;
			}
			if (!json_object_is_type(o, json_type_object)) {
				json_object_put(o);
				return script_fail(s, EXIT_DATA, "each line must be a JSON object");
			}
			int rc = dispatch(s, o, be, ctx);
			json_object_put(o);
			if (rc)
				return rc;
		}
		p = eol + 1;
	}
	s->line = 0;
	return 0;
}

int script_bdf(const char *str, unsigned *out)
{
	unsigned seg = 0, bus = 0, dev, fn;
	char tail;

	if (sscanf(str, "%x:%x:%x.%x%c", &seg, &bus, &dev, &fn, &tail) == 4) {
		if (seg)
			return -1;
	} else if (sscanf(str, "%x:%x.%x%c", &bus, &dev, &fn, &tail) != 3) {
		bus = 0;
		if (sscanf(str, "%x.%x%c", &dev, &fn, &tail) != 2)
			return -1;
	}
	if (bus > 255 || dev > 31 || fn > 7)
		return -1;
	*out = bus << 8 | dev << 3 | fn;
	return 0;
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

static uint8_t *script_hex(struct script *s, const char *hex, size_t *len)
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

static int script_file_at(const char *spec, char *path, size_t size, uint64_t *pa)
{
	const char *at = strrchr(spec, '@');

	if (!at || at == spec || (size_t)(at - spec) >= size || vtd_parse_u64(at + 1, pa))
		return -1;
	memcpy(path, spec, (size_t)(at - spec));
	path[at - spec] = '\0';
	return 0;
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
		if (mo->nloads == sizeof(mo->loads) / sizeof(mo->loads[0])) {
			cli_error(c, EXIT_USAGE, "too many --load options");
			return -1;
		}
		mo->loads[mo->nloads++] = arg;
		return 1;
	case 'm':
		if (vtd_parse_u64(arg, &v) || v < 16 || v > 2048) {
			cli_error(c, EXIT_USAGE, "--ram must be 16 to 2048 (MiB)");
			return -1;
		}
		mo->ram = v << 20;
		return 1;
	}
	return 0;
}
