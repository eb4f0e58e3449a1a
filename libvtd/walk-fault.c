/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- fault conditions of the translation engine as reason codes, per numbering */
#include "walk-internal.h"

#include "fault.h"

/*
 * One row per condition: the code in legacy mode, in the specification's
 * scalable mode, and in QEMU 7.2's scalable mode.  QEMU 7.2 reports the
 * legacy codes for root, context and second-stage faults even in scalable
 * mode, 0x58 for every PASID-structure fault and 0x87 for an output in the
 * interrupt range (measured by the bare harness, tests/qemu/bare).  The
 * first-stage and page-request codes are those of later QEMUs (flts, PRI),
 * which 7.2 lacks.  0 means the numbering has no such fault.
 */
static const struct {
	uint8_t legacy, sm, qsm;
} codes[C_COUNT] = {
	[C_RTADDR]		= { 0x30, 0x30, 0x30 },
	[C_TTM_PASID]		= { 0x31, 0x31, 0x31 },
	[C_TTM_PR]		= { 0x32, 0x32, 0x32 },
	[C_ROOT_READ]		= { 0x08, 0x38, 0x08 },
	[C_ROOT_P]		= { 0x01, 0x39, 0x01 },
	[C_ROOT_RSVD]		= { 0x0A, 0x3A, 0x0A },
	[C_CTX_READ]		= { 0x09, 0x40, 0x09 },
	[C_CTX_P]		= { 0x02, 0x41, 0x02 },
	[C_CTX_RSVD]		= { 0x0B, 0x42, 0x0B },
	[C_CTX_INV]		= { 0x03, 0x43, 0x03 },
	[C_CTX_AT]		= { 0x0D, 0x44, 0x0D },
	[C_PASIDE]		= { 0, 0x45, 0x58 },
	[C_PDTS]		= { 0, 0x46, 0x58 },
	[C_RID_PASID]		= { 0, 0x48, 0x58 },
	[C_PRE]			= { 0, 0x47, 0x47 },
	[C_DIR_READ]		= { 0, 0x50, 0x58 },
	[C_DIR_P]		= { 0, 0x51, 0x58 },
	[C_DIR_RSVD]		= { 0, 0x52, 0x58 },
	[C_PE_READ]		= { 0, 0x58, 0x58 },
	[C_PE_P]		= { 0, 0x59, 0x58 },
	[C_PE_RSVD]		= { 0, 0x5A, 0x58 },
	[C_PE_INV]		= { 0, 0x5B, 0x58 },
	[C_ERE]			= { 0, 0x5C, 0x58 },
	[C_SRE]			= { 0, 0x5D, 0x58 },
	[C_FS_READ]		= { 0, 0x70, 0x70 },
	[C_FS_P]		= { 0, 0x71, 0x71 },
	[C_FS_RSVD]		= { 0, 0x72, 0x72 },
	[C_FS_TOP_READ]		= { 0, 0x73, 0x73 },
	[C_NEST_BEYOND]		= { 0, 0x74, 0x74 },
	[C_NEST_TOP_R]		= { 0, 0x75, 0x75 },
	[C_NEST_R]		= { 0, 0x76, 0x76 },
	[C_NEST_W]		= { 0, 0x77, 0x77 },
	[C_SS_READ]		= { 0x07, 0x78, 0x07 },
	[C_SS_TOP_READ]		= { 0x03, 0x7B, 0x03 },
	[C_SS_NP_R]		= { 0x06, 0x79, 0x06 },
	[C_SS_NP_W]		= { 0x05, 0x79, 0x05 },
	[C_SS_RSVD]		= { 0x0C, 0x7A, 0x0C },
	[C_SS_AD_NOSNOOP]	= { 0, 0x7C, 0x7C },
	[C_FS_AD_NOSNOOP]	= { 0, 0x90, 0x90 },
	[C_SS_AD_FAIL]		= { 0x07, 0x78, 0x07 },
	[C_FS_AD_FAIL]		= { 0, 0x70, 0x91 },
	[C_NONCANON]		= { 0, 0x80, 0x80 },
	[C_US]			= { 0, 0x81, 0x81 },
	[C_X]			= { 0x82, 0x82, 0x82 },
	[C_BEYOND]		= { 0x04, 0x83, 0x04 },
	[C_NEST_OUT_BEYOND]	= { 0, 0x84, 0x84 },
	[C_W]			= { 0x05, 0x85, 0x05 },
	[C_R]			= { 0x06, 0x86, 0x06 },
	[C_FS_W]		= { 0, 0x85, 0x85 },
	[C_INTR]		= { 0x0E, 0x87, 0x87 },
};

unsigned vtd__cond_code(int cond, int scalable, int qemu)
{
	if (cond <= C_NONE || cond >= C_COUNT)
		return 0;
	if (!scalable)
		return codes[cond].legacy;
	return qemu ? codes[cond].qsm : codes[cond].sm;
}

/*
 * The specification's qualified faults: those after the context entry (or,
 * in scalable mode, the PASID structures) that hold the FPD bit was found,
 * except access errors and reserved fields of the root, context and PASID
 * structures themselves.  QEMU keeps its own list (fault.h).
 */
int vtd__qualified(unsigned code, int qemu)
{
	const struct vtd_fault_reason *r;

	if (qemu || code < 0x30) {
		r = vtd_fault_reason(code);
		return r && (r->flags & VTD_FR_QEMU_QUALIFIED);
	}
	switch (code) {
	case 0x41: case 0x43: case 0x44: case 0x45: case 0x46: case 0x47: case 0x48:
	case 0x51: case 0x59: case 0x5B: case 0x5C: case 0x5D:
	case 0x90:
		return 1;
	default:
		return code >= 0x70 && code <= 0x87;
	}
}
