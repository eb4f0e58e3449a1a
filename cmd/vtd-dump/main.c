/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtd-dump -- find and print the VT-d tables of a live host or a crash dump */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "pci-names.h"
#include "layout-write.h"
#include "regpage.h"
#include "script.h"

enum {
	OPT_RTADDR = 256, OPT_IRTA, OPT_REGS, OPT_CAP, OPT_ECAP, OPT_PROFILE, OPT_LIVE,
	OPT_DEVICE, OPT_PASID, OPT_DOMAIN, OPT_ADDRESS, OPT_RAW, OPT_LAYOUT, OPT_CHECK,
	OPT_REACH, OPT_SCAN, OPT_PICK, OPT_BTF, OPT_SYMBOLS, OPT_DMAR, OPT_KERNEL,
};

static const struct cli_opt options[] = {
	{ OPT_RTADDR, "rtaddr", "VALUE", "the root-table address register: the root table, TTM "
	  "bits select legacy or scalable mode", NULL },
	{ OPT_IRTA, "irta", "VALUE", "the interrupt-remapping table address register", NULL },
	{ OPT_REGS, "regs", "FILE", "CAP, ECAP, RTADDR and IRTA from a dump of the register page "
	  "(as vtd-decode regs reads)", "file" },
	{ OPT_CAP, "cap", "VALUE", "the capability register (default: --regs's, else the "
	  "profile's)", NULL },
	{ OPT_ECAP, "ecap", "VALUE", "the extended capability register (default: --regs's, else "
	  "the profile's)", NULL },
	{ OPT_PROFILE, "profile", "NAME", "capability profile when no register says (default "
	  "qemu; see vtd-compile --list-profiles)", "profile" },
	{ OPT_KERNEL, "kernel", NULL, "find the units through the Linux kernel's own structures "
	  "in SOURCE (its VMCOREINFO, kallsyms and BTF): no register needed", NULL },
	{ OPT_BTF, "btf", "FILE", "--kernel with this BTF (/sys/kernel/btf/vmlinux, or a "
	  "vmlinux) instead of the one in the kernel's memory", "file" },
	{ OPT_SYMBOLS, "symbols", "FILE", "--kernel with this symbol table (/proc/kallsyms or "
	  "System.map) instead of the one in the kernel's memory", "file" },
	{ OPT_DMAR, "dmar", "FILE", "the ACPI DMAR table (binary): its RMRRs for --check "
	  "(live default: /sys/firmware/acpi/tables/DMAR)", "file" },
	{ OPT_LIVE, "live", NULL, "this host's registers (debugfs, sysfs, /dev/mem), also with a "
	  "SOURCE", NULL },
	{ OPT_DEVICE, "device", "BDF", "only this device (repeatable)", NULL },
	{ OPT_PASID, "pasid", "N", "only this PASID's entries (scalable mode)", NULL },
	{ OPT_DOMAIN, "domain", "DID", "only what domain id DID translates", NULL },
	{ OPT_ADDRESS, "address", "IOVA", "only the mapping that covers IOVA, and each device's "
	  "walk of it, entry by entry", NULL },
	{ OPT_RAW, "raw", NULL, "every entry of the tables with its physical address, one a line",
	  NULL },
	{ OPT_LAYOUT, "layout", NULL, "the tables as a vtd-compile layout (formats/layout.md)",
	  NULL },
	{ OPT_CHECK, "check", NULL, "lint the tables: one line per finding, exit 1 when any",
	  NULL },
	{ OPT_REACH, "reachable", NULL, "the host memory each device and PASID can reach, with "
	  "the bytes it can write", NULL },
	{ OPT_SCAN, "scan", NULL, "look for root tables in the source: candidates best first, with "
	  "their score and why", NULL },
	{ OPT_PICK, "pick", NULL, "--scan: dump the tables of the best candidate", NULL },
	{ 'o', "output", "FILE", "write the answer to FILE (it appears complete or not at all)",
	  "file" },
	{ 'j', "json", NULL, "print one JSON document (formats/vtd-dump.md), errors too", NULL },
	{ 'p', "pretty", NULL, "indent JSON output", NULL },
	{ 'q', "quiet", NULL, "no summaries on standard error", NULL },
	{ 0, NULL, NULL, NULL, NULL },
};

static const char usage[] =
	"Usage: vtd-dump [OPTIONS] [SOURCE]\n"
	"       vtd-dump SOURCE --rtaddr VALUE [--irta VALUE] [--cap VALUE --ecap VALUE]\n"
	"       vtd-dump SOURCE --regs FILE\n"
	"       vtd-dump SOURCE --kernel [--btf FILE] [--symbols FILE]\n"
	"       vtd-dump SOURCE --scan [--pick]\n"
	"       vtd-dump                       this host: registers from debugfs or sysfs, memory "
	"from kcore:\n";

static const char more[] =
	"SOURCE is a memory source: image:FILE[@BASE], elf:VMCORE, kdump:FILE, devmem:,\n"
	"kcore:, or a path (a raw image at 0).  Without SOURCE, vtd-dump reads this host:\n"
	"its units' registers from /sys/kernel/debug/iommu/intel/iommu_regset, or\n"
	"CAP/ECAP from /sys/class/iommu/dmar*/intel-iommu and RTADDR through /dev/mem,\n"
	"and the tables from /proc/kcore.\n"
	"The default answer is a tree: unit, bus, device, context entry, PASID entries,\n"
	"domain, mappings as IOVA-range -> host-range size perm page-sizes.\n"
	"Exit status: 0 ok; 1 --check found something, or --scan found nothing; 2 usage;\n"
	"3 bad tables (cycles, pointers out of range); 4 source or I/O error; 5 internal.\n";

static int handle(struct cli *c, int key, const char *arg, void *ctx)
{
	struct dopts *o = ctx;
	uint64_t v;
	unsigned sid;

	switch (key) {
	case OPT_RTADDR:
		o->has_rtaddr = 1;
		return cli_num(c, "--rtaddr", arg, &o->rtaddr);
	case OPT_IRTA:
		o->has_irta = 1;
		return cli_num(c, "--irta", arg, &o->irta);
	case OPT_REGS: o->regs = arg; break;
	case OPT_CAP:
		o->has_cap = 1;
		return cli_num(c, "--cap", arg, &o->cap);
	case OPT_ECAP:
		o->has_ecap = 1;
		return cli_num(c, "--ecap", arg, &o->ecap);
	case OPT_PROFILE:
		if (!vtd_profile_find(arg)) {
			cli_error(c, EXIT_USAGE, "unknown profile '%s' (see vtd-compile "
				  "--list-profiles)", arg);
			return -1;
		}
		o->profile = arg;
		break;
	case OPT_LIVE: o->live = 1; break;
	case OPT_KERNEL: o->kernel = 1; break;
	case OPT_BTF: o->btf = arg; o->kernel = 1; break;
	case OPT_SYMBOLS: o->symbols = arg; o->kernel = 1; break;
	case OPT_DMAR: o->dmar = arg; break;
	case OPT_DEVICE:
		if (script_bdf(arg, &sid)) {
			cli_error(c, EXIT_USAGE, "--device '%s' is not a BDF (bus:dev.fn, e.g. "
				  "00:03.0)", arg);
			return -1;
		}
		if (o->ndevs == MAX_DEVS) {
			cli_error(c, EXIT_USAGE, "at most %d --device options", MAX_DEVS);
			return -1;
		}
		o->devs[o->ndevs++] = (uint16_t)sid;
		break;
	case OPT_PASID:
		if (cli_num(c, "--pasid", arg, &v))
			return -1;
		if (v >= 1u << 20) {
			cli_error(c, EXIT_USAGE, "--pasid %s is beyond 20 bits", arg);
			return -1;
		}
		o->pasid = (uint32_t)v;
		o->has_pasid = 1;
		break;
	case OPT_DOMAIN:
		if (cli_num(c, "--domain", arg, &v))
			return -1;
		if (v > 0xffff) {
			cli_error(c, EXIT_USAGE, "--domain %s is beyond 16 bits", arg);
			return -1;
		}
		o->did = (uint16_t)v;
		o->has_did = 1;
		break;
	case OPT_ADDRESS:
		o->has_addr = 1;
		return cli_num(c, "--address", arg, &o->addr);
	case OPT_RAW: o->mode = M_RAW; o->nmodes++; break;
	case OPT_LAYOUT: o->mode = M_LAYOUT; o->nmodes++; break;
	case OPT_CHECK: o->mode = M_CHECK; o->nmodes++; break;
	case OPT_REACH: o->mode = M_REACH; o->nmodes++; break;
	case OPT_SCAN: o->mode = M_SCAN; o->nmodes++; break;
	case OPT_PICK: o->pick = 1; break;
	case 'o': o->out = arg; break;
	case 'j': o->json = 1; c->json = 1; break;
	case 'p': o->pretty = 1; break;
	case 'q': o->quiet = 1; break;
	}
	return 0;
}

static int check_usage(struct cli *c, const struct dopts *o, int nsrc)
{
	const char *why = NULL;

	if (nsrc > 1)
		why = "one SOURCE at a time";
	else if (o->nmodes > 1)
		why = "--raw, --layout, --check, --reachable and --scan go one at a time";
	else if (o->pick && o->mode != M_SCAN)
		why = "--pick goes with --scan";
	else if (o->dmar && o->mode != M_CHECK)
		why = "--dmar goes with --check (its RMRRs are what the tables must map)";
	else if (o->mode == M_LAYOUT && o->json)
		why = "--layout prints JSON already: leave out --json";
	else if ((o->has_did || o->has_addr) && o->mode != M_TREE && !(o->mode == M_SCAN && o->pick))
		why = "--domain and --address go with the tree (no --raw, --layout, --check, "
		      "--reachable, --scan)";
	else if ((o->ndevs || o->has_pasid) && o->mode != M_TREE && o->mode != M_REACH &&
		 !(o->mode == M_SCAN && o->pick))
		why = "--device and --pasid go with the tree or --reachable";
	else if (o->mode == M_SCAN && (o->has_rtaddr || o->live))
		why = "--scan looks for the root table: leave out --rtaddr and --live";
	else if (o->live && (o->has_rtaddr || o->regs))
		why = "--live reads the registers of this host: leave out --rtaddr and --regs";
	else if (o->kernel && (o->has_rtaddr || o->regs || o->live || o->mode == M_SCAN))
		why = "--kernel (--btf, --symbols) finds the units in the kernel's structures: leave "
		      "out --rtaddr, --regs, --live and --scan";
	else if (!nsrc && o->mode == M_SCAN)
		why = "--scan needs a SOURCE (a dump or an image)";
	else if (nsrc && !o->live && !o->has_rtaddr && !o->regs && !o->kernel && o->mode != M_SCAN)
		why = "where are the tables? give --rtaddr, --regs, --kernel, --live or --scan";
	if (why) {
		cli_error(c, EXIT_USAGE, "%s", why);
		return -1;
	}
	return 0;
}

/* RTADDR: bits 9:0 reserved, TTM 10b reserved; 11b (abort DMA) has no tables. */
static const char *rtaddr_problem(uint64_t rt)
{
	if (rt & 0x3ff)
		return "bits 9:0 are reserved";
	if ((rt >> 10 & 3) == 2)
		return "TTM 10b is reserved";
	if ((rt >> 10 & 3) == 3)
		return "TTM 11b is abort-DMA mode: there are no tables to read";
	return NULL;
}

/* The unit of an offline source: the options, --regs, the profile. */
static int offline_unit(struct cli *c, const struct dopts *o, struct unit *u, const char **pname)
{
	const struct vtd_profile *pr = o->profile ? vtd_profile_find(o->profile)
						  : vtd_profile_at(0);
	struct vtd_error e = { 0 };
	int own = 0, rc;

	memset(u, 0, sizeof(*u));
	snprintf(u->name, sizeof(u->name), "unit");
	u->cap = pr->cap;
	u->ecap = pr->ecap;
	u->from = "options";
	if (o->regs) {
		struct regpage rp;

		if ((rc = regpage_read(o->regs, &rp, &e)))
			return cli_report(c, &e, rc);
		u->cap = rp.cap;
		u->ecap = rp.ecap;
		u->rtaddr = rp.rtaddr;
		u->irta = rp.irta;
		u->te = rp.te;
		u->has_te = 1;
		u->gsts = rp.gsts;
		u->has_gsts = 1;
		u->fsts = rp.fsts;
		u->has_fsts = rp.has_fsts;
		u->iqa = rp.iqa;
		u->iqh = rp.iqh;
		u->iqt = rp.iqt;
		u->has_iq = u->has_iqh = rp.has_iq;
		if (rp.frcd && (u->frcd = malloc(16 * (size_t)rp.nfrcd))) {
			memcpy(u->frcd, rp.frcd, 16 * (size_t)rp.nfrcd);
			u->nfrcd = rp.nfrcd;
		}
		u->from = "regs";
		regpage_release(&rp);
		own = 1;
	}
	if (o->has_cap) {
		u->cap = o->cap;
		own = 1;
	}
	if (o->has_ecap) {
		u->ecap = o->ecap;
		own = 1;
	}
	if (o->has_rtaddr)
		u->rtaddr = o->rtaddr;
	if (o->has_irta)
		u->irta = o->irta;
	/* A unit's own registers: HAW is the DMAR table's, which MGAW stands in for. */
	u->haw = own && !o->profile ? regpage_haw(u->cap, u->ecap) : pr->haw;
	*pname = own ? NULL : pr->name;
	return 0;
}

/* The unit's own members, the object left open for its answer's. */
static void unit_jsonw(const struct unit *u, struct jsonw *w)
{
	jsonw_start_object(w);
	jsonw_kstring(w, "name", u->name);
	if (u->base)
		jsonw_khex(w, "reg_base", u->base);
	jsonw_khex(w, "rtaddr", u->rtaddr);
	jsonw_kstring(w, "mode", (u->rtaddr >> 10 & 3) == 1 ? "scalable" : "legacy");
	jsonw_khex(w, "irta", u->irta);
	jsonw_khex(w, "cap", u->cap);
	jsonw_khex(w, "ecap", u->ecap);
	jsonw_kint(w, "haw", u->haw);
	if (u->from)
		jsonw_kstring(w, "from", u->from);
	if (u->has_te)
		jsonw_kbool(w, "enabled", u->te);
}

/* The exit status of a failed table read: pointers beyond HAW are bad data. */
static int read_failed(struct dump *d, const struct unit *u, struct vtd_error *e, int rc)
{
	if (-rc == VTD_EUNMAPPED && e->has_addr && u->haw < 64 && e->addr >> u->haw) {
		cli_error(d->c, EXIT_DATA, "%s: %s (beyond the host address width, %u bits)",
			  e->where, e->msg, u->haw);
		return EXIT_DATA;
	}
	return cli_report(d->c, e, rc);
}

/* A RTADDR with no tables behind it: the answer for all but --check, which lints it. */
static int bad_rtaddr(struct dump *d, const struct unit *u)
{
	const char *bad = rtaddr_problem(u->rtaddr);

	if (!bad || d->o->mode == M_CHECK)
		return 0;
	cli_error(d->c, EXIT_DATA, "%s: RTADDR 0x%" PRIx64 ": %s", u->name, u->rtaddr, bad);
	return EXIT_DATA;
}

/* One unit, in the chosen mode; 'ju' (JSON: --check, --reachable) receives its members. */
static int dump_unit(struct dump *d, const struct unit *u, struct json_object *ju, int *finding)
{
	const struct dopts *o = d->o;
	struct vtd_error e = { 0 };
	struct vtd_plan plan = { 0 };
	int rc = 0;

	if ((rc = bad_rtaddr(d, u)))
		return rc;
	if (o->mode == M_RAW) {
		if ((rc = raw_dump(d, u, NULL, &e)))
			return cli_report(d->c, &e, rc);
		return EXIT_OK;
	}
	if (o->mode == M_CHECK) {
		struct json_object *a = ju ? json_object_new_array() : NULL;
		long n;

		if (ju)
			json_object_object_add(ju, "findings", a);
		if ((n = check_unit(d, u, a, &e)) < 0)
			return read_failed(d, u, &e, (int)n);
		if (n)
			*finding = 1;
		return EXIT_OK;
	}
	if ((rc = vtd_plan_read(d->mem, u->rtaddr, u->irta, u->cap, u->ecap, u->haw, &plan, &e)))
		return read_failed(d, u, &e, rc);
	switch (o->mode) {
	case M_LAYOUT: {
		struct json_object *doc = layout_write(&plan, d->profile_name);

		if (!doc) {
			rc = EXIT_INTERNAL;
			cli_error(d->c, rc, "out of memory");
			break;
		}
		layout_print(d->f, doc);
		json_object_put(doc);
		break;
	}
	case M_REACH: {
		struct json_object *a = ju ? json_object_new_array() : NULL;

		if (ju)
			json_object_object_add(ju, "reachable", a);
		if ((rc = reach_unit(d, u, &plan, a, &e)))
			rc = cli_report(d->c, &e, rc);
		break;
	}
	default:
		rc = tree_text(d, u, &plan);
	}
	vtd_plan_free(&plan);
	return rc;
}

/*
 * A unit's JSON answer, read before anything is written: an error then
 * leaves standard output one document (the error's).  The tree keeps its
 * plan and streams from it; --raw streams from the source; --check and
 * --reachable build their (small) members.
 */
struct junit {
	struct vtd_plan plan;
	uint8_t has_plan;
	struct json_object *members;
};

static int junit_read(struct dump *d, const struct unit *u, struct junit *j, int *finding)
{
	struct vtd_error e = { 0 };
	int rc;

	if (d->o->mode != M_RAW && d->o->mode != M_TREE) {
		j->members = json_object_new_object();
		return dump_unit(d, u, j->members, finding);
	}
	if ((rc = bad_rtaddr(d, u)))
		return rc;
	if (d->o->mode == M_RAW)
		return (rc = raw_ready(d, u, &e)) ? cli_report(d->c, &e, rc) : EXIT_OK;
	if ((rc = vtd_plan_read(d->mem, u->rtaddr, u->irta, u->cap, u->ecap, u->haw, &j->plan,
				&e)))
		return read_failed(d, u, &e, rc);
	j->has_plan = 1;
	return EXIT_OK;
}

static void junit_write(struct dump *d, const struct unit *u, struct junit *j, struct jsonw *w)
{
	struct vtd_error e = { 0 };

	unit_jsonw(u, w);
	if (d->o->mode == M_RAW) {
		jsonw_key(w, "entries");
		jsonw_start_array(w);
		/* raw_ready read the root table: what fails now is left out, as unreadable tables are */
		raw_dump(d, u, w, &e);
		jsonw_end_array(w);
	} else if (j->has_plan) {
		tree_json(d, u, &j->plan, w);
	} else if (j->members) {
		json_object_object_foreach(j->members, k, v) {
			jsonw_key(w, k);
			jsonw_json(w, v);
		}
	}
	jsonw_end_object(w);
}

/* The whole document: 'doc''s members (format, source, scan), then the units. */
static int json_units(struct dump *d, struct json_object *doc, const struct unit *units,
		      size_t nunits, int *finding)
{
	struct junit *js = calloc(nunits, sizeof(*js));
	struct jsonw *w = js ? jsonw_new(d->f, d->o->pretty) : NULL;
	int rc = EXIT_OK;
	size_t i;

	if (!w) {
		free(js);
		cli_error(d->c, EXIT_INTERNAL, "out of memory");
		return EXIT_INTERNAL;
	}
	for (i = 0; i < nunits && !rc; i++)
		rc = junit_read(d, &units[i], &js[i], finding);
	if (!rc) {
		jsonw_start_object(w);
		json_object_object_foreach(doc, k, v) {
			jsonw_key(w, k);
			jsonw_json(w, v);
		}
		jsonw_key(w, "units");
		jsonw_start_array(w);
		for (i = 0; i < nunits; i++)
			junit_write(d, &units[i], &js[i], w);
		jsonw_end_array(w);
		jsonw_end_object(w);
		jsonw_free(w);
	} else {
		free(w);
	}
	for (i = 0; i < nunits; i++) {
		vtd_plan_free(&js[i].plan);
		json_object_put(js[i].members);
	}
	free(js);
	return rc;
}

/*
 * The units out of the kernel's structures in the source (kunits.c).  Live,
 * this host's BTF and kallsyms when they can be read, else the kernel's
 * own copies in kcore:.  'why' says why the registers could not be read.
 */
static int kernel_route(struct dump *d, const struct dopts *o, int nsrc, const char *why,
			struct unit **units, size_t *n)
{
	const char *btf = o->btf, *sym = o->symbols;
	char bpath[4200], spath[4200], how[200];
	struct vtd_error e = { 0 };
	int rc;

	if (!nsrc || o->live) {
		if (!btf)
			btf = live_file("/sys/kernel/btf/vmlinux", bpath, sizeof(bpath));
		if (!sym)
			sym = live_file("/proc/kallsyms", spath, sizeof(spath));
	}
	if ((rc = kernel_units(d->mem, btf, sym, units, n, how, sizeof(how), &e))) {
		if (!why[0])
			return cli_report(d->c, &e, rc);
		cli_error(d->c, EXIT_SOURCE, "%s; and through the kernel's structures in %s: %s%s%s",
			  why, d->source, e.where, e.where[0] ? ": " : "", e.msg);
		return EXIT_SOURCE;
	}
	if (!*n) {
		cli_error(d->c, EXIT_DATA, "the kernel's dmar_drhd_units list in %s is empty: its "
			  "intel-iommu driver found no unit", d->source);
		return EXIT_DATA;
	}
	if (!o->quiet)
		fprintf(stderr, "%s: %zu unit%s from the kernel's structures: %s\n", d->c->prog,
			*n, *n == 1 ? "" : "s", how);
	return 0;
}

int main(int argc, char **argv)
{
	struct cli c = { .prog = "vtd-dump", .opts = options, .usage = usage, .more = more };
	struct dopts o = { 0 };
	struct dump d = { .c = &c, .o = &o };
	struct vtd_error e = { 0 };
	struct unit one, *units = &one;
	struct cli_out out;
	struct json_object *doc = NULL;
	size_t nunits = 1, i;
	int first = cli_parse(&c, argc, argv, handle, &o), nsrc, rc = EXIT_OK, finding = 0;
	char why[900] = "";
	int kernel;

	if (first < 0)
		return EXIT_USAGE;
	nsrc = argc - first;
	if (check_usage(&c, &o, nsrc))
		return EXIT_USAGE;
	d.source = nsrc ? argv[first] : "kcore:";
	/* PCI names are this host's: not under a pretend root (tests). */
	d.live = (!nsrc || o.live) && !getenv("VTD_DUMP_SYSROOT");
	memset(&one, 0, sizeof(one));
	kernel = o.kernel;
	if (o.live || (!nsrc && !o.has_rtaddr && !o.regs && !o.kernel)) {
		rc = live_units(&units, &nunits, why, sizeof(why));
		/*
		 * Units that sysfs lists but whose registers nobody shows (a stock
		 * kernel): the kernel's own structures still say where the tables are.
		 */
		if (rc == -VTD_ENOTFOUND || (rc && nsrc && !o.live)) {
			/* One line that says why, whatever the cause: a source error. */
			cli_error(&c, EXIT_SOURCE, "%s", why);
			return EXIT_SOURCE;
		}
		kernel = rc != 0;
		rc = 0;
	} else if (!o.kernel && (rc = offline_unit(&c, &o, &one, &d.profile_name))) {
		return rc;
	}
	if (o.has_rtaddr && (rc = rtaddr_problem(o.rtaddr) ? EXIT_USAGE : 0)) {
		cli_error(&c, rc, "--rtaddr 0x%" PRIx64 ": %s", o.rtaddr, rtaddr_problem(o.rtaddr));
		goto out_units;
	}
	if ((rc = vtd_mem_open(d.source, &d.mem, &e))) {
		rc = cli_report(&c, &e, rc);
		if (rc == EXIT_DATA)	/* an unknown backend is not bad tables */
			rc = EXIT_USAGE;
		goto out_units;
	}
	if (kernel && (rc = kernel_route(&d, &o, nsrc, why, &units, &nunits)))
		goto out_mem;
	if (o.mode == M_LAYOUT && nunits > 1) {
		cli_error(&c, EXIT_USAGE, "%zu units: a layout describes one; give --rtaddr or "
			  "--regs", nunits);
		rc = EXIT_USAGE;
		goto out_mem;
	}
	if (!(d.f = cli_out_open(&out, o.out, &e))) {
		rc = cli_report(&c, &e, -e.code);
		goto out_mem;
	}
	if (o.json) {
		doc = json_object_new_object();
		json_object_object_add(doc, "vtd_dump", json_object_new_int(1));
		json_object_object_add(doc, "source", json_object_new_string(d.source));
	}
	if (o.mode == M_SCAN) {
		struct json_object *a = doc ? json_object_new_array() : NULL;
		uint64_t best = 0;
		long n;

		if (doc)
			json_object_object_add(doc, "scan", a);
		n = scan_source(&d, &units[0], a, &best, &e);
		if (n < 0) {
			rc = cli_report(&c, &e, (int)n);
			goto out_close;
		}
		if (!n) {
			if (!o.quiet)
				fprintf(stderr, "%s: no root table found in %s\n", c.prog, d.source);
			finding = 1;
		}
		if (!o.pick || !n)
			goto out_print;
		units[0].rtaddr = best;
		o.mode = M_TREE;
		if (!doc)
			fputc('\n', d.f);
	}
	if (doc) {
		rc = json_units(&d, doc, units, nunits, &finding);
		goto out_close;
	}
	for (i = 0; i < nunits && !rc; i++)
		rc = dump_unit(&d, &units[i], NULL, &finding);
out_print:
	if (doc && !rc)
		cli_fprint_json(d.f, doc, o.pretty);
out_close:
	{
		int crc = cli_out_close(&out, !rc, &e);

		if (crc && !rc)
			rc = cli_report(&c, &e, crc);
	}
	json_object_put(doc);
out_mem:
	vtd_mem_close(d.mem);
out_units:
	for (i = 0; i < nunits; i++)
		free(units[i].frcd);
	if (units != &one)
		free(units);
	cli_pci_done();
	if (!rc && finding)
		rc = EXIT_FINDING;
	return rc;
}
