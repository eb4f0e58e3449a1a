/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- the ACPI DMAR table: strict decoding to JSON and text, encoding from JSON */
#ifndef VTD_DMAR_H
#define VTD_DMAR_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "analyse.h"
#include "error.h"
#include "layout.h"
#include "text.h"

/* Fixed parts of the table (family "acpi"). */
VTD_API extern const struct vtd_layout vtd_l_acpi_dmar_header;	/* "dmar-header", 48 bytes */
VTD_API extern const struct vtd_layout vtd_l_acpi_drhd;	/* "drhd", 16 + scopes */
VTD_API extern const struct vtd_layout vtd_l_acpi_rmrr;	/* "rmrr", 24 + scopes */
VTD_API extern const struct vtd_layout vtd_l_acpi_atsr;	/* "atsr", 8 + scopes */
VTD_API extern const struct vtd_layout vtd_l_acpi_rhsa;	/* "rhsa", 20 */
VTD_API extern const struct vtd_layout vtd_l_acpi_andd;	/* "andd", 8 + name */
VTD_API extern const struct vtd_layout vtd_l_acpi_satc;	/* "satc", 8 + scopes */
VTD_API extern const struct vtd_layout vtd_l_acpi_sidp;	/* "sidp", 8 + scopes */
VTD_API extern const struct vtd_layout vtd_l_acpi_dev_scope;	/* "dev-scope", 6 + path */

/* The "format" member of the JSON form (formats/dmar.md). */
#define VTD_DMAR_FORMAT "vtd-dmar/1"

/* The header before the first remapping structure. */
#define VTD_DMAR_HEADER_SIZE	48

/*
 * Decode a whole DMAR table.  The table must fill 'len' exactly: the
 * header's Length must equal 'len' (a shorter buffer is VTD_ETRUNC, extra
 * bytes VTD_EFORMAT -- callers holding a padded copy pass the Length).
 * Every structure and device scope must lie inside its parent, lengths
 * must be consistent and ANDD names NUL-terminated printable ASCII; the
 * first violation fails with VTD_EFORMAT and err->where set to
 * "offset 0x..: $.structures[i].scopes[j]".  A wrong checksum is not an
 * error: the result says "checksum_valid": false.  '*out' receives a new
 * object on success.
 */
VTD_API int vtd_dmar_to_json(const uint8_t *buf, size_t len, struct json_object **out,
			     struct vtd_error *err);

/*
 * The inverse: encode the JSON form into a malloc'd table ('*out', '*len').
 * Length members are recomputed (values in 'obj' need only fit); the
 * checksum is recomputed unless "checksum_valid" is false, in which case
 * header.checksum is kept as given, so that tables with a bad checksum
 * round-trip.  Errors name the JSON path in err->where
 * ("$.structures[2].scopes[0].path[1].device").
 */
VTD_API int vtd_dmar_from_json(struct json_object *obj, uint8_t **out, size_t *len,
			       struct vtd_error *err);

/*
 * Human-readable decode of a table: the header, then each structure with
 * its fields, device scopes (paths as "00:1f.0/00.0") and names.  Decoding
 * stops at the first malformed structure; what was read up to there is in
 * 'out', followed by an "error:" line, and the error is returned.
 */
VTD_API int vtd_dmar_text(struct vtd_sbuf *out, const uint8_t *buf, size_t len,
			  struct vtd_error *err);

/* Byte sum of a buffer modulo 256; a valid ACPI table sums to 0. */
VTD_API uint8_t vtd_dmar_sum(const uint8_t *buf, size_t len);

/* ---- RMRRs: the reserved memory each device must keep reaching ---------------- */

/*
 * What vtd_dmar_rmrrs needs from the PCI hierarchy.  A device scope names
 * a device by a path from a start bus through bridges; every hop after the
 * first needs the bridge's secondary bus number, which only the bridge's
 * configuration header knows.
 */
struct vtd_dmar_pci {
	/*
	 * Read byte 'off' of the configuration space of device 'sid' (bus << 8 |
	 * dev << 3 | fn) of segment 'seg': 0, -VTD_ENOTFOUND when no such device
	 * exists, or another negative code.  NULL: nothing can be read.
	 */
	int (*cfg_read)(void *ctx, uint16_t seg, uint16_t sid, unsigned off, uint8_t *val);
	/*
	 * A device scope (or a whole RMRR) that names no device we can find:
	 * why->where is "offset 0x..: $.structures[i].scopes[j]", why->msg names
	 * the RMRR by its offset and range.  The RMRR is kept without the scope.
	 * NULL: such a scope fails the call with that error instead.
	 */
	void (*skipped)(void *ctx, const struct vtd_error *why);
	void *ctx;
};

/*
 * The RMRRs of segment 'segment' in a DMAR table, in table order, each with
 * the source-ids of its device scopes ('*out', '*n'; free with
 * vtd_dmar_rmrrs_free).  The table is walked as vtd_dmar_to_json walks it
 * (same length checks and errors, with the offset in err->where); its
 * checksum is not looked at.  Scopes resolve as follows:
 *   - endpoint and ACPI-namespace scopes: the device at the end of the path;
 *     a one-entry path is start_bus:dev.fn, a longer one reads each bridge's
 *     header type (0x0e) and secondary bus (0x19) through 'pci';
 *   - bridge scopes: the bridge and every device that answers on its
 *     secondary..subordinate buses (0x19, 0x1a), probed through 'pci';
 *   - IOAPIC and HPET scopes, empty paths, hops beyond 31.7, paths that
 *     cannot be followed, and RMRRs whose limit is below their base are
 *     passed to pci->skipped (or fail, see above).
 * A source-id appears once per RMRR, sorted.  'pci' may be NULL.
 */
VTD_API int vtd_dmar_rmrrs(const uint8_t *buf, size_t len, uint16_t segment,
			   const struct vtd_dmar_pci *pci, struct vtd_rmrr **out, size_t *n,
			   struct vtd_error *err);
VTD_API void vtd_dmar_rmrrs_free(struct vtd_rmrr *r, size_t n);

/* A remapping unit of the table (DRHD) and the devices its scopes name. */
struct vtd_dmar_drhd {
	uint64_t reg_base;
	uint16_t segment;
	uint8_t include_all;	/* INCLUDE_PCI_ALL: also every device no other unit names */
	uint16_t *sids;		/* sorted, each once */
	size_t nsids;
};

/*
 * The DRHDs of a table, in table order, their device scopes resolved as
 * vtd_dmar_rmrrs resolves an RMRR's (IOAPIC and HPET scopes, which send
 * interrupts and no DMA, are left out without a reason).  Which unit
 * translates a device's requests: the one whose scopes name it, else the
 * INCLUDE_PCI_ALL unit of its segment.  Free with vtd_dmar_drhds_free.
 */
VTD_API int vtd_dmar_drhds(const uint8_t *buf, size_t len, const struct vtd_dmar_pci *pci,
			   struct vtd_dmar_drhd **out, size_t *n, struct vtd_error *err);
VTD_API void vtd_dmar_drhds_free(struct vtd_dmar_drhd *d, size_t n);

#endif
