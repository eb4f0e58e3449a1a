/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests: finding root tables by their shape (vtd_scan_roots), linting
 * tables (vtd_lint, each kind on tables made faulty on purpose) and the
 * memory each device reaches (vtd_reachable).  Tables come from vtd_build
 * and are then changed through the field descriptors.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyse.h"
#include "plan.h"
#include "env.h"

#define K4 0x1000ULL
#define M2 0x200000ULL
#define RW (VTD_ACC_R | VTD_ACC_W)

static uint64_t rs = 0x243f6a8885a308d3ULL;

static uint64_t rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return rs;
}

static void fill_random(uint8_t *b, size_t n)
{
	for (size_t i = 0; i + 8 <= n; i += 8) {
		uint64_t v = rnd();

		memcpy(b + i, &v, 8);
	}
}

/* ---- plans ------------------------------------------------------------------------ */

/* A legacy plan: two translated devices, one pass-through, data far from the tables. */
static void legacy_plan(struct vtd_plan *p, uint64_t base)
{
	int d0, d1;

	plan_init(p, "client", 0, base, 0x400000);
	d0 = dom_add(p, 1, VTD_STAGE_SECOND, 4);
	d1 = dom_add(p, 2, VTD_STAGE_SECOND, 3);
	map_add(p, d0, 0x100000, 0x40000000, 0x10000, RW, 0);
	map_add(p, d0, 0x40000000, 0x40200000, M2, VTD_ACC_R, 0);
	map_add(p, d1, 0x0, 0x50000000, 0x4000, RW, 0);
	dev_add(p, 0x0010, VTD_BDEV_TRANSLATE, d0);
	dev_add(p, 0x0018, VTD_BDEV_TRANSLATE, d1);
	dev_add(p, 0x0300, VTD_BDEV_TRANSLATE, d0);
	dev_add(p, 0x0400, VTD_BDEV_PASSTHROUGH, -1);
}

/* A scalable plan: second-stage, first-stage, nested and pass-through PASIDs. */
static void scalable_plan(struct vtd_plan *p, uint64_t base)
{
	int ss, fs;
	struct vtd_bdevice *d;

	plan_init(p, "server", 1, base, 0x400000);
	ss = dom_add(p, 3, VTD_STAGE_SECOND, 4);
	fs = dom_add(p, 0, VTD_STAGE_FIRST, 4);
	map_add(p, ss, 0x0, 0x60000000, 0x100000, RW, 0);
	map_add(p, fs, 0x10000, 0x2000, 0x4000, VTD_ACC_R, 0);
	d = dev_add(p, 0x0100, VTD_BDEV_TRANSLATE, ss);
	pasid_add(d, 1, VTD_PGTT_FIRST, -1, fs, 7);
	pasid_add(d, 2, VTD_PGTT_NESTED, ss, fs, 0);
	pasid_add(d, 3, VTD_PGTT_PT, -1, -1, 8);
	dev_add(p, 0x0200, VTD_BDEV_PASSTHROUGH, -1);
	dev_add(p, 0x0288, VTD_BDEV_TRANSLATE, ss);
}

static int build(const struct vtd_plan *p, struct vtd_image *img)
{
	struct vtd_problems ps = { 0 };
	struct vtd_error err = { 0 };
	int rc;

	memset(img, 0, sizeof(*img));
	if (vtd_plan_check(p, &ps)) {
		for (size_t i = 0; i < ps.n; i++)
			printf("# plan: %s: %s\n", ps.v[i].where ? ps.v[i].where : "", ps.v[i].msg);
		vtd_problems_free(&ps);
		return -1;
	}
	rc = vtd_build(p, img, &ps, &err);
	if (rc)
		printf("# build: %s\n", err.msg);
	vtd_problems_free(&ps);
	return rc;
}

/* A buffer source holding the image (and 'extra' bytes of RAM around it). */
static struct vtd_mem *source_of(const struct vtd_image *img)
{
	struct vtd_mem *m = NULL;

	if (vtd_mem_open_buffer(&m, NULL) ||
	    vtd_mem_buffer_map(m, img->base, img->bytes, img->size, NULL))
		ok(0, "buffer source for the image");
	return m;
}

/* The entry at 'pa' of the image, for changes through the descriptors. */
static uint8_t *at(struct vtd_image *img, uint64_t pa)
{
	return img->bytes + (pa - img->base);
}

static void poke(struct vtd_image *img, uint64_t pa, const struct vtd_layout *l,
		 const char *name, uint64_t value)
{
	if (field_put(l, at(img, pa), name, value))
		ok(0, "poke %s.%s", l->name, name);
}

static uint64_t peek(struct vtd_image *img, uint64_t pa, const struct vtd_layout *l,
		     const char *name)
{
	const struct vtd_field *f = vtd_field_find(l, name);

	return vtd_field_value(f, vtd_field_raw(f, at(img, pa)));
}

static uint64_t root_of(const struct vtd_image *img)
{
	return img->rtaddr & ~0xfffULL;
}

/* The legacy context entry of 'sid' in an image. */
static uint64_t lctx(struct vtd_image *img, uint16_t sid)
{
	uint64_t re = root_of(img) + 16 * (sid >> 8);

	return peek(img, re, &vtd_l_root_legacy, "CTP") + 16 * (sid & 0xff);
}

static uint64_t smctx(struct vtd_image *img, uint16_t sid)
{
	uint64_t re = root_of(img) + 16 * (sid >> 8);
	int up = (sid & 0xff) >= 0x80;

	return peek(img, re, &vtd_l_root_sm, up ? "UCTP" : "LCTP") + 32 * (sid & 0x7f);
}

/* ---- scanning ------------------------------------------------------------------------ */

struct hits {
	struct vtd_scan_hit v[16];
	size_t n;
};

static int on_hit(const struct vtd_scan_hit *h, void *ctx)
{
	struct hits *hs = ctx;

	if (hs->n < 16)
		hs->v[hs->n++] = *h;
	return 0;
}

/*
 * A source of 'size' bytes at 0: the image at its base, 'nrand' random
 * pages scattered, the rest zero.
 */
static struct vtd_mem *haystack(const struct vtd_image *img, uint64_t size, unsigned nrand)
{
	struct vtd_mem *m = NULL;
	uint8_t *buf = calloc(1, size);

	for (unsigned i = 0; i < nrand; i++) {
		uint64_t pg = (rnd() % (size / K4)) * K4;

		if (pg + K4 <= img->base || pg >= img->base + img->size)
			fill_random(buf + pg, K4);
	}
	memcpy(buf + img->base, img->bytes, img->size);
	if (vtd_mem_open_buffer(&m, NULL) || vtd_mem_buffer_map(m, 0, buf, size, NULL))
		ok(0, "haystack source");
	free(buf);
	return m;
}

static void scan_image(const char *what, struct vtd_plan *p)
{
	struct vtd_image img;
	struct vtd_scan_opts o = { .cap = p->cap, .ecap = p->ecap, .haw = p->haw };
	struct hits hs = { 0 };
	struct vtd_error err = { 0 };
	struct vtd_mem *m;
	int rc;

	if (!ok(!build(p, &img), "%s: builds", what))
		return;
	m = haystack(&img, 64ULL << 20, 2000);
	rc = vtd_scan_roots(m, &o, on_hit, &hs, &err);
	ok(rc == 0, "%s: scan runs (%s)", what, err.msg);
	if (ok(hs.n >= 1, "%s: a candidate found", what)) {
		is_u64(hs.v[0].pa, root_of(&img), "%s: the root table ranks first", what);
		is_u64(hs.v[0].rtaddr, img.rtaddr, "%s: with the RTADDR that selects it", what);
		ok(hs.v[0].score >= 80, "%s: score %u >= 80 (%s)", what, hs.v[0].score,
		   hs.v[0].why);
		ok(hs.v[0].roots >= 1 && hs.v[0].contexts >= 2, "%s: %u roots, %u contexts", what,
		   hs.v[0].roots, hs.v[0].contexts);
		for (size_t i = 1; i < hs.n; i++)
			ok(hs.v[i].score <= hs.v[0].score, "%s: hit %zu (0x%llx, %s, %u) ranks below",
			   what, i, (unsigned long long)hs.v[i].pa,
			   hs.v[i].scalable ? "scalable" : "legacy", hs.v[i].score);
	}
	vtd_mem_close(m);
	vtd_image_free(&img);
	vtd_plan_free(p);
}

static void test_scan_found(void)
{
	struct vtd_plan p;

	legacy_plan(&p, 0x1234000);
	scan_image("legacy at 0x1234000", &p);
	legacy_plan(&p, 0x3000000);
	scan_image("legacy at 0x3000000", &p);
	scalable_plan(&p, 0x2345000);
	scan_image("scalable at 0x2345000", &p);
	scalable_plan(&p, 0x800000);
	scan_image("scalable at 0x800000", &p);
}

static void test_scan_noise(void)
{
	struct vtd_mem *m = NULL;
	struct vtd_scan_hit h;
	struct vtd_scan_opts o = { .haw = 48 };
	uint8_t *buf = calloc(1, 64 * K4);
	unsigned worst = 0, cands = 0;
	struct hits hs = { 0 };
	int zero;

	fill_random(buf + K4, 62 * K4);
	if (vtd_mem_open_buffer(&m, NULL) || vtd_mem_buffer_map(m, 0, buf, 64 * K4, NULL))
		ok(0, "noise source");
	zero = vtd_scan_page(m, &o, 0, 0, &h, NULL) || vtd_scan_page(m, &o, 0, 1, &h, NULL);
	ok(!zero, "a zero page is no candidate");
	for (unsigned pg = 1; pg < 63; pg++)
		for (int sm = 0; sm < 2; sm++)
			if (vtd_scan_page(m, &o, pg * K4, sm, &h, NULL) == 1) {
				cands++;
				worst = h.score > worst ? h.score : worst;
			}
	ok(worst < 50, "random pages score low (%u candidates, best %u)", cands, worst);
	ok(!vtd_scan_roots(m, &o, on_hit, &hs, NULL) && hs.n == 0, "nothing reported in noise");
	ok(vtd_scan_page(m, &o, 0x123, 0, &h, NULL) == -VTD_EINVAL, "unaligned page refused");
	ok(vtd_scan_page(m, &o, 1ULL << 40, 0, &h, NULL) == -VTD_EUNMAPPED, "hole refused");

	/*
	 * A decoy: a root table that is perfect on its own page, whose context
	 * pointers lead to random pages or zero pages.
	 */
	memset(buf, 0, K4);
	for (unsigned bus = 0; bus < 8; bus++) {
		uint8_t *e = buf + 16 * bus;

		field_put(&vtd_l_root_legacy, e, "P", 1);
		field_put(&vtd_l_root_legacy, e, "CTP", (bus < 4 ? 10 + bus : 63) * K4);
	}
	vtd_mem_write(m, 0, buf, K4, NULL);
	ok(vtd_scan_page(m, &o, 0, 0, &h, NULL) == 1, "the decoy is a candidate");
	ok(h.score < 50 && h.roots == 8, "decoy scores low: %u (%s)", h.score, h.why);
	ok(strstr(h.why, "garbage") != NULL, "and says why: %s", h.why);
	hs.n = 0;
	ok(!vtd_scan_roots(m, &o, on_hit, &hs, NULL) && hs.n == 0, "the decoy is not reported");
	o.min_score = 1;
	hs.n = 0;
	ok(!vtd_scan_roots(m, &o, on_hit, &hs, NULL) && hs.n >= 1 && hs.v[0].pa == 0,
	   "unless min_score asks for it");
	vtd_mem_close(m);
	free(buf);
}

static int stop_first(const struct vtd_scan_hit *h, void *ctx)
{
	(void)h;
	(*(int *)ctx)++;
	return 1;
}

static void test_scan_opts(void)
{
	struct vtd_plan p;
	struct vtd_image img;
	struct vtd_scan_opts o = { 0 };
	struct hits hs = { 0 };
	int calls = 0;
	struct vtd_mem *m;

	legacy_plan(&p, 0x200000);
	if (build(&p, &img)) {
		ok(0, "build");
		return;
	}
	m = haystack(&img, 8ULL << 20, 100);
	o.from = 0x300000;
	ok(!vtd_scan_roots(m, &o, on_hit, &hs, NULL), "range above the root scans");
	for (size_t i = 0; i < hs.n; i++)
		ok(hs.v[i].pa >= 0x300000, "hit 0x%llx in range", (unsigned long long)hs.v[i].pa);
	ok(hs.n == 0 || hs.v[0].pa != root_of(&img), "the root below 'from' is not found");
	o.from = 0x200000;
	o.to = 0x201000;
	hs.n = 0;
	ok(!vtd_scan_roots(m, &o, on_hit, &hs, NULL) && hs.n == 1 &&
	   hs.v[0].pa == root_of(&img), "a one-page range finds it");
	o = (struct vtd_scan_opts){ .min_score = 1 };
	ok(!vtd_scan_roots(m, &o, stop_first, &calls, NULL) && calls == 1, "fn stops the report");
	o.max_hits = 1;
	hs.n = 0;
	ok(!vtd_scan_roots(m, &o, on_hit, &hs, NULL) && hs.n == 1 && hs.v[0].pa == root_of(&img),
	   "max_hits 1 keeps the best");
	o = (struct vtd_scan_opts){ .from = 0x5000, .to = 0x5000 };
	ok(vtd_scan_roots(m, &o, on_hit, &hs, NULL) == -VTD_EINVAL, "empty range refused");
	vtd_mem_close(m);
	vtd_image_free(&img);
	vtd_plan_free(&p);
}

static void test_scan_speed(void)
{
	struct vtd_plan p;
	struct vtd_image img;
	struct hits hs = { 0 };
	struct vtd_mem *m = NULL;
	uint64_t size = 256ULL << 20;
	uint8_t *rbuf = malloc(8 << 20);
	struct timespec t0, t1;
	double secs;

	legacy_plan(&p, 0x9000000);
	if (build(&p, &img)) {
		ok(0, "build");
		return;
	}
	/* Zero RAM, 8 MiB of random data in it, the tables; map ranges apart. */
	fill_random(rbuf, 8 << 20);
	if (vtd_mem_open_buffer(&m, NULL) || vtd_mem_buffer_map(m, 0, NULL, 0x8000000, NULL) ||
	    vtd_mem_buffer_map(m, 0x8000000, rbuf, 8 << 20, NULL) ||
	    vtd_mem_buffer_map(m, 0x8800000, NULL, img.base - 0x8800000, NULL) ||
	    vtd_mem_buffer_map(m, img.base, img.bytes, img.size, NULL) ||
	    vtd_mem_buffer_map(m, img.base + img.size, NULL, size - img.base - img.size, NULL))
		ok(0, "speed source");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ok(!vtd_scan_roots(m, NULL, on_hit, &hs, NULL), "256 MiB scan");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	ok(secs < 20, "256 MiB in %.2f s", secs);
	ok(hs.n >= 1 && hs.v[0].pa == root_of(&img), "the root found among them");
	vtd_mem_close(m);
	vtd_image_free(&img);
	vtd_plan_free(&p);
	free(rbuf);
}

/* ---- linting -------------------------------------------------------------------------- */

struct finds {
	struct vtd_lint_finding v[64];
	size_t n;
};

static int on_find(const struct vtd_lint_finding *f, void *ctx)
{
	struct finds *fs = ctx;

	if (fs->n < 64)
		fs->v[fs->n++] = *f;
	return 0;
}

static long lint(struct vtd_image *img, const struct vtd_plan *p, struct vtd_lint_opts *o,
		 struct finds *fs)
{
	struct vtd_lint_opts d = { .cap = p->cap, .ecap = p->ecap, .haw = p->haw };
	struct vtd_error err = { 0 };
	struct vtd_mem *m = source_of(img);
	long n;

	memset(fs, 0, sizeof(*fs));
	n = vtd_lint(m, img->rtaddr, img->irta, o ? o : &d, on_find, fs, &err);
	if (n < 0)
		printf("# lint: %s\n", err.msg);
	for (size_t i = 0; i < fs->n; i++)
		printf("#   %s @0x%llx %s: %s\n", vtd_lint_kind_name(fs->v[i].kind),
		       (unsigned long long)fs->v[i].addr, fs->v[i].path, fs->v[i].msg);
	vtd_mem_close(m);
	return n;
}

/* The one finding of 'kind', or NULL (and a failed check) when there is not exactly one. */
static const struct vtd_lint_finding *one(const struct finds *fs, int kind, const char *what)
{
	const struct vtd_lint_finding *f = NULL;
	size_t n = 0;

	for (size_t i = 0; i < fs->n; i++)
		if (fs->v[i].kind == kind) {
			f = f ? f : &fs->v[i];
			n++;
		}
	ok(n == 1, "%s: one %s finding (%zu)", what, vtd_lint_kind_name(kind), n);
	return n == 1 ? f : NULL;
}

static void test_lint_clean(void)
{
	struct vtd_plan p;
	struct vtd_image img;
	struct finds fs;

	legacy_plan(&p, 0x100000);
	p.devices[3].kind = VTD_BDEV_TRANSLATE;	/* no pass-through: no table in reach */
	p.devices[3].domain = 1;
	if (!build(&p, &img)) {
		ok(lint(&img, &p, NULL, &fs) == 0, "clean legacy tables: no findings");
		vtd_image_free(&img);
	}
	vtd_plan_free(&p);
	scalable_plan(&p, 0x100000);
	p.devices[1].kind = VTD_BDEV_TRANSLATE;
	p.devices[1].domain = 0;
	p.devices[0].npasids = 2;		/* not the PT PASID */
	if (!build(&p, &img)) {
		ok(lint(&img, &p, NULL, &fs) == 0, "clean scalable tables: no findings");
		vtd_image_free(&img);
	}
	vtd_plan_free(&p);
}

static void test_lint_rsvd_ptr(void)
{
	struct vtd_plan p;
	struct vtd_image img;
	struct finds fs;
	const struct vtd_lint_finding *f;
	uint64_t ce, root, ct;
	char want[200];

	legacy_plan(&p, 0x100000);
	build(&p, &img);
	root = root_of(&img);
	ce = lctx(&img, 0x0018);
	ct = ce - 16 * 0x18;
	vtd_bits_set(at(&img, ce), 100, 4, 0x5);	/* reserved bits 127:88 */
	ok(lint(&img, &p, NULL, &fs) >= 1, "reserved bits: findings");
	if ((f = one(&fs, VTD_LINT_RSVD, "context reserved bits"))) {
		is_u64(f->addr, ce, "at the context entry");
		snprintf(want, sizeof(want), "root-legacy[0x0]@0x%llx -> context-legacy[0x18]@0x%llx",
			 (unsigned long long)root, (unsigned long long)ce);
		is_str(f->path, want, "with its path");
		ok(f->has_sid && f->sid == 0x18, "naming the device");
		ok(strstr(f->msg, "127:88") != NULL, "saying which bits: %s", f->msg);
	}
	vtd_bits_set(at(&img, ce), 100, 4, 0);

	/* A reserved value (TT 3), and a second-stage entry with reserved bits. */
	poke(&img, ce, &vtd_l_context_legacy, "TT", 3);
	lint(&img, &p, NULL, &fs);
	if ((f = one(&fs, VTD_LINT_RSVD, "TT 3")))
		ok(strstr(f->msg, "TT") != NULL, "names TT: %s", f->msg);
	poke(&img, ce, &vtd_l_context_legacy, "TT", 0);
	uint64_t top = peek(&img, ce, &vtd_l_context_legacy, "SSPTPTR");

	vtd_bits_set(at(&img, top), 7, 1, 1);	/* PS in a 3-level top (PDPE: a 1 GiB leaf) */
	vtd_bits_set(at(&img, top), 12, 1, 1);	/* ...with address bits below 1 GiB */
	lint(&img, &p, NULL, &fs);
	if ((f = one(&fs, VTD_LINT_RSVD, "paging entry")))
		ok(f->addr == top && strstr(f->path, "ss-pdpe-1g[0x0]"), "at the PDPE: %s", f->path);
	vtd_bits_set(at(&img, top), 7, 6, 0);

	/* A pointer out of the source, and a cycle. */
	poke(&img, ce, &vtd_l_context_legacy, "SSPTPTR", 0x7f000000);
	lint(&img, &p, NULL, &fs);
	if ((f = one(&fs, VTD_LINT_PTR, "pointer outside")))
		ok(f->addr == ce && strstr(f->msg, "0x7f000000"), "at the context entry: %s",
		   f->msg);
	poke(&img, ce, &vtd_l_context_legacy, "SSPTPTR", top);
	uint64_t mid = peek(&img, top, &vtd_l_ss_pdpe, "ADDR");
	uint64_t save = vtd_bits_get(at(&img, mid), 0, 64);

	poke(&img, mid, &vtd_l_ss_pde, "ADDR", top);
	lint(&img, &p, NULL, &fs);
	if ((f = one(&fs, VTD_LINT_PTR, "cycle")))
		ok(f->addr == mid && strstr(f->msg, "cycle"), "at the entry pointing up: %s",
		   f->msg);
	vtd_bits_set(at(&img, mid), 0, 64, save);

	/* A root table the source does not hold is an error, not a finding. */
	struct vtd_mem *m = source_of(&img);
	struct vtd_error err = { 0 };

	ok(vtd_lint(m, 0x7000000, 0, NULL, on_find, &fs, &err) == -VTD_EUNMAPPED,
	   "unreadable root table: error (%s)", err.where);
	ok(vtd_lint(m, img.rtaddr | 0xc00, 0, NULL, on_find, &fs, &err) == -VTD_ENOTSUP,
	   "TTM 3: error");
	vtd_mem_close(m);
	(void)ct;
	vtd_image_free(&img);
	vtd_plan_free(&p);
}

/* CAP with one field changed. */
static uint64_t cap_with(uint64_t cap, const struct vtd_layout *l, const char *f, uint64_t v)
{
	reg_set(&cap, l, f, v);
	return cap;
}

static void test_lint_caps(void)
{
	struct vtd_plan p;
	struct vtd_image img;
	struct finds fs;
	const struct vtd_lint_finding *f;
	struct vtd_lint_opts o;
	int d2;

	legacy_plan(&p, 0x100000);
	d2 = dom_add(&p, 9, VTD_STAGE_SECOND, 4);
	map_add(&p, d2, 0x200000, 0x70000000, M2, RW, M2);
	dev_add(&p, 0x0500, VTD_BDEV_TRANSLATE, d2)->devtlb = 1;
	build(&p, &img);

	/* AW: the unit lists only 48-bit tables; device 00:03.0 has 3 levels. */
	o = (struct vtd_lint_opts){ .cap = cap_with(p.cap, &vtd_l_reg_cap, "SAGAW", 0x4),
				    .ecap = p.ecap, .haw = p.haw };
	lint(&img, &p, &o, &fs);
	if ((f = one(&fs, VTD_LINT_AW, "AW not in SAGAW")))
		ok(f->sid == 0x0018 && f->addr == lctx(&img, 0x18), "at 00:03.0's entry: %s",
		   f->msg);

	/* PT: ECAP.PT clear, a pass-through device. */
	o = (struct vtd_lint_opts){ .cap = p.cap, .ecap = cap_with(p.ecap, &vtd_l_reg_ecap, "PT", 0),
				    .haw = p.haw };
	lint(&img, &p, &o, &fs);
	if ((f = one(&fs, VTD_LINT_PT, "PT without ECAP.PT")))
		ok(f->sid == 0x0400 && f->addr == lctx(&img, 0x400), "at 04:00.0's entry");

	/* FEATURE: a 2 MiB page without SSLPS, device-TLB without DT. */
	o = (struct vtd_lint_opts){ .cap = cap_with(p.cap, &vtd_l_reg_cap, "SSLPS", 0),
				    .ecap = p.ecap, .haw = p.haw };
	lint(&img, &p, &o, &fs);
	size_t n2m = 0;

	for (size_t i = 0; i < fs.n; i++)
		n2m += fs.v[i].kind == VTD_LINT_FEATURE && strstr(fs.v[i].path, "ss-pde-2m[") &&
		       strstr(fs.v[i].msg, "SSLPS");
	ok(n2m == 2 && fs.n == 3, "2 MiB pages (00:02.0, 05:00.0) without SSLPS: at the leaves");
	o = (struct vtd_lint_opts){ .cap = p.cap, .ecap = cap_with(p.ecap, &vtd_l_reg_ecap, "DT", 0),
				    .haw = p.haw };
	o.ecap = cap_with(o.ecap, &vtd_l_reg_ecap, "PT", 1);
	lint(&img, &p, &o, &fs);
	if ((f = one(&fs, VTD_LINT_FEATURE, "TT 1 without DT")))
		ok(f->sid == 0x0500, "at 05:00.0");

	/* Unknown unit: no checks against CAP/ECAP. */
	o = (struct vtd_lint_opts){ .haw = p.haw };
	size_t n = 0;

	lint(&img, &p, &o, &fs);
	for (size_t i = 0; i < fs.n; i++)
		n += fs.v[i].kind == VTD_LINT_AW || fs.v[i].kind == VTD_LINT_PT ||
		     fs.v[i].kind == VTD_LINT_FEATURE;
	ok(n == 0, "cap and ecap 0: no AW, PT or FEATURE findings");
	vtd_image_free(&img);
	vtd_plan_free(&p);
}

static void test_lint_domains(void)
{
	struct vtd_plan p;
	struct vtd_image img;
	struct finds fs;
	const struct vtd_lint_finding *f;
	int d2, d3;

	/* DID_SHARED: a third domain reuses DID 1 with other tables. */
	legacy_plan(&p, 0x100000);
	p.devices[3].kind = VTD_BDEV_TRANSLATE;
	p.devices[3].domain = 1;
	d2 = dom_add(&p, 1, VTD_STAGE_SECOND, 4);
	map_add(&p, d2, 0x0, 0x71000000, K4, RW, 0);
	dev_add(&p, 0x0600, VTD_BDEV_TRANSLATE, d2);
	build(&p, &img);
	lint(&img, &p, NULL, &fs);
	if ((f = one(&fs, VTD_LINT_DID_SHARED, "DID reused")))
		ok(f->sid == 0x0600 && strstr(f->msg, "DID 1"), "at the second user: %s", f->msg);
	vtd_image_free(&img);

	/* MSI: a mapping over 0xfee00000. */
	d3 = dom_add(&p, 12, VTD_STAGE_SECOND, 4);
	map_add(&p, d3, 0xfee00000, 0x72000000, K4, RW, 0);
	dev_add(&p, 0x0700, VTD_BDEV_TRANSLATE, d3);
	build(&p, &img);
	lint(&img, &p, NULL, &fs);
	if ((f = one(&fs, VTD_LINT_MSI, "mapping over MSI")))
		ok(f->sid == 0x0700 && strstr(f->msg, "0xfee00000") && strstr(f->path, "0x7"),
		   "names the device and range: %s", f->msg);
	vtd_image_free(&img);

	/* TABLE_DMA: a mapping whose output covers the root table, writable. */
	map_add(&p, d3, 0xff000000, 0x100000, K4, RW, 0);
	build(&p, &img);
	lint(&img, &p, NULL, &fs);
	if ((f = one(&fs, VTD_LINT_TABLE_DMA, "mapping over the tables")))
		ok(f->sid == 0x0700 && strstr(f->msg, "rewrite the root table at 0x100000") &&
		   strstr(f->msg, "0xff000000"), "says which table and how: %s", f->msg);
	vtd_image_free(&img);

	/* ...and a pass-through device reaches every table page. */
	p.devices[3].kind = VTD_BDEV_PASSTHROUGH;
	p.devices[3].domain = -1;
	p.domains[d3].nmaps = 1;
	build(&p, &img);
	lint(&img, &p, NULL, &fs);
	if ((f = one(&fs, VTD_LINT_TABLE_DMA, "pass-through")))
		ok(f->sid == 0x0400 && strstr(f->msg, "pass-through"), "%s", f->msg);
	vtd_image_free(&img);
	vtd_plan_free(&p);
}

static void test_lint_rmrr(void)
{
	struct vtd_plan p;
	struct vtd_image img;
	struct finds fs;
	const struct vtd_lint_finding *f;
	int d;
	uint16_t sids[] = { 0x0010 }, sids2[] = { 0x0800 }, sids3[] = { 0x0400 };
	struct vtd_rmrr rm[] = {
		{ .base = 0x7c000000, .size = 0x2000, .sids = sids, .nsids = 1 },
	};
	struct vtd_lint_opts o;

	legacy_plan(&p, 0x100000);
	d = p.devices[0].domain;
	map_add(&p, d, 0x7c000000, 0x7c000000, 0x2000, RW, 0);	/* identity: fine */
	build(&p, &img);
	o = (struct vtd_lint_opts){ .cap = p.cap, .ecap = p.ecap, .haw = p.haw, .rmrr = rm,
				    .nrmrr = 1 };
	lint(&img, &p, &o, &fs);
	size_t n = 0;

	for (size_t i = 0; i < fs.n; i++)
		n += fs.v[i].kind == VTD_LINT_RMRR;
	ok(n == 0, "identity-mapped RMRR: no finding");
	rm[0].size = 0x3000;
	lint(&img, &p, &o, &fs);
	if ((f = one(&fs, VTD_LINT_RMRR, "RMRR one page short")))
		ok(f->sid == 0x10 && strstr(f->msg, "0x7c002000 is not mapped"), "%s", f->msg);
	rm[0] = (struct vtd_rmrr){ .base = 0x40000000, .size = 0x1000, .sids = sids, .nsids = 1 };
	lint(&img, &p, &o, &fs);
	if ((f = one(&fs, VTD_LINT_RMRR, "RMRR mapped elsewhere")))
		ok(strstr(f->msg, "not mapped to itself") != NULL, "%s", f->msg);
	rm[0] = (struct vtd_rmrr){ .base = 0x7c000000, .size = 0x1000, .sids = sids2, .nsids = 1 };
	lint(&img, &p, &o, &fs);
	if ((f = one(&fs, VTD_LINT_RMRR, "RMRR device without entry")))
		ok(f->sid == 0x800 && f->has_sid, "%s", f->msg);
	rm[0].sids = sids3;
	lint(&img, &p, &o, &fs);
	n = 0;
	for (size_t i = 0; i < fs.n; i++)
		n += fs.v[i].kind == VTD_LINT_RMRR;
	ok(n == 0, "pass-through device: its RMRR is reachable");
	vtd_image_free(&img);
	vtd_plan_free(&p);
}

static void test_lint_irt(void)
{
	struct vtd_plan p;
	struct vtd_image img;
	struct finds fs;
	const struct vtd_lint_finding *f;
	uint8_t e[16] = { 0 };

	legacy_plan(&p, 0x100000);
	p.devices[3].kind = VTD_BDEV_TRANSLATE;
	p.devices[3].domain = 1;
	encode(e, &vtd_l_irte_remapped, L("P=1", "V=0x30", "DST=0x100", "SVT=1", "SID=0x10"));
	p.irtes = calloc(3, sizeof(*p.irtes));
	p.irtes[0].index = 0;
	memcpy(p.irtes[0].bytes, e, 16);
	p.irtes[1].index = 5;
	encode(e, &vtd_l_irte_remapped, L("SVT=0"));
	memcpy(p.irtes[1].bytes, e, 16);
	p.irtes[2].index = 6;
	encode(e, &vtd_l_irte_remapped, L("P=0"));	/* not present, SVT 0: fine */
	memcpy(p.irtes[2].bytes, e, 16);
	p.nirtes = 3;
	if (!ok(!build(&p, &img), "plan with an IRT builds"))
		return;
	lint(&img, &p, NULL, &fs);
	if ((f = one(&fs, VTD_LINT_IRTE_SVT, "IRTE without SVT"))) {
		uint64_t base = img.irta & ~0xfffULL;

		is_u64(f->addr, base + 16 * 5, "at entry 5");
		ok(strstr(f->path, "irte-remapped[0x5]") != NULL, "path %s", f->path);
	}
	vtd_bits_set(at(&img, (img.irta & ~0xfffULL) + 16 * 0), 20 + 64 + 8, 4, 0xf);
	lint(&img, &p, NULL, &fs);
	if ((f = one(&fs, VTD_LINT_RSVD, "IRTE reserved bits")))
		ok(strstr(f->path, "irte-remapped[0x0]") != NULL, "path %s", f->path);
	vtd_image_free(&img);
	vtd_plan_free(&p);
}

static void test_lint_scalable(void)
{
	struct vtd_plan p;
	struct vtd_image img;
	struct finds fs;
	const struct vtd_lint_finding *f;
	struct vtd_lint_opts o;
	uint64_t ce, dir, pt, pe;

	scalable_plan(&p, 0x100000);
	p.devices[1].kind = VTD_BDEV_TRANSLATE;
	p.devices[1].domain = 0;
	build(&p, &img);
	ce = smctx(&img, 0x0100);
	dir = peek(&img, ce, &vtd_l_context_sm, "PASIDDIRPTR");
	pt = peek(&img, dir, &vtd_l_pasid_dir, "SMPTBLPTR");
	pe = pt + 64 * 2;
	vtd_bits_set(at(&img, pe), 200, 8, 0x81);	/* reserved bits 255:192 */
	lint(&img, &p, NULL, &fs);
	if ((f = one(&fs, VTD_LINT_RSVD, "PASID entry reserved bits"))) {
		char want[240];

		snprintf(want, sizeof(want), "root-sm[0x1]@0x%llx -> context-sm[0x0]@0x%llx -> "
			 "pasid-dir[0x0]@0x%llx -> pasid-entry[0x2]@0x%llx",
			 (unsigned long long)root_of(&img) + 16, (unsigned long long)ce,
			 (unsigned long long)dir, (unsigned long long)pe);
		is_str(f->path, want, "path through the PASID structures");
		ok(f->sid == 0x100, "device 01:00.0");
	}
	vtd_bits_set(at(&img, pe), 200, 8, 0);

	/* Features the unit lacks: nesting, first stage, pass-through. */
	o = (struct vtd_lint_opts){ .cap = p.cap, .haw = p.haw,
				    .ecap = cap_with(p.ecap, &vtd_l_reg_ecap, "NEST", 0) };
	lint(&img, &p, &o, &fs);
	if ((f = one(&fs, VTD_LINT_FEATURE, "nested without NEST")))
		ok(f->addr == pe && strstr(f->msg, "NEST"), "%s", f->msg);
	o.ecap = cap_with(p.ecap, &vtd_l_reg_ecap, "PT", 0);
	lint(&img, &p, &o, &fs);
	size_t npt = 0;

	for (size_t i = 0; i < fs.n; i++)
		npt += fs.v[i].kind == VTD_LINT_PT;
	ok(npt == 1, "PGTT 4 (PASID 3) without ECAP.PT: %zu", npt);

	/* AW of a second-stage PASID entry. */
	o = (struct vtd_lint_opts){ .cap = cap_with(p.cap, &vtd_l_reg_cap, "SAGAW", 0x8),
				    .ecap = p.ecap, .haw = p.haw };
	lint(&img, &p, &o, &fs);
	size_t naw = 0;

	for (size_t i = 0; i < fs.n; i++)
		naw += fs.v[i].kind == VTD_LINT_AW;
	ok(naw >= 2, "4-level second stage where SAGAW has 5 levels only: %zu", naw);

	/* A PASID directory that is not there. */
	poke(&img, ce, &vtd_l_context_sm, "PASIDDIRPTR", 0x7e000000);
	lint(&img, &p, NULL, &fs);
	if ((f = one(&fs, VTD_LINT_PTR, "no PASID directory")))
		ok(f->addr == ce && strstr(f->msg, "PASID directory"), "%s", f->msg);
	vtd_image_free(&img);
	vtd_plan_free(&p);
}

static int stop_lint(const struct vtd_lint_finding *f, void *ctx)
{
	(void)f;
	(*(int *)ctx)++;
	return 1;
}

static void test_lint_misc(void)
{
	int calls = 0;
	struct vtd_plan p;
	struct vtd_image img;
	struct vtd_mem *m;

	ok(!strcmp(vtd_lint_kind_name(VTD_LINT_DID_SHARED), "did-shared") &&
	   !strcmp(vtd_lint_kind_name(0), "?") && !strcmp(vtd_lint_kind_name(99), "?"),
	   "kind names");
	legacy_plan(&p, 0x100000);
	build(&p, &img);
	m = source_of(&img);
	ok(vtd_lint(m, img.rtaddr, 0, NULL, stop_lint, &calls, NULL) == 1 && calls == 1,
	   "fn stops linting");
	ok(vtd_lint(NULL, 0, 0, NULL, stop_lint, &calls, NULL) == -VTD_EINVAL, "no source");
	vtd_mem_close(m);
	vtd_image_free(&img);
	vtd_plan_free(&p);
}

/* ---- reachability ------------------------------------------------------------------------ */

static const struct vtd_reach *reach_of(const struct vtd_reach *r, size_t n, uint16_t sid,
					int has_pasid, uint32_t pasid)
{
	for (size_t i = 0; i < n; i++)
		if (r[i].sid == sid && r[i].has_pasid == has_pasid &&
		    (!has_pasid || r[i].pasid == pasid))
			return &r[i];
	return NULL;
}

static void test_reach_legacy(void)
{
	struct vtd_plan p;
	struct vtd_reach *r = NULL;
	size_t n = 0;
	const struct vtd_reach *x;
	int d0, d1;

	plan_init(&p, "client", 0, 0x100000, 0x400000);
	d0 = dom_add(&p, 1, VTD_STAGE_SECOND, 4);
	d1 = dom_add(&p, 2, VTD_STAGE_SECOND, 4);
	/* Two IOVAs onto overlapping host pages, one read-only, one read-write. */
	map_add(&p, d0, 0x0, 0x40000000, 0x4000, VTD_ACC_R, 0);
	map_add(&p, d0, 0x100000, 0x40002000, 0x4000, RW, 0);
	map_add(&p, d0, 0x200000, 0x40006000, 0x1000, RW, 0);	/* touches: merges */
	map_add(&p, d1, 0x0, 0x50000000, 0x1000, VTD_ACC_R, 0);
	dev_add(&p, 0x0008, VTD_BDEV_TRANSLATE, d0);
	dev_add(&p, 0x0010, VTD_BDEV_PASSTHROUGH, -1);
	dev_add(&p, 0x0018, VTD_BDEV_BLOCKED, -1);
	dev_add(&p, 0x0020, VTD_BDEV_TRANSLATE, d1);
	ok(!vtd_reachable(&p, &r, &n, NULL) && n == 4, "four devices: %zu", n);
	if ((x = reach_of(r, n, 0x8, 0, 0)) && ok(x->n == 2, "overlaps merged: %zu ranges", x->n)) {
		ok(x->ranges[0].base == 0x40000000 && x->ranges[0].size == 0x2000 &&
		   x->ranges[0].perm == VTD_ACC_R, "read-only head");
		ok(x->ranges[1].base == 0x40002000 && x->ranges[1].size == 0x5000 &&
		   x->ranges[1].perm == RW, "read-write where the two overlap, and on");
		is_u64(x->total, 0x7000, "total bytes");
		is_u64(x->writable, 0x5000, "writable bytes");
	}
	if ((x = reach_of(r, n, 0x10, 0, 0)))
		ok(x->all && x->total == 1ULL << 39 && !x->n, "pass-through: all of memory");
	if ((x = reach_of(r, n, 0x18, 0, 0)))
		ok(!x->all && !x->n && !x->total, "blocked: nothing");
	if ((x = reach_of(r, n, 0x20, 0, 0)))
		ok(x->n == 1 && x->writable == 0 && x->total == K4, "read-only domain");
	vtd_reach_free(r, n);

	/* The same answer from the tables read back. */
	struct vtd_image img;
	struct vtd_plan back;
	struct vtd_mem *m;
	struct vtd_reach *r2 = NULL;
	size_t n2 = 0;

	vtd_reachable(&p, &r, &n, NULL);
	if (!build(&p, &img)) {
		m = source_of(&img);
		ok(!vtd_plan_read(m, img.rtaddr, 0, p.cap, p.ecap, p.haw, &back, NULL),
		   "read back");
		ok(!vtd_reachable(&back, &r2, &n2, NULL) && n2 == 3, "from the tables: %zu "
		   "(a blocked device has no entry)", n2);
		for (size_t i = 0; i < n2; i++) {
			const struct vtd_reach *y = reach_of(r, n, r2[i].sid, 0, 0);

			int same = y && y->n == r2[i].n && y->total == r2[i].total &&
				   y->writable == r2[i].writable && y->all == r2[i].all;

			for (size_t k = 0; same && k < y->n; k++)
				same = y->ranges[k].base == r2[i].ranges[k].base &&
				       y->ranges[k].size == r2[i].ranges[k].size &&
				       y->ranges[k].perm == r2[i].ranges[k].perm;
			ok(same, "device 0x%04x alike", r2[i].sid);
		}
		vtd_reach_free(r2, n2);
		vtd_plan_free(&back);
		vtd_mem_close(m);
		vtd_image_free(&img);
	}
	vtd_reach_free(r, n);
	p.devices[0].domain = 7;
	ok(vtd_reachable(&p, &r, &n, NULL) == -VTD_EINVAL && !r && !n, "bad domain index refused");
	vtd_plan_free(&p);
}

static void test_reach_scalable(void)
{
	struct vtd_plan p;
	struct vtd_reach *r = NULL;
	size_t n = 0;
	const struct vtd_reach *x;
	struct vtd_bdevice *d;
	int ss, fs;

	plan_init(&p, "server", 1, 0x100000, 0x400000);
	ss = dom_add(&p, 3, VTD_STAGE_SECOND, 4);
	fs = dom_add(&p, 0, VTD_STAGE_FIRST, 4);
	/* Guest-physical 0x0-0x3fff onto host 0x60000000, read-write. */
	map_add(&p, ss, 0x0, 0x60000000, 0x4000, RW, 0);
	/* First stage: 0x2000-0x5fff guest-physical, read-only: half outside the second. */
	map_add(&p, fs, 0x10000, 0x2000, 0x4000, VTD_ACC_R, 0);
	d = dev_add(&p, 0x0100, VTD_BDEV_TRANSLATE, ss);
	pasid_add(d, 1, VTD_PGTT_FIRST, -1, fs, 7);
	pasid_add(d, 2, VTD_PGTT_NESTED, ss, fs, 0);
	pasid_add(d, 3, VTD_PGTT_PT, -1, -1, 8);
	d = dev_add(&p, 0x0200, VTD_BDEV_TRANSLATE, -1);
	pasid_add(d, 0, VTD_PGTT_FIRST, -1, fs, 9);	/* RID_PASID's own entry */
	ok(!vtd_reachable(&p, &r, &n, NULL) && n == 5, "entries: %zu", n);
	if ((x = reach_of(r, n, 0x100, 0, 0)))
		ok(x->n == 1 && x->ranges[0].base == 0x60000000 && x->writable == 0x4000,
		   "RID_PASID: the second stage");
	if ((x = reach_of(r, n, 0x100, 1, 1)))
		ok(x->n == 1 && x->ranges[0].base == 0x2000 && x->writable == 0, "PASID 1: first "
		   "stage output");
	if ((x = reach_of(r, n, 0x100, 1, 2)))
		ok(x->n == 1 && x->ranges[0].base == 0x60002000 && x->ranges[0].size == 0x2000 &&
		   x->ranges[0].perm == VTD_ACC_R, "PASID 2 nested: bounded by the second stage, "
		   "rights of both");
	if ((x = reach_of(r, n, 0x100, 1, 3)))
		ok(x->all, "PASID 3: pass-through");
	if ((x = reach_of(r, n, 0x200, 0, 0)))
		ok(x->n == 1 && x->ranges[0].base == 0x2000, "RID_PASID from the PASID entry");
	ok(!reach_of(r, n, 0x200, 1, 0), "RID_PASID is not listed as a PASID");
	vtd_reach_free(r, n);
	vtd_plan_free(&p);
}

int main(void)
{
	test_scan_found();
	test_scan_noise();
	test_scan_opts();
	test_scan_speed();
	test_lint_clean();
	test_lint_rsvd_ptr();
	test_lint_caps();
	test_lint_domains();
	test_lint_rmrr();
	test_lint_irt();
	test_lint_scalable();
	test_lint_misc();
	test_reach_legacy();
	test_reach_scalable();
	return tap_done();
}
