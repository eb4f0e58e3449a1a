/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- descriptor tables of the ACPI DMAR table: header, remapping structures, scopes */
#include "layout-defs.h"
#include "dmar.h"

/*
 * Byte n of a structure is bits 8n+7:8n.  Only the fixed part of each
 * remapping structure is a layout; device scopes and the ANDD name that
 * follow it are walked by dmar.c.
 */

static const struct vtd_coding haw_coding = { 0, 1, 1, "bits" };
/* Register set of 2^N 4 KiB pages (VT-d 4.0; the byte was reserved before). */
static const struct vtd_coding size_coding = { 1, 1, 12, "bytes" };

static const struct vtd_field dmar_header_fields[] = {
	STR(31, 0, "SIGNATURE", "signature", "table signature, \"DMAR\""),
	UINT(63, 32, "LENGTH", "length", "length of the whole table in bytes"),
	UINT(71, 64, "REVISION", "revision", "table revision"),
	HEX(79, 72, "CHECKSUM", "checksum", "makes the byte sum of the table zero"),
	STR(127, 80, "OEM_ID", "oem_id", "OEM identifier"),
	STR(191, 128, "OEM_TABLE_ID", "oem_table_id", "OEM table identifier"),
	HEX(223, 192, "OEM_REVISION", "oem_revision", "OEM revision"),
	STR(255, 224, "CREATOR_ID", "creator_id", "vendor ID of the table compiler"),
	HEX(287, 256, "CREATOR_REVISION", "creator_revision", "revision of the table compiler"),
	CODED(295, 288, "HAW", "haw", &haw_coding,
	      "host address width: DMA-addressable bits (stored as width - 1)"),
	FLAG(296, "INTR_REMAP", "intr_remap", "interrupt remapping is supported"),
	FLAG(297, "X2APIC_OPT_OUT", "x2apic_opt_out",
	     "firmware asks the OS not to enable x2APIC with interrupt remapping"),
	FLAG(298, "DMA_CTRL_PLATFORM_OPT_IN", "dma_ctrl_platform_opt_in",
	     "firmware asks the OS to keep DMA remapping on for untrusted devices"),
};
VTD_LAYOUT(vtd_l_acpi_dmar_header, "dmar-header", "ACPI DMAR table header", "acpi",
	   "VT-d 8.1", 48, 0, dmar_header_fields);

/* Shared by every remapping structure: the code that selects its layout. */
static const struct vtd_value struct_types[] = {
	{ 0, "drhd", "DMA remapping hardware unit definition", 0 },
	{ 1, "rmrr", "reserved memory region reporting", 0 },
	{ 2, "atsr", "root port ATS capability reporting", 0 },
	{ 3, "rhsa", "remapping hardware static affinity", 0 },
	{ 4, "andd", "ACPI namespace device declaration", 0 },
	{ 5, "satc", "SoC integrated address translation cache", 0 },
	{ 6, "sidp", "SoC integrated device property", 0 },
	VTD_VALUES_END
};

#define STRUCT_HEAD(code) \
	FIXED(15, 0, "TYPE", "type", struct_types, code, "remapping structure type"), \
	UINT(31, 16, "LENGTH", "length", "length of the structure including its scopes")

static const struct vtd_field drhd_fields[] = {
	STRUCT_HEAD(0),
	FLAG(32, "INCLUDE_PCI_ALL", "include_pci_all",
	     "unit covers every device of the segment not claimed by another unit"),
	CODED(43, 40, "SIZE", "size", &size_coding, "size of the register set"),
	UINT(63, 48, "SEGMENT", "segment", "PCI segment number"),
	ADDRS(127, 64, 0, "REG_BASE", "reg_base", "base address of the register set"),
};
VTD_LAYOUT(vtd_l_acpi_drhd, "drhd", "DMA remapping hardware unit definition", "acpi",
	   "VT-d 8.3", 16, 0, drhd_fields);

static const struct vtd_field rmrr_fields[] = {
	STRUCT_HEAD(1),
	UINT(63, 48, "SEGMENT", "segment", "PCI segment number"),
	ADDRS(127, 64, 0, "BASE", "base", "first byte of the region (4 KiB aligned)"),
	ADDRS(191, 128, 0, "LIMIT", "limit", "last byte of the region (inclusive)"),
};
VTD_LAYOUT(vtd_l_acpi_rmrr, "rmrr", "Reserved memory region reporting", "acpi",
	   "VT-d 8.4", 24, 0, rmrr_fields);

static const struct vtd_field atsr_fields[] = {
	STRUCT_HEAD(2),
	FLAG(32, "ALL_PORTS", "all_ports", "every root port of the segment supports ATS"),
	UINT(63, 48, "SEGMENT", "segment", "PCI segment number"),
};
VTD_LAYOUT(vtd_l_acpi_atsr, "atsr", "Root port ATS capability reporting", "acpi",
	   "VT-d 8.5", 8, 0, atsr_fields);

static const struct vtd_field rhsa_fields[] = {
	STRUCT_HEAD(3),
	ADDRS(127, 64, 0, "REG_BASE", "reg_base", "register base of the DRHD unit described"),
	UINT(159, 128, "PROXIMITY_DOMAIN", "proximity_domain", "NUMA proximity domain"),
};
VTD_LAYOUT(vtd_l_acpi_rhsa, "rhsa", "Remapping hardware static affinity", "acpi",
	   "VT-d 8.6", 20, 0, rhsa_fields);

static const struct vtd_field andd_fields[] = {
	STRUCT_HEAD(4),
	UINT(63, 56, "ACPI_DEVICE_NUMBER", "acpi_device_number",
	     "number that ACPI namespace device scopes refer to"),
};
VTD_LAYOUT(vtd_l_acpi_andd, "andd", "ACPI namespace device declaration", "acpi",
	   "VT-d 8.7", 8, 0, andd_fields);

static const struct vtd_field satc_fields[] = {
	STRUCT_HEAD(5),
	FLAG(32, "ATC_REQUIRED", "atc_required",
	     "devices need their ATC enabled for correct operation"),
	UINT(63, 48, "SEGMENT", "segment", "PCI segment number"),
};
VTD_LAYOUT(vtd_l_acpi_satc, "satc", "SoC integrated address translation cache", "acpi",
	   "VT-d 8.8", 8, 0, satc_fields);

static const struct vtd_field sidp_fields[] = {
	STRUCT_HEAD(6),
	UINT(63, 48, "SEGMENT", "segment", "PCI segment number"),
};
VTD_LAYOUT(vtd_l_acpi_sidp, "sidp", "SoC integrated device property", "acpi",
	   "VT-d 8.9", 8, 0, sidp_fields);

static const struct vtd_value scope_types[] = {
	{ 0, "reserved", "reserved scope type", VTD_VF_RESERVED },
	{ 1, "endpoint", "PCI endpoint device", 0 },
	{ 2, "bridge", "PCI sub-hierarchy below a bridge", 0 },
	{ 3, "ioapic", "I/O APIC", 0 },
	{ 4, "hpet", "MSI-capable HPET", 0 },
	{ 5, "acpi-namespace", "ACPI namespace device (see ANDD)", 0 },
	VTD_VALUES_END
};

static const struct vtd_field dev_scope_fields[] = {
	ENUM(7, 0, "TYPE", "type", scope_types, "kind of device"),
	UINT(15, 8, "LENGTH", "length", "6 plus 2 bytes per path entry"),
	HEX(23, 16, "FLAGS", "flags", "scope flags (newer ACPI tables)"),
	UINT(39, 32, "ENUMERATION_ID", "enumeration_id",
	     "IOAPIC or HPET id, or ACPI device number"),
	HEX(47, 40, "START_BUS", "start_bus", "bus where the path starts"),
};
VTD_LAYOUT(vtd_l_acpi_dev_scope, "dev-scope", "DMAR device scope entry", "acpi",
	   "VT-d 8.3.1", 6, 0, dev_scope_fields);

const struct vtd_layout *const vtd__layouts_acpi[] = {
	&vtd_l_acpi_dmar_header,
	&vtd_l_acpi_drhd,
	&vtd_l_acpi_rmrr,
	&vtd_l_acpi_atsr,
	&vtd_l_acpi_rhsa,
	&vtd_l_acpi_andd,
	&vtd_l_acpi_satc,
	&vtd_l_acpi_sidp,
	&vtd_l_acpi_dev_scope,
	NULL,
};
