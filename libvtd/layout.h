/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- field descriptors: each VT-d structure described once, as data */
#ifndef VTD_LAYOUT_H
#define VTD_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/*
 * A structure is a little-endian byte array of 'size' bytes described by a
 * table of fields.  Bits are numbered as the specification numbers them:
 * bit 0 is the least significant bit of byte 0, bit 64 is bit 0 of the
 * second 64-bit word.  A field is at most 64 bits wide and may cross a word
 * boundary.  Every bit that no field declares is reserved (must be zero).
 */

enum vtd_kind {
	VTD_FLAG,	/* one bit */
	VTD_UINT,	/* number, shown in decimal */
	VTD_HEX,	/* number, shown in hex */
	VTD_ADDR,	/* address; value = raw << shift */
	VTD_ENUM,	/* named values */
	VTD_CODED,	/* value derived from raw by a vtd_coding */
	VTD_BITSET,	/* set of named bits (SAGAW, SSLPS) */
	VTD_STR,	/* ASCII bytes, lsb and width multiples of 8 */
	VTD_IGN,	/* available to software: shown, never checked */
};

/* Field flags. */
#define VTD_FF_HAW	0x0001	/* VTD_ADDR: bits >= host address width are reserved */
#define VTD_FF_RO	0x0002	/* register: read-only */
#define VTD_FF_W1C	0x0004	/* register: write 1 to clear */
#define VTD_FF_WO	0x0008	/* register: write-only, reads return 0 */
#define VTD_FF_FIXED	0x0010	/* value selects the layout (type codes, IM, PS):
				 * must equal the field's 'fixed' value; encoding
				 * fills it in */

/* Value flags for ENUM values. */
#define VTD_VF_RESERVED	0x0001	/* value is reserved: a finding when present */

struct vtd_value {
	uint64_t raw;		/* ENUM: raw value; BITSET: bit number */
	const char *name;	/* JSON/text name */
	const char *desc;	/* meaning */
	unsigned flags;		/* VTD_VF_* */
};

/*
 * Derived value: value = raw * mul + add, or with pow2 set,
 * value = 2^(raw * mul + add).  MGAW is {0,1,1}, ND {1,2,4}, FRO {0,16,0}.
 */
struct vtd_coding {
	unsigned char pow2;
	unsigned char mul;
	signed char add;
	const char *unit;	/* "bits", "entries", "domains", "bytes", ... */
};

struct vtd_field {
	const char *name;	/* specification mnemonic: "SSPTPTR" */
	const char *key;	/* JSON key: "ssptptr" */
	uint16_t lsb;		/* absolute position of the lowest bit */
	uint16_t width;		/* 1..64 */
	uint8_t kind;		/* enum vtd_kind */
	uint8_t shift;		/* VTD_ADDR: value = raw << shift */
	uint16_t flags;		/* VTD_FF_* */
	const struct vtd_value *values;	/* ENUM/BITSET; ends at name == NULL */
	const struct vtd_coding *coding;	/* CODED */
	const char *desc;	/* short meaning */
	uint64_t fixed;		/* VTD_FF_FIXED: the value this layout requires */
};

struct vtd_layout {
	const char *name;	/* "context-legacy": the name tools accept */
	const char *title;	/* "Legacy-mode context entry" */
	const char *family;	/* "table", "paging", "interrupt", "descriptor",
				 * "register", "fault", "acpi" */
	const char *spec;	/* specification section */
	uint16_t size;		/* bytes */
	uint16_t min_size;	/* shortest accepted form (128-bit descriptors
				 * in a 256-bit layout); 0 means 'size' */
	const struct vtd_field *fields;	/* sorted by lsb */
	unsigned nfields;
};

/* Number of elements of a static array, for field tables. */
#define VTD_NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- lookup ---------------------------------------------------------- */

/* The idx-th layout of the registry (0, 1, ...); NULL past the end. */
VTD_API const struct vtd_layout *vtd_layout_at(unsigned idx);

/* Layout by exact name (or unique prefix); NULL if none or ambiguous. */
VTD_API const struct vtd_layout *vtd_layout_find(const char *name);

/* Field by mnemonic or key, case-insensitive; NULL if none. */
VTD_API const struct vtd_field *vtd_field_find(const struct vtd_layout *l,
					       const char *name);

/* ---- the engine ------------------------------------------------------ */

/* Raw bits of a field.  'buf' holds at least (lsb+width+7)/8 bytes. */
VTD_API uint64_t vtd_bits_get(const uint8_t *buf, unsigned lsb, unsigned width);
/* Store raw bits; other bits are untouched.  The caller checks the width. */
VTD_API void vtd_bits_set(uint8_t *buf, unsigned lsb, unsigned width, uint64_t v);

static inline uint64_t vtd_field_raw(const struct vtd_field *f, const uint8_t *buf)
{
	return vtd_bits_get(buf, f->lsb, f->width);
}

/* Is the field inside the first 'len' bytes of a structure? */
static inline int vtd_field_in(const struct vtd_field *f, size_t len)
{
	return (size_t)f->lsb + f->width <= len * 8;
}

/*
 * Store a raw value.  Returns -VTD_ERANGE (naming the field) when 'raw'
 * does not fit the field's width.
 */
VTD_API int vtd_field_set_raw(const struct vtd_field *f, uint8_t *buf, uint64_t raw,
			      struct vtd_error *err);

/*
 * The value a person reads: raw << shift for addresses, the derived value
 * for CODED fields, raw otherwise.  CODED values that overflow 64 bits
 * return UINT64_MAX.
 */
VTD_API uint64_t vtd_field_value(const struct vtd_field *f, uint64_t raw);

/*
 * Inverse of vtd_field_value: the raw value that reads back as 'value'.
 * -VTD_ERANGE when none does (address not aligned to the shift, value not
 * reachable by the coding, or too wide).
 */
VTD_API int vtd_field_raw_of(const struct vtd_field *f, uint64_t value, uint64_t *raw,
			     struct vtd_error *err);

/* ENUM value entry for 'raw', or NULL when the value has no name. */
VTD_API const struct vtd_value *vtd_enum_lookup(const struct vtd_field *f, uint64_t raw);
/* ENUM/BITSET entry by name (case-insensitive), or NULL. */
VTD_API const struct vtd_value *vtd_value_find(const struct vtd_field *f, const char *name);

/* ---- reserved bits and validation ------------------------------------ */

/* A run of consecutive reserved bits (no field declares them). */
struct vtd_rsvd_run {
	uint16_t lsb, width;
};

/*
 * The reserved runs of a layout within its first 'len' bytes, each at most
 * 64 bits wide, in order.  Returns how many there are; stores at most 'max'.
 */
VTD_API unsigned vtd_layout_rsvd_runs(const struct vtd_layout *l, size_t len,
				      struct vtd_rsvd_run *runs, unsigned max);

/* Copy the reserved-bit mask of a layout's first 'len' bytes to 'mask'. */
VTD_API void vtd_layout_rsvd_mask(const struct vtd_layout *l, size_t len, uint8_t *mask);

struct vtd_check_opts {
	unsigned haw;		/* host address width in bits; 0: do not check */
};

enum vtd_finding_kind {
	VTD_FIND_RSVD = 1,	/* reserved bits non-zero */
	VTD_FIND_HAW,		/* address bits at or above HAW */
	VTD_FIND_VALUE,		/* reserved enum value, or a fixed field that differs */
};

struct vtd_finding {
	int kind;			/* enum vtd_finding_kind */
	const struct vtd_field *field;	/* NULL for reserved runs */
	uint16_t lsb, width;		/* the offending bits */
	uint64_t bits;			/* their value, shifted down to bit 0 */
	char msg[160];			/* "reserved bits 127:88 are 0x1" */
};

/*
 * Check the first 'len' bytes of a structure (len >= min_size).  Returns the
 * number of findings (0 means valid) and stores at most 'max' of them.
 */
VTD_API unsigned vtd_layout_check(const struct vtd_layout *l, const uint8_t *buf, size_t len,
				  const struct vtd_check_opts *opts,
				  struct vtd_finding *out, unsigned max);

/*
 * Self-test of a descriptor table: fields sorted, no overlaps, inside the
 * structure, unique names and keys, enum values fit.  0 or -VTD_EINTERNAL
 * with the first problem in 'err'.
 */
VTD_API int vtd_layout_selftest(const struct vtd_layout *l, struct vtd_error *err);

/* Is 'len' an accepted length for the layout? */
static inline int vtd_layout_len_ok(const struct vtd_layout *l, size_t len)
{
	size_t min = l->min_size ? l->min_size : l->size;
	return len == l->size || len == min;
}

#endif
