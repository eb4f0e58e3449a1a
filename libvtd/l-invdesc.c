/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- invalidation-queue descriptors, one table for 128- and 256-bit queues (spec 6.5.2) */
#include "layout-defs.h"
#include "invdesc.h"

/*
 * Every descriptor type, by the 4-bit code in bits 3:0.  Names are the
 * suffixes of the layout names ("iotlb" -> "inv-iotlb"); each meaning
 * mentions the label Linux's qi_submit trace event prints, which is how
 * most people first meet these codes.  0xA has a name but no layout.
 */
static const struct vtd_value inv_types[] = {
	{ 0x1, "cc", "context-cache invalidate (Linux trace: cc_inv)", 0 },
	{ 0x2, "iotlb", "IOTLB invalidate (Linux trace: iotlb_inv)", 0 },
	{ 0x3, "devtlb", "device-TLB invalidate (Linux trace: dev_tlb_inv)", 0 },
	{ 0x4, "iec", "interrupt-entry-cache invalidate (Linux trace: iec_inv)", 0 },
	{ 0x5, "wait", "invalidation wait (Linux trace: inv_wait)", 0 },
	{ 0x6, "piotlb", "PASID-based IOTLB invalidate (Linux trace: p_iotlb_inv)", 0 },
	{ 0x7, "pc", "PASID-cache invalidate (Linux trace: pc_inv)", 0 },
	{ 0x8, "pdevtlb", "PASID-based device-TLB invalidate (Linux trace: p_dev_tlb_inv)", 0 },
	{ 0x9, "pgrp-resp", "page-group response (Linux trace: page_grp_resp)", 0 },
	{ 0xA, "pstrm-resp", "page-stream response (no Linux trace label)", 0 },
	VTD_VALUES_END
};

/* No defined type uses type bits 6:4, so every layout pins them to zero. */
static const struct vtd_value type_hi_values[] = {
	{ 0, "none", "type code below 0x10", 0 },
	VTD_VALUES_END
};

#define INV_TYPE(code) \
	FIXED(3, 0, "TYPE", "type", inv_types, code, "descriptor type")
#define INV_TYPE_HI \
	FIXED(11, 9, "TYPE_HI", "type_hi", type_hi_values, 0, "descriptor type bits 6:4")

/* 2^AM pages, 2^IM entries: masks are counts, so show them as counts. */
static const struct vtd_coding am_coding = { 1, 1, 0, "pages" };
static const struct vtd_coding im_coding = { 1, 1, 0, "entries" };

/* ---- context-cache ------------------------------------------------------ */

static const struct vtd_value cc_gran[] = {
	{ 0, "reserved", "reserved granularity", VTD_VF_RESERVED },
	{ 1, "global", "all context entries", 0 },
	{ 2, "domain", "context entries of domain DID", 0 },
	{ 3, "device", "context entries of SID (masked by FM) in domain DID", 0 },
	VTD_VALUES_END
};

static const struct vtd_value fm_values[] = {
	{ 0, "none", "SID matches exactly", 0 },
	{ 1, "fn2", "bit 2 of the function number is ignored", 0 },
	{ 2, "fn2-1", "bits 2:1 of the function number are ignored", 0 },
	{ 3, "fn", "the whole function number is ignored", 0 },
	VTD_VALUES_END
};

static const struct vtd_field inv_cc[] = {
	INV_TYPE(0x1),
	ENUM(5, 4, "G", "g", cc_gran, "granularity"),
	INV_TYPE_HI,
	UINT(31, 16, "DID", "did", "domain id (domain and device granularity)"),
	HEX(47, 32, "SID", "sid", "source id (device granularity)"),
	ENUM(49, 48, "FM", "fm", fm_values, "function mask applied to SID"),
};
VTD_LAYOUT(vtd_l_inv_cc, "inv-cc", "Context-cache invalidate descriptor", "descriptor",
	   "6.5.2.1", 32, 16, inv_cc);

/* ---- IOTLB -------------------------------------------------------------- */

static const struct vtd_value iotlb_gran[] = {
	{ 0, "reserved", "reserved granularity", VTD_VF_RESERVED },
	{ 1, "global", "all IOTLB entries", 0 },
	{ 2, "domain", "entries of domain DID", 0 },
	{ 3, "page", "entries of domain DID covering ADDR and 2^AM pages", 0 },
	VTD_VALUES_END
};

static const struct vtd_field inv_iotlb[] = {
	INV_TYPE(0x2),
	ENUM(5, 4, "G", "g", iotlb_gran, "granularity"),
	FLAG(6, "DW", "dw", "drain writes before completing"),
	FLAG(7, "DR", "dr", "drain reads before completing"),
	INV_TYPE_HI,
	UINT(31, 16, "DID", "did", "domain id (domain and page granularity)"),
	CODED(69, 64, "AM", "am", &am_coding, "address mask: ADDR covers 2^AM pages"),
	FLAG(70, "IH", "ih", "invalidation hint: only leaf entries changed, "
	     "cached non-leaf entries may be kept"),
	ADDR(127, 76, "ADDR", "addr", "first page to invalidate (page granularity)"),
};
VTD_LAYOUT(vtd_l_inv_iotlb, "inv-iotlb", "IOTLB invalidate descriptor", "descriptor",
	   "6.5.2.3", 32, 16, inv_iotlb);

/* ---- device-TLB ---------------------------------------------------------- */

/*
 * PFSID is split in two (bits 15:12 and 63:52) so that the type bits in
 * between stay where every other descriptor has them.
 */
static const struct vtd_field inv_devtlb[] = {
	INV_TYPE(0x3),
	INV_TYPE_HI,
	HEX(15, 12, "PFSID_LO", "pfsid_lo", "physical-function source id bits 3:0 (ECAP.DIT)"),
	UINT(20, 16, "MIP", "mip", "max invalidations pending: the device's ATS queue depth "
	     "(Linux calls it QDEP)"),
	HEX(47, 32, "SID", "sid", "source id of the device whose TLB is invalidated"),
	HEX(63, 52, "PFSID_HI", "pfsid_hi", "physical-function source id bits 15:4 (ECAP.DIT)"),
	FLAG(64, "S", "s", "size: the lowest clear bit of ADDR gives the range "
	     "(PCIe ATS encoding); clear means one page"),
	ADDR(127, 76, "ADDR", "addr", "address to invalidate in the device TLB"),
};
VTD_LAYOUT(vtd_l_inv_devtlb, "inv-devtlb", "Device-TLB invalidate descriptor", "descriptor",
	   "6.5.2.5", 32, 16, inv_devtlb);

/* ---- interrupt-entry cache ------------------------------------------------ */

static const struct vtd_value iec_gran[] = {
	{ 0, "global", "all cached interrupt-remapping entries", 0 },
	{ 1, "index", "entries IIDX .. IIDX + 2^IM - 1", 0 },
	VTD_VALUES_END
};

static const struct vtd_field inv_iec[] = {
	INV_TYPE(0x4),
	ENUM(4, 4, "G", "g", iec_gran, "granularity"),
	INV_TYPE_HI,
	CODED(31, 27, "IM", "im", &im_coding, "index mask: 2^IM entries from IIDX"),
	UINT(47, 32, "IIDX", "iidx", "first interrupt index (index granularity)"),
};
VTD_LAYOUT(vtd_l_inv_iec, "inv-iec", "Interrupt-entry-cache invalidate descriptor", "descriptor",
	   "6.5.2.7", 32, 16, inv_iec);

/* ---- invalidation wait ---------------------------------------------------- */

static const struct vtd_field inv_wait[] = {
	INV_TYPE(0x5),
	FLAG(4, "IF", "if", "interrupt flag: raise the invalidation-completion event when done"),
	FLAG(5, "SW", "sw", "status write: store STATDATA at STATADDR when done"),
	FLAG(6, "FN", "fn", "fence: later descriptors wait until everything before completes"),
	FLAG(7, "PD", "pd", "page-request drain (needs ECAP.PDS)"),
	INV_TYPE_HI,
	HEX(63, 32, "STATDATA", "statdata", "32-bit value written when SW is set"),
	ADDRS(127, 66, 2, "STATADDR", "stataddr", "where the status is written (4-byte aligned)"),
};
VTD_LAYOUT(vtd_l_inv_wait, "inv-wait", "Invalidation wait descriptor", "descriptor",
	   "6.5.2.8", 32, 16, inv_wait);

/* ---- PASID-based IOTLB ------------------------------------------------------ */

static const struct vtd_value piotlb_gran[] = {
	{ 0, "reserved-0", "reserved granularity", VTD_VF_RESERVED },
	{ 1, "reserved-1", "reserved granularity", VTD_VF_RESERVED },
	{ 2, "pasid", "all entries of PASID in domain DID", 0 },
	{ 3, "page", "entries of PASID in domain DID covering ADDR and 2^AM pages", 0 },
	VTD_VALUES_END
};

static const struct vtd_field inv_piotlb[] = {
	INV_TYPE(0x6),
	ENUM(5, 4, "G", "g", piotlb_gran, "granularity"),
	INV_TYPE_HI,
	UINT(31, 16, "DID", "did", "domain id"),
	HEX(51, 32, "PASID", "pasid", "process address-space id"),
	CODED(69, 64, "AM", "am", &am_coding, "address mask: ADDR covers 2^AM pages"),
	FLAG(70, "IH", "ih", "invalidation hint: only leaf entries changed, "
	     "cached non-leaf entries may be kept"),
	ADDR(127, 76, "ADDR", "addr", "first page to invalidate (page granularity)"),
};
VTD_LAYOUT(vtd_l_inv_piotlb, "inv-piotlb", "PASID-based IOTLB invalidate descriptor",
	   "descriptor", "6.5.2.4", 32, 16, inv_piotlb);

/* ---- PASID cache ------------------------------------------------------------ */

static const struct vtd_value pc_gran[] = {
	{ 0, "domain", "all PASID entries of domain DID", 0 },
	{ 1, "pasid", "PASID entry PASID of domain DID", 0 },
	{ 2, "reserved", "reserved granularity", VTD_VF_RESERVED },
	{ 3, "global", "all cached PASID entries", 0 },
	VTD_VALUES_END
};

static const struct vtd_field inv_pc[] = {
	INV_TYPE(0x7),
	ENUM(5, 4, "G", "g", pc_gran, "granularity"),
	INV_TYPE_HI,
	UINT(31, 16, "DID", "did", "domain id"),
	HEX(51, 32, "PASID", "pasid", "process address-space id (PASID granularity)"),
};
VTD_LAYOUT(vtd_l_inv_pc, "inv-pc", "PASID-cache invalidate descriptor", "descriptor",
	   "6.5.2.2", 32, 16, inv_pc);

/* ---- PASID-based device-TLB -------------------------------------------------- */

static const struct vtd_field inv_pdevtlb[] = {
	INV_TYPE(0x8),
	UINT(8, 4, "MIP", "mip", "max invalidations pending: the device's ATS queue depth "
	     "(Linux calls it QDEP)"),
	INV_TYPE_HI,
	HEX(15, 12, "PFSID_LO", "pfsid_lo", "physical-function source id bits 3:0 (ECAP.DIT)"),
	HEX(31, 16, "SID", "sid", "source id of the device whose TLB is invalidated"),
	HEX(51, 32, "PASID", "pasid", "process address-space id"),
	HEX(63, 52, "PFSID_HI", "pfsid_hi", "physical-function source id bits 15:4 (ECAP.DIT)"),
	FLAG(64, "G", "g", "global: invalidate for all PASIDs"),
	FLAG(75, "S", "s", "size: the lowest clear bit of ADDR gives the range "
	     "(PCIe ATS encoding); clear means one page"),
	ADDR(127, 76, "ADDR", "addr", "address to invalidate in the device TLB"),
};
VTD_LAYOUT(vtd_l_inv_pdevtlb, "inv-pdevtlb", "PASID-based device-TLB invalidate descriptor",
	   "descriptor", "6.5.2.6", 32, 16, inv_pdevtlb);

/* ---- page-group response ------------------------------------------------------ */

static const struct vtd_value resp_codes[] = {
	{ 0x0, "success", "all pages of the group are now mapped", 0 },
	{ 0x1, "invalid", "invalid request: the device should not retry", 0 },
	{ 0x2, "reserved-2", "reserved response code", VTD_VF_RESERVED },
	{ 0x3, "reserved-3", "reserved response code", VTD_VF_RESERVED },
	{ 0x4, "reserved-4", "reserved response code", VTD_VF_RESERVED },
	{ 0x5, "reserved-5", "reserved response code", VTD_VF_RESERVED },
	{ 0x6, "reserved-6", "reserved response code", VTD_VF_RESERVED },
	{ 0x7, "reserved-7", "reserved response code", VTD_VF_RESERVED },
	{ 0x8, "reserved-8", "reserved response code", VTD_VF_RESERVED },
	{ 0x9, "reserved-9", "reserved response code", VTD_VF_RESERVED },
	{ 0xA, "reserved-10", "reserved response code", VTD_VF_RESERVED },
	{ 0xB, "reserved-11", "reserved response code", VTD_VF_RESERVED },
	{ 0xC, "reserved-12", "reserved response code", VTD_VF_RESERVED },
	{ 0xD, "reserved-13", "reserved response code", VTD_VF_RESERVED },
	{ 0xE, "reserved-14", "reserved response code", VTD_VF_RESERVED },
	{ 0xF, "failure", "response failure: the device disables page requests", 0 },
	VTD_VALUES_END
};

static const struct vtd_field inv_pgrp_resp[] = {
	INV_TYPE(0x9),
	FLAG(4, "PP", "pp", "PASID present: the response carries PASID"),
	FLAG(5, "PDP", "pdp", "private data present: the request's private data is echoed "
	     "(256-bit queue only)"),
	INV_TYPE_HI,
	ENUM(15, 12, "RC", "rc", resp_codes, "response code"),
	HEX(31, 16, "RID", "rid", "requester id the response goes to"),
	HEX(51, 32, "PASID", "pasid", "PASID of the page request (when PP)"),
	FLAG(66, "LPIG", "lpig", "last page in group"),
	UINT(75, 67, "PRGI", "prgi", "page-request group index being answered"),
	HEX(191, 128, "PRIV_DATA0", "priv_data0", "private data, first word (when PDP)"),
	HEX(255, 192, "PRIV_DATA1", "priv_data1", "private data, second word (when PDP)"),
};
VTD_LAYOUT(vtd_l_inv_pgrp_resp, "inv-pgrp-resp", "Page-group response descriptor",
	   "descriptor", "7", 32, 16, inv_pgrp_resp);

/* ---- dispatch -------------------------------------------------------------- */

static const struct vtd_layout *const by_type[] = {
	[0x1] = &vtd_l_inv_cc,
	[0x2] = &vtd_l_inv_iotlb,
	[0x3] = &vtd_l_inv_devtlb,
	[0x4] = &vtd_l_inv_iec,
	[0x5] = &vtd_l_inv_wait,
	[0x6] = &vtd_l_inv_piotlb,
	[0x7] = &vtd_l_inv_pc,
	[0x8] = &vtd_l_inv_pdevtlb,
	[0x9] = &vtd_l_inv_pgrp_resp,
};

const struct vtd_layout *vtd_invdesc_layout(const uint8_t *desc, size_t len)
{
	unsigned type;

	if (!desc || len < 16)
		return NULL;
	type = vtd_invdesc_type(desc);
	return type < VTD_NELEM(by_type) ? by_type[type] : NULL;
}

const struct vtd_layout *const vtd__layouts_inv[] = {
	&vtd_l_inv_cc,
	&vtd_l_inv_iotlb,
	&vtd_l_inv_devtlb,
	&vtd_l_inv_iec,
	&vtd_l_inv_wait,
	&vtd_l_inv_piotlb,
	&vtd_l_inv_pc,
	&vtd_l_inv_pdevtlb,
	&vtd_l_inv_pgrp_resp,
	NULL,
};
