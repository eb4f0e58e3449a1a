/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtd-decode -- decode and encode single VT-d structures, registers and the DMAR table */
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "text.h"

enum {
	OPT_OFFSET = 256, OPT_FROM_JSON, OPT_HAW, OPT_FIELDS,
};

static const struct cli_opt options[] = {
	{ 'j', "json", NULL, "print JSON", NULL },
	{ 'p', "pretty", NULL, "print indented JSON (implies --json)", NULL },
	{ '1', "oneline", NULL, "one compact line per structure", NULL },
	{ 'r', "raw", NULL, "show raw values beside names and derived values", NULL },
	{ 'a', "all", NULL, "one-line form: include ignored fields that are zero", NULL },
	{ 'b', "bytes", NULL, "input hex is bytes in memory order, not 64-bit words", NULL },
	{ 'f', "file", "FILE", "read binary structures from FILE ('-' for stdin)", "file" },
	{ OPT_OFFSET, "offset", "N", "with --file: start at byte N", NULL },
	{ 'n', "count", "N", "with --file: decode N consecutive structures (default: 1)", NULL },
	{ 'w', "width", "BITS", "descriptor width 128 or 256 (default: from the input length)", NULL },
	{ OPT_HAW, "haw", "BITS", "host address width: flag address bits at or above it", NULL },
	{ 'e', "encode", NULL, "encode FIELD=VALUE pairs (or --from-json) into hex words", NULL },
	{ OPT_FROM_JSON, "from-json", "FILE", "with --encode: take the fields from a JSON file", "file" },
	{ 'o', "output", "FILE", "with --encode or 'dmar --encode': write binary to FILE", "file" },
	{ 'l', "list", NULL, "list the structures this tool knows", NULL },
	{ OPT_FIELDS, "fields", "STRUCT", "print the field table of a structure", "struct" },
	{ 0, NULL, NULL, NULL, NULL },
};

static const char usage[] =
	"Usage: vtd-decode [OPTIONS] STRUCT [WORD...]      decode words (qw0 first) or stdin\n"
	"       vtd-decode [OPTIONS] STRUCT -f FILE [--offset N] [-n N]\n"
	"       vtd-decode --encode STRUCT FIELD=VALUE...   encode into hex words\n"
	"       vtd-decode --encode STRUCT --from-json FILE\n"
	"       vtd-decode dmar [--encode] FILE              ACPI DMAR table <-> JSON\n"
	"       vtd-decode regs FILE                         a dump of the register page\n"
	"       vtd-decode --list | --fields STRUCT\n";

static const char more[] =
	"STRUCT is a name from --list (a unique prefix will do); 'inv' and 'irte' pick\n"
	"the descriptor or IRTE format from the bytes.  Exit status: 0 ok, 1 findings\n"
	"(reserved bits or values, a wrong DMAR checksum), 2 usage, 3 bad input data,\n"
	"4 source or I/O error, 5 internal error.\n";

static int parse_num(struct cli *c, const char *what, const char *s, uint64_t *v)
{
	if (vtd_parse_u64(s, v)) {
		cli_error(c, EXIT_USAGE, "%s: '%s' is not a number", what, s);
		return -1;
	}
	return 0;
}

static int handle(struct cli *c, int key, const char *arg, void *ctx)
{
	struct opts *o = ctx;
	uint64_t v;

	switch (key) {
	case 'j': o->json = 1; c->json = 1; break;
	case 'p': o->json = o->pretty = 1; c->json = 1; break;
	case '1': o->oneline = 1; break;
	case 'r': o->raw = 1; break;
	case 'a': o->all = 1; break;
	case 'b': o->bytes = 1; break;
	case 'f': o->file = arg; break;
	case OPT_OFFSET: return parse_num(c, "--offset", arg, &o->offset);
	case 'n':
		if (parse_num(c, "--count", arg, &o->count))
			return -1;
		if (!o->count || o->count > 1u << 20) {
			cli_error(c, EXIT_USAGE, "--count must be 1 to 1048576");
			return -1;
		}
		break;
	case 'w':
		if (parse_num(c, "--width", arg, &v))
			return -1;
		if (v != 128 && v != 256) {
			cli_error(c, EXIT_USAGE, "--width must be 128 or 256");
			return -1;
		}
		o->width = (unsigned)v;
		break;
	case OPT_HAW:
		if (parse_num(c, "--haw", arg, &v))
			return -1;
		if (v < 12 || v > 64) {
			cli_error(c, EXIT_USAGE, "--haw must be 12 to 64");
			return -1;
		}
		o->haw = (unsigned)v;
		break;
	case 'e': o->encode = 1; break;
	case OPT_FROM_JSON: o->from_json = arg; break;
	case 'o': o->output = arg; break;
	case 'l': o->list = 1; break;
	case OPT_FIELDS: o->fields = arg; break;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct cli c = { .prog = "vtd-decode", .opts = options, .usage = usage, .more = more };
	struct opts o = { .cli = &c, .count = 0 };
	int first = cli_parse(&c, argc, argv, handle, &o);
	int nargs;
	char **args;

	if (first < 0)
		return EXIT_USAGE;
	nargs = argc - first;
	args = argv + first;
	if (o.list)
		return cmd_list(&o);
	if (o.fields)
		return cmd_fields(&o, o.fields);
	if (nargs < 1) {
		cli_error(&c, EXIT_USAGE, "no structure named (see --list, --help)");
		return EXIT_USAGE;
	}
	if (!strcmp(args[0], "dmar"))
		return cmd_dmar(&o, nargs - 1, args + 1);
	if (!strcmp(args[0], "regs"))
		return cmd_regs(&o, nargs - 1, args + 1);
	if (o.encode)
		return cmd_encode(&o, args[0], nargs - 1, args + 1);
	return cmd_decode(&o, args[0], nargs - 1, args + 1);
}
