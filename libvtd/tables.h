/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- the descriptor tables of the translation structures */
#ifndef VTD_TABLES_H
#define VTD_TABLES_H

#include "layout.h"

/* Root and context tables (spec 9.1-9.4). */
VTD_API extern const struct vtd_layout vtd_l_root_legacy;	/* "root-legacy" */
VTD_API extern const struct vtd_layout vtd_l_root_sm;		/* "root-sm" */
VTD_API extern const struct vtd_layout vtd_l_context_legacy;	/* "context-legacy" */
VTD_API extern const struct vtd_layout vtd_l_context_sm;	/* "context-sm" */

/* PASID directory and table (spec 9.5, 9.6). */
VTD_API extern const struct vtd_layout vtd_l_pasid_dir;	/* "pasid-dir" */
VTD_API extern const struct vtd_layout vtd_l_pasid_entry;	/* "pasid-entry" */

/* Second-stage paging entries, per level and leaf/non-leaf (spec 9.8). */
VTD_API extern const struct vtd_layout vtd_l_ss_pml5e, vtd_l_ss_pml4e, vtd_l_ss_pdpe,
	vtd_l_ss_pdpe_1g, vtd_l_ss_pde, vtd_l_ss_pde_2m, vtd_l_ss_pte;

/* First-stage (IA-32e) paging entries (spec 9.7). */
VTD_API extern const struct vtd_layout vtd_l_fs_pml5e, vtd_l_fs_pml4e, vtd_l_fs_pdpe,
	vtd_l_fs_pdpe_1g, vtd_l_fs_pde, vtd_l_fs_pde_2m, vtd_l_fs_pte;

/* Interrupt-remapping table entries (spec 9.10, 9.11). */
VTD_API extern const struct vtd_layout vtd_l_irte_remapped;	/* "irte-remapped" */
VTD_API extern const struct vtd_layout vtd_l_irte_posted;	/* "irte-posted" */

/*
 * Paging entry layout for a stage (0 = second, 1 = first), a level (1 = PTE
 * .. 5 = PML5E) and whether the entry is a leaf; NULL when that combination
 * cannot exist (a leaf above level 3, a non-leaf at level 1).
 */
VTD_API const struct vtd_layout *vtd_paging_layout(int first_stage, int level, int leaf);

#endif
