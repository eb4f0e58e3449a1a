/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvtd -- vtd_scan_roots: root tables found by their shape.
 *
 * A page is judged as a root table in each mode: every entry's reserved
 * bits clear, some present.  That alone is cheap and weak (many pages of
 * small numbers pass), so a candidate is then followed down: its context
 * tables must be context tables, and one chain below each sampled context
 * entry (PASID directory, PASID table, top paging table) must hold well-
 * formed present entries too.  The score grows with the fraction of tables
 * that pass at each depth, so a decoy whose pointers lead to garbage stays
 * low however good its own page looks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyse-internal.h"
#include "tables.h"

#define SPAGE 4096u
#define MAX_CTS 8		/* context tables sampled per candidate */
#define MAX_CHAINS 12		/* context entries followed down per candidate */
#define MAX_PAGES 64		/* pages one candidate may read */
#define CHUNK (64u * SPAGE)	/* bytes read from the source at once */

struct scan {
	struct vtd_mem *m;
	struct achk a;
	unsigned reads;		/* pages the current candidate read */
	uint8_t buf[SPAGE];	/* a page below the candidate */
};

/* Tallies of one candidate. */
struct tally {
	unsigned roots, junk;		/* present root entries; non-present ones not zero */
	unsigned cts, ct_good, ct_empty;	/* context tables sampled; well formed; empty */
	unsigned contexts;		/* present, well-formed context entries in good tables */
	unsigned chains, chain_good;	/* chains followed below context entries; all good */
	unsigned tables;		/* tables below that passed */
};

static int page_read(struct scan *s, uint64_t pa)
{
	if (++s->reads > MAX_PAGES)
		return -1;
	return vtd_mem_read(s->m, pa, s->buf, SPAGE, NULL) ? -1 : 0;
}

/* A paging table the chain reaches: present entries, all well formed. */
static int paging_ok(struct scan *s, int fs, unsigned levels, uint64_t top)
{
	unsigned present = 0;

	if (levels < 2 || levels > 5 || page_read(s, top))
		return 0;
	const struct bpg *g = &s->a.F.pg[fs][levels][0];

	for (unsigned i = 0; i < 512; i++) {
		const uint8_t *e = s->buf + 8 * i;
		uint64_t w = le64(e);
		int leaf = levels <= 3 && g->ps && bf_get(g->ps, w);

		if (!w)
			continue;
		if (!vtd__qchk_ok(&s->a.pg[fs][levels][leaf], e))
			return 0;
		present += bpg_present(g, fs, w);
	}
	return present > 0;
}

/* The chain below a scalable context entry: directory, PASID table, paging table. */
static int sm_chain(struct scan *s, const uint8_t *ce, struct tally *t)
{
	const struct bfields *F = &s->a.F;
	uint64_t dir = vtd_field_raw(F->cs_dir, ce) << F->cs_dir->shift, ptbl = 0;
	int found = 0;

	if (page_read(s, dir))
		return 0;
	for (unsigned i = 0; i < 512; i++) {
		const uint8_t *e = s->buf + 8 * i;

		if (vtd__all_zero(e, 8))
			continue;
		if (!vtd__qchk_ok(&s->a.pd, e))
			return 0;
		if (vtd_field_raw(F->pd_p, e) && !found) {
			ptbl = vtd_field_raw(F->pd_ptr, e) << F->pd_ptr->shift;
			found = 1;
		}
	}
	if (!found || page_read(s, ptbl))
		return 0;
	t->tables++;
	uint64_t next = 0;
	unsigned levels = 0;
	int fs = 0, present = 0;

	for (unsigned j = 0; j < 64; j++) {
		const uint8_t *pe = s->buf + 64 * j;
		uint64_t pgtt;

		if (vtd__all_zero(pe, 64))
			continue;
		if (!vtd__qchk_ok(&s->a.pe, pe))
			return 0;
		if (!vtd_field_raw(F->pe_p, pe))
			continue;
		present++;
		pgtt = vtd_field_raw(F->pe_pgtt, pe);
		if (next || pgtt == VTD_PGTT_PT)
			continue;
		fs = pgtt == VTD_PGTT_FIRST || pgtt == VTD_PGTT_NESTED;
		if (fs) {
			next = vtd_field_raw(F->pe_fsptr, pe) << F->pe_fsptr->shift;
			levels = vtd_field_raw(F->pe_fspm, pe) ? 5 : 4;
		} else {
			next = vtd_field_raw(F->pe_ssptr, pe) << F->pe_ssptr->shift;
			levels = (unsigned)vtd_field_raw(F->pe_aw, pe) + 2;
		}
	}
	if (!present)
		return 0;
	t->tables++;
	if (!next)
		return 1;
	if (!paging_ok(s, fs, levels, next))
		return 0;
	t->tables++;
	return 1;
}

/* Top paging tables to follow from a legacy context table (copied out of s->buf). */
struct follow {
	uint64_t pa;
	unsigned levels;
	uint8_t ce[32];		/* scalable: the context entry */
};

/*
 * One context table: 1 well formed with present entries, 0 empty, -1
 * garbage.  Entries worth following are added to 'fl'.
 */
static int ctx_table(struct scan *s, int sm, struct tally *t, struct follow *fl, unsigned *nfl)
{
	const struct bfields *F = &s->a.F;
	unsigned esz = sm ? 32 : 16, n = SPAGE / esz, present = 0;

	for (unsigned i = 0; i < n; i++) {
		const uint8_t *e = s->buf + esz * i;

		if (vtd__all_zero(e, esz))
			continue;
		if (!vtd__qchk_ok(sm ? &s->a.cs : &s->a.cl, e))
			return -1;
		if (!vtd_field_raw(sm ? F->cs_p : F->cl_p, e))
			continue;
		present++;
		if (*nfl >= MAX_CHAINS)
			continue;
		if (sm) {
			memcpy(fl[*nfl].ce, e, 32);
			(*nfl)++;
		} else if (vtd_field_raw(F->cl_tt, e) != 2) {
			fl[*nfl].pa = vtd_field_raw(F->cl_ptr, e) << F->cl_ptr->shift;
			fl[*nfl].levels = (unsigned)vtd_field_raw(F->cl_aw, e) + 2;
			(*nfl)++;
		}
	}
	t->contexts += present;
	return present ? 1 : 0;
}

/* The root-table pass: 0 when the page is no candidate in this mode. */
static int root_pass(struct scan *s, const uint8_t *page, int sm, uint64_t *ctps,
		     unsigned *nctp, struct tally *t)
{
	const struct bfields *F = &s->a.F;

	for (unsigned bus = 0; bus < 256; bus++) {
		const uint8_t *e = page + 16 * bus;

		if (vtd__all_zero(e, 16))
			continue;
		if (!vtd__qchk_ok(sm ? &s->a.rs : &s->a.rl, e))
			return 0;
		for (unsigned up = 0; up < (sm ? 2u : 1u); up++) {
			const struct vtd_field *p = sm ? (up ? F->rs_up : F->rs_lp) : F->rl_p;
			const struct vtd_field *c = sm ? (up ? F->rs_uctp : F->rs_lctp) : F->rl_ctp;
			uint64_t ctp = vtd_field_raw(c, e) << c->shift;
			unsigned k;

			if (!vtd_field_raw(p, e)) {
				t->junk += vtd_field_raw(c, e) != 0;
				continue;
			}
			t->roots++;
			for (k = 0; k < *nctp && ctps[k] != ctp; k++)
				;
			if (k == *nctp && *nctp < MAX_CTS)
				ctps[(*nctp)++] = ctp;
		}
	}
	return t->roots > 0;
}

static unsigned score_of(const struct tally *t)
{
	double cf = t->cts ? (double)t->ct_good / t->cts : 0;
	/* Pass-through only: nothing below to confirm or refute. */
	double tf = t->chains ? (double)t->chain_good / t->chains : 0.5;
	double sc = 10 + 30 * cf + 60 * cf * tf - 5.0 * t->junk;

	return sc < 0 ? 0 : sc > 100 ? 100 : (unsigned)(sc + 0.5);
}

static void why_of(const struct tally *t, struct vtd_scan_hit *h)
{
	int n = snprintf(h->why, sizeof(h->why),
			 "%u present root entries; %u of %u context tables sampled are well "
			 "formed (%u present context entries)", t->roots, t->ct_good, t->cts,
			 t->contexts);

	if (t->cts > t->ct_good + t->ct_empty && n > 0 && (size_t)n < sizeof(h->why))
		n += snprintf(h->why + n, sizeof(h->why) - (size_t)n, ", %u hold garbage",
			      t->cts - t->ct_good - t->ct_empty);
	if (n > 0 && (size_t)n < sizeof(h->why))
		n += snprintf(h->why + n, sizeof(h->why) - (size_t)n,
			      t->chains ? "; %u of %u chains below well formed" :
			      "; no tables below to follow", t->chain_good, t->chains);
	if (t->junk && n > 0 && (size_t)n < sizeof(h->why))
		snprintf(h->why + n, sizeof(h->why) - (size_t)n,
			 "; %u non-present root entries are not zero", t->junk);
}

/* Judge the page at 'pa' (its bytes in 'page') in one mode; 0: no candidate. */
static int judge(struct scan *s, uint64_t pa, const uint8_t *page, int sm,
		 struct vtd_scan_hit *h)
{
	struct tally t = { 0 };
	uint64_t ctps[MAX_CTS];
	unsigned nctp = 0, nfl = 0;
	struct follow fl[MAX_CHAINS];

	if (!root_pass(s, page, sm, ctps, &nctp, &t))
		return 0;
	s->reads = 0;
	for (unsigned i = 0; i < nctp; i++) {
		int v;

		t.cts++;
		if (ctps[i] == pa || page_read(s, ctps[i]))
			continue;
		v = ctx_table(s, sm, &t, fl, &nfl);
		t.ct_good += v > 0;
		t.ct_empty += v == 0;
	}
	for (unsigned i = 0; i < nfl; i++) {
		int good;

		t.chains++;
		if (sm) {
			good = sm_chain(s, fl[i].ce, &t);
		} else {
			good = paging_ok(s, 0, fl[i].levels, fl[i].pa);
			t.tables += good;
		}
		t.chain_good += good > 0;
	}
	memset(h, 0, sizeof(*h));
	h->pa = pa;
	h->rtaddr = bf_addr(s->a.F.rt_rta, pa) | bf_bits(s->a.F.rt_ttm, (uint64_t)sm);
	h->scalable = (uint8_t)sm;
	h->roots = t.roots;
	h->contexts = t.contexts;
	h->tables = t.tables;
	h->score = score_of(&t);
	why_of(&t, h);
	return 1;
}

/* ---- the best hits, kept while scanning ---------------------------------------------- */

struct best {
	struct vtd_scan_hit *v;
	size_t n, max;
	unsigned min_score;
};

static void keep(struct best *b, const struct vtd_scan_hit *h)
{
	size_t lo = 0;

	if (h->score < b->min_score)
		return;
	if (b->n < b->max) {
		b->v[b->n++] = *h;
		return;
	}
	for (size_t i = 1; i < b->n; i++)
		if (b->v[i].score < b->v[lo].score)
			lo = i;
	if (h->score > b->v[lo].score)
		b->v[lo] = *h;
}

static int cmp_hit(const void *x, const void *y)
{
	const struct vtd_scan_hit *a = x, *b = y;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->pa != b->pa)
		return a->pa < b->pa ? -1 : 1;
	return (int)a->scalable - (int)b->scalable;
}

static void one_page(struct scan *s, struct best *b, uint64_t pa, const uint8_t *page)
{
	struct vtd_scan_hit h;

	/* Most of a dump: zero pages, and pages whose first entries are not entries. */
	if (vtd__all_zero(page, SPAGE))
		return;
	for (int sm = 0; sm < 2; sm++)
		if (judge(s, pa, page, sm, &h))
			keep(b, &h);
}

/* Scan [from, to) of one range the source holds. */
static void scan_range(struct scan *s, struct best *b, uint64_t from, uint64_t to,
		       uint8_t *chunk)
{
	uint64_t pa = (from + SPAGE - 1) & ~(uint64_t)(SPAGE - 1);

	while (pa < to && to - pa >= SPAGE) {
		uint64_t len = to - pa < CHUNK ? (to - pa) & ~(uint64_t)(SPAGE - 1) : CHUNK;

		if (!vtd_mem_read(s->m, pa, chunk, (size_t)len, NULL)) {
			for (uint64_t off = 0; off < len; off += SPAGE)
				one_page(s, b, pa + off, chunk + off);
		} else {
			/* A hole or a failed read inside: page by page, skipping what fails. */
			for (uint64_t off = 0; off < len; off += SPAGE)
				if (!vtd_mem_read(s->m, pa + off, chunk, SPAGE, NULL))
					one_page(s, b, pa + off, chunk);
		}
		pa += len;
	}
}

int vtd_scan_roots(struct vtd_mem *m, const struct vtd_scan_opts *o,
		   int (*fn)(const struct vtd_scan_hit *h, void *ctx), void *ctx,
		   struct vtd_error *err)
{
	struct vtd_scan_opts d = { 0 };
	struct best b = { 0 };
	struct scan *s;
	uint8_t *chunk;
	uint64_t cur, end;
	int rc = 0;

	if (!m || !fn)
		return vtd_fail(err, VTD_EINVAL, "no memory source or callback");
	if (!o)
		o = &d;
	end = o->to ? o->to : UINT64_MAX;
	if (end <= o->from)
		return vtd_fail(err, VTD_EINVAL, "empty range 0x%llx-0x%llx",
				(unsigned long long)o->from, (unsigned long long)o->to);
	b.max = o->max_hits ? o->max_hits : 64;
	b.min_score = o->min_score ? o->min_score : 50;
	s = malloc(sizeof(*s));
	chunk = malloc(CHUNK);
	b.v = calloc(b.max, sizeof(*b.v));
	if (!s || !chunk || !b.v) {
		rc = vtd_fail(err, VTD_ENOMEM, "out of memory");
		goto out;
	}
	memset(s, 0, sizeof(*s));
	s->m = m;
	if ((rc = vtd__achk_init(&s->a, o->cap, o->ecap, o->haw, err)))
		goto out;
	for (cur = o->from; cur < end;) {
		uint64_t base, size;
		int k = vtd_mem_next(m, cur, &base, &size);

		if (k < 0 && cur == o->from && o->to) {
			/* A source that cannot list its memory: read the range asked for. */
			scan_range(s, &b, o->from, o->to, chunk);
			break;
		}
		if (k < 0) {
			rc = vtd_fail(err, -k, "the %s source cannot list its memory: give the "
				      "range to scan", vtd_mem_name(m));
			goto out;
		}
		if (!k || base >= end)
			break;
		uint64_t stop = size > end - base ? end : base + size;

		scan_range(s, &b, base, stop, chunk);
		if (stop <= cur)
			break;
		cur = stop;
	}
	qsort(b.v, b.n, sizeof(*b.v), cmp_hit);
	for (size_t i = 0; i < b.n; i++)
		if (fn(&b.v[i], ctx))
			break;
out:
	free(b.v);
	free(chunk);
	free(s);
	return rc;
}

int vtd_scan_page(struct vtd_mem *m, const struct vtd_scan_opts *o, uint64_t pa, int scalable,
		  struct vtd_scan_hit *h, struct vtd_error *err)
{
	struct vtd_scan_opts d = { 0 };
	uint8_t page[SPAGE];
	struct scan *s;
	int rc;

	if (!m || !h || (pa & (SPAGE - 1)))
		return vtd_fail(err, VTD_EINVAL, "no source or hit, or 0x%llx is not a page",
				(unsigned long long)pa);
	if (!o)
		o = &d;
	memset(h, 0, sizeof(*h));
	if ((rc = vtd_mem_read(m, pa, page, SPAGE, err)))
		return rc;
	if (!(s = calloc(1, sizeof(*s))))
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	s->m = m;
	rc = vtd__achk_init(&s->a, o->cap, o->ecap, o->haw, err);
	if (!rc)
		rc = !vtd__all_zero(page, SPAGE) && judge(s, pa, page, !!scalable, h);
	free(s);
	return rc;
}
