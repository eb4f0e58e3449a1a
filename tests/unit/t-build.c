/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests: the table builder.  Hand-checked entries of a small legacy
 * plan, page sizes, dedup, every problem vtd_plan_check reports, overflow
 * and exclusions, scalable mode with every PGTT and nesting, the IRT, raw
 * fields; tables read back into plans that build the same bytes (also for
 * random plans), verification through the translation engine, and the
 * reader's errors on cyclic or missing tables.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build.h"
#include "plan.h"
#include "regs.h"
#include "tables.h"
#include "tap.h"
#include "walk.h"

#define K4 0x1000ULL
#define M2 0x200000ULL
#define G1 0x40000000ULL
#define RW (VTD_ACC_R | VTD_ACC_W)

/* ---- making plans -------------------------------------------------------------- */

static void irte_add(struct vtd_plan *p, uint32_t index, uint8_t fill)
{
	p->irtes = realloc(p->irtes, (p->nirtes + 1) * sizeof(*p->irtes));
	memset(&p->irtes[p->nirtes], 0, sizeof(p->irtes[0]));
	p->irtes[p->nirtes].index = index;
	memset(p->irtes[p->nirtes].bytes, fill, 16);
	p->irtes[p->nirtes].bytes[0] = 1;
	p->nirtes++;
}

static struct vtd_braw *raw_add(struct vtd_braw **v, size_t *n, const struct vtd_layout *l,
				const char *field, uint16_t lsb, uint16_t width, uint64_t raw)
{
	*v = realloc(*v, (*n + 1) * sizeof(**v));
	(*v)[*n] = (struct vtd_braw){ .f = field ? vtd_field_find(l, field) : NULL, .lsb = lsb,
				      .width = width, .raw = raw };
	return &(*v)[(*n)++];
}

/* ---- images -------------------------------------------------------------------- */

static uint64_t q64(const struct vtd_image *img, uint64_t pa)
{
	uint64_t v = 0;

	if (pa < img->base || pa - img->base + 8 > img->size)
		return ~0ULL;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | img->bytes[pa - img->base + (uint64_t)i];
	return v;
}

static uint64_t fget(const struct vtd_image *img, uint64_t pa, const struct vtd_layout *l,
		     const char *name)
{
	const struct vtd_field *f = vtd_field_find(l, name);

	if (!f || pa < img->base || pa - img->base + l->size > img->size)
		return ~0ULL;
	return vtd_field_value(f, vtd_field_raw(f, img->bytes + (pa - img->base)));
}

/* The entry at 'level' that translates 'iova' in tables of 'levels' levels at 'top'. */
static uint64_t entry_of(const struct vtd_image *img, int fs, uint64_t top, int levels,
			 uint64_t iova, int level)
{
	uint64_t t = top;

	for (int lv = levels; lv > level; lv--)
		t = fget(img, t + 8 * ((iova >> (12 + 9 * (lv - 1))) & 511),
			 vtd_paging_layout(fs, lv, 0), "ADDR");
	return t + 8 * ((iova >> (12 + 9 * (level - 1))) & 511);
}

static int unit_of(const struct vtd_plan *p, const struct vtd_image *img, struct vtd_unit *u)
{
	memset(u, 0, sizeof(*u));
	if (vtd_mem_open_buffer(&u->mem, NULL) ||
	    vtd_mem_buffer_map(u->mem, img->base, img->bytes, img->size, NULL))
		return -1;
	u->rtaddr = img->rtaddr;
	u->cap = p->cap;
	u->ecap = p->ecap;
	u->haw = p->haw;
	u->enabled = 1;
	return vtd_unit_prepare(u, NULL);
}

static int has_problem(const struct vtd_problems *ps, const char *needle)
{
	for (size_t i = 0; i < ps->n; i++)
		if (strstr(ps->v[i].msg, needle))
			return 1;
	return 0;
}

static void dump_problems(const struct vtd_problems *ps)
{
	for (size_t i = 0; i < ps->n && i < 8; i++)
		printf("#   problem: %s\n", ps->v[i].msg);
}

/* Build, verify through the engine, read back, build again: the same bytes. */
static int roundtrip(const struct vtd_plan *p, const char *name, int quiet)
{
	struct vtd_image a, b;
	struct vtd_problems ps = { 0 };
	struct vtd_error err = { 0 };
	struct vtd_plan q;
	struct vtd_unit u;
	int good = 0;
	long n;

	if (vtd_build(p, &a, &ps, &err)) {
		ok(0, "%s: builds (%s)", name, err.msg);
		dump_problems(&ps);
		vtd_problems_free(&ps);
		return 0;
	}
	unit_of(p, &a, &u);
	n = vtd_plan_verify(p, &u, 0, &ps, &err);
	if (!quiet || ps.n || n <= 0)
		ok(n >= 0 && !ps.n, "%s: verify runs %ld probes, no problem", name, n);
	dump_problems(&ps);
	vtd_problems_free(&ps);
	if (vtd_plan_read(u.mem, a.rtaddr, a.irta, p->cap, p->ecap, p->haw, &q, &err)) {
		ok(0, "%s: reads back (%s)", name, err.msg);
	} else if (vtd_build(&q, &b, &ps, &err)) {
		ok(0, "%s: read-back plan builds (%s)", name, err.msg);
		dump_problems(&ps);
	} else {
		good = b.base == a.base && b.size == a.size && b.rtaddr == a.rtaddr &&
		       b.irta == a.irta && !memcmp(a.bytes, b.bytes, a.size);
		if (!quiet || !good)
			ok(good, "%s: read back and built again: the same bytes", name);
		if (!good)
			printf("#   base %llx/%llx size %zx/%zx rt %llx/%llx\n",
			       (unsigned long long)a.base, (unsigned long long)b.base, a.size, b.size,
			       (unsigned long long)a.rtaddr, (unsigned long long)b.rtaddr);
		vtd_image_free(&b);
	}
	vtd_problems_free(&ps);
	vtd_plan_free(&q);
	vtd_mem_close(u.mem);
	vtd_image_free(&a);
	return good;
}

/* ---- profiles ---------------------------------------------------------------------- */

static void test_profiles(void)
{
	struct vtd_caps c;
	struct vtd_unit u;

	is_str(vtd_profile_at(0)->name, "qemu", "profile 0 is qemu");
	ok(vtd_profile_at(4) == NULL, "four profiles");
	ok(vtd_profile_find("SERVER") == vtd_profile_at(3), "find is case-insensitive");
	ok(vtd_profile_find("nope") == NULL, "unknown profile");
	memset(&u, 0, sizeof(u));
	vtd_unit_qemu_defaults(&u, 0, 39);
	is_u64(vtd_profile_find("qemu")->cap, u.cap, "qemu: QEMU 7.2's CAP");
	is_u64(vtd_profile_find("qemu")->ecap, u.ecap, "qemu: QEMU 7.2's ECAP");
	vtd_caps_of(u.cap, u.ecap, 39, &c);
	ok(c.sagaw == 2 && c.sslps == 3 && !c.sm && c.pt && c.ir && c.nd_bits == 16,
	   "qemu: 39-bit, 2M+1G, PT, IR, 16-bit DIDs");
	memset(&u, 0, sizeof(u));
	vtd_unit_qemu_defaults(&u, 1, 48);
	is_u64(vtd_profile_find("qemu-sm")->ecap, u.ecap, "qemu-sm: QEMU's scalable ECAP");
	vtd_caps_of(u.cap, u.ecap, 48, &c);
	ok(c.sm && c.ssts && c.sagaw == 6 && !c.pasid_bits, "qemu-sm: SM, SSTS, 39+48, no PASID");
	const struct vtd_profile *cl = vtd_profile_find("client"), *sv = vtd_profile_find("server");

	vtd_caps_of(cl->cap, cl->ecap, cl->haw, &c);
	ok(c.sagaw == 6 && c.sslps == 3 && c.pt && c.dt && c.ir && !c.sm && c.haw == 39 &&
	   c.nd_bits == 8, "client: 39+48, 2M+1G, PT DT IR, no SM, HAW 39, 8-bit DIDs");
	vtd_caps_of(sv->cap, sv->ecap, sv->haw, &c);
	ok(c.sagaw == 0xc && c.sm && c.pasid_bits == 20 && c.fs1gp && c.fs5lp && c.nest && c.pt &&
	   c.dt && c.ir && c.ere && c.srs && c.haw == 52 && c.nd_bits == 16 && c.fsts && c.ssts,
	   "server: 48+57, SM, 20-bit PASIDs, FS1GP FS5LP NEST PT DT IR ERS SRS, HAW 52");
	for (unsigned i = 0; vtd_profile_at(i); i++)
		ok(vtd_profile_at(i)->desc && *vtd_profile_at(i)->desc, "profile %s has a description",
		   vtd_profile_at(i)->name);
}

/* ---- hand-checked legacy vector ---------------------------------------------------------- */

static void test_vector(void)
{
	struct vtd_plan p;
	struct vtd_image img;
	struct vtd_problems ps = { 0 };
	int d;

	plan_init(&p, "qemu", 0, 0x100000, 0x100000);
	d = dom_add(&p, 1, VTD_STAGE_SECOND, 3);
	map_add(&p, d, 0, 0x80000000, K4, RW, 0);
	dev_add(&p, 0x0018, VTD_BDEV_TRANSLATE, d);		/* 00:03.0 */
	dev_add(&p, 0x0028, VTD_BDEV_PASSTHROUGH, -1);		/* 00:05.0 */
	dev_add(&p, 0x0030, VTD_BDEV_BLOCKED, -1);		/* 00:06.0 */
	ok(vtd_plan_check(&p, &ps) == 0, "legacy vector: no problems");
	ok(vtd_build(&p, &img, &ps, NULL) == 0, "legacy vector builds");
	is_u64(img.rtaddr, 0x100000, "RTADDR: root at the first page, TTM legacy");
	is_u64(img.irta, 0, "no IRT");
	is_u64(img.npages, 5, "root, context, three levels");
	is_u64(img.size, 5 * K4, "image size");
	is_u64(q64(&img, 0x100000), 0x101001, "root[0] = P | context 0x101000");
	is_u64(q64(&img, 0x100008), 0, "root[0] high qword 0");
	is_u64(q64(&img, 0x100010), 0, "root[1] absent");
	is_u64(q64(&img, 0x101000 + 0x180), 0x102001, "context[0x18] = P | TT 0 | SSPTPTR 0x102000");
	is_u64(q64(&img, 0x101000 + 0x188), 0x101, "context[0x18] = AW 1 (39-bit) | DID 1");
	is_u64(q64(&img, 0x101000 + 0x280), 0x9, "context[0x28] = P | TT 2 (pass-through)");
	is_u64(q64(&img, 0x101000 + 0x288), 0x1, "context[0x28]: AW 39-bit, DID 0");
	is_u64(q64(&img, 0x101000 + 0x300), 0, "context[0x30] (blocked) absent");
	is_u64(q64(&img, 0x102000), 0x103007, "PDPE[0] = R W X | PD 0x103000");
	is_u64(q64(&img, 0x103000), 0x104007, "PDE[0] = R W X | PT 0x104000");
	is_u64(q64(&img, 0x104000), 0x80000003, "PTE[0] = R W | 0x80000000");
	is_u64(q64(&img, 0x104008), 0, "PTE[1] absent");
	ok(img.pages[0].kind == VTD_PG_ROOT && img.pages[1].kind == VTD_PG_CONTEXT &&
	   img.pages[2].kind == VTD_PG_SS && img.pages[2].level == 3 && img.pages[4].level == 1,
	   "page kinds and levels in address order");
	is_u64(img.domain_top[0], 0x102000, "domain top");
	is_u64(img.min_pages, 5, "min pages");
	vtd_image_free(&img);
	vtd_problems_free(&ps);
	roundtrip(&p, "legacy vector", 0);
	vtd_plan_free(&p);
}

/* ---- page sizes ------------------------------------------------------------------------- */

static void test_pages(void)
{
	struct vtd_plan p;
	struct vtd_image img;
	int d;

	plan_init(&p, "qemu", 0, 0x100000, 0x400000);
	d = dom_add(&p, 1, VTD_STAGE_SECOND, 3);
	map_add(&p, d, G1, 0x80000000, G1 + M2 + K4, RW, 0);
	map_add(&p, d, 4 * G1, 0x100000000ULL + K4, M2, VTD_ACC_R, 0);
	dev_add(&p, 0x0100, VTD_BDEV_TRANSLATE, d);
	ok(vtd_build(&p, &img, NULL, NULL) == 0, "auto pages build");
	uint64_t top = img.domain_top[0];

	is_u64(fget(&img, top + 8, &vtd_l_ss_pdpe_1g, "PS"), 1, "1 GiB leaf at PDPE[1]");
	is_u64(fget(&img, top + 8, &vtd_l_ss_pdpe_1g, "ADDR"), 0x80000000, "1 GiB frame");
	uint64_t pd = fget(&img, top + 16, &vtd_l_ss_pdpe, "ADDR");

	is_u64(fget(&img, pd, &vtd_l_ss_pde_2m, "PS"), 1, "then a 2 MiB leaf");
	is_u64(fget(&img, pd, &vtd_l_ss_pde_2m, "ADDR"), 0xc0000000, "2 MiB frame");
	uint64_t pt = fget(&img, pd + 8, &vtd_l_ss_pde, "ADDR");

	is_u64(fget(&img, pt, &vtd_l_ss_pte, "ADDR"), 0xc0200000, "then a 4 KiB leaf");
	is_u64(fget(&img, pt + 8, &vtd_l_ss_pte, "R"), 0, "nothing after the mapping");
	/* pa misaligned for 2M: 512 4 KiB pages. */
	uint64_t pd4 = fget(&img, top + 32, &vtd_l_ss_pdpe, "ADDR");
	uint64_t pt4 = fget(&img, pd4, &vtd_l_ss_pde, "ADDR");

	is_u64(fget(&img, pt4 + 511 * 8, &vtd_l_ss_pte, "ADDR"), 0x100000000ULL + M2,
	       "misaligned pa: 4 KiB pages to the end");
	is_u64(fget(&img, pt4, &vtd_l_ss_pte, "W"), 0, "read-only");
	is_u64(img.npages, 2 + 1 + 2 + 2, "pages: root, context, top, PD+PT, PD+PT");
	vtd_image_free(&img);
	roundtrip(&p, "auto pages", 0);

	/* Forced 4K: more pages than the minimum. */
	p.domains[0].maps[0].page = K4;
	ok(vtd_build(&p, &img, NULL, NULL) == 0, "forced 4K pages build");
	ok(img.npages > img.min_pages && img.min_pages == 7, "min_pages %zu < pages %zu",
	   img.min_pages, img.npages);
	vtd_image_free(&img);
	roundtrip(&p, "forced 4K", 0);

	/* A profile without large second-stage pages. */
	uint8_t b[8];
	const struct vtd_field *f = vtd_field_find(&vtd_l_reg_cap, "SSLPS");

	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(p.cap >> (8 * i));
	vtd_field_set_raw(f, b, 0, NULL);
	p.cap = 0;
	for (int i = 7; i >= 0; i--)
		p.cap = p.cap << 8 | b[i];
	p.domains[0].maps[0].page = 0;
	ok(vtd_build(&p, &img, NULL, NULL) == 0, "no SSLPS builds");
	is_u64(fget(&img, img.domain_top[0] + 8, &vtd_l_ss_pdpe, "PS"), 0, "no 1 GiB leaf");
	ok(img.npages > 500, "4 KiB pages only: %zu pages", img.npages);
	vtd_image_free(&img);
	vtd_plan_free(&p);
}

/* ---- dedup ------------------------------------------------------------------------------- */

static void test_dedup(void)
{
	struct vtd_plan p;
	struct vtd_image a, b;
	size_t shared = 0;

	plan_init(&p, "qemu", 0, 0x100000, 0x100000);
	for (int i = 0; i < 3; i++) {
		int d = dom_add(&p, (uint16_t)(i + 1), VTD_STAGE_SECOND, 3);

		map_add(&p, d, 0, 0x80000000, 16 * K4, RW, 0);
		map_add(&p, d, G1, 0x90000000, K4, VTD_ACC_R, 0);
		map_add(&p, d, 2 * G1 + (uint64_t)i * K4, 0xa0000000, K4, VTD_ACC_R, 0);
		dev_add(&p, (uint16_t)(0x100 + 8 * i), VTD_BDEV_TRANSLATE, d);
	}
	ok(vtd_build(&p, &a, NULL, NULL) == 0, "without dedup");
	p.dedup = 1;
	ok(vtd_build(&p, &b, NULL, NULL) == 0, "with dedup");
	ok(b.npages < a.npages, "dedup saves pages: %zu < %zu", b.npages, a.npages);
	/* Per domain: top, 3 PDs; PT at 0 and 1G shared; PT at 2G differs. */
	is_u64(a.npages - b.npages, 8, "two domains' two PD+PT pairs shared");
	for (size_t i = 0; i < b.npages; i++)
		shared += b.pages[i].shared > 1;
	is_u64(shared, 4, "four pages shared, as the map says");
	ok(b.min_pages == b.npages, "dedup and auto pages: min_pages = pages");
	ok(a.min_pages == b.npages, "without dedup min_pages counts as if on");
	vtd_image_free(&a);
	vtd_image_free(&b);
	roundtrip(&p, "dedup", 0);
	vtd_plan_free(&p);
}

/* ---- plan_check: every problem ------------------------------------------------------------ */

struct bad {
	const char *what, *needle;
};

static void check_one(struct vtd_plan *p, const char *what, const char *needle)
{
	struct vtd_problems ps = { 0 };
	struct vtd_image img;
	size_t n = vtd_plan_check(p, &ps);

	ok(n >= 1 && has_problem(&ps, needle), "check: %s", what);
	if (!has_problem(&ps, needle))
		dump_problems(&ps);
	ok(vtd_build(p, &img, NULL, NULL) == -VTD_EINVAL, "build refuses: %s", what);
	vtd_problems_free(&ps);
}

static void base_plan(struct vtd_plan *p, const char *profile, int scalable)
{
	int d;

	plan_init(p, profile, scalable, 0x100000, 0x100000);
	d = dom_add(p, 1, VTD_STAGE_SECOND, 0);
	map_add(p, d, 0, 0x80000000, M2, RW, 0);
	map_add(p, d, G1, 0x90000000, K4, RW, 0);
	dev_add(p, 0x0018, VTD_BDEV_TRANSLATE, d);
}

#define CASE(profile, sm, stmt, what, needle) do { \
	struct vtd_plan p_; \
	base_plan(&p_, profile, sm); \
	{ struct vtd_plan *p = &p_; stmt; } \
	check_one(&p_, what, needle); \
	vtd_plan_free(&p_); \
} while (0)

static void test_check(void)
{
	struct vtd_plan base;
	struct vtd_problems ps = { 0 };

	base_plan(&base, "qemu", 0);
	ok(vtd_plan_check(&base, &ps) == 0, "the base plan is fine");
	vtd_plan_free(&base);
	CASE("qemu", 0, p->domains[0].maps[0].iova = 0x800, "misaligned iova", "4 KiB");
	CASE("qemu", 0, p->domains[0].maps[0].size = 0, "empty mapping", "4 KiB");
	CASE("qemu", 0, p->domains[0].maps[1].iova = K4, "overlap", "overlaps");
	CASE("qemu", 0, p->domains[0].maps[1].iova = 1ULL << 39, "beyond the input width",
	     "input");
	CASE("qemu", 0, p->domains[0].maps[1].pa = 1ULL << 39, "beyond HAW", "host address width");
	CASE("qemu", 0, p->domains[0].maps[0].page = 3 * K4, "odd page size", "not 4K");
	CASE("qemu", 0, (p->domains[0].maps[0].page = G1, p->domains[0].maps[0].size = G1,
			 p->domains[0].maps[0].pa = 0x80200000),
	     "page misaligned", "multiples");
	CASE("qemu", 0, p->domains[0].maps[1].page = M2, "forced page beyond the size",
	     "multiples");
	CASE("qemu", 0, p->domains[0].maps[0].perm = 0, "no rights", "no access rights");
	CASE("qemu", 0, p->domains[0].maps[0].user = 1, "user on second stage", "first-stage");
	CASE("qemu", 0, p->domains[0].maps[0].snoop = 1, "snoop without SC", "snoop control");
	CASE("qemu", 0, p->domains[0].levels = 4, "levels SAGAW lacks", "SAGAW");
	CASE("client", 0, p->domains[0].did = 300, "DID beyond ND", "beyond ND");
	CASE("qemu", 0, dev_add(p, 0x0018, VTD_BDEV_TRANSLATE, 0), "duplicate device", "duplicate");
	CASE("qemu", 0, p->devices[0].domain = 5, "domain out of range", "not a domain");
	CASE("qemu", 0, p->devices[0].devtlb = 1, "device-TLB without DT", "device-TLBs");
	CASE("qemu", 0, (p->ecap &= ~(1ULL << 6), dev_add(p, 0x28, VTD_BDEV_PASSTHROUGH, -1)),
	     "pass-through without PT", "pass-through");
	CASE("qemu", 1, (void)p, "scalable without SMTS", "scalable mode");
	CASE("qemu", 0, (irte_add(p, 0, 1), p->ecap &= ~(1ULL << 3)), "IRT without IR",
	     "interrupt remapping");
	CASE("qemu", 0, (irte_add(p, 4, 1), p->irt_size_auto = 0, p->irt_size_log2 = 0),
	     "IRTE beyond the table", "beyond the table");
	CASE("qemu", 0, (irte_add(p, 4, 1), irte_add(p, 4, 1)), "duplicate IRTE", "duplicate");
	CASE("qemu", 0, raw_add(&p->domains[0].maps[0].raw, &p->domains[0].maps[0].nraw,
				&vtd_l_ss_pte, "EMT", 0, 0, 9), "raw value too wide", "does not fit");
	CASE("qemu", 0, raw_add(&p->devices[0].raw, &p->devices[0].nraw, NULL, NULL, 126, 4, 1),
	     "raw run outside the entry", "outside");
	CASE("qemu", 0, raw_add(&p->devices[0].raw, &p->devices[0].nraw, &vtd_l_pasid_entry,
				"PGTT", 0, 0, 1), "raw field of another layout", "no field");
	CASE("qemu", 0, p->base = 0x100800, "placement misaligned", "placement");
	CASE("qemu", 0, (p->exclude = calloc(1, sizeof(*p->exclude)), p->nexclude = 1,
			 p->exclude[0].base = 0x100100, p->exclude[0].size = K4),
	     "exclusion misaligned", "excluded");
	CASE("qemu", 0, pasid_add(&p->devices[0], 1, VTD_PGTT_PT, -1, -1, 0),
	     "PASIDs in legacy mode", "scalable mode");
	CASE("qemu", 0, p->domains[0].stage = VTD_STAGE_FIRST, "first stage in legacy mode",
	     "first-stage");
	/* Scalable-mode problems, on the server profile. */
	CASE("server", 1, pasid_add(&p->devices[0], 5, VTD_PGTT_FIRST, -1, 0, 2),
	     "fs_domain of the wrong stage", "second-stage domain");
	CASE("server", 1, pasid_add(&p->devices[0], 5, 9, -1, -1, 2), "bad PGTT", "PGTT");
	CASE("server", 1, (pasid_add(&p->devices[0], 5, VTD_PGTT_PT, -1, -1, 2),
			   pasid_add(&p->devices[0], 5, VTD_PGTT_PT, -1, -1, 2)),
	     "duplicate PASID", "duplicate");
	CASE("server", 1, (p->devices[0].pdts_auto = 0, p->devices[0].pdts = 0,
			   pasid_add(&p->devices[0], 1 << 14, VTD_PGTT_PT, -1, -1, 2)),
	     "PASID beyond the directory", "directory");
	CASE("server", 1, pasid_add(&p->devices[0], 0, VTD_PGTT_PT, -1, -1, 2),
	     "RID_PASID twice", "RID_PASID");
	CASE("server", 1, (p->ecap &= ~(1ULL << 26), dom_add(p, 0, VTD_STAGE_FIRST, 4),
			   pasid_add(&p->devices[0], 3, VTD_PGTT_NESTED, 0, 1, 0)),
	     "nesting without NEST", "NEST");
	CASE("server", 1, (dom_add(p, 0, VTD_STAGE_FIRST, 3)), "3-level first stage",
	     "first-stage tables have 4 levels");
	CASE("server", 1, (dom_add(p, 0, VTD_STAGE_FIRST, 4), map_add(p, 1, 0, 0, K4, VTD_ACC_W, 0),
			   pasid_add(&p->devices[0], 3, VTD_PGTT_FIRST, -1, 1, 0)),
	     "first stage without read", "always readable");
	CASE("qemu-sm", 1, pasid_add(&p->devices[0], 3, VTD_PGTT_PT, -1, -1, 0),
	     "PASID without ECAP.PASID", "ECAP.PASID");
	CASE("server", 1, (p->ecap &= ~(1ULL << 31), p->devices[0].domain = -1, pasid_add(&p->devices[0], 0,
				VTD_PGTT_SECOND, 0, -1, 0)->sre = 1), "SRE without SRS", "SRS");
}

/* ---- overflow and exclusions ----------------------------------------------------------------- */

static void test_region(void)
{
	struct vtd_plan p;
	struct vtd_image img;
	struct vtd_problems ps = { 0 };
	struct vtd_error err = { 0 };

	base_plan(&p, "qemu", 0);
	p.size = 3 * K4;
	ok(vtd_build(&p, &img, &ps, &err) == -VTD_ERANGE, "overflow: -VTD_ERANGE");
	ok(has_problem(&ps, "need 6 pages") || has_problem(&ps, "needs 6 pages") ||
	   has_problem(&ps, "tables need 6 pages, the region holds 3"),
	   "overflow: 'need 6 pages, the region holds 3'");
	dump_problems(&ps);
	vtd_problems_free(&ps);

	p.size = 0x100000;
	p.exclude = calloc(2, sizeof(*p.exclude));
	p.nexclude = 2;
	p.exclude[0] = (struct vtd_brange){ .base = 0x101000, .size = 2 * K4 };
	p.exclude[1] = (struct vtd_brange){ .base = 0x105000, .size = K4 };
	ok(vtd_build(&p, &img, &ps, &err) == 0, "exclusions build");
	ok(img.pages[0].pa == 0x100000 && img.pages[1].pa == 0x103000 &&
	   img.pages[2].pa == 0x104000 && img.pages[3].pa == 0x106000,
	   "excluded pages skipped: root 0x100000, context 0x103000, 0x104000, 0x106000");
	is_u64(q64(&img, 0x101000), 0, "excluded page untouched");
	vtd_image_free(&img);
	roundtrip(&p, "exclusions", 0);
	p.size = 5 * K4;
	ok(vtd_build(&p, &img, &ps, &err) == -VTD_ERANGE, "exclusions shrink the region");
	ok(has_problem(&ps, "holds 3"), "region holds 3 pages after exclusions");
	vtd_problems_free(&ps);
	vtd_plan_free(&p);
}

/* ---- scalable mode -------------------------------------------------------------------------- */

static void scalable_plan(struct vtd_plan *p)
{
	int ss, fs, ss2;
	struct vtd_bdevice *d;

	plan_init(p, "server", 1, 0x200000, 0x400000);
	ss = dom_add(p, 5, VTD_STAGE_SECOND, 4);
	map_add(p, ss, 0, 0x80000000, 64 * K4, RW, 0);
	map_add(p, ss, 0x10000000, 0x90000000, M2, VTD_ACC_R, 0);
	/* Guest-physical pages the first stage maps to. */
	map_add(p, ss, 0x40000000, 0xa0000000, 16 * K4, RW, 0);
	fs = dom_add(p, 0, VTD_STAGE_FIRST, 4);
	map_add(p, fs, 0x1000, 0x40000000, 4 * K4, RW | VTD_ACC_X, 0)->user = 1;
	map_add(p, fs, 0x100000, 0x40008000, K4, VTD_ACC_R, 0);
	ss2 = dom_add(p, 7, VTD_STAGE_SECOND, 5);
	map_add(p, ss2, 0x5000, 0x70000000, K4, RW, 0);
	d = dev_add(p, 0x0040, VTD_BDEV_TRANSLATE, ss);
	pasid_add(d, 1, VTD_PGTT_FIRST, -1, fs, 9)->sre = 1;
	pasid_add(d, 2, VTD_PGTT_NESTED, ss, fs, 0);
	pasid_add(d, 3, VTD_PGTT_SECOND, ss2, -1, 0);
	pasid_add(d, 4, VTD_PGTT_PT, -1, -1, 10);
	pasid_add(d, 200, VTD_PGTT_SECOND, ss, -1, 0);
	dev_add(p, 0x0048, VTD_BDEV_PASSTHROUGH, -1);
	dev_add(p, 0x0081, VTD_BDEV_TRANSLATE, ss2)->devtlb = 1;
}

static void test_scalable(void)
{
	struct vtd_plan p;
	struct vtd_image img;
	struct vtd_problems ps = { 0 };
	struct vtd_error err = { 0 };
	struct vtd_unit u;
	struct vtd_translation t;

	scalable_plan(&p);
	ok(vtd_plan_check(&p, &ps) == 0, "scalable plan: no problems");
	dump_problems(&ps);
	if (vtd_build(&p, &img, &ps, &err)) {
		ok(0, "scalable plan builds: %s", err.msg);
		dump_problems(&ps);
		vtd_plan_free(&p);
		return;
	}
	ok(1, "scalable plan builds");
	is_u64(img.rtaddr, 0x200000 | 1 << 10, "RTADDR: TTM scalable");
	/* Root, lower context (bus 0), upper context, dir of 0x40 (PDTS 0: one page), 2 PASID
	 * tables; dir of 0x48, its table; dir of 0x81, its table. */
	ok(img.pages[1].kind == VTD_PG_CONTEXT && !img.pages[1].upper &&
	   img.pages[2].kind == VTD_PG_CONTEXT && img.pages[2].upper, "lower, then upper context");
	ok(img.pages[3].kind == VTD_PG_PASID_DIR && img.pages[3].device == 0 &&
	   img.pages[4].kind == VTD_PG_PASID_TABLE && img.pages[4].pasid == 0 &&
	   img.pages[5].kind == VTD_PG_PASID_TABLE && img.pages[5].pasid == 192,
	   "device 0: directory, PASID tables 0 and 192");
	uint64_t ctx = 0x201000 + 32 * 0x40, dir = img.pages[3].pa, pt0 = img.pages[4].pa;

	is_u64(fget(&img, 0x200000, &vtd_l_root_sm, "LCTP"), 0x201000, "root: lower");
	is_u64(fget(&img, 0x200000, &vtd_l_root_sm, "UCTP"), 0x202000, "root: upper");
	is_u64(fget(&img, ctx, &vtd_l_context_sm, "PASIDDIRPTR"), dir, "context: directory");
	is_u64(fget(&img, ctx, &vtd_l_context_sm, "PASIDE"), 1, "context: PASIDE");
	is_u64(fget(&img, ctx, &vtd_l_context_sm, "PDTS"), 128, "context: PDTS 128 entries");
	is_u64(fget(&img, 0x202000 + 32, &vtd_l_context_sm, "DTE"), 1, "devtlb: DTE");
	is_u64(fget(&img, dir, &vtd_l_pasid_dir, "SMPTBLPTR"), pt0, "dir[0]");
	is_u64(fget(&img, dir + 24, &vtd_l_pasid_dir, "SMPTBLPTR"), img.pages[5].pa, "dir[3]");
	is_u64(fget(&img, pt0, &vtd_l_pasid_entry, "PGTT"), 2, "RID_PASID: second stage");
	is_u64(fget(&img, pt0, &vtd_l_pasid_entry, "DID"), 5, "RID_PASID: DID of the domain");
	is_u64(fget(&img, pt0, &vtd_l_pasid_entry, "SSPTPTR"), img.domain_top[0], "SSPTPTR");
	is_u64(fget(&img, pt0, &vtd_l_pasid_entry, "AW"), 2, "AW 48-bit (4 levels)");
	is_u64(fget(&img, pt0 + 64, &vtd_l_pasid_entry, "PGTT"), 1, "PASID 1: first stage");
	is_u64(fget(&img, pt0 + 64, &vtd_l_pasid_entry, "FSPTPTR"), img.domain_top[1], "FSPTPTR");
	is_u64(fget(&img, pt0 + 64, &vtd_l_pasid_entry, "DID"), 9, "PASID 1: its DID");
	is_u64(fget(&img, pt0 + 64, &vtd_l_pasid_entry, "SRE"), 1, "PASID 1: SRE");
	is_u64(fget(&img, pt0 + 128, &vtd_l_pasid_entry, "PGTT"), 3, "PASID 2: nested");
	is_u64(fget(&img, pt0 + 128, &vtd_l_pasid_entry, "SSPTPTR"), img.domain_top[0],
	       "nested: SSPTPTR");
	is_u64(fget(&img, pt0 + 128, &vtd_l_pasid_entry, "FSPTPTR"), img.domain_top[1],
	       "nested: FSPTPTR");
	is_u64(fget(&img, pt0 + 192, &vtd_l_pasid_entry, "AW"), 3, "PASID 3: 5-level domain");
	is_u64(fget(&img, pt0 + 256, &vtd_l_pasid_entry, "PGTT"), 4, "PASID 4: pass-through");
	is_u64(fget(&img, pt0 + 256, &vtd_l_pasid_entry, "DID"), 10, "PASID 4: DID 10");
	ok(img.domain_top[1] < img.domain_top[0], "the nested first stage is built first");
	/* First-stage leaves: US, XD. */
	uint64_t fpt = img.domain_top[1];

	for (int lv = 4; lv > 1; lv--)
		fpt = fget(&img, fpt, vtd_paging_layout(1, lv, 0), "ADDR");
	is_u64(fget(&img, fpt + 8, &vtd_l_fs_pte, "US"), 1, "user page: US");
	is_u64(fget(&img, fpt + 8, &vtd_l_fs_pte, "XD"), 0, "executable page: no XD");
	is_u64(fget(&img, fpt + 8, &vtd_l_fs_pte, "A"), 0, "A left 0");

	unit_of(&p, &img, &u);
	/* The nested walk reads the first-stage tables through the second stage. */
	struct vtd_request rq = { .sid = 0x40, .has_pasid = 1, .pasid = 2, .addr = 0x1000,
				  .access = VTD_ACC_R };

	ok(vtd_translate(&u, &rq, &t, NULL) == 0 && !t.fault && t.out == 0xa0000000,
	   "nested: 0x1000 -> gpa 0x40000000 -> 0xa0000000 (fault 0x%x, out 0x%llx)", t.fault,
	   (unsigned long long)t.out);
	size_t ident = 0;

	for (size_t i = 0; i < p.domains[0].nmaps; i++)
		ident += p.domains[0].maps[i].iova == p.domains[0].maps[i].pa;
	ok(ident == 0, "the plan itself is unchanged by the identity mappings");
	rq = (struct vtd_request){ .sid = 0x40, .addr = img.domain_top[1] + 8, .access = VTD_ACC_R };
	ok(vtd_translate(&u, &rq, &t, NULL) == 0 && !t.fault && t.out == rq.addr,
	   "the first-stage top page is mapped identity in the second stage");
	long n = vtd_plan_verify(&p, &u, 0, &ps, &err);

	ok(n > 20 && ps.n == 0, "scalable: verify %ld probes, %zu problems", n, ps.n);
	dump_problems(&ps);
	vtd_problems_free(&ps);
	vtd_mem_close(u.mem);
	vtd_image_free(&img);
	roundtrip(&p, "scalable, all PGTTs, nested", 0);
	p.dedup = 1;
	roundtrip(&p, "scalable with dedup", 0);
	/* A first-stage table page the second stage maps elsewhere. */
	map_add(&p, 0, 0x100000000ULL, 0xb0000000, K4, RW, 0);
	p.domains[0].maps[p.domains[0].nmaps - 1].iova = 0x200000;
	p.domains[0].maps[p.domains[0].nmaps - 1].size = 0x400000;
	/* keep it sorted: move the new one to its place */
	struct vtd_bdomain *d0 = &p.domains[0];
	struct vtd_bmap m = d0->maps[d0->nmaps - 1];

	memmove(&d0->maps[2], &d0->maps[1], (d0->nmaps - 2) * sizeof(m));
	d0->maps[1] = m;
	ok(vtd_build(&p, &img, &ps, &err) == -VTD_EINVAL && has_problem(&ps, "not identity"),
	   "nested: a first-stage page mapped non-identity is a problem");
	vtd_problems_free(&ps);
	vtd_plan_free(&p);
}

/* ---- IRT and raw fields --------------------------------------------------------------------- */

static void test_irt_raw(void)
{
	struct vtd_plan p;
	struct vtd_image img;
	struct vtd_bmap *m;

	base_plan(&p, "client", 0);
	irte_add(&p, 0, 0x11);
	irte_add(&p, 5, 0x22);
	irte_add(&p, 9, 0x33);
	p.irt_eime = 1;
	m = &p.domains[0].maps[1];
	raw_add(&m->raw, &m->nraw, &vtd_l_ss_pte, "TM", 0, 0, 1);
	raw_add(&m->raw, &m->nraw, NULL, NULL, 52, 2, 3);
	raw_add(&p.devices[0].raw, &p.devices[0].nraw, &vtd_l_context_legacy, "FPD", 0, 0, 1);
	raw_add(&p.devices[0].raw, &p.devices[0].nraw, NULL, NULL, 100, 3, 5);
	ok(vtd_build(&p, &img, NULL, NULL) == 0, "IRT and raw fields build");
	uint64_t irt = img.pages[img.npages - 1].pa;

	ok(img.pages[img.npages - 1].kind == VTD_PG_IRT, "the IRT is the last page");
	uint8_t r[8];

	for (int i = 0; i < 8; i++)
		r[i] = (uint8_t)(img.irta >> (8 * i));
	is_u64(vtd_field_raw(vtd_field_find(&vtd_l_reg_irta, "S"), r), 3, "IRTA.S 3: 16 entries");
	is_u64(vtd_field_raw(vtd_field_find(&vtd_l_reg_irta, "EIME"), r), 1, "IRTA.EIME");
	is_u64(vtd_field_value(vtd_field_find(&vtd_l_reg_irta, "IRTA"),
			       vtd_field_raw(vtd_field_find(&vtd_l_reg_irta, "IRTA"), r)), irt,
	       "IRTA address");
	is_u64(q64(&img, irt + 16 * 5 + 8), 0x2222222222222222ULL, "IRTE 5 at its index");
	is_u64(q64(&img, irt + 16 * 9), 0x3333333333333301ULL, "IRTE 9 at its index");
	is_u64(q64(&img, irt + 16 * 1), 0, "IRTE 1 empty");
	uint64_t ctx = img.pages[1].pa + 0x180;

	is_u64(fget(&img, ctx, &vtd_l_context_legacy, "FPD"), 1, "context raw FPD");
	is_u64((q64(&img, ctx + 8) >> 36) & 7, 5, "context raw reserved bits 102:100");
	is_u64(fget(&img, ctx, &vtd_l_context_legacy, "DID"), 1, "context DID still there");
	uint64_t pt = entry_of(&img, 0, img.domain_top[0], 4, G1, 1);

	is_u64(fget(&img, pt, &vtd_l_ss_pte, "TM"), 1, "leaf raw TM");
	is_u64((q64(&img, pt) >> 52) & 3, 3, "leaf raw bits 53:52");
	is_u64(fget(&img, pt, &vtd_l_ss_pte, "ADDR"), 0x90000000, "leaf address intact");
	vtd_image_free(&img);
	roundtrip(&p, "IRT and raw fields", 0);
	vtd_plan_free(&p);
}

/* ---- verify after corruption; reader errors ------------------------------------------------------ */

static void test_verify_read(void)
{
	struct vtd_plan p, q;
	struct vtd_image img;
	struct vtd_problems ps = { 0 };
	struct vtd_error err = { 0 };
	struct vtd_unit u;
	uint8_t b[8];
	long n;

	base_plan(&p, "qemu", 0);
	vtd_build(&p, &img, NULL, NULL);
	unit_of(&p, &img, &u);
	n = vtd_plan_verify(&p, &u, 0, &ps, &err);
	ok(n > 0 && ps.n == 0, "verify passes: %ld probes", n);
	/* Corrupt the 4 KiB leaf: clear W. */
	uint64_t top = img.domain_top[0];
	uint64_t pd = fget(&img, top + 8, &vtd_l_ss_pdpe, "ADDR");
	uint64_t pt = fget(&img, pd, &vtd_l_ss_pde, "ADDR");

	vtd_mem_read(u.mem, pt, b, 8, NULL);
	vtd_field_set_raw(vtd_field_find(&vtd_l_ss_pte, "W"), b, 0, NULL);
	vtd_mem_write(u.mem, pt, b, 8, NULL);
	n = vtd_plan_verify(&p, &u, 0, &ps, &err);
	ok(n > 0 && ps.n == 1 && has_problem(&ps, "write"), "verify finds the cleared W: %s",
	   ps.n ? ps.v[0].msg : "-");
	vtd_problems_free(&ps);
	/* Point it elsewhere. */
	vtd_field_set_raw(vtd_field_find(&vtd_l_ss_pte, "W"), b, 1, NULL);
	vtd_field_set_raw(vtd_field_find(&vtd_l_ss_pte, "ADDR"), b, 0x12345, NULL);
	vtd_mem_write(u.mem, pt, b, 8, NULL);
	n = vtd_plan_verify(&p, &u, 0, &ps, &err);
	ok(ps.n >= 1 && has_problem(&ps, "the plan says 0x90000000"), "verify finds the moved page");
	vtd_problems_free(&ps);

	/* A cycle: the PD entry points back to the top table. */
	vtd_mem_read(u.mem, pd, b, 8, NULL);
	vtd_field_set_raw(vtd_field_find(&vtd_l_ss_pde, "ADDR"), b, top >> 12, NULL);
	vtd_mem_write(u.mem, pd, b, 8, NULL);
	vtd_field_set_raw(vtd_field_find(&vtd_l_ss_pde, "ADDR"), b, pd >> 12, NULL);
	vtd_mem_write(u.mem, pd + 8, b, 8, NULL);
	ok(vtd_plan_read(u.mem, img.rtaddr, 0, p.cap, p.ecap, p.haw, &q, &err) == -VTD_EFORMAT,
	   "cyclic tables: -VTD_EFORMAT");
	ok(strstr(err.msg, "cycle") != NULL && err.has_addr, "the error names the cycle: %s",
	   err.msg);
	ok(q.ndomains == 0 && q.devices == NULL, "nothing returned");
	/* Out of range: the context table pointer beyond the source. */
	vtd_mem_read(u.mem, img.base, b, 8, NULL);
	vtd_field_set_raw(vtd_field_find(&vtd_l_root_legacy, "CTP"), b, 0x7000000, NULL);
	vtd_mem_write(u.mem, img.base, b, 8, NULL);
	memset(&err, 0, sizeof(err));
	ok(vtd_plan_read(u.mem, img.rtaddr, 0, p.cap, p.ecap, p.haw, &q, &err) == -VTD_EUNMAPPED,
	   "context table outside memory: -VTD_EUNMAPPED");
	ok(err.has_addr && err.addr == 0x7000000000ULL && strstr(err.where, "0x7000000000") &&
	   strstr(err.where, "root-legacy") && strstr(err.msg, "context table"),
	   "the error names the address, the path and the table: %s: %s", err.where, err.msg);
	ok(vtd_plan_read(u.mem, img.rtaddr | 2 << 10, 0, p.cap, p.ecap, p.haw, &q, &err) < 0,
	   "TTM 2 is refused");
	vtd_mem_close(u.mem);
	vtd_image_free(&img);
	vtd_plan_free(&p);
}

/* ---- foreign tables: scattered pages --------------------------------------------------------------- */

static void test_foreign(void)
{
	struct vtd_plan p, q;
	struct vtd_image img, img2;
	struct vtd_error err = { 0 };
	struct vtd_problems ps = { 0 };
	struct vtd_unit u, u2;

	/* Tables with gaps between pages (exclusions), as a kernel leaves them. */
	base_plan(&p, "qemu", 0);
	p.exclude = calloc(3, sizeof(*p.exclude));
	p.nexclude = 3;
	p.exclude[0] = (struct vtd_brange){ .base = 0x101000, .size = 0x10000 };
	p.exclude[1] = (struct vtd_brange){ .base = 0x113000, .size = 0x3000 };
	p.exclude[2] = (struct vtd_brange){ .base = 0x117000, .size = 0x1000 };
	vtd_build(&p, &img, NULL, NULL);
	unit_of(&p, &img, &u);
	ok(vtd_plan_read(u.mem, img.rtaddr, 0, p.cap, p.ecap, p.haw, &q, &err) == 0,
	   "scattered tables read");
	ok(q.nexclude == 3, "three gaps become exclusions (%zu)", q.nexclude);
	/* Build elsewhere: the same translations. */
	q.base = 0x800000;
	q.size = 0x100000;
	q.nexclude = 0;
	ok(vtd_build(&q, &img2, NULL, &err) == 0, "built elsewhere");
	unit_of(&q, &img2, &u2);
	ok(vtd_plan_verify(&p, &u2, 0, &ps, &err) > 0 && ps.n == 0,
	   "the original plan verifies on the tables built elsewhere");
	vtd_problems_free(&ps);
	vtd_mem_close(u2.mem);
	vtd_image_free(&img2);
	vtd_plan_free(&q);

	/* Linux's habits: upper levels R|W without X, leaves with A and D set. */
	uint64_t top = img.domain_top[0];
	uint64_t e1 = entry_of(&img, 0, top, 3, G1, 3), e2 = entry_of(&img, 0, top, 3, G1, 2);
	uint64_t leafpa = entry_of(&img, 0, top, 3, G1, 1);
	uint8_t b[8];

	for (int k = 0; k < 2; k++) {
		uint64_t at = k ? e2 : e1;

		vtd_mem_read(u.mem, at, b, 8, NULL);
		vtd_field_set_raw(vtd_field_find(&vtd_l_ss_pde, "X"), b, 0, NULL);
		vtd_mem_write(u.mem, at, b, 8, NULL);
	}
	vtd_mem_read(u.mem, leafpa, b, 8, NULL);
	vtd_field_set_raw(vtd_field_find(&vtd_l_ss_pte, "A"), b, 1, NULL);
	vtd_field_set_raw(vtd_field_find(&vtd_l_ss_pte, "D"), b, 1, NULL);
	vtd_mem_write(u.mem, leafpa, b, 8, NULL);
	ok(vtd_plan_read(u.mem, img.rtaddr, 0, p.cap, p.ecap, p.haw, &q, &err) == 0,
	   "Linux-style tables read");
	ok(q.ndomains == 1 && q.domains[0].nmaps == 2 && q.domains[0].maps[1].nraw == 2,
	   "A and D come back as raw fields of the leaf");
	q.base = 0x800000;
	q.size = 0x100000;
	q.nexclude = 0;
	ok(vtd_build(&q, &img2, NULL, &err) == 0, "Linux-style plan built elsewhere");
	unit_of(&q, &img2, &u2);
	ok(vtd_plan_verify(&p, &u2, 0, &ps, &err) > 0 && ps.n == 0,
	   "and it translates as the plan says");
	vtd_problems_free(&ps);
	vtd_mem_close(u.mem);
	vtd_mem_close(u2.mem);
	vtd_image_free(&img);
	vtd_image_free(&img2);
	vtd_plan_free(&q);
	vtd_plan_free(&p);
}

/* ---- random plans -------------------------------------------------------------------------------- */

static uint64_t rs = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return rs;
}

static void random_maps(struct vtd_plan *p, int d, int fs)
{
	uint64_t iova = (rnd() % 4) * G1 + (rnd() % 16) * M2;
	unsigned n = 1 + (unsigned)(rnd() % 12);

	for (unsigned i = 0; i < n; i++) {
		uint64_t size, pa;
		unsigned kind = (unsigned)(rnd() % 8);
		unsigned perm = fs ? VTD_ACC_R | (rnd() & 1 ? VTD_ACC_W : 0) | (rnd() & 1 ? VTD_ACC_X : 0)
				   : (unsigned[]){ VTD_ACC_R, VTD_ACC_W, RW }[rnd() % 3];

		if (kind == 0) {	/* 2 MiB aligned, large */
			iova = (iova + M2 - 1) & ~(M2 - 1);
			size = (1 + rnd() % 3) * M2 + (rnd() & 1 ? K4 * (rnd() % 4) : 0);
			pa = (0x100000000ULL + (rnd() % 64) * M2);
		} else if (kind == 1 && p->cap) {	/* 1 GiB aligned */
			iova = (iova + G1 - 1) & ~(G1 - 1);
			size = G1 + (rnd() % 2) * M2;
			pa = (4 + rnd() % 8) * G1;	/* clear of the interrupt range */
		} else {
			size = (1 + rnd() % 20) * K4;
			pa = 0x80000000ULL + (rnd() % 4096) * K4;
		}
		struct vtd_bmap *m = map_add(p, d, iova, pa, size, perm, 0);

		if (fs)
			m->user = rnd() & 1;
		if (rnd() % 5 == 0)
			m->page = K4;
		iova += size + (rnd() % 3) * K4 + (rnd() % 2) * M2;
	}
}

static void random_plan(struct vtd_plan *p, int scalable)
{
	unsigned nd = 1 + (unsigned)(rnd() % 3);

	plan_init(p, scalable ? "server" : "qemu", scalable, 0x1000000, 0x1000000);
	p->dedup = rnd() % 3 == 0;
	for (unsigned i = 0; i < nd; i++) {
		int d = dom_add(p, (uint16_t)(1 + i), VTD_STAGE_SECOND, 0);

		random_maps(p, d, 0);
	}
	int fsd = -1;

	if (scalable) {
		fsd = dom_add(p, 0, VTD_STAGE_FIRST, 4);
		random_maps(p, fsd, 1);
	}
	uint16_t sid = (uint16_t)(rnd() % 64);

	for (unsigned i = 0; i < nd + 2; i++) {
		int dom = (int)(i < nd ? i : rnd() % nd);
		unsigned k = (unsigned)(rnd() % 6);
		struct vtd_bdevice *d = dev_add(p, sid, k == 0 ? VTD_BDEV_PASSTHROUGH :
						k == 1 ? VTD_BDEV_BLOCKED : VTD_BDEV_TRANSLATE,
						k < 2 && i >= nd ? -1 : dom);

		if (d->kind != VTD_BDEV_TRANSLATE && i < nd)
			d->kind = VTD_BDEV_TRANSLATE;
		if (d->kind == VTD_BDEV_PASSTHROUGH)
			d->domain = -1;
		if (scalable && i == 0) {
			pasid_add(d, 1 + (uint32_t)(rnd() % 60), VTD_PGTT_FIRST, -1, fsd, 3);
			pasid_add(d, 100 + (uint32_t)(rnd() % 100), VTD_PGTT_PT, -1, -1, 4);
			pasid_add(d, 300, VTD_PGTT_SECOND, dom, -1, 0);
		}
		sid = (uint16_t)(sid + 1 + rnd() % 300);
		if (sid < d->sid)
			break;
	}
	if (rnd() % 3 == 0)
		irte_add(p, (uint32_t)(rnd() % 300), 0x5a);
}

static void test_random(void)
{
	unsigned good = 0, n = 60;

	for (unsigned i = 0; i < n; i++) {
		struct vtd_plan p;
		char name[64];

		random_plan(&p, (int)(i & 1));
		snprintf(name, sizeof(name), "random plan %u (%s)", i, i & 1 ? "scalable" : "legacy");
		good += (unsigned)roundtrip(&p, name, 1);
		vtd_plan_free(&p);
	}
	ok(good == n, "%u of %u random plans round-trip byte for byte and verify", good, n);
}

/* ---- a large plan: timing ---------------------------------------------------------------------- */

static void test_large(void)
{
	struct vtd_plan p;
	struct vtd_image img;
	struct vtd_bdomain *d;
	size_t n = 1u << 20;
	clock_t t0;
	double s;

	plan_init(&p, "qemu", 0, 0x100000000ULL, 0x10000000);
	dom_add(&p, 1, VTD_STAGE_SECOND, 3);
	d = &p.domains[0];
	d->maps = calloc(n, sizeof(*d->maps));
	d->nmaps = n;
	for (size_t i = 0; i < n; i++)
		d->maps[i] = (struct vtd_bmap){ .iova = i * 2 * K4, .pa = 0x200000000ULL + i * K4,
						.size = K4, .perm = RW };
	dev_add(&p, 0x10, VTD_BDEV_TRANSLATE, 0);
	t0 = clock();
	int rc = vtd_build(&p, &img, NULL, NULL);

	s = (double)(clock() - t0) / CLOCKS_PER_SEC;
	ok(rc == 0 && img.npages == 2 + 1 + 8 + 4096, "1M 4K mappings build: %zu pages",
	   img.npages);
	printf("# building 1M 4K mappings: %.3f s\n", s);
	ok(s < 5.0, "fast enough (%.3f s)", s);
	vtd_image_free(&img);
	vtd_plan_free(&p);
}

/*
 * Four table pages whose 512 entries all point at the next one describe
 * 512^4 leaves: the reader must stop with an error, not run for hours or
 * fill memory (a dump's tables are outside input).
 */
static void test_read_bomb(void)
{
	static uint8_t mem[0x8000];
	struct vtd_mem *m;
	struct vtd_plan q = { 0 };
	struct vtd_error err = { 0 };
	struct vtd_unit u = { 0 };
	int rc;

	vtd_unit_qemu_defaults(&u, 0, 48);
	memset(mem, 0, sizeof(mem));
	vtd_field_set_raw(vtd_field_find(&vtd_l_root_legacy, "P"), mem + 0x1000, 1, NULL);
	vtd_field_set_raw(vtd_field_find(&vtd_l_root_legacy, "CTP"), mem + 0x1000, 0x2000 >> 12,
			  NULL);
	vtd_field_set_raw(vtd_field_find(&vtd_l_context_legacy, "P"), mem + 0x2000, 1, NULL);
	vtd_field_set_raw(vtd_field_find(&vtd_l_context_legacy, "AW"), mem + 0x2000, 2, NULL);
	vtd_field_set_raw(vtd_field_find(&vtd_l_context_legacy, "DID"), mem + 0x2000, 1, NULL);
	vtd_field_set_raw(vtd_field_find(&vtd_l_context_legacy, "SSPTPTR"), mem + 0x2000,
			  0x3000 >> 12, NULL);
	for (unsigned lv = 4; lv >= 1; lv--) {
		const struct vtd_layout *l = vtd_paging_layout(0, (int)lv, lv == 1);
		uint64_t at = 0x3000 + (4 - lv) * 0x1000;

		for (unsigned i = 0; i < 512; i++) {
			uint8_t *e = mem + at + 8 * i;

			vtd_field_set_raw(vtd_field_find(l, "R"), e, 1, NULL);
			vtd_field_set_raw(vtd_field_find(l, "W"), e, 1, NULL);
			vtd_field_set_raw(vtd_field_find(l, "ADDR"), e, (at + 0x1000) >> 12, NULL);
		}
	}
	if (vtd_mem_open_buffer(&m, NULL) || vtd_mem_buffer_map(m, 0, mem, sizeof(mem), NULL)) {
		ok(0, "a buffer source for the shared tables");
		return;
	}
	rc = vtd_plan_read(m, 0x1000, 0, u.cap, u.ecap, u.haw, &q, &err);
	ok(rc == -VTD_EFORMAT, "tables shared 512^4 times over: -VTD_EFORMAT (%d)", rc);
	ok(strstr(err.msg, "more than") != NULL, "and the error says which cap: %s", err.msg);
	vtd_plan_free(&q);
	vtd_mem_close(m);
}

int main(void)
{
	test_profiles();
	test_vector();
	test_pages();
	test_dedup();
	test_check();
	test_region();
	test_scalable();
	test_irt_raw();
	test_verify_read();
	test_foreign();
	test_read_bomb();
	test_random();
	test_large();
	return tap_done();
}
