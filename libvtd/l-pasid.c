/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- scalable-mode PASID directory and PASID table entries (spec 9.5, 9.6) */
#include "layout-defs.h"
#include "tables.h"

/*
 * AW as the PASID entry uses it: it sizes the second-stage table, and
 * first-stage-only entries commonly leave it 0, so 0 is not a finding here.
 */
static const struct vtd_value aw_values[] = {
	{ 0, "unset", "no second-stage table (first-stage or pass-through entries)", 0 },
	{ 1, "39-bit", "3-level table", 0 },
	{ 2, "48-bit", "4-level table", 0 },
	{ 3, "57-bit", "5-level table", 0 },
	{ 4, "66-bit", "6-level table", VTD_VF_RESERVED },
	{ 5, "reserved-5", "reserved", VTD_VF_RESERVED },
	{ 6, "reserved-6", "reserved", VTD_VF_RESERVED },
	{ 7, "reserved-7", "reserved", VTD_VF_RESERVED },
	VTD_VALUES_END
};

static const struct vtd_field pasid_dir[] = {
	FLAG(0, "P", "p", "present: the PASID table is valid"),
	FLAG(1, "FPD", "fpd", "fault processing disable"),
	ADDR(63, 12, "SMPTBLPTR", "smptblptr", "scalable-mode PASID-table pointer"),
};
VTD_LAYOUT(vtd_l_pasid_dir, "pasid-dir", "PASID directory entry", "table", "9.5",
	   8, 0, pasid_dir);

static const struct vtd_value pgtt_values[] = {
	{ 0, "reserved-0", "reserved", VTD_VF_RESERVED },
	{ 1, "first-stage", "first-stage translation only", 0 },
	{ 2, "second-stage", "second-stage translation only", 0 },
	{ 3, "nested", "first stage nested over second stage", 0 },
	{ 4, "pass-through", "no translation", 0 },
	{ 5, "reserved-5", "reserved", VTD_VF_RESERVED },
	{ 6, "reserved-6", "reserved", VTD_VF_RESERVED },
	{ 7, "reserved-7", "reserved", VTD_VF_RESERVED },
	VTD_VALUES_END
};

static const struct vtd_value fspm_values[] = {
	{ 0, "4-level", "4-level first-stage table (48-bit)", 0 },
	{ 1, "5-level", "5-level first-stage table (57-bit)", 0 },
	{ 2, "reserved-2", "reserved", VTD_VF_RESERVED },
	{ 3, "reserved-3", "reserved", VTD_VF_RESERVED },
	VTD_VALUES_END
};

static const struct vtd_field pasid_entry[] = {
	FLAG(0, "P", "p", "present"),
	FLAG(1, "FPD", "fpd", "fault processing disable"),
	ENUM(4, 2, "AW", "aw", aw_values, "second-stage address width"),
	FLAG(5, "SSEE", "ssee", "second-stage execute enable"),
	ENUM(8, 6, "PGTT", "pgtt", pgtt_values, "PASID-granular translation type"),
	FLAG(9, "SSADE", "ssade", "second-stage accessed/dirty flags enable"),
	ADDR(63, 12, "SSPTPTR", "ssptptr", "second-stage page-table pointer"),
	UINT(79, 64, "DID", "did", "domain identifier"),
	FLAG(87, "PWSNP", "pwsnp", "page-walk snoop"),
	FLAG(88, "PGSNP", "pgsnp", "page snoop: all accesses snooped"),
	FLAG(89, "CD", "cd", "cache disable (first-stage memory type)"),
	FLAG(90, "EMTE", "emte", "extended memory type enable"),
	UINT(93, 91, "EMT", "emt", "extended memory type"),
	FLAG(94, "PWT", "pwt", "page-level write-through for first-stage table accesses"),
	FLAG(95, "PCD", "pcd", "page-level cache disable for first-stage table accesses"),
	HEX(127, 96, "PAT", "pat", "page attribute table for first-stage memory types"),
	FLAG(128, "SRE", "sre", "supervisor requests enable"),
	FLAG(129, "ERE", "ere", "execute requests enable"),
	ENUM(131, 130, "FSPM", "fspm", fspm_values, "first-stage paging mode"),
	FLAG(132, "WPE", "wpe", "write protect enable for supervisor requests"),
	FLAG(135, "EAFE", "eafe", "extended accessed flag enable"),
	ADDR(191, 140, "FSPTPTR", "fsptptr", "first-stage page-table pointer"),
};
VTD_LAYOUT(vtd_l_pasid_entry, "pasid-entry", "PASID table entry", "table", "9.6",
	   64, 0, pasid_entry);
