/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvtd -- the remapping units as a Linux kernel's intel-iommu driver holds
 * them, read from its own structures the way drgn does: symbol addresses
 * from a symbol table (/proc/kallsyms or System.map), structure offsets from
 * the kernel's BTF (parsed with libbpf), memory from any vtd_mem source
 * (kcore: live, or a crash dump).  This is the route on stock kernels,
 * where neither debugfs nor /dev/mem shows the registers, and on dumps that
 * carry no saved register page.
 */
#ifndef VTD_KERNEL_H
#define VTD_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "mem.h"

struct vtd_kernel_opts {
	/*
	 * The kernel's BTF: raw (/sys/kernel/btf/vmlinux) or an ELF vmlinux
	 * with a .BTF section.  Must be the BTF of the kernel that owns the
	 * memory (a dump's: the crashed kernel's, not this host's).  NULL:
	 * the BTF the kernel keeps in its own image (__start_BTF, found
	 * through the symbols).
	 */
	const char *btf;
	/*
	 * Its symbol table: /proc/kallsyms (addresses as the running kernel
	 * has them) or System.map (as linked).  Lines "ADDR TYPE NAME
	 * [MODULE]"; only a few names are kept, so a file of any size is
	 * fine.  The KASLR offset is the difference to the source's
	 * VMCOREINFO (0 for kallsyms of the same boot), or, without one, what
	 * finding linux_banner in memory says.  NULL: the kernel's own
	 * kallsyms tables, which the source's VMCOREINFO names (kernels
	 * since 6.0; dumps and /proc/kcore carry VMCOREINFO).
	 */
	const char *symbols;
};

/* How the kernel's virtual addresses become physical ones. */
struct vtd_kernel_map {
	uint64_t kaslr;		/* symbol file address + kaslr = virtual address */
	uint64_t phys_base;	/* kernel image: pa = va - 0xffffffff80000000 + phys_base */
	uint64_t page_offset;	/* direct map: pa = va - page_offset */
	/*
	 * How kaslr and phys_base were found: "vmcoreinfo" (SYMBOL(init_uts_ns)
	 * against the symbol file's), "vmcoreinfo (KERNELOFFSET)" (against
	 * _text, linked at 0xffffffff81000000), "vmcoreinfo (symbols as given)"
	 * (neither symbol: kaslr 0), or "linux_banner" (no VMCOREINFO: the
	 * banner's text in memory, confirmed by the phys_base variable).
	 */
	char how[64];
};

/* One DMAR unit, as the driver's struct intel_iommu says. */
struct vtd_kunit {
	char name[16];		/* iommu->name: "dmar0" */
	int seq_id;
	uint16_t segment;
	uint64_t reg_phys;	/* register base */
	uint64_t cap, ecap;
	uint32_t gcmd;		/* the driver's copy of GCMD: TE, IRE, QIE as it set them */
	/*
	 * The registers as the driver programmed them, rebuilt from its
	 * structures: 0 where the driver has none (no root table yet, no IR,
	 * no queued invalidation).
	 */
	uint64_t rtaddr;	/* root table | TTM (scalable when the driver runs SM) */
	uint64_t irta;		/* IRT | EIME (eim_mode, else x2apic_mode) | S = 0xf */
	uint64_t iqa;		/* queue | DW | QS (both with ECAP.SMTS, as the driver writes it) */
	uint64_t iqt;		/* the driver's next free slot, as the IQT register holds it */
	uint8_t ignored;	/* drhd->ignored: a unit the driver left alone */
	/*
	 * How TTM was decided: "ecap" (no ECAP.SMTS: legacy), "intel_iommu_sm"
	 * (the driver's switch, as sm_supported() reads it), or "content" (the
	 * symbol is missing: the root table scored both ways by vtd_scan_page).
	 */
	char mode_from[32];
};

/*
 * The units on the kernel's dmar_drhd_units list, in list order.  '*out'
 * (free()) holds '*n'; 'map' (may be NULL) receives the address map used.
 * A unit whose iommu is not set up yet has seq_id -1 and only the DRHD's
 * fields.  Pointers are followed only into the kernel image and the direct
 * map (no page-table walk), which is where the driver's structures live.
 * Errors name what is missing or wrong: -VTD_EIO or -VTD_EPERM (a file),
 * -VTD_EFORMAT (a symbol or BTF type missing, hidden kallsyms addresses, a
 * symbol file that does not match the dump's VMCOREINFO, a list that loops
 * or does not close within 1024 units), -VTD_EUNMAPPED (a pointer the
 * source does not hold, or one into vmalloc space: the address and the
 * structure path, "dmar_drhd_units -> dmar_drhd_unit@0xffff... -> iommu"),
 * -VTD_ENOTFOUND (no way to place the kernel image: no VMCOREINFO and no
 * linux_banner in memory).  libbpf may print its own warnings on stderr
 * for a file that is not BTF.
 */
VTD_API int vtd_kernel_units(struct vtd_mem *m, const struct vtd_kernel_opts *o,
			     struct vtd_kunit **out, size_t *n, struct vtd_kernel_map *map,
			     struct vtd_error *err);

#endif
