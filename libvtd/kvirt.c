/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvtd -- the x86-64 kernel's virtual addresses as physical ones, without
 * page tables: the kernel image (pa = va - __START_KERNEL_map + phys_base)
 * and the direct map (pa = va - page_offset_base) cover every structure
 * the driver allocates with kmalloc or the page allocator.
 */
#include "kernel-internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIB2 0x200000ull		/* CONFIG_PHYSICAL_ALIGN: the image moves in these */
#define BANNER "Linux version "
#define BANNER_LEN 14

/*
 * 2 MiB blocks looked at for linux_banner: 8 TiB of memory, far more than a
 * dump holds, and a bound on a source that claims the whole address space.
 */
#define BANNER_TRIES (1u << 22)

/* Signed distance check: |x| below 'lim'. */
static int within(uint64_t x, uint64_t lim)
{
	return (int64_t)x > -(int64_t)lim && (int64_t)x < (int64_t)lim;
}

/*
 * The value of "KEY=value" in VMCOREINFO text, a line of its own: 1 with
 * '*v' set, 0 when the key is missing or its value does not parse.
 * NUMBER() values are signed decimal (%ld), the rest hex without 0x (%lx).
 */
int vtd__vmci_get(const char *text, const char *key, int base, uint64_t *v)
{
	size_t klen = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, klen) && p[klen] == '=') {
			const char *s = p + klen + 1;
			char *end;

			if (!*s || *s == '\n')
				return 0;
			if (base == 10)
				*v = (uint64_t)strtoll(s, &end, 10);
			else
				*v = (uint64_t)strtoull(s, &end, 16);
			return end != s && (!*end || *end == '\n');
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return 0;
}

int vtd__kvirt_pa(const struct vtd_kvirt *v, uint64_t va, uint64_t *pa, const char *path,
		  struct vtd_error *err)
{
	if (va - VTD_KIMAGE_START < VTD_KIMAGE_SIZE) {
		*pa = va - VTD_KIMAGE_START + v->map.phys_base;
		return 0;
	}
	if (va - v->map.page_offset < v->direct_size) {
		*pa = va - v->map.page_offset;
		return 0;
	}
	return vtd_fail(err, VTD_EUNMAPPED,
			"%s: 0x%" PRIx64 " is neither in the kernel image nor in the direct map "
			"(vmalloc or module memory: not followed without page tables)", path, va);
}

int vtd__kvirt_read(struct vtd_mem *m, const struct vtd_kvirt *v, uint64_t va, void *buf,
		    size_t len, const char *path, struct vtd_error *err)
{
	struct vtd_error e;
	uint64_t pa = 0;
	int rc;

	rc = vtd__kvirt_pa(v, va, &pa, path, err);
	if (rc)
		return rc;
	vtd_error_clear(&e);
	rc = vtd_mem_read(m, pa, buf, len, &e);
	if (!rc)
		return 0;
	rc = vtd_fail(err, -rc, "%s: 0x%" PRIx64 " (physical 0x%" PRIx64 "): %s", path, va, pa,
		      e.msg);
	if (err) {
		err->has_addr = 1;
		err->addr = pa;
		err->sys_errno = e.sys_errno;
	}
	return rc;
}

/* A symbol-file address inside the image, as an offset from its start; -1 if outside. */
static int64_t image_off(uint64_t sym)
{
	return sym - VTD_KIMAGE_START < VTD_KIMAGE_SIZE ? (int64_t)(sym - VTD_KIMAGE_START) : -1;
}

/*
 * Without VMCOREINFO: linux_banner's text in memory.  The image is placed
 * in 2 MiB steps both virtually and physically, so the banner's offset in
 * its 2 MiB block is the same in both: one 14-byte read per block held.
 * A hit gives D = kaslr + phys_base; the phys_base variable, read where D
 * puts it, must then hold a value that splits D into two plausible parts.
 */
static int place_by_banner(struct vtd_mem *m, const struct vtd_ksyms *ks, struct vtd_kvirt *v,
			   struct vtd_error *err)
{
	int64_t ob = image_off(ks->addr[VTD_KS_BANNER]), op = image_off(ks->addr[VTD_KS_PHYS_BASE]);
	uint64_t from = 0, base, size, tries = 0;
	int rc;

	if (!ks->found[VTD_KS_BANNER] || !ks->found[VTD_KS_PHYS_BASE])
		return vtd_fail(err, VTD_ENOTFOUND,
				"the source has no VMCOREINFO, and the symbol file lacks %s to "
				"find the kernel image by", ks->found[VTD_KS_BANNER]
				? "phys_base" : "linux_banner");
	if (ob < 0 || op < 0)
		return vtd_fail(err, VTD_EFORMAT,
				"the symbol file puts linux_banner (0x%" PRIx64 ") or phys_base "
				"(0x%" PRIx64 ") outside the kernel image", ks->addr[VTD_KS_BANNER],
				ks->addr[VTD_KS_PHYS_BASE]);
	while ((rc = vtd_mem_next(m, from, &base, &size)) == 1) {
		uint64_t last = base + (size - 1);

		for (uint64_t blk = base & ~(MIB2 - 1); tries < BANNER_TRIES; blk += MIB2) {
			uint64_t cand = blk + ((uint64_t)ob & (MIB2 - 1)), d, p, pb;
			uint8_t text[BANNER_LEN];

			if (cand < blk || cand > last)
				break;
			tries++;
			if (cand < base || last - cand < BANNER_LEN - 1 ||
			    vtd_mem_read(m, cand, text, sizeof(text), NULL) ||
			    memcmp(text, BANNER, BANNER_LEN))
				continue;
			d = cand - (uint64_t)ob;
			if (vtd_mem_read(m, (uint64_t)op + d, &pb, sizeof(pb), NULL))
				continue;
			p = le64((const uint8_t *)&pb);
			if (p % MIB2 || (d - p) % MIB2 || !within(d - p, VTD_KIMAGE_SIZE))
				continue;
			v->map.phys_base = p;
			v->map.kaslr = d - p;
			snprintf(v->map.how, sizeof(v->map.how), "linux_banner");
			return 0;
		}
		if (last == UINT64_MAX || tries >= BANNER_TRIES)
			break;
		from = last + 1;
	}
	if (rc < 0)
		return vtd_fail(err, VTD_ENOTFOUND,
				"the source has no VMCOREINFO and cannot list its memory to look "
				"for linux_banner: no way to place the kernel image");
	return vtd_fail(err, VTD_ENOTFOUND,
			"the source has no VMCOREINFO, and no linux_banner (\"Linux version \") "
			"whose phys_base agrees was found in its memory: not this kernel's "
			"symbol file, or the image is not in the dump");
}

/* KASLR offset and phys_base from VMCOREINFO: 1 done, 0 none there. */
static int place_by_vmcoreinfo(const char *vi, const struct vtd_ksyms *ks, struct vtd_kvirt *v,
			       struct vtd_error *err)
{
	uint64_t pb, sym, koff;

	if (!vi || !vtd__vmci_get(vi, "NUMBER(phys_base)", 10, &pb))
		return 0;
	v->map.phys_base = pb;
	if (ks->found[VTD_KS_UTS] && vtd__vmci_get(vi, "SYMBOL(init_uts_ns)", 16, &sym)) {
		v->map.kaslr = sym - ks->addr[VTD_KS_UTS];
		snprintf(v->map.how, sizeof(v->map.how), "vmcoreinfo");
	} else if (ks->found[VTD_KS_TEXT] && vtd__vmci_get(vi, "KERNELOFFSET", 16, &koff)) {
		/* _text as linked: __START_KERNEL with the default CONFIG_PHYSICAL_START. */
		v->map.kaslr = 0xffffffff81000000ull + koff - ks->addr[VTD_KS_TEXT];
		snprintf(v->map.how, sizeof(v->map.how), "vmcoreinfo (KERNELOFFSET)");
	} else {
		v->map.kaslr = 0;
		snprintf(v->map.how, sizeof(v->map.how), "vmcoreinfo (symbols as given)");
	}
	if (v->map.kaslr % MIB2 || !within(v->map.kaslr, VTD_KIMAGE_SIZE))
		return vtd_fail(err, VTD_EFORMAT,
				"the symbol file does not match the dump: its addresses are 0x%" PRIx64
				" off those of the dump's VMCOREINFO, not a KASLR offset",
				v->map.kaslr);
	return 1;
}

/* A variable of the image, by symbol: 8 bytes. */
static int read_var(struct vtd_mem *m, const struct vtd_kvirt *v, const struct vtd_ksyms *ks,
		    int idx, uint64_t *val, struct vtd_error *err)
{
	uint8_t b[8];
	int rc = vtd__kvirt_read(m, v, ks->addr[idx] + v->map.kaslr, b, sizeof(b),
				 vtd__ksym_names[idx], err);

	if (!rc)
		*val = le64(b);
	return rc;
}

int vtd__kvirt_place(struct vtd_mem *m, const struct vtd_ksyms *ks, struct vtd_kvirt *v,
		     struct vtd_error *err)
{
	uint64_t po = VTD_KPAGE_OFFSET, vb;
	int rc;

	memset(v, 0, sizeof(*v));
	rc = place_by_vmcoreinfo(vtd_mem_vmcoreinfo(m), ks, v, err);
	if (rc < 0)
		return rc;
	if (!rc) {
		rc = place_by_banner(m, ks, v, err);
		if (rc)
			return rc;
	}
	/* With CONFIG_RANDOMIZE_MEMORY the direct map moves: the kernel keeps where. */
	if (ks->found[VTD_KS_PAGE_OFFSET]) {
		rc = read_var(m, v, ks, VTD_KS_PAGE_OFFSET, &po, err);
		if (rc)
			return rc;
		if (!(po >> 63) || po % 0x40000000ull)
			return vtd_fail(err, VTD_EFORMAT,
					"page_offset_base holds 0x%" PRIx64 ", not a direct-map base "
					"(a 1 GiB-aligned kernel address)", po);
	}
	v->map.page_offset = po;
	/* 64 TiB with 4-level paging, 4 PiB with 5 (its map starts lower). */
	v->direct_size = po < 0xffff800000000000ull ? 1ull << 52 : 1ull << 46;
	/* vmalloc space follows the direct map: it must not be read as RAM. */
	if (ks->found[VTD_KS_VMALLOC] && !read_var(m, v, ks, VTD_KS_VMALLOC, &vb, NULL) &&
	    vb > po && vb - po < v->direct_size)
		v->direct_size = vb - po;
	return 0;
}
