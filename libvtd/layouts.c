/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- the registry of all descriptor tables */
#include "layout.h"

#include <string.h>
#include <strings.h>

#include "layout-defs.h"

/* Families in the order --list shows them. */
static const struct vtd_layout *const *const families[] = {
	vtd__layouts_tables, vtd__layouts_intr, vtd__layouts_inv,
	vtd__layouts_fault, vtd__layouts_regs, vtd__layouts_acpi,
};

const struct vtd_layout *vtd_layout_at(unsigned idx)
{
	const struct vtd_layout *const *p;
	unsigned i;

	for (i = 0; i < VTD_NELEM(families); i++)
		for (p = families[i]; *p; p++)
			if (!idx--)
				return *p;
	return NULL;
}

const struct vtd_layout *vtd_layout_find(const char *name)
{
	const struct vtd_layout *const *p, *hit = NULL;
	size_t n = strlen(name);
	unsigned i, nhits = 0;

	for (i = 0; i < VTD_NELEM(families); i++)
		for (p = families[i]; *p; p++) {
			if (!strcasecmp((*p)->name, name))
				return *p;
			if (n && !strncasecmp((*p)->name, name, n)) {
				hit = *p;
				nhits++;
			}
		}
	return nhits == 1 ? hit : NULL;
}
