/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests: the translation engine over buffer sources.  Every fault
 * reason the specification defines for DMA remapping, from a minimal table,
 * in both numberings; successes for each page size, table depth and
 * translation type; FPD, accessed/dirty bits and cyclic tables.  Entries
 * are built through the layouts (field names), never by hand shifts.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fault.h"
#include "mem-internal.h"
#include "regs.h"
#include "tables.h"
#include "env.h"
#include "same.h"
#include "tap.h"
#include "walk.h"

#define HOLE	0x40000000ULL	/* an address the source does not hold */
#define INTR	0xfee00000ULL	/* the interrupt address range */

static struct vtd_translation t;
static char path[2048];

/* ---- building tables through the layouts ----------------------------------------- */

/* Set the lowest bit of the k-th reserved run of a structure: bits no field declares. */
static void plant(struct env *e, uint64_t pa, const struct vtd_layout *l, unsigned k)
{
	struct vtd_rsvd_run runs[32];
	unsigned n = vtd_layout_rsvd_runs(l, l->size, runs, 32);
	uint8_t b[64];

	if (k >= n || vtd_mem_read(e->u.mem, pa, b, l->size, NULL)) {
		ok(0, "%s has no reserved run %u", l->name, k);
		return;
	}
	vtd_bits_set(b, runs[k].lsb, 1, 1);
	vtd_mem_write(e->u.mem, pa, b, l->size, NULL);
}

/* An 8-byte entry that reads as all ones: what QEMU's read helper returns for a failed read. */
static void all_ones(struct env *e, uint64_t pa)
{
	static const uint8_t b[8] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	if (vtd_mem_write(e->u.mem, pa, b, 8, NULL))
		ok(0, "write all ones at 0x%llx", (unsigned long long)pa);
}

/* A unit with every capability the engine knows of. */
static void env_init(struct env *e, int scalable)
{
	/* Static: what e->mid points to outlives this call. */
	static const char *const ss_mid[] = { "R=1", "W=1", "X=1", NULL };
	static const char *const fs_mid[] = { "P=1", "RW=1", "US=1", NULL };

	env_open(e, scalable);
	e->mid[0] = ss_mid;
	e->mid[1] = fs_mid;
	vtd_unit_prepare(&e->u, NULL);
	reg_set(&e->u.cap, &vtd_l_reg_cap, "SAGAW", 0xe);	/* 39, 48 and 57 bits */
	reg_set(&e->u.cap, &vtd_l_reg_cap, "MGAW", 57);
	reg_set(&e->u.cap, &vtd_l_reg_cap, "SSLPS", 3);
	reg_set(&e->u.cap, &vtd_l_reg_cap, "FS1GP", 1);
	reg_set(&e->u.cap, &vtd_l_reg_cap, "FS5LP", 1);
	static const char *const ecaps[] = { "DT", "PT", "SC", "NEST", "PRS", "ERS", "SRS", "EAFS",
		"PASID", "SMTS", "SSADS", "SSTS", "FSTS", "SMPWC", "RPS", "RPRIVS", NULL };
	for (const char *const *c = ecaps; *c; c++)
		reg_set(&e->u.ecap, &vtd_l_reg_ecap, *c, 1);
	reg_set(&e->u.ecap, &vtd_l_reg_ecap, "PSS", 20);
	e->u.haw = 48;
}

/* ---- requests and checks ---------------------------------------------------------- */

static struct vtd_request rqp(unsigned sid, uint32_t pasid, uint64_t addr, unsigned access, int priv)
{
	struct vtd_request r = rq(sid, addr, access);

	r.has_pasid = 1;
	r.pasid = pasid;
	r.priv = (uint8_t)priv;
	return r;
}

/*
 * Every vector run() translates is translated again with no_steps, and by a
 * copy of the unit prepared for its registers (env_init prepares before it
 * sets them, so the unit itself walks in full: the reference), recording
 * steps and not: the fast walks and the settings resolved at prepare
 * time.  All must give the reference's answer, field by field.
 */
static struct {
	unsigned vectors, differ;
	char first[2200];
} xcheck;

/* The fault reasons the vectors produced, in either numbering (test_reasons). */
static uint8_t produced[256];

/* Memory before and after the reference walk, when it stores A/D bits. */
static uint8_t mem_before[TSIZE], mem_after[TSIZE];

static void cross_check(struct env *e, const struct vtd_request *r, int rc, int ad)
{
	static struct vtd_unit v;
	static struct vtd_translation t2;
	const char *what = NULL;

	if (ad)
		vtd_mem_read(e->u.mem, TBASE, mem_after, TSIZE, NULL);
	for (int k = 0; k < 3 && !what; k++) {
		int rc2;

		v = e->u;
		/* Prepared copies; the unit keeps its stale prep, so the reference walks in full. */
		if (k)
			vtd_unit_prepare(&v, NULL);
		v.no_steps = k != 1;
		/* Each variant starts from memory as the reference saw it. */
		if (ad)
			vtd_mem_write(e->u.mem, TBASE, mem_before, TSIZE, NULL);
		rc2 = vtd_translate(&v, r, &t2, NULL);
		if (rc2 != rc || (!rc && !same_answer(&t, &t2, k == 1)))
			what = k == 0 ? "no_steps" : k == 1 ? "prepared" : "prepared, no_steps";
	}
	if (ad)
		vtd_mem_write(e->u.mem, TBASE, mem_after, TSIZE, NULL);
	xcheck.vectors++;
	if (what && !xcheck.differ++)
		snprintf(xcheck.first, sizeof(xcheck.first), "%s differs at sid 0x%x addr 0x%llx: %s",
			 what, r->sid, (unsigned long long)r->addr, path);
}

static int run(struct env *e, const struct vtd_request *r, int numbering)
{
	struct vtd_error err = { 0 };
	int ad = e->u.write_ad && !vtd_mem_read(e->u.mem, TBASE, mem_before, TSIZE, NULL);
	int rc;

	e->u.numbering = (uint8_t)numbering;
	rc = vtd_translate(&e->u, r, &t, &err);
	if (!rc && t.fault)
		produced[t.fault & 0xff] = 1;
	vtd_translation_path(&t, path, sizeof(path));
	cross_check(e, r, rc, ad);
	e->u.numbering = VTD_NUM_SPEC;
	if (rc)
		printf("# vtd_translate: %s\n", err.msg);
	return rc;
}

/* Expect 'spec' and 'qemu' (0: success, -1: not checked) in the two numberings. */
static void expect(struct env *e, const struct vtd_request *r, int spec, int qemu, const char *what)
{
	for (int num = 0; num < 2; num++) {
		int want = num ? qemu : spec;
		const char *nm = num ? "QEMU 7.2" : "spec";

		if (want < 0)
			continue;
		int rc = run(e, r, num ? VTD_NUM_QEMU72 : VTD_NUM_SPEC);
		if (!want) {
			if (!ok(!rc && !t.fault, "%s (%s): translates", what, nm))
				printf("#   %s\n", path);
		} else if (!ok(!rc && t.fault == want && !t.suppressed, "%s (%s): fault 0x%02x", what,
			       nm, want)) {
			printf("#   got fault 0x%02x%s: %s\n", t.fault, t.suppressed ? " suppressed" : "",
			       path);
		}
	}
}

/* Expect success with this output (spec numbering, then QEMU's when qemu_too). */
static void expect_out(struct env *e, const struct vtd_request *r, uint64_t out, uint64_t size,
		       int qemu_too, const char *what)
{
	for (int num = 0; num <= qemu_too; num++) {
		int rc = run(e, r, num ? VTD_NUM_QEMU72 : VTD_NUM_SPEC);

		if (!ok(!rc && !t.fault && t.out == out && t.page_size == size,
			"%s (%s): 0x%llx, %llu KiB", what, num ? "QEMU 7.2" : "spec",
			(unsigned long long)out, (unsigned long long)size >> 10))
			printf("#   got fault 0x%02x out 0x%llx size 0x%llx: %s\n", t.fault,
			       (unsigned long long)t.out, (unsigned long long)t.page_size, path);
	}
}

/* ---- the engine's view of the tables ----------------------------------------------- */

static void test_prep(void)
{
	struct vtd_unit u = { 0 };
	struct vtd_error err = { 0 };
	const struct vtd_walk_prep *p = &u.prep;

	ok(vtd_unit_prepare(&u, &err) == 0 && p->magic == VTD_WALK_PREP_MAGIC,
	   "every field the engine reads is in the descriptor tables %s", err.msg);
	ok(p->cl.did.f == vtd_field_find(&vtd_l_context_legacy, "DID") &&
	   p->cs.rid_pasid.f == vtd_field_find(&vtd_l_context_sm, "RID_PASID") &&
	   p->pa.fsptptr.f == vtd_field_find(&vtd_l_pasid_entry, "FSPTPTR") &&
	   p->cap.sagaw.f == vtd_field_find(&vtd_l_reg_cap, "SAGAW") &&
	   p->ecap.smts.f == vtd_field_find(&vtd_l_reg_ecap, "SMTS"),
	   "resolved fields are the layouts' rows");
	ok(p->pg[0][1][1].l == &vtd_l_ss_pte && p->pg[0][2][1].l == &vtd_l_ss_pde_2m &&
	   p->pg[1][5][0].l == &vtd_l_fs_pml5e && p->pg[0][4][1].l == NULL,
	   "paging layouts per stage, level and leaf");

	/* Positions and reserved bits come from the rows: compare with the generic engine. */
	int good = 1;
	for (int fs = 0; fs < 2; fs++)
		for (int lvl = 1; lvl <= 5; lvl++)
			for (int leaf = 0; leaf < 2; leaf++) {
				const struct vtd_wentry *e = &p->pg[fs][lvl][leaf];
				uint8_t mask[8];
				uint64_t m = 0;

				if (!e->l)
					continue;
				vtd_layout_rsvd_mask(e->l, 8, mask);
				for (int i = 0; i < 8; i++)
					m |= (uint64_t)mask[i] << (8 * i);
				good &= e->rsvd == m;
				good &= e->m_addr == (((1ULL << e->addr->width) - 1) << e->addr->lsb);
				good &= !e->ps->width || e->m_ps == 1ULL << e->ps->lsb;
				good &= fs ? e->m_p == 1ULL << vtd_field_find(e->l, "P")->lsb
					   : e->m_r == 1ULL << vtd_field_find(e->l, "R")->lsb;
			}
	ok(good, "paging masks equal the layouts' rows and reserved runs");
	{
		uint8_t b[16] = { 0 };

		vtd_bits_set(b, p->cl.did.f->lsb, p->cl.did.f->width, 0x1234);
		uint64_t w2[2] = { vtd_bits_get(b, 0, 64), vtd_bits_get(b, 64, 64) };
		is_u64((w2[p->cl.did.w] >> p->cl.did.shift) & p->cl.did.mask, 0x1234,
		       "a resolved field reads back what the layout wrote");
	}
}

static void test_qemu_defaults(void)
{
	struct vtd_unit u = { 0 };

	vtd_unit_qemu_defaults(&u, 0, 39);
	is_u64(u.cap, 0x00d2008c22260206ULL, "QEMU 7.2 CAP (tests/data/regs/qemu72-default.regs)");
	is_u64(u.ecap, 0x0000000000f00f4aULL, "QEMU 7.2 ECAP, legacy");
	ok(u.haw == 39 && u.prep.magic == VTD_WALK_PREP_MAGIC, "HAW 39, prepared");
	vtd_unit_qemu_defaults(&u, 1, 48);
	is_u64(u.cap, 0x00d2008c222f0606ULL, "QEMU 7.2 CAP with aw-bits=48 (qemu72-sm-aw48.regs)");
	is_u64(u.ecap, 0x0000480080f00f4aULL, "QEMU 7.2 ECAP with x-scalable-mode=on");
	vtd_unit_qemu_defaults(&u, 1, 39);
	is_u64(u.ecap, 0x0000480080f00f4aULL, "scalable ECAP with aw-bits=39");
	is_u64(u.cap, 0x00d2008c22260206ULL, "scalable CAP with aw-bits=39");
}

/* ---- legacy mode ------------------------------------------------------------------ */

static void test_legacy_ok(void)
{
	struct env e;
	uint64_t root, ce;
	struct vtd_request r;

	env_init(&e, 0);
	ce = legacy_dev(&e, 0x18, 5, 4, &root);
	map(&e, 0, root, 4, 0x200000, 0x30000000, 1, L("R=1", "W=1", "SNP=1", "EMT=6", "IPAT=1"));
	map(&e, 0, root, 4, 0x400000, 0x60000000, 2, L("R=1", "W=1"));
	map(&e, 0, root, 4, 0x80000000, 0x40000000, 3, L("R=1"));
	r = rq(0x18, 0x200abc, VTD_ACC_W);
	expect_out(&e, &r, 0x30000abc, 4096, 1, "legacy 4-level, 4 KiB page");
	ok(t.nsteps == 6 && t.level == 1 && t.did == 5 && t.perm == (VTD_ACC_R | VTD_ACC_W) &&
	   t.kind == VTD_XK_SECOND && t.snoop && t.emt == 6 && t.ipat,
	   "steps, level, DID, permissions, snoop and memory type of the leaf");
	ok(t.steps[0].layout == &vtd_l_root_legacy && t.steps[1].layout == &vtd_l_context_legacy &&
	   t.steps[2].layout == &vtd_l_ss_pml4e && t.steps[5].layout == &vtd_l_ss_pte &&
	   t.steps[1].pa == ce && t.steps[1].index == 0x18 && t.steps[5].level == 1,
	   "the walk path names each structure, where and at which index");
	{
		char want[256];

		snprintf(want, sizeof(want), "root-legacy[0] @%#llx -> context-legacy[0x18] @%#llx -> ",
			 (unsigned long long)e.root, (unsigned long long)ce);
		ok(!strncmp(path, want, strlen(want)) && strstr(path, "ss-pte[0] @") &&
		   strstr(path, "-> 0x30000abc"), "vtd_translation_path: %s", path);
	}
	r = rq(0x18, 0x5fffff, VTD_ACC_R);
	expect_out(&e, &r, 0x601fffff, 2 << 20, 1, "legacy 2 MiB page");
	ok(t.level == 2 && t.steps[4].layout == &vtd_l_ss_pde_2m, "2 MiB leaf is a PDE (ss-pde-2m)");
	r = rq(0x18, 0x80000123, VTD_ACC_R);
	expect_out(&e, &r, 0x40000123, 1 << 30, 1, "legacy 1 GiB page");
	r = rq(0x18, 0x80000123, VTD_ACC_W);
	expect(&e, &r, 0x05, 0x05, "write to a read-only 1 GiB page");

	/* 3 levels (AW 39-bit) and 5 levels (57-bit). */
	legacy_dev(&e, 0x20, 5, 3, &root);
	map(&e, 0, root, 3, 0x7fff000000, 0x1000, 1, L("R=1", "W=1"));
	r = rq(0x20, 0x7fff000010, VTD_ACC_W);
	expect_out(&e, &r, 0x1010, 4096, 1, "legacy 3-level table");
	ok(t.nsteps == 5, "3 levels: root, context and 3 entries");
	legacy_dev(&e, 0x28, 5, 5, &root);
	map(&e, 0, root, 5, 0x1ff000000000000ULL, 0x2000, 1, L("R=1", "W=1"));
	r = rq(0x28, 0x1ff000000000008ULL, VTD_ACC_R);
	expect_out(&e, &r, 0x2008, 4096, 1, "legacy 5-level table (57-bit address)");
	ok(t.nsteps == 7 && t.steps[2].layout == &vtd_l_ss_pml5e, "5 levels start at a PML5 entry");

	/* Pass-through and translated requests. */
	ce = ctx_of(&e, 0x30);
	put(&e, ce, &vtd_l_context_legacy, L("P=1", "TT=2", "AW=2", "DID=9"));
	r = rq(0x30, 0x12345678, VTD_ACC_W);
	expect_out(&e, &r, 0x12345678, 4096, 1, "legacy pass-through");
	ok(t.passthrough && t.level == 0 && t.did == 9 && t.nsteps == 2 &&
	   t.kind == VTD_XK_PASSTHROUGH, "pass-through: no page walk, DID of the context");
	ce = ctx_of(&e, 0x38);
	put(&e, ce, &vtd_l_context_legacy, L("P=1", "TT=1", "AW=2", "DID=3"));
	setf(&e, ce, &vtd_l_context_legacy, "SSPTPTR", root);
	r = rq(0x38, 0x1ff000000000008ULL, VTD_ACC_R);
	r.at = VTD_AT_TRANSLATED;
	expect_out(&e, &r, 0x1ff000000000008ULL, 4096, 1, "translated request under TT=1 passes");
	ok(t.kind == VTD_XK_TRANSLATED, "translated: kind reported");

	/* Translation disabled: identity. */
	e.u.enabled = 0;
	r = rq(0x99, 0xdead000, VTD_ACC_W);
	expect_out(&e, &r, 0xdead000, 4096, 1, "translation disabled");
	ok(t.kind == VTD_XK_DISABLED && !t.nsteps, "disabled: nothing read");
	e.u.enabled = 1;
	env_free(&e);
}

static void test_legacy_faults(void)
{
	struct env e;
	uint64_t root, ce, pa;
	struct vtd_request r;

	env_init(&e, 0);
	r = rq(0x100, 0, VTD_ACC_R);
	expect(&e, &r, 0x01, 0x01, "root entry not present");
	ce = legacy_dev(&e, 0x18, 5, 4, &root);
	map(&e, 0, root, 4, 0x200000, 0x3000000, 1, L("R=1"));
	map(&e, 0, root, 4, 0x201000, 0x3001000, 1, L("W=1"));
	r = rq(0x18, 0x200000, VTD_ACC_W);
	expect(&e, &r, 0x05, 0x05, "write to a read-only page");
	ok(t.fault_addr == entry_at(&e, 0, root, 4, 0x200000, 1), "the fault names the PTE");
	r = rq(0x18, 0x201000, VTD_ACC_R);
	expect(&e, &r, 0x06, 0x06, "read from a write-only page");
	r = rq(0x18, 0x202000, VTD_ACC_R);
	expect(&e, &r, 0x06, 0x06, "read of a PTE that is not present");
	r = rq(0x18, 0x202000, VTD_ACC_W);
	expect(&e, &r, 0x05, 0x05, "write to a PTE that is not present");
	r = rq(0x18, 0x1000000000000ULL, VTD_ACC_R);
	expect(&e, &r, 0x04, 0x04, "address beyond the 48-bit AW");
	r = rq(0x19, 0, VTD_ACC_R);
	expect(&e, &r, 0x02, 0x02, "context entry not present");

	/* Reserved bits: root, context, every kind of paging entry. */
	plant(&e, e.root + 16 * 2, &vtd_l_root_legacy, 0);
	setf(&e, e.root + 16 * 2, &vtd_l_root_legacy, "P", 1);
	r = rq(0x200, 0, VTD_ACC_R);
	expect(&e, &r, 0x0A, 0x0A, "root entry reserved bit");
	pa = ctx_of(&e, 0x20);
	put(&e, pa, &vtd_l_context_legacy, L("P=1", "AW=2"));
	plant(&e, pa, &vtd_l_context_legacy, 2);
	r = rq(0x20, 0, VTD_ACC_R);
	expect(&e, &r, 0x0B, 0x0B, "context entry reserved bit (high word)");
	pa = ctx_of(&e, 0x21);
	put(&e, pa, &vtd_l_context_legacy, L("P=1", "AW=2"));
	setf(&e, pa, &vtd_l_context_legacy, "SSPTPTR", 1ULL << 50);
	r = rq(0x21, 0, VTD_ACC_R);
	expect(&e, &r, 0x0B, 0x0B, "context table pointer beyond HAW");

	map(&e, 0, root, 4, 0x203000, 0x3003000, 1, L("R=1", "W=1"));
	setf(&e, entry_at(&e, 0, root, 4, 0x203000, 1), &vtd_l_ss_pte, "ADDR", 1ULL << 49);
	r = rq(0x18, 0x203000, VTD_ACC_R);
	expect(&e, &r, 0x0C, 0x0C, "PTE address beyond HAW");
	map(&e, 0, root, 4, 0x204000, 0x3004000, 1, L("R=1", "W=1", "TM=1"));
	r = rq(0x18, 0x204000, VTD_ACC_R);
	expect(&e, &r, 0, 0, "TM allowed with device-TLBs (ECAP.DT)");
	reg_set(&e.u.ecap, &vtd_l_reg_ecap, "DT", 0);
	expect(&e, &r, 0x0C, 0x0C, "TM reserved without device-TLBs");
	reg_set(&e.u.ecap, &vtd_l_reg_ecap, "DT", 1);
	map(&e, 0, root, 4, 0x205000, 0x3005000, 1, L("R=1", "W=1", "SNP=1"));
	r = rq(0x18, 0x205000, VTD_ACC_R);
	expect(&e, &r, 0, 0, "SNP allowed with snoop control");
	reg_set(&e.u.ecap, &vtd_l_reg_ecap, "SC", 0);
	expect(&e, &r, 0x0C, 0x0C, "SNP reserved without snoop control (legacy mode)");
	reg_set(&e.u.ecap, &vtd_l_reg_ecap, "SC", 1);
	pa = map(&e, 0, root, 4, 0x600000, 0x600000, 2, L("R=1", "W=1"));
	plant(&e, pa, &vtd_l_ss_pde_2m, 0);
	r = rq(0x18, 0x600000, VTD_ACC_R);
	expect(&e, &r, 0x0C, 0x0C, "2 MiB leaf with a low address bit set");
	map(&e, 0, root, 4, 0x40000000, 0x40000000, 3, L("R=1", "W=1"));
	r = rq(0x18, 0x40000000, VTD_ACC_R);
	expect(&e, &r, 0, 0, "1 GiB page with CAP.SSLPS 1G");
	reg_set(&e.u.cap, &vtd_l_reg_cap, "SSLPS", 1);
	expect(&e, &r, 0x0C, 0x0C, "1 GiB page without CAP.SSLPS 1G");
	reg_set(&e.u.cap, &vtd_l_reg_cap, "SSLPS", 3);
	pa = entry_at(&e, 0, root, 4, 0x8000000000ULL, 4);
	put(&e, pa, &vtd_l_ss_pml4e, L("R=1", "W=1"));
	setf(&e, pa, &vtd_l_ss_pml4e, "ADDR", root);
	plant(&e, pa, &vtd_l_ss_pml4e, 0);
	r = rq(0x18, 0x8000000000ULL, VTD_ACC_R);
	expect(&e, &r, 0x0C, 0x0C, "PML4 entry with PS (reserved at the top)");
	/* QEMU checks permissions before reserved bits. */
	pa = map(&e, 0, root, 4, 0x206000, 0x3006000, 1, L("R=1"));
	setf(&e, pa, &vtd_l_ss_pte, "ADDR", 1ULL << 49);
	r = rq(0x18, 0x206000, VTD_ACC_W);
	expect(&e, &r, 0x0C, 0x05, "read-only PTE with a reserved bit, written");

	/* The context entry's own checks. */
	pa = ctx_of(&e, 0x30);
	put(&e, pa, &vtd_l_context_legacy, L("P=1", "AW=0"));
	r = rq(0x30, 0, VTD_ACC_R);
	expect(&e, &r, 0x03, 0x03, "AW value CAP.SAGAW does not list");
	put(&e, pa, &vtd_l_context_legacy, L("P=1", "AW=2", "TT=3"));
	expect(&e, &r, 0x03, 0x03, "reserved translation type");
	put(&e, pa, &vtd_l_context_legacy, L("P=1", "AW=2", "TT=1"));
	reg_set(&e.u.ecap, &vtd_l_reg_ecap, "DT", 0);
	expect(&e, &r, 0x03, 0x03, "device-TLB type without ECAP.DT");
	reg_set(&e.u.ecap, &vtd_l_reg_ecap, "DT", 1);
	put(&e, pa, &vtd_l_context_legacy, L("P=1", "AW=2", "TT=2"));
	reg_set(&e.u.ecap, &vtd_l_reg_ecap, "PT", 0);
	expect(&e, &r, 0x03, 0x03, "pass-through without ECAP.PT");
	reg_set(&e.u.ecap, &vtd_l_reg_ecap, "PT", 1);
	r.at = VTD_AT_TRANSLATION_REQ;
	expect(&e, &r, 0x0D, 0x0D, "translation request to a pass-through context");
	put(&e, pa, &vtd_l_context_legacy, L("P=1", "AW=2", "TT=0"));
	r.at = VTD_AT_TRANSLATED;
	expect(&e, &r, 0x0D, 0x0D, "translated request without TT=1");

	/* Unreadable structures: the read-error faults, marked unbacked. */
	setf(&e, pa, &vtd_l_context_legacy, "SSPTPTR", HOLE);
	r = rq(0x30, 0, VTD_ACC_R);
	expect(&e, &r, 0x03, 0x03, "top table outside the source");
	ok(t.unbacked && t.fault_addr == HOLE, "unbacked, at the missing address");
	map(&e, 0, root, 4, 0x207000, 0x3007000, 1, L("R=1"));
	setf(&e, entry_at(&e, 0, root, 4, 0x207000, 2), &vtd_l_ss_pde, "ADDR", HOLE);
	r = rq(0x18, 0x207000, VTD_ACC_R);
	expect(&e, &r, 0x07, 0x07, "lower table outside the source");
	ok(t.unbacked, "unbacked");
	setf(&e, e.root + 16 * 3, &vtd_l_root_legacy, "P", 1);
	setf(&e, e.root + 16 * 3, &vtd_l_root_legacy, "CTP", HOLE);
	r = rq(0x300, 0, VTD_ACC_R);
	expect(&e, &r, 0x09, 0x09, "context table outside the source");
	reg_set(&e.u.rtaddr, &vtd_l_reg_rtaddr, "RTA", HOLE);
	expect(&e, &r, 0x08, 0x08, "root table outside the source");
	reg_set(&e.u.rtaddr, &vtd_l_reg_rtaddr, "RTA", e.root);

	/*
	 * QEMU 7.2 (tests/qemu/README.md facts 10-12): an entry that reads as
	 * all ones is a failed read, RTADDR bits at and above HAW are dropped,
	 * and RTADDR.SMT means nothing to a unit without ECAP.SMTS.
	 */
	map(&e, 0, root, 4, 0xa0a000, 0x300a000, 1, L("R=1", "W=1"));
	pa = map(&e, 0, root, 4, 0xa09000, 0x3009000, 1, L("R=1", "W=1"));
	all_ones(&e, pa);
	r = rq(0x18, 0xa09000, VTD_ACC_W);
	expect(&e, &r, 0x0C, 0x07, "all-ones PTE (QEMU: a failed read below the top)");
	e.u.haw = 0;
	expect(&e, &r, 0, 0x07, "all-ones PTE without a HAW check: every bit is a field");
	e.u.haw = 48;
	pa = map(&e, 0, root, 4, 0x1009000, 0x3009000, 1, L("R=1", "W=1"));
	all_ones(&e, entry_at(&e, 0, root, 4, 0x1009000, 2));
	r = rq(0x18, 0x1009000, VTD_ACC_W);
	expect(&e, &r, 0x0C, 0x07, "all-ones PDE (a 2 MiB leaf with reserved bits)");
	legacy_dev(&e, 0x40, 5, 4, &pa);
	all_ones(&e, pa);
	r = rq(0x40, 0, VTD_ACC_R);
	expect(&e, &r, 0x0C, 0x03, "all-ones PML4 entry (QEMU: a failed read at the top)");
	r = rq(0x18, 0xa0a000, VTD_ACC_R);
	expect(&e, &r, 0, 0, "a neighbour of the all-ones PTE");
	reg_set(&e.u.rtaddr, &vtd_l_reg_rtaddr, "RTA", e.root | 1ULL << 50);
	expect(&e, &r, 0x08, 0, "RTADDR bit 50 on a 48-bit unit (QEMU drops it)");
	reg_set(&e.u.rtaddr, &vtd_l_reg_rtaddr, "RTA", e.root);
	reg_set(&e.u.rtaddr, &vtd_l_reg_rtaddr, "TTM", 1);
	reg_set(&e.u.ecap, &vtd_l_reg_ecap, "SMTS", 0);
	expect(&e, &r, -1, 0, "RTADDR.SMT without ECAP.SMTS (QEMU walks legacy tables)");
	reg_set(&e.u.rtaddr, &vtd_l_reg_rtaddr, "TTM", 2);
	expect(&e, &r, 0x30, 0, "RTADDR.TTM 10b (QEMU walks legacy tables)");
	reg_set(&e.u.ecap, &vtd_l_reg_ecap, "SMTS", 1);
	reg_set(&e.u.rtaddr, &vtd_l_reg_rtaddr, "TTM", 0);

	/* The interrupt address range as output, and a request with PASID. */
	map(&e, 0, root, 4, 0x808000, INTR, 1, L("R=1", "W=1"));
	r = rq(0x18, 0x808000, VTD_ACC_W);
	expect(&e, &r, 0x0E, 0x0E, "output in the interrupt address range");
	map(&e, 0, root, 4, 0xc00000, INTR & ~0x1fffffULL, 2, L("R=1", "W=1"));
	r = rq(0x18, 0xdff000, VTD_ACC_W);
	expect(&e, &r, 0x0E, 0x0E, "2 MiB page overlapping the range (QEMU judges the page)");
	r = rqp(0x18, 1, 0x200000, VTD_ACC_R, 0);
	expect(&e, &r, 0x31, 0x31, "request with PASID in legacy mode");
	r = rq(0x18, 0x200000, VTD_ACC_R);
	r.at = VTD_AT_PAGE_REQUEST;
	expect(&e, &r, 0x32, 0x32, "page request in legacy mode");
	r = rqp(0x18, 1, 0x200000, VTD_ACC_W, 0);
	r.at = VTD_AT_PAGE_REQUEST;
	expect(&e, &r, 0x32, 0x32, "page request with PASID in legacy mode");
	(void)ce;
	env_free(&e);
}

/* ---- scalable mode: context, PASID structures, second stage ------------------------------ */

#define SS2 L("PGTT=2", "AW=2", "DID=7", "PWSNP=1")

static void test_sm_ok(void)
{
	struct env e;
	struct smdev d;
	struct vtd_request r;

	env_init(&e, 1);
	d = sm_dev(&e, 0x18, 0, L("RID_PASID=0"), SS2);
	map(&e, 0, d.ss, 4, 0x200000, 0x30000000, 1, L("R=1", "W=1"));
	map(&e, 0, d.ss, 4, 0x400000, 0x60000000, 2, L("R=1", "W=1"));
	map(&e, 0, d.ss, 4, 0xc0000000, 0x40000000, 3, L("R=1", "W=1"));
	r = rq(0x18, 0x200010, VTD_ACC_W);
	expect_out(&e, &r, 0x30000010, 4096, 1, "scalable second stage, RID_PASID 0");
	ok(t.nsteps == 8 && t.did == 7 && t.has_pasid && t.pasid == 0 &&
	   t.steps[0].layout == &vtd_l_root_sm && t.steps[1].layout == &vtd_l_context_sm &&
	   t.steps[2].layout == &vtd_l_pasid_dir && t.steps[3].layout == &vtd_l_pasid_entry,
	   "root, context, directory, PASID entry, 4 levels; DID from the PASID entry");
	r = rq(0x18, 0x5fffff, VTD_ACC_R);
	expect_out(&e, &r, 0x601fffff, 2 << 20, 1, "scalable 2 MiB page");
	r = rq(0x18, 0xc0001000, VTD_ACC_R);
	expect_out(&e, &r, 0x40001000, 1 << 30, 1, "scalable 1 GiB page");

	/* Requests with PASID, the upper context table, 3 and 5 levels. */
	d = sm_dev(&e, 0x20, 0x345, L("PASIDE=1", "PDTS=256"), L("PGTT=2", "AW=1", "DID=8", "PWSNP=1"));
	map(&e, 0, d.ss, 3, 0x1000, 0x5000, 1, L("R=1", "W=1"));
	r = rqp(0x20, 0x345, 0x1008, VTD_ACC_R, 0);
	expect(&e, &r, -1, 0x58, "QEMU 7.2 first checks the RID_PASID entry (absent here)");
	expect_out(&e, &r, 0x5008, 4096, 0, "request with PASID 0x345, 3-level table");
	ok(t.pasid == 0x345 && t.steps[2].index == 0x345 >> 6 && t.steps[3].index == (0x345 & 63),
	   "directory index PASID[19:6], table index PASID[5:0]");
	d = sm_dev(&e, 0x80, 3, L("RID_PASID=3"), L("PGTT=2", "AW=3", "DID=9", "PWSNP=1"));
	map(&e, 0, d.ss, 5, 0x100000000000000ULL, 0x7000, 1, L("R=1", "W=1"));
	r = rq(0x80, 0x100000000000000ULL, VTD_ACC_W);
	expect_out(&e, &r, 0x7000, 4096, 0, "devfn 0x80: upper context table, 5 levels");
	ok(t.steps[0].layout == &vtd_l_root_sm && t.nsteps == 9, "5-level walk under the UCTP");

	/* Pass-through and translated. */
	d = sm_dev(&e, 0x28, 0, L("DTE=1"), L("PGTT=4", "AW=2", "DID=4"));
	r = rq(0x28, 0x7654321, VTD_ACC_W);
	expect_out(&e, &r, 0x7654321, 4096, 1, "PASID-granular pass-through");
	ok(t.passthrough && t.did == 4 && t.kind == VTD_XK_PASSTHROUGH, "pass-through reported");
	r.at = VTD_AT_TRANSLATED;
	expect_out(&e, &r, 0x7654321, 4096, 1, "translated request with DTE");
	env_free(&e);
}

static void test_sm_faults(void)
{
	struct env e;
	struct smdev d;
	struct vtd_request r;
	uint64_t pa;

	env_init(&e, 1);
	r = rq(0x100, 0, VTD_ACC_R);
	expect(&e, &r, 0x39, 0x01, "scalable root entry not present");
	d = sm_dev(&e, 0x18, 0, L("RID_PASID=0"), SS2);
	map(&e, 0, d.ss, 4, 0x200000, 0x3000000, 1, L("R=1"));
	map(&e, 0, d.ss, 4, 0x201000, 0x3001000, 1, L("W=1"));
	r = rq(0x98, 0, VTD_ACC_R);
	expect(&e, &r, 0x39, 0x01, "upper half not present (UP clear)");
	r = rq(0x19, 0, VTD_ACC_R);
	expect(&e, &r, 0x41, 0x02, "scalable context entry not present");

	/* Second stage. */
	r = rq(0x18, 0x202000, VTD_ACC_R);
	expect(&e, &r, 0x79, 0x06, "second-stage entry not present (read)");
	r = rq(0x18, 0x202000, VTD_ACC_W);
	expect(&e, &r, 0x79, 0x05, "second-stage entry not present (write)");
	r = rq(0x18, 0x200000, VTD_ACC_W);
	expect(&e, &r, 0x85, 0x05, "write to a read-only page");
	r = rq(0x18, 0x201000, VTD_ACC_R);
	expect(&e, &r, 0x86, 0x06, "read from a write-only page");
	r = rq(0x18, 0x1000000000000ULL, VTD_ACC_R);
	expect(&e, &r, 0x83, 0x04, "address beyond the PASID entry's AW");
	pa = map(&e, 0, d.ss, 4, 0x203000, 0x3003000, 1, L("R=1", "W=1"));
	setf(&e, pa, &vtd_l_ss_pte, "ADDR", 1ULL << 50);
	r = rq(0x18, 0x203000, VTD_ACC_R);
	expect(&e, &r, 0x7A, 0x0C, "second-stage entry beyond HAW");
	map(&e, 0, d.ss, 4, 0x204000, INTR, 1, L("R=1", "W=1"));
	r = rq(0x18, 0x204000, VTD_ACC_W);
	expect(&e, &r, 0x87, 0x87, "output in the interrupt address range");
	map(&e, 0, d.ss, 4, 0x205000, 0x3005000, 1, L("R=1", "W=1", "SNP=1"));
	reg_set(&e.u.ecap, &vtd_l_reg_ecap, "SC", 0);
	r = rq(0x18, 0x205000, VTD_ACC_R);
	expect(&e, &r, 0, 0, "SNP ignored in scalable mode without snoop control");
	reg_set(&e.u.ecap, &vtd_l_reg_ecap, "SC", 1);
	setf(&e, entry_at(&e, 0, d.ss, 4, 0x206000, 2), &vtd_l_ss_pde, "ADDR", HOLE);
	r = rq(0x18, 0x206000, VTD_ACC_R);
	expect(&e, &r, 0x78, 0x07, "lower second-stage table outside the source");
	d = sm_dev(&e, 0x20, 0, NULL, SS2);
	setf(&e, d.pe, &vtd_l_pasid_entry, "SSPTPTR", HOLE);
	r = rq(0x20, 0, VTD_ACC_R);
	expect(&e, &r, 0x7B, 0x03, "top second-stage table outside the source");
	d = sm_dev(&e, 0x48, 0, NULL, SS2);
	map(&e, 0, d.ss, 4, 0x207000, 0x3007000, 1, L("R=1", "W=1"));
	all_ones(&e, entry_at(&e, 0, d.ss, 4, 0x207000, 2));
	r = rq(0x48, 0x207000, VTD_ACC_R);
	expect(&e, &r, 0x7A, 0x07, "all-ones second-stage PDE (QEMU: a failed read)");
	all_ones(&e, d.ss);
	expect(&e, &r, 0x7A, 0x03, "all-ones second-stage PML4 entry (QEMU: at the top)");

	/* The PASID entry. */
	d = sm_dev(&e, 0x28, 0, NULL, SS2);
	map(&e, 0, d.ss, 4, 0, 0x9000, 1, L("R=1", "W=1"));
	setf(&e, d.pe, &vtd_l_pasid_entry, "P", 0);
	r = rq(0x28, 0, VTD_ACC_R);
	expect(&e, &r, 0x59, 0x58, "PASID entry not present");
	setf(&e, d.pe, &vtd_l_pasid_entry, "P", 1);
	plant(&e, d.pe, &vtd_l_pasid_entry, 0);
	expect(&e, &r, 0x5A, 0, "PASID entry reserved bit (QEMU does not check)");
	put(&e, d.pe, &vtd_l_pasid_entry, L("P=1", "PGTT=0", "AW=2", "PWSNP=1"));
	expect(&e, &r, 0x5B, 0x58, "PGTT 0");
	put(&e, d.pe, &vtd_l_pasid_entry, L("P=1", "PGTT=5", "AW=2", "PWSNP=1"));
	expect(&e, &r, 0x5B, 0x58, "PGTT 5");
	put(&e, d.pe, &vtd_l_pasid_entry, L("P=1", "PGTT=2", "AW=0", "PWSNP=1"));
	expect(&e, &r, 0x5B, 0x58, "second-stage AW the unit lacks");
	put(&e, d.pe, &vtd_l_pasid_entry, L("P=1", "PGTT=4", "AW=0"));
	expect(&e, &r, 0, 0x58, "pass-through with AW 0 (QEMU 7.2 checks AW anyway)");
	put(&e, d.pe, &vtd_l_pasid_entry, L("P=1", "PGTT=1", "AW=2", "FSPM=1", "PWSNP=1"));
	reg_set(&e.u.cap, &vtd_l_reg_cap, "FS5LP", 0);
	expect(&e, &r, 0x5B, -1, "5-level first stage without CAP.FS5LP");
	reg_set(&e.u.cap, &vtd_l_reg_cap, "FS5LP", 1);
	put(&e, d.pe, &vtd_l_pasid_entry, L("P=1", "PGTT=3", "AW=2", "PWSNP=1"));
	reg_set(&e.u.ecap, &vtd_l_reg_ecap, "NEST", 0);
	expect(&e, &r, 0x5B, -1, "nested without ECAP.NEST");
	reg_set(&e.u.ecap, &vtd_l_reg_ecap, "NEST", 1);
	put(&e, d.pe, &vtd_l_pasid_entry, L("P=1", "PGTT=2", "AW=2", "SSADE=1", "PWSNP=1"));
	reg_set(&e.u.ecap, &vtd_l_reg_ecap, "SSADS", 0);
	expect(&e, &r, 0x5A, -1, "SSADE without ECAP.SSADS");
	reg_set(&e.u.ecap, &vtd_l_reg_ecap, "SSADS", 1);
	setf(&e, d.pe, &vtd_l_pasid_entry, "SSPTPTR", 1ULL << 50);
	expect(&e, &r, 0x5A, -1, "second-stage pointer beyond HAW");
	setf(&e, d.pe, &vtd_l_pasid_entry, "PGTT", 4);
	expect(&e, &r, 0, -1, "pass-through ignores the unused pointer");

	d = sm_dev(&e, 0x30, 0x40, L("PASIDE=1"), SS2);
	r = rqp(0x30, 0x40, 0, VTD_ACC_R | VTD_ACC_X, 0);
	expect(&e, &r, 0x5C, -1, "execute request with ERE clear");
	r = rqp(0x30, 0x40, 0, VTD_ACC_R, 1);
	expect(&e, &r, 0x5D, -1, "supervisor request with SRE clear");

	/* The directory entry. */
	setf(&e, d.dir, &vtd_l_pasid_dir, "P", 0);
	r = rqp(0x30, 0x40, 0, VTD_ACC_R, 0);
	expect(&e, &r, 0x51, 0x58, "PASID directory entry not present");
	setf(&e, d.dir, &vtd_l_pasid_dir, "P", 1);
	plant(&e, d.dir, &vtd_l_pasid_dir, 0);
	expect(&e, &r, 0x52, -1, "PASID directory entry reserved bit");
	put(&e, d.dir, &vtd_l_pasid_dir, L("P=1"));
	setf(&e, d.dir, &vtd_l_pasid_dir, "SMPTBLPTR", HOLE);
	expect(&e, &r, 0x58, 0x58, "PASID table outside the source");
	setf(&e, d.ctx, &vtd_l_context_sm, "PASIDDIRPTR", HOLE);
	expect(&e, &r, 0x50, 0x58, "PASID directory outside the source");

	/* The context entry. */
	d = sm_dev(&e, 0x38, 0, NULL, SS2);
	map(&e, 0, d.ss, 4, 0, 0x9000, 1, L("R=1", "W=1"));
	plant(&e, d.ctx, &vtd_l_context_sm, 0);
	r = rq(0x38, 0, VTD_ACC_R);
	expect(&e, &r, 0x42, 0x0B, "scalable context reserved bit");
	put(&e, d.ctx, &vtd_l_context_sm, L("P=1", "RID_PRIV=1"));
	setf(&e, d.ctx, &vtd_l_context_sm, "PASIDDIRPTR", d.dir);
	reg_set(&e.u.ecap, &vtd_l_reg_ecap, "RPRIVS", 0);
	expect(&e, &r, 0x42, 0, "RID_PRIV without ECAP.RPRIVS");
	reg_set(&e.u.ecap, &vtd_l_reg_ecap, "RPRIVS", 1);
	expect(&e, &r, 0x5D, 0, "RID_PRIV makes requests without PASID supervisor (SRE clear)");
	put(&e, d.ctx, &vtd_l_context_sm, L("P=1", "RID_PASID=64"));
	setf(&e, d.ctx, &vtd_l_context_sm, "PASIDDIRPTR", d.dir);
	reg_set(&e.u.ecap, &vtd_l_reg_ecap, "RPS", 0);
	expect(&e, &r, 0x48, -1, "RID_PASID without ECAP.RPS");
	reg_set(&e.u.ecap, &vtd_l_reg_ecap, "RPS", 1);
	r = rqp(0x38, 5, 0, VTD_ACC_R, 0);
	expect(&e, &r, 0x45, -1, "request with PASID, PASIDE clear");
	put(&e, d.ctx, &vtd_l_context_sm, L("P=1", "PASIDE=1", "PDTS=128"));
	setf(&e, d.ctx, &vtd_l_context_sm, "PASIDDIRPTR", d.dir);
	r = rqp(0x38, 128 * 64, 0, VTD_ACC_R, 0);
	expect(&e, &r, 0x46, -1, "PASID beyond the directory (PDTS)");
	reg_set(&e.u.ecap, &vtd_l_reg_ecap, "PSS", 12);
	r = rqp(0x38, 0, 0, VTD_ACC_R, 0);
	expect(&e, &r, 0x43, 0, "directory larger than ECAP.PSS allows");
	reg_set(&e.u.ecap, &vtd_l_reg_ecap, "PSS", 20);
	r = rq(0x38, 0, VTD_ACC_R);
	r.at = VTD_AT_TRANSLATION_REQ;
	expect(&e, &r, 0x44, 0, "translation request with DTE clear (QEMU walks)");
	setf(&e, e.root + 16 * 4, &vtd_l_root_sm, "LP", 1);
	setf(&e, e.root + 16 * 4, &vtd_l_root_sm, "LCTP", HOLE);
	r = rq(0x400, 0, VTD_ACC_R);
	expect(&e, &r, 0x40, 0x09, "scalable context table outside the source");
	plant(&e, e.root + 16 * 5, &vtd_l_root_sm, 1);
	setf(&e, e.root + 16 * 5, &vtd_l_root_sm, "LP", 1);
	r = rq(0x500, 0, VTD_ACC_R);
	expect(&e, &r, 0x3A, 0x0A, "scalable root entry reserved bit (upper half)");
	reg_set(&e.u.rtaddr, &vtd_l_reg_rtaddr, "RTA", HOLE);
	expect(&e, &r, 0x38, 0x08, "scalable root table outside the source");
	reg_set(&e.u.rtaddr, &vtd_l_reg_rtaddr, "RTA", e.root);
	reg_set(&e.u.rtaddr, &vtd_l_reg_rtaddr, "TTM", 2);
	expect(&e, &r, 0x30, -1, "reserved translation table mode");
	reg_set(&e.u.rtaddr, &vtd_l_reg_rtaddr, "TTM", 3);
	reg_set(&e.u.ecap, &vtd_l_reg_ecap, "ADMS", 1);
	run(&e, &r, VTD_NUM_SPEC);
	ok(t.fault == 0x30 && t.suppressed, "abort-DMA mode blocks without recording");
	env_free(&e);
}

/* ---- first stage ---------------------------------------------------------------------- */

#define FS1 L("PGTT=1", "AW=2", "DID=11", "PWSNP=1", "SRE=1", "ERE=1")

static void test_fs(void)
{
	struct env e;
	struct smdev d;
	struct vtd_request r;
	uint64_t pa;

	env_init(&e, 1);
	d = sm_dev(&e, 0x18, 1, L("PASIDE=1"), FS1);
	map(&e, 1, d.fs, 4, 0x1000, 0x50000000, 1, L("P=1", "RW=1", "US=1"));
	map(&e, 1, d.fs, 4, 0x200000, 0x60000000, 2, L("P=1", "RW=1", "US=1"));
	map(&e, 1, d.fs, 4, 0x40000000, 0x80000000, 3, L("P=1", "US=1"));
	map(&e, 1, d.fs, 4, 0xffff800000001000ULL, 0x51000000, 1, L("P=1", "RW=1", "US=1"));
	map(&e, 1, d.fs, 4, 0x2000, 0x52000000, 1, L("P=1", "RW=1"));		/* supervisor */
	map(&e, 1, d.fs, 4, 0x3000, 0x53000000, 1, L("P=1", "US=1"));		/* read-only */
	map(&e, 1, d.fs, 4, 0x4000, 0x54000000, 1, L("P=1", "RW=1", "US=1", "XD=1"));
	map(&e, 1, d.fs, 4, 0x5000, INTR, 1, L("P=1", "RW=1", "US=1"));
	r = rqp(0x18, 1, 0x1234, VTD_ACC_W, 0);
	expect_out(&e, &r, 0x50000234, 4096, 0, "first stage, 4 KiB page");
	ok(t.kind == VTD_XK_FIRST && t.nsteps == 8 && t.steps[4].layout == &vtd_l_fs_pml4e &&
	   t.steps[7].layout == &vtd_l_fs_pte && t.did == 11 && t.perm == 7,
	   "first-stage steps, DID and permissions");
	r = rqp(0x18, 1, 0x3fffff, VTD_ACC_R, 0);
	expect_out(&e, &r, 0x601fffff, 2 << 20, 0, "first stage, 2 MiB page");
	r = rqp(0x18, 1, 0x40000010, VTD_ACC_R, 0);
	expect_out(&e, &r, 0x80000010, 1 << 30, 0, "first stage, 1 GiB page (CAP.FS1GP)");
	reg_set(&e.u.cap, &vtd_l_reg_cap, "FS1GP", 0);
	expect(&e, &r, 0x72, -1, "1 GiB page without CAP.FS1GP");
	reg_set(&e.u.cap, &vtd_l_reg_cap, "FS1GP", 1);
	r = rqp(0x18, 1, 0xffff800000001008ULL, VTD_ACC_R, 0);
	expect_out(&e, &r, 0x51000008, 4096, 0, "canonical address with the top bits set");
	r = rqp(0x18, 1, 0x0000800000001000ULL, VTD_ACC_R, 0);
	expect(&e, &r, 0x80, -1, "non-canonical address (bit 47 set, 63:48 clear)");
	r = rqp(0x18, 1, 0xfff0000000001000ULL, VTD_ACC_R, 0);
	expect(&e, &r, 0x80, -1, "non-canonical address (bits 63:52 only)");
	r = rqp(0x18, 1, 0x9000, VTD_ACC_R, 0);
	expect(&e, &r, 0x71, -1, "first-stage entry not present");
	r = rqp(0x18, 1, 0x2000, VTD_ACC_R, 0);
	expect(&e, &r, 0x81, -1, "user request to a supervisor page");
	r = rqp(0x18, 1, 0x2000, VTD_ACC_W, 1);
	expect_out(&e, &r, 0x52000000, 4096, 0, "supervisor request to a supervisor page");
	r = rqp(0x18, 1, 0x3000, VTD_ACC_W, 0);
	expect(&e, &r, 0x85, -1, "user write to a read-only page");
	r = rqp(0x18, 1, 0x3000, VTD_ACC_W, 1);
	expect(&e, &r, 0, -1, "supervisor write to a read-only page, WPE clear");
	setf(&e, d.pe, &vtd_l_pasid_entry, "WPE", 1);
	expect(&e, &r, 0x85, -1, "supervisor write to a read-only page, WPE set");
	setf(&e, d.pe, &vtd_l_pasid_entry, "WPE", 0);
	r = rqp(0x18, 1, 0x4000, VTD_ACC_R | VTD_ACC_X, 0);
	expect(&e, &r, 0x82, -1, "execute from an XD page");
	r = rqp(0x18, 1, 0x1000, VTD_ACC_R | VTD_ACC_X, 1);
	expect(&e, &r, 0x82, -1, "supervisor execute from a user page");
	r = rqp(0x18, 1, 0x1000, VTD_ACC_R | VTD_ACC_X, 0);
	expect(&e, &r, 0, -1, "user execute from a user page");
	r = rqp(0x18, 1, 0x5000, VTD_ACC_W, 0);
	expect(&e, &r, 0x87, -1, "first-stage output in the interrupt range");
	pa = entry_at(&e, 1, d.fs, 4, 0x8000000000ULL, 4);
	put(&e, pa, &vtd_l_fs_pml4e, L("P=1", "RW=1", "US=1"));
	setf(&e, pa, &vtd_l_fs_pml4e, "ADDR", d.fs);
	plant(&e, pa, &vtd_l_fs_pml4e, 0);
	r = rqp(0x18, 1, 0x8000000000ULL, VTD_ACC_R, 0);
	expect(&e, &r, 0x72, -1, "first-stage PML4 entry with PS");
	setf(&e, entry_at(&e, 1, d.fs, 4, 0x7000, 2), &vtd_l_fs_pde, "ADDR", HOLE);
	r = rqp(0x18, 1, 0x7000, VTD_ACC_R, 0);
	expect(&e, &r, 0x70, -1, "lower first-stage table outside the source");
	setf(&e, d.pe, &vtd_l_pasid_entry, "PWSNP", 0);
	r = rqp(0x18, 1, 0x200000, VTD_ACC_R, 0);
	expect(&e, &r, 0x90, -1, "A/D update with non-snooped walks (SMPWC, PWSNP clear)");
	setf(&e, d.pe, &vtd_l_pasid_entry, "PWSNP", 1);
	setf(&e, d.pe, &vtd_l_pasid_entry, "FSPTPTR", HOLE);
	expect(&e, &r, 0x73, -1, "top first-stage table outside the source");

	/* 5 levels. */
	d = sm_dev(&e, 0x20, 2, L("PASIDE=1"), L("PGTT=1", "FSPM=1", "DID=12", "PWSNP=1"));
	map(&e, 1, d.fs, 5, 0x0080000000000000ULL, 0x55000000, 1, L("P=1", "RW=1", "US=1"));
	r = rqp(0x20, 2, 0x0080000000000010ULL, VTD_ACC_R, 0);
	expect_out(&e, &r, 0x55000010, 4096, 0, "5-level first stage (57-bit canonical)");
	ok(t.nsteps == 9 && t.steps[4].layout == &vtd_l_fs_pml5e, "5 first-stage levels");
	r = rqp(0x20, 2, 0x0100000000000000ULL, VTD_ACC_R, 0);
	expect(&e, &r, 0x80, -1, "non-canonical for 5 levels (bit 56 set alone)");

	/* QEMU with first-stage support (flts): same codes, PGTT must be 1. */
	e.u.flts = 1;
	d = sm_dev(&e, 0x28, 0, NULL, L("PGTT=1", "AW=2", "DID=13", "PWSNP=1"));
	map(&e, 1, d.fs, 4, 0x1000, 0x56000000, 1, L("P=1", "US=1"));
	map(&e, 1, d.fs, 4, 0x2000, 0x57000000, 1, L("P=1", "RW=1"));
	r = rq(0x28, 0x1000, VTD_ACC_R);
	expect_out(&e, &r, 0x56000000, 4096, 1, "QEMU flts: first stage for RID_PASID");
	r = rq(0x28, 0x1000, VTD_ACC_W);
	expect(&e, &r, -1, 0x85, "QEMU flts: write to a read-only page");
	r = rq(0x28, 0x2000, VTD_ACC_R);
	expect(&e, &r, -1, 0x81, "QEMU flts: every request is a user request");
	r = rq(0x28, 0x9000, VTD_ACC_R);
	expect(&e, &r, -1, 0x71, "QEMU flts: not present");
	r = rq(0x28, 0x0000800000000000ULL, VTD_ACC_R);
	expect(&e, &r, -1, 0x80, "QEMU flts: non-canonical w.r.t. the PASID entry's AW");
	setf(&e, d.pe, &vtd_l_pasid_entry, "PGTT", 2);
	r = rq(0x28, 0x1000, VTD_ACC_R);
	expect(&e, &r, -1, 0x58, "QEMU flts: second-stage PGTT rejected");
	e.u.flts = 0;
	env_free(&e);
}

/* ---- nested ---------------------------------------------------------------------------- */

/* Second-stage identity maps (4 KiB, R/W) for every table page allocated so far. */
static void identity_tables(struct env *e, uint64_t ss, int levels)
{
	uint64_t end = e->next;

	for (uint64_t gpa = TBASE; gpa < end; gpa += 0x1000)
		map(e, 0, ss, levels, gpa, gpa, 1, L("R=1", "W=1", "X=1"));
}

static void test_nested(void)
{
	struct env e;
	struct smdev d;
	struct vtd_request r;
	uint64_t pa;

	env_init(&e, 1);
	d = sm_dev(&e, 0x18, 1, L("PASIDE=1"), L("PGTT=3", "AW=2", "DID=21", "PWSNP=1"));
	map(&e, 1, d.fs, 4, 0x1000, 0x80000000, 1, L("P=1", "RW=1", "US=1"));
	map(&e, 1, d.fs, 4, 0x2000, 0x80001000, 1, L("P=1", "RW=1", "US=1"));
	map(&e, 1, d.fs, 4, 0x3000, 1ULL << 49, 1, L("P=1", "RW=1", "US=1"));
	map(&e, 1, d.fs, 4, 0x200000, 0x80200000, 2, L("P=1", "RW=1", "US=1"));
	identity_tables(&e, d.ss, 4);
	map(&e, 0, d.ss, 4, 0x80000000, 0x90000000, 1, L("R=1", "W=1"));
	map(&e, 0, d.ss, 4, 0x80001000, 0x90001000, 1, L("R=1"));
	map(&e, 0, d.ss, 4, 0x80200000, 0x90000000, 1, L("R=1", "W=1"));
	r = rqp(0x18, 1, 0x1abc, VTD_ACC_W, 0);
	expect_out(&e, &r, 0x90000abc, 4096, 0, "nested: first stage over second stage");
	ok(t.kind == VTD_XK_NESTED && t.nsteps == 28 && t.steps[4].layout == &vtd_l_ss_pml4e &&
	   t.steps[8].layout == &vtd_l_fs_pml4e && t.steps[27].layout == &vtd_l_ss_pte,
	   "each first-stage table and the output go through the second stage (28 steps)");
	r = rqp(0x18, 1, 0x2000, VTD_ACC_W, 0);
	expect(&e, &r, 0x85, -1, "nested: second stage denies the write");
	r = rqp(0x18, 1, 0x200010, VTD_ACC_R, 0);
	expect_out(&e, &r, 0x90000010, 4096, 0, "nested: 2 MiB first-stage page over a 4 KiB one");
	e.u.haw = 52;
	r = rqp(0x18, 1, 0x3000, VTD_ACC_R, 0);
	expect(&e, &r, 0x84, -1, "nested: first-stage output beyond the second stage");
	setf(&e, d.pe, &vtd_l_pasid_entry, "FSPTPTR", 1ULL << 49);
	expect(&e, &r, 0x74, -1, "nested: first-stage table beyond the second stage");
	setf(&e, d.pe, &vtd_l_pasid_entry, "FSPTPTR", d.fs);
	e.u.haw = 48;
	pa = entry_at(&e, 0, d.ss, 4, d.fs, 1);
	setf(&e, pa, &vtd_l_ss_pte, "R", 0);
	r = rqp(0x18, 1, 0x1000, VTD_ACC_R, 0);
	expect(&e, &r, 0x75, -1, "nested: second stage denies reading the top table");
	setf(&e, pa, &vtd_l_ss_pte, "R", 1);
	setf(&e, pa, &vtd_l_ss_pte, "W", 0);
	expect(&e, &r, 0x77, -1, "nested: second stage denies the A/D store into a table");
	setf(&e, pa, &vtd_l_ss_pte, "W", 1);
	pa = entry_at(&e, 0, d.ss, 4, getf(&e, entry_at(&e, 1, d.fs, 4, 0x1000, 2), &vtd_l_fs_pde,
						"ADDR"), 1);
	setf(&e, pa, &vtd_l_ss_pte, "R", 0);
	expect(&e, &r, 0x76, -1, "nested: second stage denies reading a lower table");
	setf(&e, pa, &vtd_l_ss_pte, "R", 1);
	expect(&e, &r, 0, -1, "nested: restored");

	/* The deepest walk: 5 first-stage levels over 5 second-stage levels. */
	d = sm_dev(&e, 0x20, 2, L("PASIDE=1"), L("PGTT=3", "AW=3", "FSPM=1", "DID=22", "PWSNP=1"));
	map(&e, 1, d.fs, 5, 0x1000, 0x80000000, 1, L("P=1", "RW=1", "US=1"));
	identity_tables(&e, d.ss, 5);
	map(&e, 0, d.ss, 5, 0x80000000, 0x90000000, 1, L("R=1", "W=1"));
	r = rqp(0x20, 2, 0x1000, VTD_ACC_R, 0);
	expect_out(&e, &r, 0x90000000, 4096, 0, "nested 5 over 5 levels");
	ok(t.nsteps == 4 + 5 * 6 + 5, "nested 5 over 5: %u steps fit VTD_WALK_MAX_STEPS", t.nsteps);
	env_free(&e);
}

/* ---- FPD ------------------------------------------------------------------------------ */

static void expect_suppressed(struct env *e, const struct vtd_request *r, int code, int qemu_code,
			      int qemu_suppressed, const char *what)
{
	int rc = run(e, r, VTD_NUM_SPEC);

	if (!ok(!rc && t.fault == code && t.suppressed, "%s (spec): 0x%02x suppressed", what, code))
		printf("#   got 0x%02x%s: %s\n", t.fault, t.suppressed ? " suppressed" : "", path);
	rc = run(e, r, VTD_NUM_QEMU72);
	if (!ok(!rc && t.fault == qemu_code && t.suppressed == qemu_suppressed,
		"%s (QEMU 7.2): 0x%02x %s", what, qemu_code, qemu_suppressed ? "suppressed" : "recorded"))
		printf("#   got 0x%02x%s: %s\n", t.fault, t.suppressed ? " suppressed" : "", path);
}

static void test_fpd(void)
{
	struct env e;
	struct smdev d;
	struct vtd_request r;
	uint64_t root, ce;

	env_init(&e, 0);
	ce = legacy_dev(&e, 0x18, 5, 4, &root);
	setf(&e, ce, &vtd_l_context_legacy, "FPD", 1);
	r = rq(0x18, 0x1000, VTD_ACC_R);
	expect_suppressed(&e, &r, 0x06, 0x06, 1, "FPD context, PTE not present");
	setf(&e, ce, &vtd_l_context_legacy, "P", 0);
	expect_suppressed(&e, &r, 0x02, 0x02, 1, "FPD in a context entry that is not present");
	setf(&e, ce, &vtd_l_context_legacy, "P", 1);
	plant(&e, ce, &vtd_l_context_legacy, 0);
	expect(&e, &r, 0x0B, 0x0B, "FPD does not cover reserved context bits (not qualified)");
	env_free(&e);

	env_init(&e, 1);
	d = sm_dev(&e, 0x18, 0, NULL, L("PGTT=2", "AW=2", "PWSNP=1", "FPD=1"));
	r = rq(0x18, 0x1000, VTD_ACC_W);
	expect_suppressed(&e, &r, 0x79, 0x05, 1, "FPD PASID entry, second-stage entry not present");
	setf(&e, d.pe, &vtd_l_pasid_entry, "P", 0);
	expect_suppressed(&e, &r, 0x59, 0x58, 0, "FPD in a PASID entry that is not present");
	d = sm_dev(&e, 0x20, 0, NULL, SS2);
	put(&e, d.dir, &vtd_l_pasid_dir, L("FPD=1"));
	r = rq(0x20, 0x1000, VTD_ACC_W);
	expect_suppressed(&e, &r, 0x51, 0x58, 0, "FPD in a directory entry that is not present");
	d = sm_dev(&e, 0x28, 0, L("FPD=1"), SS2);
	r = rq(0x28, 0x1000, VTD_ACC_R);
	expect_suppressed(&e, &r, 0x79, 0x06, 1, "FPD scalable context, not present");
	env_free(&e);
}

/* ---- page requests ------------------------------------------------------------------- */

static void test_page_requests(void)
{
	struct env e;
	struct smdev d;
	struct vtd_request r;

	env_init(&e, 1);
	d = sm_dev(&e, 0x18, 0, L("PRE=1", "PASIDE=1"), SS2);
	r = rq(0x18, 0x1000, VTD_ACC_W);
	r.at = VTD_AT_PAGE_REQUEST;
	expect(&e, &r, 0, 0, "page request, PRE set: to the page-request queue");
	ok(t.kind == VTD_XK_PAGE_REQUEST && !t.out && !t.page_size && !t.perm && t.nsteps == 2 &&
	   t.steps[1].layout == &vtd_l_context_sm, "nothing translated; root and context read");
	r = rqp(0x18, 5, 0x1000, VTD_ACC_R | VTD_ACC_X, 1);
	r.at = VTD_AT_PAGE_REQUEST;
	expect(&e, &r, 0, 0, "page request with PASID, privileged, execute");
	ok(t.kind == VTD_XK_PAGE_REQUEST && t.nsteps == 2, "no PASID structure read");
	setf(&e, d.ctx, &vtd_l_context_sm, "PASIDE", 0);
	expect(&e, &r, 0x45, 0, "page request with PASID, PASIDE clear (QEMU does not check)");
	setf(&e, d.ctx, &vtd_l_context_sm, "PRE", 0);
	expect(&e, &r, 0x47, 0x47, "page request with PASID, PRE clear");
	r = rq(0x18, 0x1000, VTD_ACC_R);
	r.at = VTD_AT_PAGE_REQUEST;
	expect(&e, &r, 0x47, 0x47, "page request, PRE clear");
	ok(t.fault_addr == d.ctx, "the fault names the context entry");
	setf(&e, d.ctx, &vtd_l_context_sm, "FPD", 1);
	expect_suppressed(&e, &r, 0x47, 0x47, 0, "page request, PRE clear, FPD set");
	setf(&e, d.ctx, &vtd_l_context_sm, "FPD", 0);
	setf(&e, d.ctx, &vtd_l_context_sm, "PRE", 1);
	reg_set(&e.u.ecap, &vtd_l_reg_ecap, "PRS", 0);
	expect(&e, &r, 0x42, 0, "PRE without ECAP.PRS is reserved (QEMU 7.2: not checked)");
	reg_set(&e.u.ecap, &vtd_l_reg_ecap, "PRS", 1);
	r = rq(0x19, 0x1000, VTD_ACC_R);
	r.at = VTD_AT_PAGE_REQUEST;
	expect(&e, &r, 0x41, 0x02, "page request, context entry not present");
	r = rq(0x18, 0x1000, VTD_ACC_R);
	r.at = VTD_AT_PAGE_REQUEST;
	e.u.enabled = 0;
	expect(&e, &r, 0, 0, "page request with translation disabled");
	ok(t.kind == VTD_XK_DISABLED && !t.page_size && !t.nsteps, "nothing translated or read");
	e.u.enabled = 1;
	env_free(&e);
}

/* ---- accessed and dirty bits ----------------------------------------------------------------- */

static void test_ad(void)
{
	struct env e;
	struct smdev d;
	struct vtd_request r;
	uint64_t pte, pml4;

	env_init(&e, 1);
	d = sm_dev(&e, 0x18, 0, NULL, L("PGTT=1", "DID=1", "PWSNP=1"));
	pte = map(&e, 1, d.fs, 4, 0x1000, 0x50000000, 1, L("P=1", "RW=1", "US=1"));
	pml4 = entry_at(&e, 1, d.fs, 4, 0x1000, 4);
	r = rq(0x18, 0x1000, VTD_ACC_R);
	run(&e, &r, VTD_NUM_SPEC);
	ok(!t.fault && t.accessed && !t.dirty && !getf(&e, pte, &vtd_l_fs_pte, "A"),
	   "first-stage read reports A, memory untouched without write_ad");
	r.access = VTD_ACC_W;
	run(&e, &r, VTD_NUM_SPEC);
	ok(!t.fault && t.accessed && t.dirty, "first-stage write reports A and D");
	e.u.write_ad = 1;
	run(&e, &r, VTD_NUM_SPEC);
	ok(!t.fault && t.accessed && t.dirty && getf(&e, pte, &vtd_l_fs_pte, "A") &&
	   getf(&e, pte, &vtd_l_fs_pte, "D") && getf(&e, pml4, &vtd_l_fs_pml4e, "A"),
	   "with write_ad, A at every level and D at the leaf are stored");
	ok(!vtd_bits_get(t.steps[t.nsteps - 1].raw, vtd_field_find(&vtd_l_fs_pte, "D")->lsb, 1),
	   "the walk path shows the entry as it was read");
	run(&e, &r, VTD_NUM_SPEC);
	ok(!t.fault && !t.accessed && !t.dirty, "a second write sets nothing");

	/* Second stage: only with SSADE. */
	d = sm_dev(&e, 0x20, 0, NULL, L("PGTT=2", "AW=2", "DID=2", "PWSNP=1"));
	pte = map(&e, 0, d.ss, 4, 0x1000, 0x50000000, 1, L("R=1", "W=1"));
	r = rq(0x20, 0x1000, VTD_ACC_W);
	run(&e, &r, VTD_NUM_SPEC);
	ok(!t.fault && !t.accessed && !t.dirty && !getf(&e, pte, &vtd_l_ss_pte, "A"),
	   "second stage without SSADE: no A/D");
	setf(&e, d.pe, &vtd_l_pasid_entry, "SSADE", 1);
	run(&e, &r, VTD_NUM_QEMU72);
	ok(!t.fault && !t.accessed && !getf(&e, pte, &vtd_l_ss_pte, "A"),
	   "QEMU 7.2 has no second-stage A/D");
	run(&e, &r, VTD_NUM_SPEC);
	ok(!t.fault && t.accessed && t.dirty && getf(&e, pte, &vtd_l_ss_pte, "A") &&
	   getf(&e, pte, &vtd_l_ss_pte, "D") &&
	   getf(&e, entry_at(&e, 0, d.ss, 4, 0x1000, 4), &vtd_l_ss_pml4e, "A"),
	   "SSADE: A at every level, D at the leaf, stored");
	setf(&e, d.pe, &vtd_l_pasid_entry, "PWSNP", 0);
	map(&e, 0, d.ss, 4, 0x2000, 0x50001000, 1, L("R=1", "W=1"));
	r.addr = 0x2000;
	expect(&e, &r, 0x7C, -1, "second-stage A/D update with non-snooped walks");

	/*
	 * A store that fails where the read before it worked: 0x91 in QEMU's
	 * numbering (vtd_set_flag_in_pte failing), the first-stage access
	 * error in the specification's.  Only a cached entry reads where
	 * memory is gone: the cache model's overlay (mem-internal.h), a
	 * first-stage PML4 entry cached over a table page the source lacks.
	 */
	{
		static struct vtd_overlay ov;
		struct vtd_mem *rw = e.u.mem;

		d = sm_dev(&e, 0x30, 0, NULL, L("PGTT=1", "AW=2", "DID=4", "PWSNP=1"));
		map(&e, 1, d.fs, 4, 0x1000, 0x50000000, 1, L("P=1", "RW=1", "US=1"));
		vtd__overlay_init(&ov, rw);
		ov.pin[0] = (struct vtd_pin){ .pa = HOLE, .l = &vtd_l_fs_pml4e, .len = 8 };
		ov.pin[0].setm[0] = ~0ULL;
		vtd_mem_read(rw, d.fs, ov.pin[0].raw, 8, NULL);
		ov.n = 1;
		setf(&e, d.pe, &vtd_l_pasid_entry, "FSPTPTR", HOLE);
		e.u.mem = &ov.mem;
		e.u.flts = 1;
		r = rq(0x30, 0x1000, VTD_ACC_R);
		expect(&e, &r, 0x70, 0x91, "A/D store into a cached first-stage entry whose memory is gone");
		ok(t.fault_addr == HOLE, "the fault names the entry");
		e.u.write_ad = 0;
		expect(&e, &r, 0, 0, "the same walk with nothing stored");
		ok(t.accessed, "A reported");
		e.u.write_ad = 1;
		e.u.flts = 0;
		e.u.mem = rw;
	}

	/* A read-only source: reported, not stored. */
	{
		struct vtd_mem *ro = NULL;
		char spec[64], file[] = "/tmp/vtd-t-walk.XXXXXX";
		uint8_t *img = malloc(TSIZE);
		int fd = mkstemp(file);

		d = sm_dev(&e, 0x28, 0, NULL, L("PGTT=1", "DID=3", "PWSNP=1"));
		pte = map(&e, 1, d.fs, 4, 0x1000, 0x50000000, 1, L("P=1", "RW=1", "US=1"));
		if (img && fd >= 0 && !vtd_mem_read(e.u.mem, TBASE, img, TSIZE, NULL) &&
		    write(fd, img, TSIZE) == (ssize_t)TSIZE) {
			snprintf(spec, sizeof(spec), "image:%s@%#llx", file, (unsigned long long)TBASE);
			if (!vtd_mem_open(spec, &ro, NULL)) {
				struct vtd_mem *rw = e.u.mem;

				e.u.mem = ro;
				r = rq(0x28, 0x1000, VTD_ACC_W);
				run(&e, &r, VTD_NUM_SPEC);
				ok(!t.fault && t.accessed && t.dirty, "image source: A/D reported");
				e.u.mem = rw;
				ok(!getf(&e, pte, &vtd_l_fs_pte, "A"), "and not stored");
				vtd_mem_close(ro);
			}
		}
		if (fd >= 0) {
			close(fd);
			unlink(file);
		}
		free(img);
	}
	env_free(&e);
}

/* ---- cycles, arguments, the unprepared unit ---------------------------------------------- */

static void test_cycles(void)
{
	struct env e;
	struct smdev d;
	struct vtd_request r;
	uint64_t root, pa;

	env_init(&e, 0);
	legacy_dev(&e, 0x18, 5, 4, &root);
	/* Every PML4 entry points back to the PML4 table itself. */
	for (unsigned i = 0; i < 512; i++) {
		put(&e, root + 8 * i, &vtd_l_ss_pml4e, L("R=1", "W=1"));
		setf(&e, root + 8 * i, &vtd_l_ss_pml4e, "ADDR", root);
	}
	r = rq(0x18, 0x1234, VTD_ACC_R);
	expect_out(&e, &r, root | 0x234, 4096, 1, "a self-referencing table ends after 4 levels");
	ok(t.nsteps == 6 && (t.steps[5].pa & ~0xfffULL) == root, "each level read the same table once");
	/* A PDE whose table is the page directory itself, with PS: a reserved leaf. */
	legacy_dev(&e, 0x20, 5, 4, &root);
	map(&e, 0, root, 4, 0, 0, 1, L("R=1"));
	pa = entry_at(&e, 0, root, 4, 0, 2);
	setf(&e, pa, &vtd_l_ss_pde, "ADDR", pa & ~0xfffULL);
	r = rq(0x20, 0, VTD_ACC_R);
	expect_out(&e, &r, pa & ~0xfffULL, 4096, 1, "a PDE pointing to its own table");
	env_free(&e);

	/* Nested: first-stage tables that the second stage maps onto second-stage tables. */
	env_init(&e, 1);
	d = sm_dev(&e, 0x18, 0, NULL, L("PGTT=3", "AW=2", "PWSNP=1"));
	for (unsigned i = 0; i < 512; i++) {
		put(&e, d.ss + 8 * i, &vtd_l_ss_pml4e, L("R=1", "W=1"));
		setf(&e, d.ss + 8 * i, &vtd_l_ss_pml4e, "ADDR", d.ss);
	}
	setf(&e, d.pe, &vtd_l_pasid_entry, "FSPTPTR", 0);
	r = rq(0x18, 0x1000, VTD_ACC_R);
	run(&e, &r, VTD_NUM_SPEC);
	ok(t.fault && t.nsteps <= VTD_WALK_MAX_STEPS, "cyclic nested tables end in a fault (0x%02x, %u steps)",
	   t.fault, t.nsteps);
	env_free(&e);
}

static void test_args(void)
{
	struct env e;
	struct vtd_request r;
	struct vtd_error err = { 0 };
	struct vtd_unit bare = { 0 };
	static struct vtd_translation t2;
	uint64_t root;

	env_init(&e, 0);
	r = rq(0x18, 0, 0);
	ok(vtd_translate(&e.u, &r, &t, &err) == -VTD_EINVAL, "no access: %s", err.msg);
	r.access = VTD_ACC_X;
	ok(vtd_translate(&e.u, &r, &t, NULL) == -VTD_EINVAL, "execute without read");
	r = rq(0x18, 0, VTD_ACC_R);
	r.at = VTD_AT_PAGE_REQUEST + 1;
	ok(vtd_translate(&e.u, &r, &t, NULL) == -VTD_EINVAL, "unknown request type");
	r = rqp(0x18, 1u << 20, 0, VTD_ACC_R, 0);
	ok(vtd_translate(&e.u, &r, &t, NULL) == -VTD_EINVAL, "PASID wider than 20 bits");
	r = rq(0x18, 0, VTD_ACC_R);
	r.priv = 1;
	ok(vtd_translate(&e.u, &r, &t, NULL) == -VTD_EINVAL, "privileged request without PASID");
	r.priv = 0;
	ok(vtd_translate(&bare, &r, &t, NULL) == -VTD_EINVAL, "unit without memory");
	ok(vtd_unit_prepare(NULL, NULL) == -VTD_EINVAL, "prepare(NULL)");

	/* An unprepared unit (a copy without prep) answers the same. */
	legacy_dev(&e, 0x18, 5, 4, &root);
	map(&e, 0, root, 4, 0x5000, 0x77000, 1, L("R=1", "W=1"));
	r = rq(0x18, 0x5008, VTD_ACC_W);
	run(&e, &r, VTD_NUM_SPEC);
	bare = e.u;
	memset(&bare.prep, 0, sizeof(bare.prep));
	{
		int same = vtd_translate(&bare, &r, &t2, NULL) == 0 && t2.out == t.out &&
			   t2.nsteps == t.nsteps && t.nsteps == 6;

		for (unsigned i = 0; same && i < t.nsteps; i++)
			same = t2.steps[i].layout == t.steps[i].layout && t2.steps[i].pa == t.steps[i].pa &&
			       t2.steps[i].index == t.steps[i].index &&
			       !memcmp(t2.steps[i].raw, t.steps[i].raw, t.steps[i].layout->size);
		ok(same, "an unprepared unit walks the same way");
	}
	{
		char small[24];

		vtd_translation_path(&t, small, sizeof(small));
		ok(strlen(small) == sizeof(small) - 1, "the path is cut to the buffer: '%s'", small);
		vtd_translation_path(&t, small, 0);
	}
	env_free(&e);
}

/*
 * A prepared unit reads its tables through the source's range it noted
 * (vtd_walk_prep.src) only while the source still has exactly that range:
 * one whose ranges changed, or a unit given another source, answers from
 * the memory it has now.
 */
static void test_source(void)
{
	static uint8_t img[TSIZE];
	struct env e;
	struct vtd_unit v;
	struct vtd_mem *m2 = NULL;
	struct vtd_request r;
	uint64_t root, pte;

	env_init(&e, 0);
	legacy_dev(&e, 0x18, 5, 4, &root);
	pte = map(&e, 0, root, 4, 0x5000, 0x77000, 1, L("R=1", "W=1"));
	r = rq(0x18, 0x5008, VTD_ACC_W);
	v = e.u;
	vtd_unit_prepare(&v, NULL);
	v.no_steps = 1;
	ok(!vtd_translate(&v, &r, &t, NULL) && !t.fault && t.out == 0x77008,
	   "a unit prepared over its source");
	if (vtd_mem_read(e.u.mem, TBASE, img, TSIZE, NULL) || vtd_mem_open_buffer(&m2, NULL) ||
	    vtd_mem_buffer_map(m2, TBASE, img, TSIZE, NULL))
		ok(0, "a second buffer source");
	v.mem = m2;
	setf(&e, pte, &vtd_l_ss_pte, "ADDR", 0x99000);
	ok(!vtd_translate(&v, &r, &t, NULL) && !t.fault && t.out == 0x77008,
	   "given another source, it reads that one");
	v.mem = e.u.mem;
	if (vtd_mem_buffer_map(e.u.mem, HOLE, NULL, 0x1000, NULL))
		ok(0, "a second range");
	ok(!vtd_translate(&v, &r, &t, NULL) && !t.fault && t.out == 0x99008,
	   "its source with a second range: the memory as it is now");
	v.no_steps = 0;
	ok(!vtd_translate(&v, &r, &t, NULL) && !t.fault && t.out == 0x99008 && t.nsteps == 6,
	   "the same with steps");
	vtd_mem_close(m2);
	env_free(&e);
}

/*
 * Every reason the specification (or QEMU) defines for DMA remapping is one
 * some vector above produced, in one numbering or the other: a reason the
 * engine could not raise from any table would be a hole in it.  Code 0 is
 * the reserved one, which no request raises.
 */
static void test_reasons(void)
{
	const struct vtd_fault_reason *fr;
	char missing[512];
	size_t n = 0;
	unsigned count = 0;

	missing[0] = 0;
	for (unsigned i = 0; (fr = vtd_fault_reason_at(i)); i++) {
		if ((fr->flags & VTD_FR_IR) || !fr->code)
			continue;
		count++;
		if (!produced[fr->code] && n < sizeof(missing) - 8)
			n += (size_t)snprintf(missing + n, sizeof(missing) - n, " 0x%02x", fr->code);
	}
	if (!ok(!missing[0] && count > 60, "every DMA-remapping fault reason (%u) is produced by a vector",
		count))
		printf("#   never produced:%s\n", missing);
}

int main(void)
{
	test_prep();
	test_qemu_defaults();
	test_legacy_ok();
	test_legacy_faults();
	test_sm_ok();
	test_sm_faults();
	test_page_requests();
	test_fs();
	test_nested();
	test_fpd();
	test_ad();
	test_cycles();
	test_args();
	test_source();
	test_reasons();
	if (!ok(!xcheck.differ && xcheck.vectors > 200,
		"no_steps and prepared units (the fast walks) answer as the full walk: "
		"%u vectors", xcheck.vectors))
		printf("#   %u differ; first: %s\n", xcheck.differ, xcheck.first);
	return tap_done();
}
