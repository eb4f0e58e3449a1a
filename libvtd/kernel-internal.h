/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- what the kernel-structure reader's files share (not installed) */
#ifndef VTD_KERNEL_INTERNAL_H
#define VTD_KERNEL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "kernel.h"
#include "mem-internal.h"

struct btf;
struct vtd_kvirt;

/* ---- ksyms.c: symbol files -------------------------------------------------------- */

/* The symbols the reader asks for, by index into vtd__ksym_names. */
enum vtd_ksym_idx {
	VTD_KS_DRHD_UNITS,	/* the list head: the one symbol that must be there */
	VTD_KS_SM,		/* intel_iommu_sm: the driver runs scalable mode */
	VTD_KS_EIM,		/* eim_mode: what the IR code writes as IRTA.EIME */
	VTD_KS_X2APIC,		/* x2apic_mode: the same answer when eim_mode is missing */
	VTD_KS_PAGE_OFFSET,	/* page_offset_base: the direct map's base (KASLR'd) */
	VTD_KS_VMALLOC,		/* vmalloc_base: where the direct map must end */
	VTD_KS_PHYS_BASE,	/* phys_base: confirms a linux_banner match */
	VTD_KS_BANNER,		/* linux_banner: places the image without VMCOREINFO */
	VTD_KS_UTS,		/* init_uts_ns: matched against VMCOREINFO for the KASLR offset */
	VTD_KS_TEXT,		/* _text: KERNELOFFSET's anchor when init_uts_ns is missing */
	VTD_KS_START_BTF,	/* __start_BTF, __stop_BTF: the kernel's own BTF in its image */
	VTD_KS_STOP_BTF,
	VTD_KS_N
};

extern const char *const vtd__ksym_names[VTD_KS_N];

struct vtd_ksyms {
	uint64_t addr[VTD_KS_N];
	uint8_t found[VTD_KS_N];
};

/*
 * Stream a symbol file ("ADDR TYPE NAME [MODULE]" a line: /proc/kallsyms,
 * System.map) keeping the wanted symbols only (module symbols are never
 * wanted); the first definition of a name wins.  -VTD_EIO for the file,
 * -VTD_EFORMAT when every address is 0 (kallsyms to a reader who may not
 * see them) or no line parses.
 */
int vtd__ksyms_read(const char *path, struct vtd_ksyms *ks, struct vtd_error *err);

/* ---- ksyms-mem.c: the symbol table and BTF in the kernel's memory ------------------ */

/*
 * The wanted symbols out of the kallsyms tables that VMCOREINFO names (in
 * the source 'm', kernel image placed by 'phys_base'); addresses as the
 * running kernel had them.  -VTD_ENOTFOUND when VMCOREINFO lacks the
 * tables (kernels before 6.0), -VTD_EFORMAT for tables that do not decode.
 */
int vtd__ksyms_from_memory(struct vtd_mem *m, const char *vmcoreinfo, uint64_t phys_base,
			   struct vtd_ksyms *ks, struct vtd_error *err);

/* The BTF between __start_BTF and __stop_BTF, parsed (btf__free it). */
int vtd__kbtf_from_memory(struct vtd_mem *m, const struct vtd_kvirt *v,
			  const struct vtd_ksyms *ks, struct btf **out, struct vtd_error *err);

/* "KEY=value" of VMCOREINFO: 1 with '*v', 0 when missing; base 10 is signed (NUMBER()). */
int vtd__vmci_get(const char *text, const char *key, int base, uint64_t *v);

/* ---- kbtf.c: structure members from BTF ------------------------------------------ */

/* Where a member lies in its structure. */
struct vtd_kfield {
	uint32_t bit_off;	/* from the structure's start, anonymous parents included */
	uint32_t bits;		/* a bitfield's width; 0 for a whole member */
	uint32_t size;		/* bytes of the member's type (an array: all of it) */
};

/* One structure, found by name, with the size its blob is read at. */
struct vtd_kstruct {
	const char *name;
	int32_t id;
	uint32_t size;
};

/* libbpf's btf__parse: raw BTF or an ELF file's .BTF section. */
int vtd__kbtf_open(const char *path, struct btf **out, struct vtd_error *err);

/* 'st->name' as a struct; -VTD_EFORMAT naming it when the BTF lacks it. */
int vtd__kbtf_struct(const struct btf *b, struct vtd_kstruct *st, struct vtd_error *err);

/*
 * 'member' of 'st', searched through anonymous struct and union members;
 * -VTD_EFORMAT naming "struct.member" when missing, or when it does not fit
 * the structure, or is wider than 8 bytes while 'scalar' is set.
 */
int vtd__kbtf_field(const struct btf *b, const struct vtd_kstruct *st, const char *member,
		    int scalar, struct vtd_kfield *f, struct vtd_error *err);

/* The member's value from the structure's bytes (fields checked to fit). */
uint64_t vtd__kfield_get(const uint8_t *blob, const struct vtd_kfield *f);

/* ---- kvirt.c: kernel virtual to physical ------------------------------------------ */

#define VTD_KIMAGE_START 0xffffffff80000000ull	/* __START_KERNEL_map */
#define VTD_KIMAGE_SIZE 0x40000000ull		/* KERNEL_IMAGE_SIZE with KASLR: 1 GiB */
#define VTD_KPAGE_OFFSET 0xffff888000000000ull	/* the direct map without KASLR (4-level) */

struct vtd_kvirt {
	struct vtd_kernel_map map;
	uint64_t direct_size;	/* bytes the direct map may span from page_offset */
};

/*
 * Place the kernel: KASLR offset and phys_base from the source's
 * VMCOREINFO, else by finding linux_banner in memory; then the direct
 * map's base from page_offset_base.
 */
int vtd__kvirt_place(struct vtd_mem *m, const struct vtd_ksyms *ks, struct vtd_kvirt *v,
		     struct vtd_error *err);

/*
 * Read 'len' bytes at kernel virtual address 'va' (a symbol's: add
 * map.kaslr first); 'path' names what is read in messages
 * ("dmar_drhd_units -> dmar_drhd_unit@0x... -> iommu").  -VTD_EUNMAPPED
 * for an address outside the kernel image and the direct map, or one the
 * source does not hold.
 */
int vtd__kvirt_read(struct vtd_mem *m, const struct vtd_kvirt *v, uint64_t va, void *buf,
		    size_t len, const char *path, struct vtd_error *err);

/* The physical address of 'va', or -VTD_EUNMAPPED naming 'path' (vmalloc, user, ...). */
int vtd__kvirt_pa(const struct vtd_kvirt *v, uint64_t va, uint64_t *pa, const char *path,
		  struct vtd_error *err);

#endif
