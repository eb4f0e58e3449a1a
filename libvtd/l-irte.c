/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- interrupt-remapping table entries, remapped and posted (spec 9.10, 9.11) */
#include "layout-defs.h"
#include "tables.h"

/*
 * The two IRTE formats share a size and are told apart by IM (bit 15), so
 * each layout pins IM: a posted entry decoded as remapped is reported as a
 * value finding rather than silently shown with the wrong field names.
 */
static const struct vtd_value im_values[] = {
	{ 0, "remapped", "remapped format: the entry holds vector and destination", 0 },
	{ 1, "posted", "posted format: the entry points at a posted-interrupt descriptor", 0 },
	VTD_VALUES_END
};

static const struct vtd_value dm_values[] = {
	{ 0, "physical", "DST names one APIC by its id", 0 },
	{ 1, "logical", "DST is a logical destination (cluster/flat mask)", 0 },
	VTD_VALUES_END
};

static const struct vtd_value tm_values[] = {
	{ 0, "edge", "edge-triggered", 0 },
	{ 1, "level", "level-triggered", 0 },
	VTD_VALUES_END
};

static const struct vtd_value dlm_values[] = {
	{ 0, "fixed", "deliver the vector to the destination", 0 },
	{ 1, "lowest-priority", "deliver to the lowest-priority processor of the destination", 0 },
	{ 2, "smi", "system management interrupt (vector ignored)", 0 },
	{ 3, "reserved-3", "reserved delivery mode", VTD_VF_RESERVED },
	{ 4, "nmi", "non-maskable interrupt (vector ignored)", 0 },
	{ 5, "init", "INIT request (vector ignored)", 0 },
	{ 6, "reserved-6", "reserved delivery mode", VTD_VF_RESERVED },
	{ 7, "extint", "external interrupt: the vector comes from an 8259-style controller", 0 },
	VTD_VALUES_END
};

/* SQ and SVT are identical in both formats. */
static const struct vtd_value sq_values[] = {
	{ 0, "all", "compare all 16 bits of the requester id", 0 },
	{ 1, "ignore-fn2", "ignore bit 2 of the function number", 0 },
	{ 2, "ignore-fn2-1", "ignore bits 2:1 of the function number", 0 },
	{ 3, "ignore-fn", "ignore the whole function number", 0 },
	VTD_VALUES_END
};

static const struct vtd_value svt_values[] = {
	{ 0, "none", "no source-id verification", 0 },
	{ 1, "sid", "requester id must match SID, masked by SQ", 0 },
	{ 2, "bus-range", "requester bus must lie in SID[15:8]..SID[7:0]", 0 },
	{ 3, "reserved", "reserved verification type", VTD_VF_RESERVED },
	VTD_VALUES_END
};

#define IRTE_SID_FIELDS \
	HEX(79, 64, "SID", "sid", \
	    "source id to verify (with SVT=bus-range: start bus in 15:8, end bus in 7:0)"), \
	ENUM(81, 80, "SQ", "sq", sq_values, "source-id qualifier: which SID bits to compare"), \
	ENUM(83, 82, "SVT", "svt", svt_values, "source validation type")

static const struct vtd_field irte_remapped[] = {
	FLAG(0, "P", "p", "present: interrupts using this index are remapped"),
	FLAG(1, "FPD", "fpd", "fault processing disable: do not record qualified faults"),
	ENUM(2, 2, "DM", "dm", dm_values, "destination mode"),
	FLAG(3, "RH", "rh", "redirection hint: lowest-priority delivery may pick any destination"),
	ENUM(4, 4, "TM", "tm", tm_values, "trigger mode"),
	ENUM(7, 5, "DLM", "dlm", dlm_values, "delivery mode"),
	IGN(11, 8, "AVAIL", "avail", "available to software"),
	FIXED(15, 15, "IM", "im", im_values, 0, "IRTE mode: 0 for a remapped entry"),
	HEX(23, 16, "V", "v", "interrupt vector"),
	HEX(63, 32, "DST", "dst",
	    "destination id: all 32 bits are the x2APIC id; in xAPIC mode only bits 47:40 "
	    "(the 8-bit APIC id) are used and the rest must be zero"),
	IRTE_SID_FIELDS,
};
/* No public header declares the IRTE layouts yet, so export them here. */
VTD_LAYOUT(vtd_l_irte_remapped, "irte-remapped",
		   "Interrupt-remapping table entry (remapped format)", "interrupt", "9.10",
		   16, 0, irte_remapped);

static const struct vtd_field irte_posted[] = {
	FLAG(0, "P", "p", "present: interrupts using this index are posted"),
	FLAG(1, "FPD", "fpd", "fault processing disable: do not record qualified faults"),
	IGN(11, 8, "AVAIL", "avail", "available to software"),
	FLAG(14, "URG", "urg", "urgent: notify the processor even when it is blocked"),
	FIXED(15, 15, "IM", "im", im_values, 1, "IRTE mode: 1 for a posted entry"),
	HEX(23, 16, "VV", "vv", "virtual vector posted into the descriptor's request bitmap"),
	/*
	 * The descriptor address is split across the two words; each half is
	 * shown already shifted so that PDA_L + PDA_H is the address.
	 */
	ADDRS(63, 38, 6, "PDA_L", "pda_l",
	      "posted-interrupt descriptor address, bits 31:6 (64-byte aligned)"),
	IRTE_SID_FIELDS,
	ADDRS(127, 96, 32, "PDA_H", "pda_h", "posted-interrupt descriptor address, bits 63:32"),
};
VTD_LAYOUT(vtd_l_irte_posted, "irte-posted",
		   "Interrupt-remapping table entry (posted format)", "interrupt", "9.11",
		   16, 0, irte_posted);

const struct vtd_layout *const vtd__layouts_intr[] = {
	&vtd_l_irte_remapped,
	&vtd_l_irte_posted,
	NULL,
};
