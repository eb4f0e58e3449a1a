/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-dump --raw -- every entry of the tables, one a line with its
 * physical address: root, context, PASID directory and table, paging
 * entries and IRTEs.  Entries that are zero are left out; each table is
 * listed once however many entries point to it, so that shared and cyclic
 * tables end.  Works on tables vtd_plan_read refuses: it is how one looks
 * at them.  Then the invalidation queue, every descriptor with its slot.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "json.h"
#include "tables.h"

#define MAX_TABLES (1u << 18)

struct rw {
	struct dump *d;
	struct jsonw *jw;
	uint64_t *seen;
	size_t nseen, cap;
	struct vtd_error *err;
};

/* 1 when the table (its address, its kind in the low bits) was listed already, else note it. */
static int seen(struct rw *w, uint64_t key)
{
	size_t i;

	if (w->nseen * 2 >= w->cap) {
		size_t nc = w->cap ? w->cap * 2 : 1024;
		uint64_t *v = nc <= 4 * MAX_TABLES ? calloc(nc, sizeof(*v)) : NULL;

		if (!v)
			return 1;	/* enough: list no more tables */
		for (size_t k = 0; k < w->cap; k++)
			if (w->seen[k]) {
				for (i = (size_t)(w->seen[k] * 0x9e3779b97f4a7c15ull >> 20) & (nc - 1);
				     v[i]; i = (i + 1) & (nc - 1))
					;
				v[i] = w->seen[k];
			}
		free(w->seen);
		w->seen = v;
		w->cap = nc;
	}
	for (i = (size_t)(key * 0x9e3779b97f4a7c15ull >> 20) & (w->cap - 1); w->seen[i];
	     i = (i + 1) & (w->cap - 1))
		if (w->seen[i] == key)
			return 1;
	w->seen[i] = key;
	w->nseen++;
	return 0;
}

/* An entry: its first 'len' bytes (l->size but for 128-bit descriptors), and 'mark' after it. */
static void put_len(struct rw *w, const struct vtd_layout *l, uint64_t pa, unsigned idx,
		    const uint8_t *raw, size_t len, const char *mark)
{
	if (w->jw) {
		jsonw_start_object(w->jw);
		jsonw_khex(w->jw, "pa", pa);
		jsonw_kstring(w->jw, "struct", l->name);
		jsonw_kint(w->jw, "index", idx);
		jsonw_kjson(w->jw, "fields", vtd_json_from_bytes(l, raw, len, 0));
		if (mark && *mark)
			jsonw_kstring(w->jw, "mark", mark);
		jsonw_end_object(w->jw);
	} else {
		char line[1024];

		entry_line_len(l, raw, len, line, sizeof(line));
		fprintf(w->d->f, "0x%016" PRIx64 " %s[0x%x]: %s%s%s\n", pa, l->name, idx, line,
			mark && *mark ? "  <- " : "", mark ? mark : "");
	}
}

static void put(struct rw *w, const struct vtd_layout *l, uint64_t pa, unsigned idx,
		const uint8_t *raw)
{
	put_len(w, l, pa, idx, raw, l->size, NULL);
}

static void unreadable(struct rw *w, const char *what, uint64_t pa)
{
	if (w->jw) {
		jsonw_start_object(w->jw);
		jsonw_khex(w->jw, "pa", pa);
		jsonw_kstring(w->jw, "struct", what);
		jsonw_kbool(w->jw, "unreadable", 1);
		jsonw_end_object(w->jw);
	} else {
		fprintf(w->d->f, "0x%016" PRIx64 " %s: not in the source\n", pa, what);
	}
}

static int is_zero(const uint8_t *b, size_t n)
{
	while (n--)
		if (*b++)
			return 0;
	return 1;
}

/* A paging table at 'level' (5..1) of a stage, and everything below it. */
static void paging(struct rw *w, int fs, unsigned level, uint64_t table)
{
	uint8_t buf[4096];

	if (level < 1 || level > 5 || seen(w, table | (fs ? 0x100 : 0x200) | level))
		return;
	if (vtd_mem_read(w->d->mem, table, buf, sizeof(buf), NULL)) {
		unreadable(w, fs ? "first-stage table" : "second-stage table", table);
		return;
	}
	for (unsigned i = 0; i < 512; i++) {
		const uint8_t *e = buf + 8 * i;
		uint64_t v;
		int leaf, present;
		const struct vtd_layout *l;

		memcpy(&v, e, 8);
		if (!v)
			continue;
		present = fs ? (v & 1) != 0 : (v & 3) != 0;
		leaf = level == 1 || (level <= 3 && (v >> 7 & 1));
		l = vtd_paging_layout(fs, (int)level, leaf);
		if (!l)
			l = vtd_paging_layout(fs, (int)level, !leaf);
		if (!l)
			continue;
		put(w, l, table + 8 * i, i, e);
		if (present && !leaf)
			paging(w, fs, level - 1, v & (uint64_t)0x000ffffffffff000);
	}
}

static unsigned ss_levels(uint64_t aw)
{
	/* AW's value: 39-bit is 1 (3 levels), 48-bit 2, 57-bit 3. */
	return (unsigned)aw + 2;
}

static void pasid_table(struct rw *w, uint64_t table)
{
	uint8_t buf[4096];

	if (seen(w, table | 0x400))
		return;
	if (vtd_mem_read(w->d->mem, table, buf, sizeof(buf), NULL)) {
		unreadable(w, "PASID table", table);
		return;
	}
	for (unsigned i = 0; i < 64; i++) {
		const uint8_t *e = buf + 64 * i;
		unsigned pgtt;

		if (is_zero(e, 64))
			continue;
		put(w, &vtd_l_pasid_entry, table + 64 * i, i, e);
		if (!field_of(&vtd_l_pasid_entry, e, "p"))
			continue;
		pgtt = (unsigned)field_of(&vtd_l_pasid_entry, e, "pgtt");
		if (pgtt == 1 || pgtt == 3)
			paging(w, 1, field_of(&vtd_l_pasid_entry, e, "fspm") ? 5 : 4,
			       field_of(&vtd_l_pasid_entry, e, "fsptptr"));
		if (pgtt == 2 || pgtt == 3)
			paging(w, 0, ss_levels(field_of(&vtd_l_pasid_entry, e, "aw")),
			       field_of(&vtd_l_pasid_entry, e, "ssptptr"));
	}
}

static void pasid_dir(struct rw *w, uint64_t dir, unsigned entries)
{
	for (unsigned pg = 0; pg < (entries + 511) / 512; pg++) {
		uint64_t base = dir + 4096ull * pg;
		uint8_t buf[4096];

		if (seen(w, base | 0x800))
			continue;
		if (vtd_mem_read(w->d->mem, base, buf, sizeof(buf), NULL)) {
			unreadable(w, "PASID directory", base);
			continue;
		}
		for (unsigned i = 0; i < 512 && pg * 512 + i < entries; i++) {
			const uint8_t *e = buf + 8 * i;

			if (is_zero(e, 8))
				continue;
			put(w, &vtd_l_pasid_dir, base + 8 * i, pg * 512 + i, e);
			if (field_of(&vtd_l_pasid_dir, e, "p"))
				pasid_table(w, field_of(&vtd_l_pasid_dir, e, "smptblptr"));
		}
	}
}

static void context_table(struct rw *w, int sm, uint64_t table, unsigned first)
{
	const struct vtd_layout *l = sm ? &vtd_l_context_sm : &vtd_l_context_legacy;
	unsigned n = sm ? 128 : 256;
	uint8_t buf[4096];

	if (seen(w, table | 0x1000))
		return;
	if (vtd_mem_read(w->d->mem, table, buf, sizeof(buf), NULL)) {
		unreadable(w, "context table", table);
		return;
	}
	for (unsigned i = 0; i < n; i++) {
		const uint8_t *e = buf + l->size * i;

		if (is_zero(e, l->size))
			continue;
		put(w, l, table + l->size * i, i, e);
		(void)first;
		if (!field_of(l, e, "p"))
			continue;
		if (sm) {
			unsigned pdts = (unsigned)field_of(l, e, "pdts");

			pasid_dir(w, field_of(l, e, "pasiddirptr"), pdts > (1u << 20) ? 1u << 14 : pdts);
		} else if (field_of(l, e, "tt") != 2) {
			paging(w, 0, ss_levels(field_of(l, e, "aw")), field_of(l, e, "ssptptr"));
		}
	}
}

static void irt(struct rw *w, uint64_t irta)
{
	uint64_t base = irta & ~(uint64_t)0xfff, n = 2ull << (irta & 0xf), done = 0;

	while (done < n) {
		uint8_t buf[4096];
		uint64_t pa = base + done * 16;

		if (vtd_mem_read(w->d->mem, pa, buf, sizeof(buf), NULL)) {
			unreadable(w, "interrupt-remapping table", pa);
			return;
		}
		for (unsigned i = 0; i < 256 && done < n; i++, done++) {
			const uint8_t *e = buf + 16 * i;

			if (is_zero(e, 16))
				continue;
			put(w, (e[1] >> 7 & 1) ? &vtd_l_irte_posted : &vtd_l_irte_remapped,
			    pa + 16 * i, (unsigned)done, e);
		}
	}
}

/*
 * Every slot of the invalidation queue that holds a descriptor (a ring
 * has no "present" bit: zero slots are left out like zero entries), the
 * head and tail slots marked, listed even when empty.
 */
static void iq(struct rw *w, const struct unit *u)
{
	struct iq_ring r;
	uint8_t *q;

	if (iq_ring_of(u, &r))
		return;
	if (!(q = iq_ring_read(w->d, u, &r))) {
		unreadable(w, "invalidation queue", r.base);
		return;
	}
	if (!w->jw) {
		fprintf(w->d->f, "# invalidation queue 0x%" PRIx64 ": %u slots of %u bits%s", r.base,
			r.n, r.width * 8, r.guessed ? " (IQA.DW reads 0: guessed)" : "");
		if (r.has_head)
			fprintf(w->d->f, ", head [0x%x]", r.head);
		fprintf(w->d->f, ", tail [0x%x]\n", r.tail);
	}
	for (unsigned s = 0; s < r.n; s++) {
		uint64_t pa = r.base + (uint64_t)s * r.width;
		const uint8_t *e = q + (size_t)s * r.width;
		int head = r.has_head && s == r.head, tail = s == r.tail, zero = 1;
		const char *mark = head && tail ? "head, tail" : head ? "head" : tail ? "tail" : "";
		const struct vtd_layout *l;

		for (unsigned k = 0; k < r.width; k++)
			zero &= !e[k];
		if (zero && !*mark)
			continue;
		if ((l = zero ? NULL : iq_slot_layout(&r, e))) {
			put_len(w, l, pa, s, e, r.width, mark);
		} else if (w->jw) {
			jsonw_start_object(w->jw);
			jsonw_khex(w->jw, "pa", pa);
			jsonw_kstring(w->jw, "struct", "invalidation queue");
			jsonw_kint(w->jw, "index", s);
			jsonw_kbool(w->jw, zero ? "empty" : "unknown", 1);
			if (*mark)
				jsonw_kstring(w->jw, "mark", mark);
			jsonw_end_object(w->jw);
		} else {
			char line[256];

			iq_slot_line(&r, e, line, sizeof(line));
			fprintf(w->d->f, "0x%016" PRIx64 " inv[0x%x]: %s%s%s\n", pa, s,
				zero ? "empty" : line, *mark ? "  <- " : "", mark);
		}
	}
	free(q);
}

int raw_ready(struct dump *d, const struct unit *u, struct vtd_error *err)
{
	uint64_t root = u->rtaddr & ~(uint64_t)0xfff;
	uint8_t b[16];
	int rc;

	if ((rc = vtd_mem_read(d->mem, root, b, sizeof(b), err))) {
		vtd_error_where(err, "0x%" PRIx64, root);
		return vtd_fail(err, rc, "cannot read the root table: %s", vtd_strerror(rc));
	}
	return 0;
}

int raw_dump(struct dump *d, const struct unit *u, struct jsonw *jw, struct vtd_error *err)
{
	int sm = (u->rtaddr >> 10 & 3) == 1;
	const struct vtd_layout *rl = sm ? &vtd_l_root_sm : &vtd_l_root_legacy;
	uint64_t root = u->rtaddr & ~(uint64_t)0xfff;
	struct rw w = { .d = d, .jw = jw, .err = err };
	uint8_t buf[4096];
	int rc;

	if (!jw)
		fprintf(d->f, "# %s: rtaddr 0x%" PRIx64 " (%s mode)%s\n", u->name, u->rtaddr,
			sm ? "scalable" : "legacy", u->irta ? ", with the IRT" : "");
	if ((rc = vtd_mem_read(d->mem, root, buf, sizeof(buf), err))) {
		vtd_error_where(err, "0x%" PRIx64, root);
		return vtd_fail(err, rc, "cannot read the root table: %s", vtd_strerror(rc));
	}
	seen(&w, root | 0x2000);
	for (unsigned i = 0; i < 256; i++) {
		const uint8_t *e = buf + 16 * i;

		if (is_zero(e, 16))
			continue;
		put(&w, rl, root + 16 * i, i, e);
		if (!sm) {
			if (field_of(rl, e, "p"))
				context_table(&w, 0, field_of(rl, e, "ctp"), 0);
			continue;
		}
		if (field_of(rl, e, "lp"))
			context_table(&w, 1, field_of(rl, e, "lctp"), 0);
		if (field_of(rl, e, "up"))
			context_table(&w, 1, field_of(rl, e, "uctp"), 128);
	}
	if (u->irta)
		irt(&w, u->irta);
	iq(&w, u);
	free(w.seen);
	return 0;
}
