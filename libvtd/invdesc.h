/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- invalidation-queue descriptors: layouts and dispatch by type */
#ifndef VTD_INVDESC_H
#define VTD_INVDESC_H

#include <stddef.h>
#include <stdint.h>

#include "layout.h"

/*
 * One layout per descriptor type (spec 6.5.2, 7).  Each is 32 bytes with a
 * 16-byte minimum: a 128-bit queue slot decodes against the same table and
 * simply shows no field at or above bit 128.
 */
VTD_API extern const struct vtd_layout vtd_l_inv_cc;		/* "inv-cc", type 0x1 */
VTD_API extern const struct vtd_layout vtd_l_inv_iotlb;	/* "inv-iotlb", type 0x2 */
VTD_API extern const struct vtd_layout vtd_l_inv_devtlb;	/* "inv-devtlb", type 0x3 */
VTD_API extern const struct vtd_layout vtd_l_inv_iec;		/* "inv-iec", type 0x4 */
VTD_API extern const struct vtd_layout vtd_l_inv_wait;		/* "inv-wait", type 0x5 */
VTD_API extern const struct vtd_layout vtd_l_inv_piotlb;	/* "inv-piotlb", type 0x6 */
VTD_API extern const struct vtd_layout vtd_l_inv_pc;		/* "inv-pc", type 0x7 */
VTD_API extern const struct vtd_layout vtd_l_inv_pdevtlb;	/* "inv-pdevtlb", type 0x8 */
VTD_API extern const struct vtd_layout vtd_l_inv_pgrp_resp;	/* "inv-pgrp-resp", type 0x9 */

/*
 * The 7-bit descriptor type: bits 3:0 of the first word, with bits 11:9
 * supplying type bits 6:4.  'desc' holds at least 2 bytes.
 */
static inline unsigned vtd_invdesc_type(const uint8_t *desc)
{
	return (desc[0] & 0xfu) | ((desc[1] >> 1) & 0x7u) << 4;
}

/*
 * Layout for the descriptor in 'desc' (len 16 or 32 bytes), chosen by its
 * type.  NULL when 'desc' is NULL, shorter than 16 bytes, or of a type that
 * has no layout (0, 0xA page-stream response, anything >= 0xB).
 */
VTD_API const struct vtd_layout *vtd_invdesc_layout(const uint8_t *desc, size_t len);

#endif
