/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtd-compile -- the output formats: binary, C source and header, ELF object, map */
#ifndef VTD_COMPILE_EMIT_H
#define VTD_COMPILE_EMIT_H

/*
 * Each emitter writes one complete output for a built image (vtd_build):
 *
 *   emit_bin       the raw image: img->size bytes, to be loaded at img->base
 *   emit_c         C source: const uint8_t NAME[SIZE] __attribute__((aligned(4096)))
 *                  holding the image, 16 bytes a line, after #include "HEADER"
 *   emit_c_header  the header for it: include guard, the extern declaration and
 *                  the macros NAME_BASE, NAME_SIZE, NAME_RTADDR, NAME_IRTA,
 *                  NAME_ROOT_OFFSET, NAME_DOMAIN_<DOMAIN>_OFFSET for each domain
 *                  and NAME_IRT_OFFSET (with an IRT), all ULL constants; the
 *                  macro prefix is NAME upper-cased
 *   emit_elf       an x86-64 ET_REL object: section .vtd_tables (PROGBITS,
 *                  SHF_ALLOC, 4096-aligned) holding the image, and the global
 *                  STT_OBJECT symbols NAME (the whole image), NAME_root,
 *                  NAME_domain_<domain> (its top table) and NAME_irt
 *   emit_map       JSON (formats/compile-map.md): the placement, the register
 *                  values, every page with what it holds, every domain
 *
 * Every emitter writes to a stream the caller opened (cli_out_open gives one
 * that appears atomically); it does not close it, and reports a failed
 * write as VTD_EIO.  libelf writes through a file descriptor, not a FILE:
 * emit_elf() therefore flushes 'f' and, when fileno(f) is an empty regular
 * file open for reading and writing (the temporary file of cli_out_open,
 * which mkstemp opens O_RDWR), lets elf_begin(ELF_C_WRITE) write to that
 * descriptor directly and then moves the stream to the end of the file;
 * otherwise (standard output, a pipe, a file not empty) it builds the
 * object in a tmpfile() and copies it to 'f'.  emit_elf_fd() is the core:
 * it writes the object to 'fd' from offset 0 (an empty regular file open
 * O_RDWR) and does not close it.
 *
 * Every output is a function of (plan, image, options) alone: no time
 * stamps, no host paths beyond what the options hold, no addresses of the
 * process; the same input gives the same bytes.
 *
 * Symbol and macro names of domains are their layout names with every byte
 * outside [A-Za-z0-9_] replaced by '_' (upper-cased in macros).  Two domains
 * whose names come out the same are an error (VTD_EINVAL) for the C and ELF
 * outputs: emit_check() finds that, and a bad NAME, before anything is
 * written, so the CLI calls it once before opening its outputs.
 *
 * Offsets: NAME_ROOT_OFFSET is (rtaddr & ~0xfff) - base, a domain's is
 * domain_top[i] - base, NAME_IRT_OFFSET (irta & ~0xfff) - base.  A domain
 * whose top table is not in the image (top 0) gets no macro and no symbol.
 */

#include <stdio.h>

#include <json-c/json.h>

#include "build.h"
#include "error.h"

#define EMIT_DEFAULT_NAME "vtd_tables"
#define EMIT_NAME_MAX 64	/* longest NAME: a C identifier */

struct emit_opts {
	const char *name;	/* symbol prefix, a C identifier; NULL: "vtd_tables" */
	const char *header;	/* what emit_c #includes; NULL: NAME ".h" */
	const char *source;	/* the layout file, named (basename only) in comments; may be NULL */
};

/* Output formats, by -F name or by the output file's extension. */
enum emit_format {
	EMIT_NONE = 0,
	EMIT_BIN,		/* -F bin, .bin (also .img) */
	EMIT_C,			/* -F c, .c (the header goes beside it, .h) */
	EMIT_ELF,		/* -F elf, .o */
	EMIT_MAP,		/* -F map, .json */
};
/* "bin", "c", "elf", "map"; EMIT_NONE if none. */
enum emit_format emit_format_by_name(const char *s);
/* From the file name's extension; EMIT_NONE if none matches. */
enum emit_format emit_format_by_path(const char *path);
const char *emit_format_name(enum emit_format f);

/* Is 'name' usable as NAME: a C identifier of at most EMIT_NAME_MAX bytes. */
int emit_name_ok(const char *name);

/* Validate the options against the plan (see above); 0 or -VTD_EINVAL. */
int emit_check(const struct vtd_plan *p, const struct vtd_image *img, const struct emit_opts *o,
	       struct vtd_error *err);

int emit_bin(FILE *f, const struct vtd_plan *p, const struct vtd_image *img,
	     const struct emit_opts *o, struct vtd_error *err);
int emit_c(FILE *f, const struct vtd_plan *p, const struct vtd_image *img,
	   const struct emit_opts *o, struct vtd_error *err);
int emit_c_header(FILE *f, const struct vtd_plan *p, const struct vtd_image *img,
		  const struct emit_opts *o, struct vtd_error *err);
int emit_elf(FILE *f, const struct vtd_plan *p, const struct vtd_image *img,
	     const struct emit_opts *o, struct vtd_error *err);
int emit_elf_fd(int fd, const struct vtd_plan *p, const struct vtd_image *img,
		const struct emit_opts *o, struct vtd_error *err);
int emit_map(FILE *f, const struct vtd_plan *p, const struct vtd_image *img,
	     const struct emit_opts *o, struct vtd_error *err);

/*
 * The map as a JSON object (emit_map prints it pretty, with a newline);
 * for -j output.  NULL when out of memory.
 */
struct json_object *emit_map_json(const struct vtd_plan *p, const struct vtd_image *img);

/* Name of a page kind in the map: "root", "context", "pasid-dir", ... */
const char *emit_page_kind(unsigned kind);

/* "bb:dd.f" of a source id, in 'buf' (at least 8 bytes). */
const char *emit_bdf(uint16_t sid, char *buf);

/* ---- shared by the emitters (emit.c) ------------------------------------------- */

/* The symbol form of a domain name ('upper': for macros), malloc'd; NULL: no memory. */
char *emit_sym(const char *name, int upper);
/* NAME from the options, never NULL. */
const char *emit_name(const struct emit_opts *o);
/* Is address 'a' the start of a page inside the image. */
int emit_in_image(const struct vtd_image *img, uint64_t a);

#endif
