/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-dump -- the remapping units of this host and their registers: from
 * debugfs's iommu_regset when it can be read, else CAP/ECAP and the
 * register base from sysfs and RTADDR, IRTA and GSTS through /dev/mem.
 */
#include <errno.h>
#include <glob.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dump.h"
#include "regpage.h"

#define MAX_UNITS 64
#define REG_GSTS 0x1c
#define REG_RTADDR 0x20
#define REG_IRTA 0xb8

static const char *sysroot(void)
{
	const char *r = getenv("VTD_DUMP_SYSROOT");

	return r ? r : "";
}

const char *live_file(const char *path, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s", sysroot(), path);
	return access(buf, R_OK) ? NULL : buf;
}

/*
 * The format of Linux's iommu_regset (drivers/iommu/intel/debugfs.c), per
 * unit:
 *   IOMMU: dmar0 Register Base Address: fed90000
 *   Name			Offset		Contents
 *   VER             	0x00		0x0000000000000010
 *   ...
 * Registers are found by name; units without RTADDR are left out.
 */
size_t live_parse_regset(const char *text, struct unit *u, size_t max)
{
	const char *l = text;
	size_t n = 0;
	int cur = -1;

	while (l && *l) {
		const char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) : strlen(l);
		char line[256], name[32], reg[32];
		unsigned long long base, off, val;

		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, l, len);
		line[len] = '\0';
		l = nl ? nl + 1 : NULL;
		if (sscanf(line, "IOMMU: %31s Register Base Address: %llx", name, &base) == 2) {
			if (n == max) {
				cur = -1;
				continue;
			}
			cur = (int)n++;
			memset(&u[cur], 0, sizeof(u[cur]));
			snprintf(u[cur].name, sizeof(u[cur].name), "%s", name);
			u[cur].base = base;
			u[cur].from = "debugfs";
			continue;
		}
		if (cur < 0 || sscanf(line, "%31s %llx %llx", reg, &off, &val) != 3)
			continue;
		if (!strcmp(reg, "CAP"))
			u[cur].cap = val;
		else if (!strcmp(reg, "ECAP"))
			u[cur].ecap = val;
		else if (!strcmp(reg, "RTADDR"))
			u[cur].rtaddr = val;
		else if (!strcmp(reg, "IRTA"))
			u[cur].irta = val;
		else if (!strcmp(reg, "GSTS")) {
			u[cur].te = (uint8_t)(val >> 31 & 1);
			u[cur].has_te = 1;
			u[cur].gsts = (uint32_t)val;
			u[cur].has_gsts = 1;
		} else if (!strcmp(reg, "FSTS")) {
			u[cur].fsts = (uint32_t)val;
			u[cur].has_fsts = 1;
		} else if (!strcmp(reg, "IQA")) {
			u[cur].iqa = val;
			u[cur].has_iq = 1;
		} else if (!strcmp(reg, "IQH")) {
			u[cur].iqh = val;
			u[cur].has_iqh = 1;
		} else if (!strcmp(reg, "IQT")) {
			u[cur].iqt = val;
		}
	}
	for (size_t i = 0; i < n; i++)
		u[i].haw = regpage_haw(u[i].cap, u[i].ecap);
	return n;
}

static int read_text(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	size_t k;

	if (!f)
		return -1;
	k = fread(buf, 1, n - 1, f);
	buf[k] = '\0';
	fclose(f);
	return 0;
}

static int from_regset(struct unit **out, size_t *n)
{
	char path[4200];
	size_t cap = 1 << 20, got;
	char *text;
	FILE *f;

	snprintf(path, sizeof(path), "%s/sys/kernel/debug/iommu/intel/iommu_regset", sysroot());
	if (!(f = fopen(path, "r")))
		return -1;
	text = malloc(cap);
	*out = calloc(MAX_UNITS, sizeof(**out));
	if (!text || !*out) {
		fclose(f);
		free(text);
		free(*out);
		return -1;
	}
	got = fread(text, 1, cap - 1, f);
	text[got] = '\0';
	fclose(f);
	*n = live_parse_regset(text, *out, MAX_UNITS);
	free(text);
	if (!*n) {
		free(*out);
		return -1;
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	const struct unit *x = a, *y = b;
	size_t lx = strlen(x->name), ly = strlen(y->name);

	/* dmar2 before dmar10 */
	return lx != ly ? (lx < ly ? -1 : 1) : strcmp(x->name, y->name);
}

int live_units(struct unit **out, size_t *n, char *why, size_t whyn)
{
	struct vtd_error e = { 0 }, *err = &e;
	size_t k = 0;
	char pat[4200], path[4300], buf[64];
	struct vtd_mem *dm = NULL;
	struct unit *u;
	glob_t g;
	size_t i;
	int rc;

	if (!from_regset(out, n))
		return 0;
	snprintf(pat, sizeof(pat), "%s/sys/class/iommu/dmar*", sysroot());
	if (glob(pat, 0, NULL, &g) || !g.gl_pathc) {
		globfree(&g);
		snprintf(why, whyn, "no VT-d unit on this host (no %s/sys/class/iommu/dmar*): "
			 "give a SOURCE with --rtaddr, --regs or --scan", sysroot());
		return -VTD_ENOTFOUND;
	}
	if (!(u = calloc(g.gl_pathc, sizeof(*u)))) {
		globfree(&g);
		snprintf(why, whyn, "out of memory");
		return -VTD_ENOMEM;
	}
	for (i = 0; i < g.gl_pathc; i++) {
		const char *nm = strrchr(g.gl_pathv[i], '/') + 1;

		snprintf(u[i].name, sizeof(u[i].name), "%s", nm);
		snprintf(path, sizeof(path), "%s/intel-iommu/cap", g.gl_pathv[i]);
		if (!read_text(path, buf, sizeof(buf)))
			u[i].cap = strtoull(buf, NULL, 16);
		snprintf(path, sizeof(path), "%s/intel-iommu/ecap", g.gl_pathv[i]);
		if (!read_text(path, buf, sizeof(buf)))
			u[i].ecap = strtoull(buf, NULL, 16);
		snprintf(path, sizeof(path), "%s/intel-iommu/address", g.gl_pathv[i]);
		if (read_text(path, buf, sizeof(buf))) {
			rc = vtd_fail(err, VTD_EIO, "%s: cannot read %s: %s", u[i].name, path,
				      strerror(errno));
			goto fail;
		}
		u[i].base = strtoull(buf, NULL, 16);
		u[i].haw = regpage_haw(u[i].cap, u[i].ecap);
		u[i].from = "devmem";
	}
	globfree(&g);
	qsort(u, i, sizeof(*u), by_name);
	/* No debugfs: RTADDR, IRTA and GSTS are only in the registers themselves. */
	rc = vtd_mem_open("devmem:", &dm, err);
	for (k = 0; k < i && !rc; k++) {
		uint8_t v[8];
		uint32_t gsts;

		if ((rc = vtd_mem_read(dm, u[k].base + REG_RTADDR, v, 8, err))) {
			k++;
			break;
		}
		memcpy(&u[k].rtaddr, v, 8);
		if (!vtd_mem_read(dm, u[k].base + REG_IRTA, v, 8, NULL))
			memcpy(&u[k].irta, v, 8);
		if (!vtd_mem_read(dm, u[k].base + REG_GSTS, &gsts, 4, NULL)) {
			u[k].te = (uint8_t)(gsts >> 31 & 1);
			u[k].has_te = 1;
		}
		if (!rc && !(u[k].rtaddr & ~(uint64_t)0xfff))
			rc = vtd_fail(err, VTD_EFORMAT, "%s: RTADDR at 0x%" PRIx64 " reads 0x%"
				      PRIx64 ": no root table (translation off, or not the "
				      "registers)", u[k].name, u[k].base + REG_RTADDR, u[k].rtaddr);
	}
	vtd_mem_close(dm);
	if (rc) {
		/* One line: what failed, why, and the ways around it. */
		snprintf(why, whyn, "%s: cannot read its registers at 0x%" PRIx64 " through "
			 "devmem: (%s%s%s%s) and %s/sys/kernel/debug/iommu/intel/iommu_regset is "
			 "not readable: run as root with debugfs mounted, or give --regs",
			 u[k - 1].name, u[k - 1].base, e.where, e.where[0] ? ": " : "", e.msg,
			 e.code == VTD_EPERM ? "; CONFIG_STRICT_DEVMEM or lockdown forbids it" : "",
			 sysroot());
		free(u);
		return rc;
	}
	*out = u;
	*n = i;
	return 0;
fail:
	snprintf(why, whyn, "%s", e.msg);
	globfree(&g);
	free(u);
	return rc;
}
