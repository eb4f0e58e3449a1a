/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- root and context entries, legacy and scalable mode (spec 9.1-9.4) */
#include "layout-defs.h"
#include "tables.h"

static const struct vtd_field root_legacy[] = {
	FLAG(0, "P", "p", "present: the context table for this bus is valid"),
	ADDR(63, 12, "CTP", "ctp", "context-table pointer (4 KiB aligned)"),
};
VTD_LAYOUT(vtd_l_root_legacy, "root-legacy", "Root entry (legacy mode)", "table", "9.1",
	   16, 0, root_legacy);

static const struct vtd_field root_sm[] = {
	FLAG(0, "LP", "lp", "lower present: devfn 0-127 context table is valid"),
	ADDR(63, 12, "LCTP", "lctp", "lower scalable-mode context-table pointer"),
	FLAG(64, "UP", "up", "upper present: devfn 128-255 context table is valid"),
	ADDR(127, 76, "UCTP", "uctp", "upper scalable-mode context-table pointer"),
};
VTD_LAYOUT(vtd_l_root_sm, "root-sm", "Root entry (scalable mode)", "table", "9.2",
	   16, 0, root_sm);

static const struct vtd_value tt_values[] = {
	{ 0, "multi-level", "untranslated requests use second-stage tables; translation requests blocked", 0 },
	{ 1, "multi-level-devtlb", "as multi-level, and translation requests (ATS) allowed", 0 },
	{ 2, "pass-through", "untranslated requests pass through unmodified", 0 },
	{ 3, "reserved", "reserved translation type", VTD_VF_RESERVED },
	VTD_VALUES_END
};

/* Shared with the PASID entry: the AW coding of the second-stage table. */
const struct vtd_value vtd__aw_values[] = {
	{ 0, "30-bit", "2-level table", VTD_VF_RESERVED },
	{ 1, "39-bit", "3-level table", 0 },
	{ 2, "48-bit", "4-level table", 0 },
	{ 3, "57-bit", "5-level table", 0 },
	{ 4, "66-bit", "6-level table", VTD_VF_RESERVED },
	{ 5, "reserved-5", "reserved", VTD_VF_RESERVED },
	{ 6, "reserved-6", "reserved", VTD_VF_RESERVED },
	{ 7, "reserved-7", "reserved", VTD_VF_RESERVED },
	VTD_VALUES_END
};

static const struct vtd_field context_legacy[] = {
	FLAG(0, "P", "p", "present"),
	FLAG(1, "FPD", "fpd", "fault processing disable: do not record qualified faults"),
	ENUM(3, 2, "TT", "tt", tt_values, "translation type"),
	ADDR(63, 12, "SSPTPTR", "ssptptr", "second-stage page-table pointer (ignored for pass-through)"),
	ENUM(66, 64, "AW", "aw", vtd__aw_values, "address width: levels of the second-stage table"),
	IGN(70, 67, "AVAIL", "avail", "available to software"),
	UINT(87, 72, "DID", "did", "domain identifier"),
};
VTD_LAYOUT(vtd_l_context_legacy, "context-legacy", "Context entry (legacy mode)", "table", "9.3",
	   16, 0, context_legacy);

static const struct vtd_coding pdts_coding = { 1, 1, 7, "entries" };

static const struct vtd_field context_sm[] = {
	FLAG(0, "P", "p", "present"),
	FLAG(1, "FPD", "fpd", "fault processing disable"),
	FLAG(2, "DTE", "dte", "device-TLB enable: translation requests (ATS) allowed"),
	FLAG(3, "PASIDE", "paside", "PASID enable: requests with PASID allowed"),
	FLAG(4, "PRE", "pre", "page-request enable"),
	CODED(11, 9, "PDTS", "pdts", &pdts_coding, "PASID-directory size: 2^(PDTS+7) entries"),
	ADDR(63, 12, "PASIDDIRPTR", "pasiddirptr", "PASID-directory pointer"),
	UINT(83, 64, "RID_PASID", "rid_pasid", "PASID used for requests without PASID"),
	FLAG(84, "RID_PRIV", "rid_priv", "requests without PASID are treated as supervisor requests"),
};
VTD_LAYOUT(vtd_l_context_sm, "context-sm", "Context entry (scalable mode)", "table", "9.4",
	   32, 0, context_sm);
