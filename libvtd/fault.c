/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- the fault-reason table: codes, Linux's wording, and what to check */
#include "fault.h"

#include <stddef.h>

#define IR	VTD_FR_IR
#define SM	VTD_FR_SM
#define QQ	VTD_FR_QEMU_QUALIFIED
#define LU	VTD_FR_LINUX_UNKNOWN

/*
 * Sorted by code.  The Linux strings are quoted exactly because tools match
 * them against dmesg; 0x0E and 0x91 exist only in QEMU, which is why they
 * carry no Linux text.  The qualified flags follow QEMU's list, not the
 * specification, since QEMU is the implementation people test against.
 */
static const struct vtd_fault_reason reasons[] = {
	/* legacy mode */
	{ 0x00, 0, "Software", "reserved",
	  "reserved code; hardware does not report it" },
	{ 0x01, 0, "Present bit in root entry is clear", "root-not-present",
	  "no context table for this bus: root entry P is 0" },
	{ 0x02, QQ, "Present bit in context entry is clear", "context-not-present",
	  "the device has no context entry: P is 0 (device not attached to a domain?)" },
	{ 0x03, QQ, "Invalid context entry", "context-invalid",
	  "context entry programmed wrongly: unsupported AW or TT, or its table root unreadable" },
	{ 0x04, QQ, "Access beyond MGAW", "beyond-mgaw",
	  "the DMA address is wider than the domain's address width (AW) allows" },
	{ 0x05, QQ, "PTE Write access is not set", "write-denied",
	  "a write hit an entry without W, or no mapping at all (unmapped IOVA, use after unmap)" },
	{ 0x06, QQ, "PTE Read access is not set", "read-denied",
	  "a read hit an entry without R, or no mapping at all (unmapped IOVA, use after unmap)" },
	{ 0x07, QQ, "Next page table ptr is invalid", "next-table-invalid",
	  "a lower-level page table could not be read: bad address in a non-leaf entry" },
	{ 0x08, 0, "Root table address invalid", "root-table-invalid",
	  "the root table could not be read: check RTADDR" },
	{ 0x09, 0, "Context table ptr is invalid", "context-table-invalid",
	  "the context table could not be read: check the root entry's table pointer" },
	{ 0x0A, 0, "non-zero reserved fields in RTP", "root-reserved",
	  "the root entry has reserved bits set (or an address beyond the host width)" },
	{ 0x0B, 0, "non-zero reserved fields in CTP", "context-reserved",
	  "the context entry has reserved bits set (or an address beyond the host width)" },
	{ 0x0C, QQ, "non-zero reserved fields in PTE", "pte-reserved",
	  "a page-table entry has reserved bits set: stray flags, bad PS, or address beyond HAW" },
	{ 0x0D, QQ, "PCE for translation request specifies blocking", "context-blocked",
	  "an ATS translation request arrived but the context entry does not allow device TLBs" },
	{ 0x0E, QQ | LU, NULL, "interrupt-range",
	  "a DMA translated into the interrupt address window 0xFEEx_xxxx (QEMU only)" },

	/* interrupt remapping */
	{ 0x20, IR, "Detected reserved fields in the decoded interrupt-remapped request",
	  "ir-request-reserved",
	  "malformed interrupt message: reserved address or data bits set" },
	{ 0x21, IR, "Interrupt index exceeded the interrupt-remapping table size",
	  "ir-index-overflow",
	  "the message's index is past the end of the table: check IRTA.S" },
	{ 0x22, IR, "Present field in the IRTE entry is clear", "irte-not-present",
	  "the interrupt's table entry is not present: stale index or entry freed early" },
	{ 0x23, IR, "Error accessing interrupt-remapping table pointed by IRTA_REG",
	  "irta-access-error",
	  "the interrupt-remapping table could not be read: check IRTA" },
	{ 0x24, IR, "Detected reserved fields in the IRTE entry", "irte-reserved",
	  "the interrupt's table entry has reserved bits set (or a bad delivery mode)" },
	{ 0x25, IR, "Blocked a compatibility format interrupt request", "ir-compat-blocked",
	  "a compatibility-format interrupt was blocked (x2APIC on, or compatibility disabled)" },
	{ 0x26, IR, "Blocked an interrupt request due to source-id verification failure",
	  "ir-sid-mismatch",
	  "the requester does not match the entry's SID/SQ/SVT: wrong entry or device alias" },

	/* scalable mode: root and context */
	{ 0x30, SM, "SM: Invalid Root Table Address", "sm-root-table-invalid",
	  "RTADDR does not point at a usable root table" },
	{ 0x31, SM, "SM: TTM 0 for request with PASID", "sm-ttm0-pasid",
	  "a request with PASID arrived while RTADDR selects legacy mode" },
	{ 0x32, SM, "SM: TTM 0 for page group request", "sm-ttm0-page-group",
	  "a page request arrived while RTADDR selects legacy mode" },
	{ 0x38, SM, "SM: Error attempting to access Root Entry", "sm-root-access",
	  "the root entry could not be read: check RTADDR" },
	{ 0x39, SM, "SM: Present bit in Root Entry is clear", "sm-root-not-present",
	  "no context table for this bus half: root entry LP or UP is 0" },
	{ 0x3A, SM, "SM: Non-zero reserved field set in Root Entry", "sm-root-reserved",
	  "the root entry has reserved bits set" },
	{ 0x40, SM, "SM: Error attempting to access Context Entry", "sm-context-access",
	  "the context entry could not be read: check the root entry's table pointer" },
	{ 0x41, SM, "SM: Present bit in Context Entry is clear", "sm-context-not-present",
	  "the device has no context entry" },
	{ 0x42, SM, "SM: Non-zero reserved field set in the Context Entry", "sm-context-reserved",
	  "the context entry has reserved bits set" },
	{ 0x43, SM, "SM: Invalid Context Entry", "sm-context-invalid",
	  "the context entry is inconsistent with the hardware's capabilities" },
	{ 0x44, SM, "SM: DTE field in Context Entry is clear", "sm-dte-clear",
	  "an ATS translation request arrived but the context entry does not enable device TLBs" },
	{ 0x45, SM, "SM: PASID Enable field in Context Entry is clear", "sm-pasid-disabled",
	  "a request with PASID arrived but the context entry does not enable PASIDs" },
	{ 0x46, SM, "SM: PASID is larger than the max in Context Entry", "sm-pasid-too-large",
	  "the PASID is beyond the directory size given by the context entry's PDTS" },
	{ 0x47, SM, "SM: PRE field in Context-Entry is clear", "sm-pre-clear",
	  "a page request arrived but the context entry does not enable page requests" },
	{ 0x48, SM, "SM: RID_PASID field error in Context-Entry", "sm-rid-pasid-error",
	  "the context entry's RID_PASID is unusable" },

	/* scalable mode: PASID directory and table */
	{ 0x50, SM, "SM: Error attempting to access the PASID Directory Entry",
	  "sm-pasid-dir-access",
	  "the PASID directory could not be read: check the context entry's PASIDDIRPTR" },
	{ 0x51, SM | QQ, "SM: Present bit in Directory Entry is clear", "sm-pasid-dir-not-present",
	  "no PASID table for this PASID range: directory entry P is 0" },
	{ 0x52, SM, "SM: Non-zero reserved field set in PASID Directory Entry",
	  "sm-pasid-dir-reserved", "the PASID directory entry has reserved bits set" },
	{ 0x58, SM, "SM: Error attempting to access PASID Table Entry", "sm-pasid-entry-access",
	  "the PASID table could not be read: check the directory entry's table pointer" },
	{ 0x59, SM | QQ, "SM: Present bit in PASID Table Entry is clear",
	  "sm-pasid-entry-not-present",
	  "the PASID is not set up for this device: PASID entry P is 0" },
	{ 0x5A, SM, "SM: Non-zero reserved field set in PASID Table Entry",
	  "sm-pasid-entry-reserved",
	  "the PASID entry has reserved bits set" },
	{ 0x5B, SM | QQ, "SM: Invalid Scalable-Mode PASID Table Entry", "sm-pasid-entry-invalid",
	  "the PASID entry asks for something unsupported: check PGTT, AW and FSPM" },
	{ 0x5C, SM, "SM: ERE field is clear in PASID Table Entry", "sm-ere-clear",
	  "an execute request arrived but the PASID entry does not allow execute requests" },
	{ 0x5D, SM, "SM: SRE field is clear in PASID Table Entry", "sm-sre-clear",
	  "a supervisor request arrived but the PASID entry does not allow supervisor requests" },

	/* scalable mode: first and second stage */
	{ 0x70, SM | QQ, "SM: Error attempting to access first-level paging entry", "sm-fs-access",
	  "a first-stage table below the top could not be read: bad address in a non-leaf entry" },
	{ 0x71, SM | QQ, "SM: Present bit in first-level paging entry is clear",
	  "sm-fs-not-present",
	  "the address is not mapped in the first-stage tables" },
	{ 0x72, SM | QQ, "SM: Non-zero reserved field set in first-level paging entry",
	  "sm-fs-reserved", "a first-stage entry has reserved bits set" },
	{ 0x73, SM | QQ, "SM: Error attempting to access FL-PML4 entry", "sm-fs-root-access",
	  "the top first-stage table could not be read: check the PASID entry's FSPTPTR" },
	{ 0x74, SM, "SM: First-level entry address beyond MGAW in Nested translation",
	  "sm-fs-beyond-mgaw-nested",
	  "nested: a first-stage table address is wider than the second stage can translate" },
	{ 0x75, SM, "SM: Read permission error in FL-PML4 entry in Nested translation",
	  "sm-fs-root-read-nested",
	  "nested: the second stage denies reading the top first-stage table" },
	{ 0x76, SM, "SM: Read permission error in first-level paging entry in Nested translation",
	  "sm-fs-read-nested",
	  "nested: the second stage denies reading a first-stage table" },
	{ 0x77, SM, "SM: Write permission error in first-level paging entry in Nested translation",
	  "sm-fs-write-nested",
	  "nested: the second stage denies the A/D update of a first-stage entry" },
	{ 0x78, SM, "SM: Error attempting to access second-level paging entry", "sm-ss-access",
	  "a second-stage table could not be read: bad address in a non-leaf entry" },
	{ 0x79, SM, "SM: Read/Write permission error in second-level paging entry",
	  "sm-ss-permission",
	  "the second stage denies the access, or the address is not mapped there" },
	{ 0x7A, SM, "SM: Non-zero reserved field set in second-level paging entry",
	  "sm-ss-reserved", "a second-stage entry has reserved bits set" },
	{ 0x7B, SM, "SM: Invalid second-level page table pointer", "sm-ss-root-invalid",
	  "the top second-stage table could not be read: check the PASID entry's SSPTPTR" },
	{ 0x7C, SM, "SM: A/D bit update needed in second-level entry when set up in no snoop",
	  "sm-ss-ad-no-snoop",
	  "second-stage A/D bits need updating but page walks are not snooped" },
	{ 0x80, SM | QQ, "SM: Address in first-level translation is not canonical",
	  "sm-non-canonical",
	  "the address is not sign-extended from the top translated bit" },
	{ 0x81, SM | QQ, "SM: U/S set 0 for first-level translation with user privilege",
	  "sm-user-denied", "a user-mode request hit a supervisor-only first-stage entry" },
	{ 0x82, SM, "SM: No execute permission for request with PASID and ER=1", "sm-exec-denied",
	  "an execute request hit an entry that does not allow execution" },
	{ 0x83, SM, "SM: Address beyond the DMA hardware max", "sm-beyond-dma-max",
	  "the address is wider than the hardware's maximum guest address width" },
	{ 0x84, SM, "SM: Second-level entry address beyond the max", "sm-ss-beyond-max",
	  "a second-stage entry points beyond the host address width" },
	{ 0x85, SM | QQ, "SM: No write permission for Write/AtomicOp request", "sm-write-denied",
	  "a write or atomic hit a read-only first-stage entry" },
	{ 0x86, SM, "SM: No read permission for Read/AtomicOp request", "sm-read-denied",
	  "a read or atomic hit an entry without read permission" },
	{ 0x87, SM | QQ, "SM: Invalid address-interrupt address", "sm-interrupt-address",
	  "the address (with PASID, or the translation result) is in the interrupt window" },
	{ 0x90, SM, "SM: A/D bit update needed in first-level entry when set up in no snoop",
	  "sm-fs-ad-no-snoop",
	  "first-stage A/D bits need updating but page walks are not snooped" },
	{ 0x91, SM | QQ | LU, NULL, "sm-fs-ad-update-failed",
	  "writing the first-stage A/D bits back to memory failed (QEMU only)" },
};

const struct vtd_fault_reason *vtd_fault_reason_at(unsigned idx)
{
	return idx < sizeof(reasons) / sizeof(reasons[0]) ? &reasons[idx] : NULL;
}

const struct vtd_fault_reason *vtd_fault_reason(unsigned code)
{
	const struct vtd_fault_reason *r;
	unsigned i;

	for (i = 0; (r = vtd_fault_reason_at(i)); i++)
		if (r->code == code)
			return r;
	return NULL;
}

const char *vtd_fault_linux_text(unsigned code)
{
	const struct vtd_fault_reason *r = vtd_fault_reason(code);

	/*
	 * Linux looks codes up in three ranges (0x20-0x26, 0x30-0x90,
	 * 0x00-0x0D) and prints "Unknown" for everything else; the table
	 * carries text for exactly those codes, so a missing text is that
	 * same "Unknown".
	 */
	return r && r->linux_text ? r->linux_text : "Unknown";
}
