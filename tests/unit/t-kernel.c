/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests: the DMAR units from a synthetic kernel's own structures
 * (kernel.h).  The kernel is made here: BTF with libbpf's writer, symbol
 * files in both forms, and memory holding the unit list, the driver's
 * structures and its tables, in a buffer source, an ELF core with a
 * VMCOREINFO note, or (VMCOREINFO only) a kdump file.
 */
#include <bpf/btf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "env.h"
#include "kernel.h"
#include "mem.h"
#include "tap.h"

static char dir[] = "/tmp/vtd-t-kernel.XXXXXX";

/* ---- the kernel's types ------------------------------------------------------------ */

#define BTF_NO_QINVAL 1u	/* a kernel whose BTF lacks struct q_inval */

/* struct intel_iommu as laid out here (bytes); root_entry sits in an anonymous union. */
#define IO_REG_PHYS 8
#define IO_CAP 24
#define IO_ECAP 32
#define IO_GCMD 48
#define IO_SEQ 52
#define IO_SEGMENT 64
#define IO_NAME 66
#define IO_ROOT 88
#define IO_QI 96
#define IO_IRT 112
#define IO_SIZE 128
/* struct dmar_drhd_unit */
#define DU_REG 24
#define DU_SEGMENT 52
#define DU_BITS 54		/* include_all:1 then ignored:1 */
#define DU_IOMMU 56
#define DU_SIZE 64
/* struct q_inval, struct ir_table */
#define QI_DESC 8
#define QI_HEAD 24
#define QI_SIZE 40
#define IRT_BASE 0

static int make_btf(const char *name, unsigned flags, char *path, size_t n)
{
	struct btf *b = btf__new_empty();
	int i32, u32, u64, u16, u8, ptr, lh, arr, anon, un, rc = 0;
	const void *raw;
	uint32_t size;
	FILE *f;

	if (!b)
		return -1;
	i32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	u32 = btf__add_int(b, "unsigned int", 4, 0);
	u64 = btf__add_int(b, "long long unsigned int", 8, 0);
	u16 = btf__add_int(b, "short unsigned int", 2, 0);
	u8 = btf__add_int(b, "unsigned char", 1, 0);
	ptr = btf__add_ptr(b, 0);
	lh = btf__add_struct(b, "list_head", 16);
	rc |= btf__add_field(b, "next", ptr, 0, 0);
	rc |= btf__add_field(b, "prev", ptr, 64, 0);
	arr = btf__add_array(b, i32, u8, 13);
	btf__add_struct(b, "dmar_drhd_unit", DU_SIZE);
	rc |= btf__add_field(b, "list", lh, 0, 0);
	rc |= btf__add_field(b, "hdr", ptr, 128, 0);
	rc |= btf__add_field(b, "reg_base_addr", u64, DU_REG * 8, 0);
	rc |= btf__add_field(b, "devices", ptr, 256, 0);
	rc |= btf__add_field(b, "devices_cnt", i32, 320, 0);
	rc |= btf__add_field(b, "segment", u16, DU_SEGMENT * 8, 0);
	rc |= btf__add_field(b, "include_all", u8, DU_BITS * 8, 1);
	rc |= btf__add_field(b, "ignored", u8, DU_BITS * 8 + 1, 1);
	rc |= btf__add_field(b, "iommu", ptr, DU_IOMMU * 8, 0);
	/* An anonymous struct in an anonymous union, as config-dependent parts sit. */
	anon = btf__add_struct(b, NULL, 16);
	rc |= btf__add_field(b, "domain_ids", ptr, 0, 0);
	rc |= btf__add_field(b, "root_entry", ptr, 64, 0);
	un = btf__add_union(b, NULL, 16);
	rc |= btf__add_field(b, NULL, anon, 0, 0);
	rc |= btf__add_field(b, "pad", u64, 0, 0);
	btf__add_struct(b, "intel_iommu", IO_SIZE);
	rc |= btf__add_field(b, "reg", ptr, 0, 0);
	rc |= btf__add_field(b, "reg_phys", u64, IO_REG_PHYS * 8, 0);
	rc |= btf__add_field(b, "cap", u64, IO_CAP * 8, 0);
	rc |= btf__add_field(b, "ecap", u64, IO_ECAP * 8, 0);
	rc |= btf__add_field(b, "gcmd", u32, IO_GCMD * 8, 0);
	rc |= btf__add_field(b, "seq_id", i32, IO_SEQ * 8, 0);
	rc |= btf__add_field(b, "segment", u16, IO_SEGMENT * 8, 0);
	rc |= btf__add_field(b, "name", arr, IO_NAME * 8, 0);
	rc |= btf__add_field(b, NULL, un, 80 * 8, 0);
	rc |= btf__add_field(b, "qi", ptr, IO_QI * 8, 0);
	rc |= btf__add_field(b, "iommu_state", ptr, 104 * 8, 0);
	rc |= btf__add_field(b, "ir_table", ptr, IO_IRT * 8, 0);
	rc |= btf__add_field(b, "node", i32, 120 * 8, 0);
	if (!(flags & BTF_NO_QINVAL)) {
		btf__add_struct(b, "q_inval", QI_SIZE);
		rc |= btf__add_field(b, "q_lock", i32, 0, 0);
		rc |= btf__add_field(b, "desc", ptr, QI_DESC * 8, 0);
		rc |= btf__add_field(b, "desc_status", ptr, 128, 0);
		rc |= btf__add_field(b, "free_head", i32, QI_HEAD * 8, 0);
		rc |= btf__add_field(b, "free_tail", i32, 224, 0);
	}
	btf__add_struct(b, "ir_table", 16);
	rc |= btf__add_field(b, "base", ptr, IRT_BASE * 8, 0);
	rc |= btf__add_field(b, "bitmap", ptr, 64, 0);
	raw = btf__raw_data(b, &size);
	snprintf(path, n, "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (rc || !raw || !f || fwrite(raw, 1, size, f) != size)
		rc = -1;
	if (f)
		fclose(f);
	btf__free(b);
	return rc;
}

/* ---- the kernel's memory ------------------------------------------------------------- */

#define RAM_SIZE 0x400000u		/* RAM from 0: everything the driver allocated */
#define IMG_SIZE 0x10000u		/* the part of the image holding the variables */
#define IMG_VA 0xffffffff82000000ull	/* where that part runs */
#define V_UNITS 0x000			/* its variables: offsets from IMG_VA */
#define V_SM 0x100
#define V_X2APIC 0x110
#define V_EIM 0x114
#define V_PAGE_OFFSET 0x120
#define V_VMALLOC 0x128
#define V_PHYS_BASE 0x130
#define V_BANNER 0x1040
#define V_UTS 0x2000
#define PO 0xffff9d5540000000ull	/* a KASLR'd page_offset_base (1 GiB aligned) */
#define VMALLOC (PO + 0x300000000000ull)

#define ECAP_LEGACY 0xf00f5eull
#define SMTS (1ull << 43)

struct kern {
	uint8_t ram[RAM_SIZE];
	uint8_t img[IMG_SIZE];
	uint64_t phys_base;		/* the image's physical placement */
	uint64_t kaslr;			/* System.map address + kaslr = running address */
};

static void p64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

static void p32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

static uint64_t dm(uint64_t pa)
{
	return PO + pa;
}

/* Unit i's addresses (physical; the driver's pointers are dm() of these). */
#define U_DRHD(i) (0x10000u + 0x100u * (i))
#define U_IOMMU(i) (0x11000u + 0x200u * (i))
#define U_QI(i) (0x12000u + 0x100u * (i))
#define U_IRT(i) (0x12200u + 0x100u * (i))
#define U_ROOT(i) (0x20000u + 0x10000u * (i))
#define U_DESC(i) (0x40000u + 0x2000u * (i))
#define U_IRTB(i) (0x100000u + 0x100000u * (i))

static void set_entry(uint8_t *b, const struct vtd_layout *l, const char *const *names,
		      const uint64_t *vals)
{
	for (int i = 0; names[i]; i++)
		if (field_put(l, b, names[i], vals[i]))
			ok(0, "set %s.%s", l->name, names[i]);
}

/* A root table for unit i with one device (00:03.0) behind it, in either mode. */
static void tables(struct kern *k, int i, int scalable)
{
	uint64_t root = U_ROOT(i), ctx = root + 0x1000, pt = root + 0x2000;

	if (!scalable) {
		set_entry(k->ram + root, &vtd_l_root_legacy, L("P", "CTP"),
			  (const uint64_t[]){ 1, ctx });
		set_entry(k->ram + ctx + 0x18 * 16, &vtd_l_context_legacy,
			  L("P", "TT", "SSPTPTR", "AW", "DID"), (const uint64_t[]){ 1, 0, pt, 1, 1 });
		p64(k->ram + pt, (pt + 0x1000) | 3);
		return;
	}
	set_entry(k->ram + root, &vtd_l_root_sm, L("LP", "LCTP", "UP", "UCTP"),
		  (const uint64_t[]){ 1, ctx, 1, ctx + 0x3000 });
	set_entry(k->ram + ctx + 0x18 * 32, &vtd_l_context_sm, L("P", "PASIDDIRPTR"),
		  (const uint64_t[]){ 1, pt });
	p64(k->ram + pt, (pt + 0x1000) | 1);
}

/*
 * Two units on the list: dmar0 (segment 0, include_all) and dmar1
 * (segment 1, ignored), each with a root table, a queue and an IRT.
 */
static void build(struct kern *k, int scalable)
{
	uint64_t head = IMG_VA + V_UNITS;

	memset(k, 0, sizeof(*k));
	k->phys_base = 0x4000000;
	k->kaslr = 0x1e00000;
	for (int i = 0; i < 2; i++) {
		uint8_t *du = k->ram + U_DRHD(i), *io = k->ram + U_IOMMU(i);

		p64(du, i ? head : dm(U_DRHD(1)));
		p64(du + 8, i ? dm(U_DRHD(0)) : head);
		p64(du + DU_REG, 0xfed90000u + 0x1000u * i);
		du[DU_SEGMENT] = (uint8_t)i;
		du[DU_BITS] = i ? 2 : 1;
		p64(du + DU_IOMMU, dm(U_IOMMU(i)));
		p64(io + IO_REG_PHYS, 0xfed90000u + 0x1000u * i);
		p64(io + IO_CAP, 0x00d2008c22260206ull);
		p64(io + IO_ECAP, ECAP_LEGACY | (scalable ? SMTS : 0));
		p32(io + IO_GCMD, 0x86000000u);
		p32(io + IO_SEQ, (uint32_t)i);
		io[IO_SEGMENT] = (uint8_t)i;
		/* 13 bytes, the last not NUL: the reader must stop at the array's end. */
		memcpy(io + IO_NAME, i ? "dmar1" : "dmar0-xyzabcd", i ? 6 : 13);
		p64(io + IO_ROOT, dm(U_ROOT(i)));
		p64(io + IO_QI, dm(U_QI(i)));
		p64(io + IO_IRT, dm(U_IRT(i)));
		p64(k->ram + U_QI(i) + QI_DESC, dm(U_DESC(i)));
		p32(k->ram + U_QI(i) + QI_HEAD, 5u + 2u * (uint32_t)i);
		p64(k->ram + U_IRT(i) + IRT_BASE, dm(U_IRTB(i)));
		tables(k, i, scalable);
	}
	p64(k->img + V_UNITS, dm(U_DRHD(0)));
	p64(k->img + V_UNITS + 8, dm(U_DRHD(1)));
	p32(k->img + V_SM, scalable ? 1 : 0);
	p32(k->img + V_X2APIC, 1);
	p32(k->img + V_EIM, 1);
	p64(k->img + V_PAGE_OFFSET, PO);
	p64(k->img + V_VMALLOC, VMALLOC);
	p64(k->img + V_PHYS_BASE, k->phys_base);
	memcpy(k->img + V_BANNER, "Linux version 6.1.0-test (t-kernel)\n", 37);
	memcpy(k->img + V_UTS + 4, "Linux", 6);
}

static uint64_t img_pa(const struct kern *k)
{
	return IMG_VA - 0xffffffff80000000ull + k->phys_base;
}

static struct vtd_mem *buffer_of(const struct kern *k)
{
	struct vtd_mem *m = NULL;

	if (vtd_mem_open_buffer(&m, NULL) || vtd_mem_buffer_map(m, 0, k->ram, RAM_SIZE, NULL) ||
	    vtd_mem_buffer_map(m, img_pa(k), k->img, IMG_SIZE, NULL)) {
		vtd_mem_close(m);
		return NULL;
	}
	return m;
}

/* ---- symbol files ------------------------------------------------------------------- */

#define SYM_NO_SM 1u		/* no intel_iommu_sm */
#define SYM_NO_UNITS 2u		/* no dmar_drhd_units */
#define SYM_HIDDEN 4u		/* every address 0, as kallsyms shows non-root */
#define SYM_MAP 8u		/* System.map: addresses as linked (running - kaslr) */
#define SYM_NO_UTS 16u		/* no init_uts_ns */
#define SYM_NO_BANNER 32u

static void make_syms(const struct kern *k, const char *name, unsigned flags, char *path,
		      size_t n)
{
	static const struct {
		const char *name;
		uint64_t off;
		unsigned drop;
	} vars[] = {
		{ "linux_banner", V_BANNER, SYM_NO_BANNER }, { "intel_iommu_sm", V_SM, SYM_NO_SM },
		{ "eim_mode", V_EIM, 0 }, { "x2apic_mode", V_X2APIC, 0 },
		{ "page_offset_base", V_PAGE_OFFSET, 0 }, { "vmalloc_base", V_VMALLOC, 0 },
		{ "phys_base", V_PHYS_BASE, 0 }, { "init_uts_ns", V_UTS, SYM_NO_UTS },
		{ "dmar_drhd_units", V_UNITS, SYM_NO_UNITS },
	};
	uint64_t shift = flags & SYM_MAP ? k->kaslr : 0;
	FILE *f;

	snprintf(path, n, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "%016" PRIx64 " T _text\n", (uint64_t)(flags & SYM_HIDDEN ? 0 :
		0xffffffff81000000ull + (flags & SYM_MAP ? 0 : k->kaslr)));
	fprintf(f, "%016" PRIx64 " T some_function_with_a_long_name_%0600d\n",
		(uint64_t)(flags & SYM_HIDDEN ? 0 : 0xffffffff81001000ull), 0);
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (!(vars[i].drop & flags))
			fprintf(f, "%016" PRIx64 " %c %s\n",
				(uint64_t)(flags & SYM_HIDDEN ? 0 : IMG_VA + vars[i].off - shift),
				i ? 'd' : 'D', vars[i].name);
	/* A module's symbol of a wanted name must not count. */
	fprintf(f, "%016" PRIx64 " d dmar_drhd_units\t[fake_module]\n",
		(uint64_t)(flags & SYM_HIDDEN ? 0 : 0xffffffffc0001000ull));
	fclose(f);
}

/* ---- dump files --------------------------------------------------------------------- */

static void w16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/*
 * An ELF64 core: a PT_NOTE with a "CORE" note and the VMCOREINFO note,
 * then the RAM and the image part as PT_LOAD segments.
 */
static int make_core(const struct kern *k, const char *name, const char *vmci, char *path,
		     size_t n)
{
	size_t vlen = strlen(vmci) + 1, notesz = 12 + 8 + 8 + 12 + 12 + ((vlen + 3) & ~3u);
	size_t off_note = 64 + 3 * 56, off_ram = (off_note + notesz + 4095) & ~4095u;
	size_t off_img = off_ram + RAM_SIZE, total = off_img + IMG_SIZE;
	uint8_t *f = calloc(1, total), *ph = f + 64, *nt = f + off_note;
	const struct { uint32_t type; uint64_t off, pa, size; } seg[3] = {
		{ 4, off_note, 0, notesz }, { 1, off_ram, 0, RAM_SIZE },
		{ 1, off_img, img_pa(k), IMG_SIZE },
	};
	FILE *fp;
	int rc = -1;

	if (!f)
		return -1;
	memcpy(f, "\177ELF\2\1\1", 7);
	w16(f + 16, 4);			/* ET_CORE */
	w16(f + 18, 62);		/* EM_X86_64 */
	p32(f + 20, 1);
	p64(f + 32, 64);		/* e_phoff */
	w16(f + 52, 64);
	w16(f + 54, 56);
	w16(f + 56, 3);
	for (int i = 0; i < 3; i++, ph += 56) {
		p32(ph, seg[i].type);
		p64(ph + 8, seg[i].off);
		p64(ph + 16, seg[i].type == 1 ? dm(seg[i].pa) : 0);
		p64(ph + 24, seg[i].pa);
		p64(ph + 32, seg[i].size);
		p64(ph + 40, seg[i].size);
	}
	/* A note of another name first: the reader must skip it by its sizes. */
	p32(nt, 5);
	p32(nt + 4, 8);
	p32(nt + 8, 1);
	memcpy(nt + 12, "CORE", 5);
	nt += 12 + 8 + 8;
	p32(nt, 11);
	p32(nt + 4, (uint32_t)vlen);
	memcpy(nt + 12, "VMCOREINFO", 11);
	memcpy(nt + 24, vmci, vlen);
	memcpy(f + off_ram, k->ram, RAM_SIZE);
	memcpy(f + off_img, k->img, IMG_SIZE);
	snprintf(path, n, "%s/%s", dir, name);
	fp = fopen(path, "wb");
	if (fp && fwrite(f, 1, total, fp) == total)
		rc = 0;
	if (fp)
		fclose(fp);
	free(f);
	return rc;
}

/* ---- running it ----------------------------------------------------------------------- */

struct run {
	struct vtd_kunit *u;
	size_t n;
	struct vtd_kernel_map map;
	struct vtd_error err;
	int rc;
};

static void run(struct vtd_mem *m, const char *btf, const char *syms, struct run *r)
{
	struct vtd_kernel_opts o = { .btf = btf, .symbols = syms };

	free(r->u);
	memset(r, 0, sizeof(*r));
	r->rc = m ? vtd_kernel_units(m, &o, &r->u, &r->n, &r->map, &r->err) : -999;
	if (r->rc)
		printf("# rc %d: %s\n", r->rc, r->err.msg);
}

static void check_units(const struct run *r, int scalable, const char *mode_from,
			const char *what)
{
	uint64_t ttm = scalable ? 0x400 : 0, qa = scalable ? 0x801 : 0;
	unsigned sh = scalable ? 5 : 4;

	if (!ok(r->rc == 0 && r->n == 2, "%s: two units", what))
		return;
	is_str(r->u[0].name, "dmar0-xyzabcd", "%s: name of unit 0 (13 bytes, no NUL)", what);
	is_str(r->u[1].name, "dmar1", "%s: name of unit 1", what);
	ok(r->u[0].seq_id == 0 && r->u[1].seq_id == 1, "%s: seq_id", what);
	ok(r->u[0].segment == 0 && r->u[1].segment == 1, "%s: segment", what);
	ok(r->u[0].ignored == 0 && r->u[1].ignored == 1, "%s: ignored, a bitfield", what);
	is_u64(r->u[1].reg_phys, 0xfed91000, "%s: reg_phys", what);
	is_u64(r->u[0].cap, 0x00d2008c22260206ull, "%s: cap", what);
	is_u64(r->u[1].ecap, ECAP_LEGACY | (scalable ? SMTS : 0), "%s: ecap", what);
	is_u64(r->u[0].gcmd, 0x86000000u, "%s: gcmd", what);
	is_u64(r->u[0].rtaddr, U_ROOT(0) | ttm, "%s: RTADDR of unit 0", what);
	is_u64(r->u[1].rtaddr, U_ROOT(1) | ttm, "%s: RTADDR of unit 1 (root_entry in an "
	       "anonymous union)", what);
	is_str(r->u[1].mode_from, mode_from, "%s: mode decided by", what);
	is_u64(r->u[0].irta, U_IRTB(0) | 0x800 | 0xf, "%s: IRTA (EIME, 65536 entries)", what);
	is_u64(r->u[1].iqa, U_DESC(1) | qa, "%s: IQA", what);
	is_u64(r->u[0].iqt, 5u << sh, "%s: IQT of unit 0", what);
	is_u64(r->u[1].iqt, 7u << sh, "%s: IQT of unit 1", what);
}

static void check_map(const struct run *r, uint64_t kaslr, uint64_t phys_base, const char *how,
		      const char *what)
{
	is_u64(r->map.kaslr, kaslr, "%s: KASLR offset", what);
	is_u64(r->map.phys_base, phys_base, "%s: phys_base", what);
	is_u64(r->map.page_offset, PO, "%s: page_offset from page_offset_base", what);
	is_str(r->map.how, how, "%s: placed by", what);
}

static struct kern K;

static void test_buffer(const char *btf)
{
	char syms[512], path[512];
	struct run r = { 0 };
	struct vtd_mem *m;

	make_syms(&K, "kallsyms", 0, syms, sizeof(syms));
	build(&K, 0);
	m = buffer_of(&K);
	run(m, btf, syms, &r);
	check_units(&r, 0, "ecap", "legacy, kallsyms, linux_banner");
	check_map(&r, 0, K.phys_base, "linux_banner", "legacy, kallsyms");
	vtd_mem_close(m);

	build(&K, 1);
	m = buffer_of(&K);
	run(m, btf, syms, &r);
	check_units(&r, 1, "intel_iommu_sm", "scalable");
	/* The driver's switch off: SMTS alone does not make it scalable. */
	p32(K.img + V_SM, 0);
	vtd_mem_close(m);
	m = buffer_of(&K);
	run(m, btf, syms, &r);
	ok(r.rc == 0 && r.n == 2 && r.u[0].rtaddr == U_ROOT(0) && r.u[0].iqa == (U_DESC(0) | 0x801),
	   "intel_iommu_sm=0 on an SMTS unit: legacy RTADDR, 256-bit queue all the same");
	vtd_mem_close(m);

	/* Without intel_iommu_sm the root table's content decides. */
	make_syms(&K, "kallsyms-nosm", SYM_NO_SM, path, sizeof(path));
	build(&K, 1);
	m = buffer_of(&K);
	run(m, btf, path, &r);
	check_units(&r, 1, "content", "scalable by content");
	vtd_mem_close(m);
	build(&K, 0);
	p64(K.ram + U_IOMMU(0) + IO_ECAP, ECAP_LEGACY | SMTS);
	p64(K.ram + U_IOMMU(1) + IO_ECAP, ECAP_LEGACY | SMTS);
	m = buffer_of(&K);
	run(m, btf, path, &r);
	ok(r.rc == 0 && r.n == 2 && r.u[1].rtaddr == U_ROOT(1) &&
	   !strcmp(r.u[1].mode_from, "content"), "legacy by content on an SMTS unit");
	vtd_mem_close(m);

	/* System.map through the banner: D = kaslr + phys_base splits by phys_base's value. */
	make_syms(&K, "System.map", SYM_MAP, path, sizeof(path));
	build(&K, 0);
	m = buffer_of(&K);
	run(m, btf, path, &r);
	check_units(&r, 0, "ecap", "System.map, linux_banner");
	check_map(&r, K.kaslr, K.phys_base, "linux_banner", "System.map");
	vtd_mem_close(m);

	/* No banner in memory: nothing places the image. */
	build(&K, 0);
	memset(K.img + V_BANNER, 0, 16);
	m = buffer_of(&K);
	run(m, btf, syms, &r);
	ok(r.rc == -VTD_ENOTFOUND && strstr(r.err.msg, "linux_banner"),
	   "no VMCOREINFO, no banner: not found");
	vtd_mem_close(m);
	build(&K, 0);
	/* A banner whose phys_base disagrees is not the kernel. */
	p64(K.img + V_PHYS_BASE, K.phys_base + 0x1000);
	m = buffer_of(&K);
	run(m, btf, syms, &r);
	ok(r.rc == -VTD_ENOTFOUND, "a banner with a phys_base that disagrees is refused");
	vtd_mem_close(m);
	make_syms(&K, "nobanner", SYM_NO_BANNER, path, sizeof(path));
	build(&K, 0);
	m = buffer_of(&K);
	run(m, btf, path, &r);
	ok(r.rc == -VTD_ENOTFOUND && strstr(r.err.msg, "lacks linux_banner"),
	   "no linux_banner symbol: said so");
	vtd_mem_close(m);
	free(r.u);
}

static void test_errors(const char *btf, const char *btf_noqi)
{
	char syms[512], path[512];
	struct run r = { 0 };
	struct vtd_mem *m;

	make_syms(&K, "kallsyms", 0, syms, sizeof(syms));
	build(&K, 0);
	m = buffer_of(&K);
	make_syms(&K, "hidden", SYM_HIDDEN, path, sizeof(path));
	run(m, btf, path, &r);
	ok(r.rc == -VTD_EFORMAT && strstr(r.err.msg, "run as root"), "hidden kallsyms addresses");
	make_syms(&K, "nounits", SYM_NO_UNITS, path, sizeof(path));
	run(m, btf, path, &r);
	ok(r.rc == -VTD_EFORMAT && strstr(r.err.msg, "dmar_drhd_units"),
	   "no dmar_drhd_units (a module's does not count)");
	run(m, btf, "/nonexistent/kallsyms", &r);
	ok(r.rc == -VTD_EIO && r.err.sys_errno, "missing symbol file");
	run(m, btf_noqi, syms, &r);
	ok(r.rc == -VTD_EFORMAT && strstr(r.err.msg, "struct q_inval"), "BTF without q_inval");
	run(m, syms, syms, &r);
	ok(r.rc == -VTD_EFORMAT && strstr(r.err.msg, "BTF"), "a symbol file is no BTF");
	run(m, "/nonexistent/btf", syms, &r);
	ok(r.rc == -VTD_EIO, "missing BTF file");
	vtd_mem_close(m);

	/* The list comes back to unit 1 instead of the head. */
	build(&K, 0);
	p64(K.ram + U_DRHD(1), dm(U_DRHD(1)));
	m = buffer_of(&K);
	run(m, btf, syms, &r);
	ok(r.rc == -VTD_EFORMAT && strstr(r.err.msg, "loops"), "a cycle in the list");
	vtd_mem_close(m);

	/* A list that never ends: 1100 units chained in RAM. */
	build(&K, 0);
	for (uint32_t i = 0; i < 1100; i++)
		p64(K.ram + 0x200000 + 64 * i, dm(0x200000 + 64 * (i + 1)));
	p64(K.img + V_UNITS, dm(0x200000));
	m = buffer_of(&K);
	run(m, btf, syms, &r);
	ok(r.rc == -VTD_EFORMAT && strstr(r.err.msg, "1024"), "more than 1024 units refused");
	vtd_mem_close(m);

	/* dmar1's iommu pointer into the direct map past the source's RAM. */
	build(&K, 0);
	p64(K.ram + U_DRHD(1) + DU_IOMMU, dm(0x3f000000));
	m = buffer_of(&K);
	run(m, btf, syms, &r);
	ok(r.rc == -VTD_EUNMAPPED && r.err.has_addr && r.err.addr == 0x3f000000 &&
	   strstr(r.err.msg, "dmar_drhd_unit@0xffff9d5540010100 -> iommu"),
	   "a pointer outside the source names the structure path");
	vtd_mem_close(m);

	/* A queue in vmalloc space. */
	build(&K, 0);
	p64(K.ram + U_IOMMU(0) + IO_QI, VMALLOC + 0x1000);
	m = buffer_of(&K);
	run(m, btf, syms, &r);
	ok(r.rc == -VTD_EUNMAPPED && strstr(r.err.msg, "-> qi") &&
	   strstr(r.err.msg, "direct map"), "a vmalloc address is not followed");
	vtd_mem_close(m);

	/* No iommu yet: the unit is listed with what the DRHD says. */
	build(&K, 0);
	p64(K.ram + U_DRHD(1) + DU_IOMMU, 0);
	m = buffer_of(&K);
	run(m, btf, syms, &r);
	ok(r.rc == 0 && r.n == 2 && r.u[1].reg_phys == 0xfed91000 && !r.u[1].rtaddr &&
	   r.u[1].seq_id == -1 && !r.u[1].name[0], "a unit without an iommu");
	vtd_mem_close(m);
	free(r.u);
}

static void test_vmcoreinfo(const char *btf)
{
	char syms[512], map[512], core[512], vmci[600];
	struct vtd_mem *m = NULL;
	struct run r = { 0 };
	struct vtd_error err;
	int rc;

	build(&K, 0);
	make_syms(&K, "kallsyms", 0, syms, sizeof(syms));
	make_syms(&K, "System.map", SYM_MAP, map, sizeof(map));
	snprintf(vmci, sizeof(vmci), "OSRELEASE=6.1.0-test\nPAGESIZE=4096\n"
		 "SYMBOL(init_uts_ns)=%" PRIx64 "\nNUMBER(phys_base)=%" PRId64 "\n"
		 "KERNELOFFSET=%" PRIx64 "\n", (uint64_t)(IMG_VA + V_UTS), (int64_t)K.phys_base,
		 K.kaslr);
	/* No banner: only VMCOREINFO can place the image. */
	memset(K.img + V_BANNER, 0, 16);
	ok(make_core(&K, "vmcore", vmci, core, sizeof(core)) == 0, "write an ELF core");
	snprintf(vmci, sizeof(vmci), "elf:%s", core);
	rc = vtd_mem_open(vmci, &m, &err);
	ok(rc == 0 && vtd_mem_vmcoreinfo(m) && strstr(vtd_mem_vmcoreinfo(m), "KERNELOFFSET=1e00000\n"),
	   "the core's VMCOREINFO note, past a CORE note");
	run(m, btf, syms, &r);
	check_units(&r, 0, "ecap", "ELF core, kallsyms");
	check_map(&r, 0, K.phys_base, "vmcoreinfo", "ELF core, kallsyms");
	run(m, btf, map, &r);
	check_units(&r, 0, "ecap", "ELF core, System.map");
	check_map(&r, K.kaslr, K.phys_base, "vmcoreinfo", "ELF core, System.map");
	make_syms(&K, "System.map-nouts", SYM_MAP | SYM_NO_UTS, map, sizeof(map));
	run(m, btf, map, &r);
	check_map(&r, K.kaslr, K.phys_base, "vmcoreinfo (KERNELOFFSET)",
		  "ELF core, System.map without init_uts_ns");
	vtd_mem_close(m);
	m = NULL;

	/* A symbol file of another kernel: the offset is no KASLR offset. */
	snprintf(vmci, sizeof(vmci), "SYMBOL(init_uts_ns)=%" PRIx64 "\nNUMBER(phys_base)=0\n",
		 (uint64_t)(IMG_VA + V_UTS + 0x1234));
	make_core(&K, "vmcore-other", vmci, core, sizeof(core));
	snprintf(vmci, sizeof(vmci), "elf:%s", core);
	if (!vtd_mem_open(vmci, &m, &err)) {
		run(m, btf, syms, &r);
		ok(r.rc == -VTD_EFORMAT && strstr(r.err.msg, "does not match"),
		   "VMCOREINFO of another kernel refused");
		vtd_mem_close(m);
	} else {
		ok(0, "open the second core: %s", err.msg);
	}
	free(r.u);
}

/* ---- the symbol table and BTF in the kernel's own memory ----------------------------- */

#define V_KNUM 0x3000		/* kallsyms_num_syms */
#define V_KREL 0x3008		/* kallsyms_relative_base */
#define V_KIDX 0x3100		/* kallsyms_token_index: 256 x u16 */
#define V_KTOK 0x3400		/* kallsyms_token_table: token i is the character i */
#define V_KOFF 0x3800		/* kallsyms_offsets */
#define V_KNAMES 0x4000		/* kallsyms_names */
#define V_BTF 0x8000		/* __start_BTF */

/*
 * The kallsyms tables as scripts/kallsyms.c lays them out, with a trivial
 * token table (each byte stands for itself) and base-relative offsets
 * with absolute per-cpu symbols: addresses above the base are negative.
 * A 200-character name takes the two-byte length form.
 */
static size_t put_kallsyms(struct kern *k, size_t btf_size)
{
	static const struct {
		const char *name;
		uint64_t off;
	} syms[] = {
		{ "_text", 0 }, { "linux_banner", V_BANNER }, { "intel_iommu_sm", V_SM },
		{ "eim_mode", V_EIM }, { "page_offset_base", V_PAGE_OFFSET },
		{ "vmalloc_base", V_VMALLOC }, { "phys_base", V_PHYS_BASE },
		{ "init_uts_ns", V_UTS }, { "dmar_drhd_units", V_UNITS },
		{ "__start_BTF", V_BTF }, { "__stop_BTF", 0 },
	};
	size_t n = sizeof(syms) / sizeof(syms[0]), at = V_KNAMES, i;
	char longname[201];

	memset(longname, 'x', 200);
	longname[200] = '\0';
	for (i = 0; i < 256; i++) {
		w16(k->img + V_KIDX + 2 * i, (uint16_t)(2 * i));
		k->img[V_KTOK + 2 * i] = (uint8_t)i;
	}
	p32(k->img + V_KNUM, (uint32_t)n + 1);
	p64(k->img + V_KREL, IMG_VA);
	for (i = 0; i <= n; i++) {
		const char *nm = i ? syms[i - 1].name : longname;
		uint64_t off = !i ? 0x10 : i == n ? V_BTF + btf_size : syms[i - 1].off;
		size_t len = strlen(nm) + 1;

		/* addr = base - 1 - offset for a negative offset */
		p32(k->img + V_KOFF + 4 * i, (uint32_t)-(int32_t)(off + 1));
		if (len > 127) {
			k->img[at++] = (uint8_t)(0x80 | (len & 0x7f));
			k->img[at++] = (uint8_t)(len >> 7);
		} else {
			k->img[at++] = (uint8_t)len;
		}
		k->img[at++] = i > 1 ? 'd' : 'T';
		memcpy(k->img + at, nm, len - 1);
		at += len - 1;
	}
	return n + 1;
}

/* An ELF core of K with 'vmci' on which the kernel route fails with 'rc', saying 'says'. */
static void core_fails(const char *name, const char *vmci, const char *btf, int rc,
		       const char *says, const char *what)
{
	char core[512], spec[600];
	struct vtd_mem *m = NULL;
	struct vtd_error err;
	struct run r = { 0 };

	make_core(&K, name, vmci, core, sizeof(core));
	snprintf(spec, sizeof(spec), "elf:%s", core);
	if (!ok(vtd_mem_open(spec, &m, &err) == 0, "%s: open the core", what))
		return;
	run(m, btf, NULL, &r);
	ok(r.rc == rc && strstr(r.err.msg, says), "%s", what);
	vtd_mem_close(m);
	free(r.u);
}

static void test_memory_symbols(const char *btf)
{
	char core[512], vmci[900], spec[600], syms[512];
	struct vtd_mem *m = NULL;
	struct run r = { 0 };
	struct vtd_error err;
	size_t bsize = 0;
	FILE *f = fopen(btf, "rb");

	build(&K, 0);
	if (f) {
		bsize = fread(K.img + V_BTF, 1, IMG_SIZE - V_BTF, f);
		fclose(f);
	}
	ok(bsize > 0 && bsize < IMG_SIZE - V_BTF, "the BTF fits the image (%zu bytes)", bsize);
	put_kallsyms(&K, bsize);
	snprintf(vmci, sizeof(vmci), "OSRELEASE=6.1.0-test\nSYMBOL(init_uts_ns)=%" PRIx64 "\n"
		 "NUMBER(phys_base)=%" PRId64 "\nSYMBOL(kallsyms_names)=%" PRIx64 "\n"
		 "SYMBOL(kallsyms_num_syms)=%" PRIx64 "\nSYMBOL(kallsyms_token_table)=%" PRIx64
		 "\nSYMBOL(kallsyms_token_index)=%" PRIx64 "\nSYMBOL(kallsyms_offsets)=%" PRIx64
		 "\nSYMBOL(kallsyms_relative_base)=%" PRIx64 "\nKERNELOFFSET=0\n",
		 (uint64_t)(IMG_VA + V_UTS), (int64_t)K.phys_base, (uint64_t)(IMG_VA + V_KNAMES),
		 (uint64_t)(IMG_VA + V_KNUM), (uint64_t)(IMG_VA + V_KTOK),
		 (uint64_t)(IMG_VA + V_KIDX), (uint64_t)(IMG_VA + V_KOFF),
		 (uint64_t)(IMG_VA + V_KREL));
	ok(make_core(&K, "vmcore-mem", vmci, core, sizeof(core)) == 0, "write an ELF core "
	   "with kallsyms and BTF in its image");
	snprintf(spec, sizeof(spec), "elf:%s", core);
	if (!ok(vtd_mem_open(spec, &m, &err) == 0, "open it"))
		return;
	run(m, NULL, NULL, &r);
	check_units(&r, 0, "ecap", "symbols and BTF from memory");
	check_map(&r, 0, K.phys_base, "vmcoreinfo", "symbols and BTF from memory");
	run(m, btf, NULL, &r);
	check_units(&r, 0, "ecap", "symbols from memory, BTF file");
	make_syms(&K, "kallsyms-mem", 0, syms, sizeof(syms));
	if ((f = fopen(syms, "a"))) {
		fprintf(f, "%016" PRIx64 " R __start_BTF\n%016" PRIx64 " R __stop_BTF\n",
			(uint64_t)(IMG_VA + V_BTF), (uint64_t)(IMG_VA + V_BTF + bsize));
		fclose(f);
	}
	run(m, NULL, syms, &r);
	check_units(&r, 0, "ecap", "symbol file, BTF from memory");
	vtd_mem_close(m);
	m = NULL;

	/* Broken tables: errors, never a crash. */
	p32(K.img + V_KNUM, 0x7fffffff);
	core_fails("vmcore-badnum", vmci, NULL, -VTD_EFORMAT, "kallsyms_num_syms",
		   "an absurd kallsyms_num_syms: refused");
	put_kallsyms(&K, bsize);
	w16(K.img + V_KIDX + 2 * 'a', 0xffff);
	core_fails("vmcore-badtok", vmci, NULL, -VTD_EFORMAT, "kallsyms_token_index",
		   "a token index beyond the table: refused");
	put_kallsyms(&K, bsize);
	memset(K.img + V_BTF, 0xff, 64);
	core_fails("vmcore-badbtf", vmci, NULL, -VTD_EFORMAT, "BTF at __start_BTF",
		   "garbage at __start_BTF: refused");
	/* VMCOREINFO without the kallsyms tables (a kernel before 6.0). */
	snprintf(vmci, sizeof(vmci), "SYMBOL(init_uts_ns)=%" PRIx64 "\nNUMBER(phys_base)=%"
		 PRId64 "\n", (uint64_t)(IMG_VA + V_UTS), (int64_t)K.phys_base);
	core_fails("vmcore-old", vmci, btf, -VTD_ENOTFOUND, "kallsyms",
		   "no kallsyms in VMCOREINFO: ask for the symbol table");
	m = buffer_of(&K);
	run(m, btf, NULL, &r);
	ok(r.rc == -VTD_ENOTFOUND && strstr(r.err.msg, "no VMCOREINFO"),
	   "a source without VMCOREINFO and no symbol file: said so");
	vtd_mem_close(m);
	free(r.u);
}

/* A kdump file with no pages but a vmcoreinfo area, and one whose area is out of the file. */
static void test_kdump_vmcoreinfo(void)
{
	static const char text[] = "OSRELEASE=6.1.0-test\nNUMBER(phys_base)=0\n";
	uint8_t f[5 * 4096] = { 0 };
	char path[512], spec[600];
	struct vtd_mem *m = NULL;
	struct vtd_error err;
	FILE *fp;

	memcpy(f, "KDUMP   ", 8);
	p32(f + 8, 6);
	p32(f + 428, 4096);
	p32(f + 432, 1);
	p32(f + 436, 2);
	p32(f + 440, 1);
	p64(f + 4096 + 32, 4 * 4096);
	p64(f + 4096 + 40, sizeof(text) - 1);
	p64(f + 4096 + 96, 1);
	memcpy(f + 4 * 4096, text, sizeof(text) - 1);
	for (int bad = 0; bad < 2; bad++) {
		if (bad)
			p64(f + 4096 + 32, 1ull << 40);
		snprintf(path, sizeof(path), "%s/kdump%d", dir, bad);
		fp = fopen(path, "wb");
		if (fp) {
			fwrite(f, 1, sizeof(f), fp);
			fclose(fp);
		}
		snprintf(spec, sizeof(spec), "kdump:%s", path);
		if (!ok(vtd_mem_open(spec, &m, &err) == 0, "open a kdump file (%d): %s", bad,
			err.msg))
			continue;
		if (bad)
			ok(!vtd_mem_vmcoreinfo(m), "a vmcoreinfo area past the end: none");
		else
			is_str(vtd_mem_vmcoreinfo(m), text, "the kdump's vmcoreinfo area");
		vtd_mem_close(m);
	}
	if (!vtd_mem_open_buffer(&m, NULL)) {
		ok(!vtd_mem_vmcoreinfo(m), "a buffer source has no VMCOREINFO");
		vtd_mem_close(m);
	}
}

int main(void)
{
	char btf[512], btf_noqi[512];

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	ok(make_btf("btf", 0, btf, sizeof(btf)) == 0, "write BTF with libbpf");
	ok(make_btf("btf-noqi", BTF_NO_QINVAL, btf_noqi, sizeof(btf_noqi)) == 0,
	   "write BTF without q_inval");
	test_buffer(btf);
	test_errors(btf, btf_noqi);
	test_vmcoreinfo(btf);
	test_kdump_vmcoreinfo();
	test_memory_symbols(btf);
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd))
			printf("# could not remove %s\n", dir);
	}
	return tap_done();
}
