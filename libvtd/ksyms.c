/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- kernel symbol files (/proc/kallsyms, System.map), streamed for a few names */
#include "kernel-internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

const char *const vtd__ksym_names[VTD_KS_N] = {
	[VTD_KS_DRHD_UNITS] = "dmar_drhd_units",
	[VTD_KS_SM] = "intel_iommu_sm",
	[VTD_KS_EIM] = "eim_mode",
	[VTD_KS_X2APIC] = "x2apic_mode",
	[VTD_KS_PAGE_OFFSET] = "page_offset_base",
	[VTD_KS_VMALLOC] = "vmalloc_base",
	[VTD_KS_PHYS_BASE] = "phys_base",
	[VTD_KS_BANNER] = "linux_banner",
	[VTD_KS_UTS] = "init_uts_ns",
	[VTD_KS_TEXT] = "_text",
	[VTD_KS_START_BTF] = "__start_BTF",
	[VTD_KS_STOP_BTF] = "__stop_BTF",
};

/*
 * Longer lines exist (Rust symbols run past 200 characters) but none we
 * want: their head is read and the rest skipped, so memory stays fixed.
 */
#define LINE_MAX_READ 512

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * One line "ADDR TYPE NAME [MODULE]": 1 with the address and the name
 * (cut in place) when it is a symbol of the kernel proper, 0 for a line
 * of another shape or a module's symbol.
 */
static int parse_line(char *s, uint64_t *addr, const char **name)
{
	uint64_t a = 0;
	int digits = 0, d;
	char *n;

	while ((d = hexval((unsigned char)*s)) >= 0) {
		if (++digits > 16)
			return 0;
		a = a << 4 | (uint64_t)d;
		s++;
	}
	if (!digits || *s != ' ' || !s[1] || s[1] == ' ' || s[2] != ' ')
		return 0;
	n = s + 3;
	s = n + strcspn(n, " \t\r\n");
	if (s == n)
		return 0;
	/* What follows the name: nothing, or a module's "[name]". */
	if (*s && s[strspn(s, " \t\r\n")] == '[')
		return 0;
	*s = 0;
	*addr = a;
	*name = n;
	return 1;
}

int vtd__ksyms_read(const char *path, struct vtd_ksyms *ks, struct vtd_error *err)
{
	char line[LINE_MAX_READ];
	unsigned long long lines = 0, nonzero = 0;
	FILE *f = fopen(path, "re");
	int rc = 0;

	memset(ks, 0, sizeof(*ks));
	if (!f) {
		int e = errno;

		rc = vtd_fail(err, e == EACCES || e == EPERM ? VTD_EPERM : VTD_EIO,
			      "cannot open symbol file '%s': %s", path, strerror(e));
		if (err)
			err->sys_errno = e;
		return rc;
	}
	while (fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);
		const char *name;
		uint64_t addr;

		if (len && line[len - 1] != '\n' && !feof(f)) {
			int c;

			while ((c = getc(f)) != EOF && c != '\n')
				;
		}
		if (!parse_line(line, &addr, &name))
			continue;
		lines++;
		nonzero += addr != 0;
		for (int i = 0; i < VTD_KS_N; i++)
			if (!ks->found[i] && !strcmp(name, vtd__ksym_names[i])) {
				ks->addr[i] = addr;
				ks->found[i] = 1;
				break;
			}
	}
	if (ferror(f)) {
		int e = errno;

		rc = vtd_fail(err, VTD_EIO, "cannot read symbol file '%s': %s", path, strerror(e));
		if (err)
			err->sys_errno = e;
	} else if (!lines) {
		rc = vtd_fail(err, VTD_EFORMAT,
			      "'%s' holds no symbol line (\"ADDR TYPE NAME\"): not a kallsyms or "
			      "System.map file", path);
	} else if (!nonzero) {
		rc = vtd_fail(err, VTD_EFORMAT,
			      "'%s': every address is 0: the kernel hides them "
			      "(kernel.kptr_restrict): run as root", path);
	}
	fclose(f);
	return rc;
}
