/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- fault records and page-request descriptors: what the hardware reports */
#include "layout-defs.h"
#include "fault.h"

static const struct vtd_value t_values[] = {
	{ 0, "write", "the faulting request was a write", 0 },
	{ 1, "read", "the faulting request was a read", 0 },
	VTD_VALUES_END
};

/*
 * FI is an address in DMA faults but an interrupt index (bits 63:48) in
 * interrupt-remapping faults, so it gets no host-address-width rule: an
 * index would look like an address far beyond any HAW.
 */
static const struct vtd_field frcd[] = {
	ADDRS(63, 12, 12, "FI", "fi", "fault information: the faulting page address; for "
	      "interrupt-remapping reasons the interrupt index is in bits 63:48"),
	HEX(79, 64, "SID", "sid", "source id (bus:dev.fn) of the faulting request"),
	FLAG(95, "PP", "pp", "PASID present: PV is valid"),
	HEX(103, 96, "FR", "fr", "fault reason code"),
	HEX(123, 104, "PV", "pv", "PASID of the faulting request (QEMU records only 16 bits)"),
	ENUM(126, 126, "T", "t", t_values, "type of the faulting request"),
	FIELDX(127, 127, VTD_FLAG, "F", "f", "fault pending: the record is valid until "
	       "software writes 1 here", .flags = VTD_FF_W1C),
};
VTD_LAYOUT(vtd_l_frcd, "frcd", "Fault recording register (fault record)", "fault", "9.9",
	   16, 0, frcd);

/*
 * Page-request descriptor, as the hardware writes it into the page-request
 * queue (32-byte slots).  The type byte's values are not listed: only the
 * page-request type is known to occur, and its code is not pinned here.
 */
static const struct vtd_field prq_desc[] = {
	HEX(7, 0, "TYPE", "type", "descriptor type"),
	FLAG(8, "PP", "pp", "PASID present: PASID is valid"),
	FLAG(9, "PDP", "pdp", "private data present: the response must echo words 2 and 3"),
	HEX(31, 16, "RID", "rid", "requester id (bus:dev.fn) asking for the page"),
	HEX(51, 32, "PASID", "pasid", "PASID of the request (when PP)"),
	FLAG(52, "EXE", "exe", "execute access requested"),
	FLAG(53, "PM", "pm", "privileged-mode (supervisor) access requested"),
	FLAG(64, "RD", "rd", "read access requested"),
	FLAG(65, "WR", "wr", "write access requested"),
	FLAG(66, "LPIG", "lpig", "last page in group: a page-group response is expected"),
	UINT(75, 67, "PRGI", "prgi", "page-request group index, echoed in the response"),
	ADDRS(127, 76, 12, "ADDR", "addr", "page address being requested"),
	HEX(191, 128, "PRIV_DATA0", "priv_data0", "private data, first word (when PDP)"),
	HEX(255, 192, "PRIV_DATA1", "priv_data1", "private data, second word (when PDP)"),
};
VTD_LAYOUT(vtd_l_prq_desc, "prq-desc", "Page-request descriptor", "fault", "7",
	   32, 0, prq_desc);

const struct vtd_layout *const vtd__layouts_fault[] = {
	&vtd_l_frcd,
	&vtd_l_prq_desc,
	NULL,
};
