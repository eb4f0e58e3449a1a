/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- fault reasons as data, and the fault-record and page-request layouts */
#ifndef VTD_FAULT_H
#define VTD_FAULT_H

#include <stdint.h>

#include "layout.h"

/* Fault recording register (one record, 128 bits) and page-request descriptor. */
VTD_API extern const struct vtd_layout vtd_l_frcd;	/* "frcd" */
VTD_API extern const struct vtd_layout vtd_l_prq_desc;	/* "prq-desc" */

/* struct vtd_fault_reason.flags */
#define VTD_FR_IR		0x01	/* interrupt-remapping fault (0x20-0x26) */
#define VTD_FR_SM		0x02	/* scalable-mode fault (0x30 and up) */
#define VTD_FR_QEMU_QUALIFIED	0x04	/* QEMU suppresses it when FPD is set */
#define VTD_FR_LINUX_UNKNOWN	0x08	/* Linux has no text and prints "Unknown" */

struct vtd_fault_reason {
	uint8_t code;		/* FRCD.FR */
	uint8_t flags;		/* VTD_FR_* */
	const char *linux_text;	/* what Linux prints; NULL with VTD_FR_LINUX_UNKNOWN */
	const char *name;	/* stable identifier: "root-not-present" */
	const char *desc;	/* what is wrong and what to look at */
};

/* The reason for a code, or NULL when no source defines the code. */
VTD_API const struct vtd_fault_reason *vtd_fault_reason(unsigned code);

/*
 * Exactly the text Linux's DMAR fault handler prints for a code: its table
 * string, or "Unknown" for codes it has no string for (including codes only
 * QEMU raises, such as 0x0E and 0x91).  Never NULL.
 */
VTD_API const char *vtd_fault_linux_text(unsigned code);

/* The idx-th defined reason in code order (0, 1, ...); NULL past the end. */
VTD_API const struct vtd_fault_reason *vtd_fault_reason_at(unsigned idx);

#endif
