/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- hex text to bytes: words as registers and entries are written, or raw bytes */
#ifndef VTD_HEX_H
#define VTD_HEX_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/*
 * Parse whitespace- or comma-separated hex words, least significant word
 * first (qw0 qw1 ...), into little-endian bytes.  A word is "0x..." or bare
 * hex of at most 2*word_bytes digits ('_' may separate digits); '#' starts
 * a comment that runs to the end of the line.  At most 'max' bytes are
 * written; '*len' receives the count.  Errors name "<name>:line:col".
 */
VTD_API int vtd_hex_parse_words(const char *text, unsigned word_bytes, uint8_t *out,
				size_t max, size_t *len, const char *name,
				struct vtd_error *err);

/*
 * Parse a stream of hex byte pairs in memory order ("xxd -p" style):
 * whitespace, ':' and '#' comments are skipped, an optional "0x" before a
 * run is ignored.  Errors as above.
 */
VTD_API int vtd_hex_parse_bytes(const char *text, uint8_t *out, size_t max, size_t *len,
				const char *name, struct vtd_error *err);

#endif
