/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtdkit tools -- options from one table, one-line errors, exit codes, atomic files */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"

#define MAX_OPTS 64

static void print_version(const struct cli *c)
{
	printf("%s %s (libvtd %s; json-c %s)\n", c->prog, VTD_VERSION_STRING,
	       VTD_VERSION_STRING, json_c_version());
}

void cli_help(const struct cli *c, FILE *f)
{
	const struct cli_opt *o;

	fprintf(f, "%s", c->usage);
	fprintf(f, "\nOptions:\n");
	for (o = c->opts; o->lng; o++) {
		char left[64];

		if (!o->help)
			continue;
		if (o->key < 256)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->key, o->lng,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->lng, o->arg ? " " : "",
				 o->arg ? o->arg : "");
		fprintf(f, "  %-26s %s\n", left, o->help);
	}
	if (c->more)
		fprintf(f, "\n%s", c->more);
}

/* For completion scripts: one line per option, "--long ARGKIND" or "--long". */
static void completion_helper(const struct cli *c)
{
	const struct cli_opt *o;

	for (o = c->opts; o->lng; o++) {
		if (!o->help)
			continue;
		printf("--%s%s%s\n", o->lng, o->arg ? " " : "",
		       o->arg ? (o->complete ? o->complete : "value") : "");
		if (o->key < 256)
			printf("-%c%s%s\n", o->key, o->arg ? " " : "",
			       o->arg ? (o->complete ? o->complete : "value") : "");
	}
}

enum { OPT_HELP = 'h', OPT_VERSION = 'V', OPT_COMPLETION = 1000 };

int cli_parse(struct cli *c, int argc, char **argv,
	      int (*handle)(struct cli *c, int key, const char *arg, void *ctx), void *ctx)
{
	struct option lopts[MAX_OPTS + 4];
	char sopts[3 * MAX_OPTS + 8];
	const struct cli_opt *o;
	size_t n = 0, s = 0;
	int k;

	sopts[s++] = ':';
	for (o = c->opts; o->lng && n < MAX_OPTS; o++) {
		lopts[n].name = o->lng;
		lopts[n].has_arg = o->arg ? required_argument : no_argument;
		lopts[n].flag = NULL;
		lopts[n].val = o->key;
		n++;
		if (o->key < 256) {
			sopts[s++] = (char)o->key;
			if (o->arg)
				sopts[s++] = ':';
		}
	}
	lopts[n++] = (struct option){ "help", no_argument, NULL, OPT_HELP };
	lopts[n++] = (struct option){ "version", no_argument, NULL, OPT_VERSION };
	lopts[n++] = (struct option){ "completion-helper", no_argument, NULL, OPT_COMPLETION };
	lopts[n] = (struct option){ NULL, 0, NULL, 0 };
	sopts[s++] = 'h';
	sopts[s++] = 'V';
	sopts[s] = 0;

	opterr = 0;
	while ((k = getopt_long(argc, argv, sopts, lopts, NULL)) != -1) {
		switch (k) {
		case OPT_HELP:
			cli_help(c, stdout);
			exit(EXIT_OK);
		case OPT_VERSION:
			print_version(c);
			exit(EXIT_OK);
		case OPT_COMPLETION:
			completion_helper(c);
			exit(EXIT_OK);
		case '?':
			if (optopt)
				cli_error(c, EXIT_USAGE, "unknown option '-%c' (see --help)", optopt);
			else
				cli_error(c, EXIT_USAGE, "unknown option '%s' (see --help)",
					  argv[optind - 1]);
			return -1;
		case ':':
			cli_error(c, EXIT_USAGE, "option '%s' needs an argument", argv[optind - 1]);
			return -1;
		default:
			if (handle(c, k, optarg, ctx))
				return -1;
		}
	}
	return optind;
}

static const char *exit_name(int code)
{
	switch (code) {
	case EXIT_FINDING: return "finding";
	case EXIT_USAGE: return "usage";
	case EXIT_DATA: return "data";
	case EXIT_SOURCE: return "source";
	default: return "internal";
	}
}

static void emit(const struct cli *c, int exit_code, const char *msg)
{
	fprintf(stderr, "%s: %s\n", c->prog, msg);
	if (c->json) {
		struct json_object *o = json_object_new_object(), *e = json_object_new_object();

		json_object_object_add(e, "code", json_object_new_string(exit_name(exit_code)));
		json_object_object_add(e, "exit", json_object_new_int(exit_code));
		json_object_object_add(e, "message", json_object_new_string(msg));
		json_object_object_add(o, "error", e);
		cli_print_json(o, 0);
		json_object_put(o);
	}
}

void cli_error(const struct cli *c, int exit_code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	emit(c, exit_code, msg);
}

int cli_exit_for(int rc)
{
	switch (rc < 0 ? -rc : rc) {
	case VTD_OK:
		return EXIT_OK;
	case VTD_EINVAL:
		return EXIT_USAGE;
	case VTD_ENOTFOUND:
	case VTD_ERANGE:
	case VTD_EFORMAT:
	case VTD_ETRUNC:
	case VTD_ERSVD:
		return EXIT_DATA;
	case VTD_EUNMAPPED:
	case VTD_EIO:
	case VTD_EPERM:
		return EXIT_SOURCE;
	default:
		return EXIT_INTERNAL;
	}
}

int cli_report(const struct cli *c, const struct vtd_error *err, int rc)
{
	int code = cli_exit_for(rc);

	if (err->where[0])
		cli_error(c, code, "%s: %s", err->where, err->msg);
	else
		cli_error(c, code, "%s", err->msg[0] ? err->msg : vtd_strerror(rc));
	return code;
}

int cli_read_file(const char *path, size_t max, uint8_t **data, size_t *len,
		  struct vtd_error *err)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	size_t n = 0, cap = 0;
	uint8_t *buf = NULL;

	if (fd < 0) {
		int e = errno;

		vtd_fail(err, e == EACCES ? VTD_EPERM : VTD_EIO, "cannot open '%s': %s", path,
			 strerror(e));
		err->sys_errno = e;
		return -err->code;
	}
	for (;;) {
		ssize_t r;

		if (cap - n < 4096 + 1) {
			uint8_t *p;

			cap = cap ? 2 * cap : 65536;
			if (cap > max + 4096 + 1)
				cap = max + 4096 + 1;
			p = realloc(buf, cap);
			if (!p) {
				free(buf);
				if (fd != STDIN_FILENO)
					close(fd);
				return vtd_fail(err, VTD_ENOMEM, "out of memory reading '%s'", path);
			}
			buf = p;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(buf);
			if (fd != STDIN_FILENO)
				close(fd);
			vtd_fail(err, VTD_EIO, "cannot read '%s': %s", path, strerror(e));
			return -VTD_EIO;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			free(buf);
			if (fd != STDIN_FILENO)
				close(fd);
			return vtd_fail(err, VTD_EFORMAT, "'%s' is larger than %zu bytes", path, max);
		}
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if (!buf && !(buf = malloc(1)))
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	buf[n] = 0;
	*data = buf;
	*len = n;
	return 0;
}

int cli_write_file(const char *path, const void *data, size_t len, struct vtd_error *err)
{
	char tmp[4200];
	const uint8_t *p = data;
	int fd, e;

	if (!strcmp(path, "-")) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout))
			return vtd_fail(err, VTD_EIO, "cannot write to standard output");
		return 0;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path) >= (int)sizeof(tmp))
		return vtd_fail(err, VTD_EINVAL, "output path too long");
	fd = mkstemp(tmp);
	if (fd < 0)
		goto fail;
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail_unlink;
		p += w;
		len -= (size_t)w;
	}
	if (fchmod(fd, 0644) || fsync(fd))
		goto fail_unlink;
	if (close(fd)) {
		fd = -1;
		goto fail_unlink;
	}
	fd = -1;
	if (rename(tmp, path))
		goto fail_unlink;
	return 0;
fail_unlink:
	e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = e;
fail:
	e = errno;
	vtd_fail(err, VTD_EIO, "cannot write '%s': %s", path, strerror(e));
	return -VTD_EIO;
}

FILE *cli_out_open(struct cli_out *o, const char *path, struct vtd_error *err)
{
	int fd;

	o->path = path;
	o->tmp[0] = '\0';
	if (!path || !strcmp(path, "-"))
		return o->f = stdout;
	if (snprintf(o->tmp, sizeof(o->tmp), "%s.tmp.XXXXXX", path) >= (int)sizeof(o->tmp)) {
		vtd_fail(err, VTD_EINVAL, "output path too long");
		return NULL;
	}
	if ((fd = mkstemp(o->tmp)) < 0 || !(o->f = fdopen(fd, "w"))) {
		int e = errno;

		if (fd >= 0) {
			close(fd);
			unlink(o->tmp);
		}
		vtd_fail(err, VTD_EIO, "cannot write '%s': %s", path, strerror(e));
		return NULL;
	}
	return o->f;
}

int cli_out_close(struct cli_out *o, int keep, struct vtd_error *err)
{
	int bad, e;

	if (o->f == stdout) {
		if (fflush(stdout) || ferror(stdout))
			return vtd_fail(err, VTD_EIO, "cannot write to standard output");
		return 0;
	}
	if (!o->f)
		return 0;
	bad = fflush(o->f) || ferror(o->f) || fchmod(fileno(o->f), 0644) || fsync(fileno(o->f));
	e = errno;
	bad |= fclose(o->f) != 0;
	o->f = NULL;
	if (keep && !bad && !rename(o->tmp, o->path))
		return 0;
	if (!bad)
		e = errno;
	unlink(o->tmp);
	if (!keep)
		return 0;
	return vtd_fail(err, VTD_EIO, "cannot write '%s': %s", o->path, strerror(e));
}

void cli_print_json(struct json_object *o, int pretty)
{
	cli_fprint_json(stdout, o, pretty);
}

struct json_object *cli_json_hex(uint64_t v)
{
	char b[24];

	snprintf(b, sizeof(b), "0x%" PRIx64, v);
	return json_object_new_string(b);
}

void cli_fprint_json(FILE *f, struct json_object *o, int pretty)
{
	int flags = pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED
			   : JSON_C_TO_STRING_PLAIN;

	fprintf(f, "%s\n", json_object_to_json_string_ext(o, flags | JSON_C_TO_STRING_NOSLASHESCAPE));
}

static void line_col(const char *text, size_t off, unsigned *line, unsigned *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

int cli_parse_json(const char *name, const char *text, size_t len, struct json_object **out,
		   struct vtd_error *err)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o;
	enum json_tokener_error jerr;
	size_t end;
	unsigned line, col;

	if (!tok)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	if (memchr(text, 0, len)) {
		json_tokener_free(tok);
		line_col(text, strlen(text), &line, &col);
		vtd_error_where(err, "%s:%u:%u", name, line, col);
		return vtd_fail(err, VTD_EFORMAT, "NUL byte in JSON text");
	}
	o = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (!o && jerr == json_tokener_continue)
		jerr = json_tokener_error_parse_eof;
	if (o) {
		while (end < len && (text[end] == ' ' || text[end] == '\n' || text[end] == '\t' ||
				     text[end] == '\r'))
			end++;
		if (end < len) {
			json_object_put(o);
			json_tokener_free(tok);
			line_col(text, end, &line, &col);
			vtd_error_where(err, "%s:%u:%u", name, line, col);
			return vtd_fail(err, VTD_EFORMAT, "unexpected text after the JSON document");
		}
		json_tokener_free(tok);
		*out = o;
		return 0;
	}
	json_tokener_free(tok);
	line_col(text, end > len ? len : end, &line, &col);
	vtd_error_where(err, "%s:%u:%u", name, line, col);
	return vtd_fail(err, VTD_EFORMAT, "invalid JSON: %s", json_tokener_error_desc(jerr));
}

int cli_num(struct cli *c, const char *opt, const char *arg, uint64_t *v)
{
	if (vtd_parse_u64(arg, v)) {
		cli_error(c, EXIT_USAGE, "%s: '%s' is not a number", opt, arg);
		return -1;
	}
	return 0;
}

int cli_faults(struct cli *c, const char *arg, uint8_t *qemu)
{
	if (strcmp(arg, "spec") && strcmp(arg, "qemu")) {
		cli_error(c, EXIT_USAGE, "--faults must be spec or qemu");
		return -1;
	}
	*qemu = !strcmp(arg, "qemu");
	return 0;
}

void cli_size_str(uint64_t size, char *b, size_t n)
{
	if (size >= 1ULL << 40 && !(size & ((1ULL << 40) - 1)))
		snprintf(b, n, "%" PRIu64 "T", size >> 40);
	else if (size >= 1ULL << 30 && !(size & ((1ULL << 30) - 1)))
		snprintf(b, n, "%" PRIu64 "G", size >> 30);
	else if (size >= 1ULL << 20 && !(size & ((1ULL << 20) - 1)))
		snprintf(b, n, "%" PRIu64 "M", size >> 20);
	else if (size >= 1024 && !(size & 1023))
		snprintf(b, n, "%" PRIu64 "K", size >> 10);
	else
		snprintf(b, n, "%" PRIu64, size);
}
