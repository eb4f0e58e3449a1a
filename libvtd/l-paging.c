/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- second-stage and first-stage paging entries, per level (spec 9.7, 9.8) */
#include "layout-defs.h"
#include "tables.h"

/*
 * One layout per (stage, level, leaf) combination because the reserved bits
 * differ: PS is reserved at the top levels, the low address bits of a large
 * page are reserved, SNP/TM are defined only in leaves.  Levels that share
 * their bits (PDE and PDPE non-leaf, PML4E and PML5E) share one field table.
 */
static const struct vtd_value ps_values[] = {
	{ 0, "table", "points to the next-level table", 0 },
	{ 1, "page", "maps a large page", 0 },
	VTD_VALUES_END
};

/* ---- second stage ------------------------------------------------------- */

#define SS_PERMS \
	FLAG(0, "R", "r", "read permission"), \
	FLAG(1, "W", "w", "write permission"), \
	FLAG(2, "X", "x", "execute permission")

#define SS_LEAF_ATTRS \
	UINT(5, 3, "EMT", "emt", "extended memory type"), \
	FLAG(6, "IPAT", "ipat", "ignore PAT")

#define SS_HIGH_LEAF \
	IGN(61, 52, "IGN_HI", "ign_hi", "ignored"), \
	FLAG(62, "TM", "tm", "transient mapping: not cached in the device-TLB"), \
	IGN(63, 63, "IGN63", "ign63", "ignored")

static const struct vtd_field ss_pte[] = {
	SS_PERMS,
	SS_LEAF_ATTRS,
	IGN(7, 7, "IGN7", "ign7", "ignored"),
	FLAG(8, "A", "a", "accessed (with SSADE)"),
	FLAG(9, "D", "d", "dirty (with SSADE)"),
	IGN(10, 10, "IGN10", "ign10", "ignored"),
	FLAG(11, "SNP", "snp", "snoop behaviour for accesses through this page"),
	ADDR(51, 12, "ADDR", "addr", "4 KiB page frame"),
	SS_HIGH_LEAF,
};

static const struct vtd_field ss_nonleaf[] = {
	SS_PERMS,
	IGN(6, 3, "IGN_LO", "ign_lo", "ignored"),
	FIXED(7, 7, "PS", "ps", ps_values, 0, "page size: 0 = points to a table"),
	FLAG(8, "A", "a", "accessed (with SSADE)"),
	IGN(10, 9, "IGN_MID", "ign_mid", "ignored"),
	ADDR(51, 12, "ADDR", "addr", "next-level table"),
	IGN(61, 52, "IGN_HI", "ign_hi", "ignored"),
	IGN(63, 63, "IGN63", "ign63", "ignored"),
};

static const struct vtd_field ss_top[] = {
	SS_PERMS,
	IGN(6, 3, "IGN_LO", "ign_lo", "ignored"),
	FLAG(8, "A", "a", "accessed (with SSADE)"),
	IGN(10, 9, "IGN_MID", "ign_mid", "ignored"),
	ADDR(51, 12, "ADDR", "addr", "next-level table"),
	IGN(61, 52, "IGN_HI", "ign_hi", "ignored"),
	IGN(63, 63, "IGN63", "ign63", "ignored"),
};

#define SS_LARGE(addr_lo, what) \
	SS_PERMS, \
	SS_LEAF_ATTRS, \
	FIXED(7, 7, "PS", "ps", ps_values, 1, "page size: 1 = maps a page"), \
	FLAG(8, "A", "a", "accessed (with SSADE)"), \
	FLAG(9, "D", "d", "dirty (with SSADE)"), \
	IGN(10, 10, "IGN10", "ign10", "ignored"), \
	FLAG(11, "SNP", "snp", "snoop behaviour for accesses through this page"), \
	ADDR(51, addr_lo, "ADDR", "addr", what), \
	SS_HIGH_LEAF

static const struct vtd_field ss_pde_2m[] = { SS_LARGE(21, "2 MiB page frame") };
static const struct vtd_field ss_pdpe_1g[] = { SS_LARGE(30, "1 GiB page frame") };

VTD_LAYOUT(vtd_l_ss_pml5e, "ss-pml5e", "Second-stage PML5 entry", "paging", "9.8", 8, 0, ss_top);
VTD_LAYOUT(vtd_l_ss_pml4e, "ss-pml4e", "Second-stage PML4 entry", "paging", "9.8", 8, 0, ss_top);
VTD_LAYOUT(vtd_l_ss_pdpe, "ss-pdpe", "Second-stage PDP entry (table)", "paging", "9.8", 8, 0,
	   ss_nonleaf);
VTD_LAYOUT(vtd_l_ss_pdpe_1g, "ss-pdpe-1g", "Second-stage PDP entry (1 GiB page)", "paging",
	   "9.8", 8, 0, ss_pdpe_1g);
VTD_LAYOUT(vtd_l_ss_pde, "ss-pde", "Second-stage page-directory entry (table)", "paging", "9.8",
	   8, 0, ss_nonleaf);
VTD_LAYOUT(vtd_l_ss_pde_2m, "ss-pde-2m", "Second-stage page-directory entry (2 MiB page)",
	   "paging", "9.8", 8, 0, ss_pde_2m);
VTD_LAYOUT(vtd_l_ss_pte, "ss-pte", "Second-stage page-table entry (4 KiB page)", "paging", "9.8",
	   8, 0, ss_pte);

/* ---- first stage (IA-32e format) -------------------------------------------- */

#define FS_COMMON \
	FLAG(0, "P", "p", "present"), \
	FLAG(1, "RW", "rw", "read/write: writes allowed"), \
	FLAG(2, "US", "us", "user/supervisor: user requests allowed"), \
	FLAG(3, "PWT", "pwt", "page-level write-through"), \
	FLAG(4, "PCD", "pcd", "page-level cache disable"), \
	FLAG(5, "A", "a", "accessed")

#define FS_HIGH \
	IGN(62, 52, "IGN_HI", "ign_hi", "ignored"), \
	FLAG(63, "XD", "xd", "execute disable")

static const struct vtd_field fs_pte[] = {
	FS_COMMON,
	FLAG(6, "D", "d", "dirty"),
	FLAG(7, "PAT", "pat", "page attribute table index bit"),
	FLAG(8, "G", "g", "global"),
	IGN(11, 9, "IGN_MID", "ign_mid", "ignored"),
	ADDR(51, 12, "ADDR", "addr", "4 KiB page frame"),
	FS_HIGH,
};

static const struct vtd_field fs_nonleaf[] = {
	FS_COMMON,
	IGN(6, 6, "IGN6", "ign6", "ignored"),
	FIXED(7, 7, "PS", "ps", ps_values, 0, "page size: 0 = points to a table"),
	IGN(11, 8, "IGN_MID", "ign_mid", "ignored"),
	ADDR(51, 12, "ADDR", "addr", "next-level table"),
	FS_HIGH,
};

static const struct vtd_field fs_top[] = {
	FS_COMMON,
	IGN(6, 6, "IGN6", "ign6", "ignored"),
	IGN(11, 8, "IGN_MID", "ign_mid", "ignored"),
	ADDR(51, 12, "ADDR", "addr", "next-level table"),
	FS_HIGH,
};

#define FS_LARGE(addr_lo, what) \
	FS_COMMON, \
	FLAG(6, "D", "d", "dirty"), \
	FIXED(7, 7, "PS", "ps", ps_values, 1, "page size: 1 = maps a page"), \
	FLAG(8, "G", "g", "global"), \
	IGN(11, 9, "IGN_MID", "ign_mid", "ignored"), \
	FLAG(12, "PAT", "pat", "page attribute table index bit"), \
	ADDR(51, addr_lo, "ADDR", "addr", what), \
	FS_HIGH

static const struct vtd_field fs_pde_2m[] = { FS_LARGE(21, "2 MiB page frame") };
static const struct vtd_field fs_pdpe_1g[] = { FS_LARGE(30, "1 GiB page frame") };

VTD_LAYOUT(vtd_l_fs_pml5e, "fs-pml5e", "First-stage PML5 entry", "paging", "9.7", 8, 0, fs_top);
VTD_LAYOUT(vtd_l_fs_pml4e, "fs-pml4e", "First-stage PML4 entry", "paging", "9.7", 8, 0, fs_top);
VTD_LAYOUT(vtd_l_fs_pdpe, "fs-pdpe", "First-stage PDP entry (table)", "paging", "9.7", 8, 0,
	   fs_nonleaf);
VTD_LAYOUT(vtd_l_fs_pdpe_1g, "fs-pdpe-1g", "First-stage PDP entry (1 GiB page)", "paging", "9.7",
	   8, 0, fs_pdpe_1g);
VTD_LAYOUT(vtd_l_fs_pde, "fs-pde", "First-stage page-directory entry (table)", "paging", "9.7",
	   8, 0, fs_nonleaf);
VTD_LAYOUT(vtd_l_fs_pde_2m, "fs-pde-2m", "First-stage page-directory entry (2 MiB page)",
	   "paging", "9.7", 8, 0, fs_pde_2m);
VTD_LAYOUT(vtd_l_fs_pte, "fs-pte", "First-stage page-table entry (4 KiB page)", "paging", "9.7",
	   8, 0, fs_pte);

/* Indexed [first_stage][level][leaf]. */
static const struct vtd_layout *const paging[2][6][2] = {
	[0] = {
		[1] = { NULL, &vtd_l_ss_pte },
		[2] = { &vtd_l_ss_pde, &vtd_l_ss_pde_2m },
		[3] = { &vtd_l_ss_pdpe, &vtd_l_ss_pdpe_1g },
		[4] = { &vtd_l_ss_pml4e, NULL },
		[5] = { &vtd_l_ss_pml5e, NULL },
	},
	[1] = {
		[1] = { NULL, &vtd_l_fs_pte },
		[2] = { &vtd_l_fs_pde, &vtd_l_fs_pde_2m },
		[3] = { &vtd_l_fs_pdpe, &vtd_l_fs_pdpe_1g },
		[4] = { &vtd_l_fs_pml4e, NULL },
		[5] = { &vtd_l_fs_pml5e, NULL },
	},
};

const struct vtd_layout *vtd_paging_layout(int first_stage, int level, int leaf)
{
	if (level < 1 || level > 5)
		return NULL;
	return paging[!!first_stage][level][!!leaf];
}

const struct vtd_layout *const vtd__layouts_tables[] = {
	&vtd_l_root_legacy, &vtd_l_root_sm, &vtd_l_context_legacy, &vtd_l_context_sm,
	&vtd_l_pasid_dir, &vtd_l_pasid_entry,
	&vtd_l_ss_pml5e, &vtd_l_ss_pml4e, &vtd_l_ss_pdpe, &vtd_l_ss_pdpe_1g,
	&vtd_l_ss_pde, &vtd_l_ss_pde_2m, &vtd_l_ss_pte,
	&vtd_l_fs_pml5e, &vtd_l_fs_pml4e, &vtd_l_fs_pdpe, &vtd_l_fs_pdpe_1g,
	&vtd_l_fs_pde, &vtd_l_fs_pde_2m, &vtd_l_fs_pte,
	NULL,
};
