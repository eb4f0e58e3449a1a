/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- the slots of one cache: hashed or set-associative, and their replacement */
#include "cache-internal.h"

#include <stdlib.h>

static uint32_t xorshift(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

int vtd__ctab_init(struct ctab *t, unsigned size, unsigned ways, uint8_t replace, uint32_t *rng)
{
	unsigned i;

	memset(t, 0, sizeof(*t));
	t->size = size;
	t->ways = ways;
	t->replace = replace;
	t->rng = rng;
	t->freel = t->memo = NIL;
	if (!size)
		return 0;
	t->s = calloc(size, sizeof(*t->s));
	t->stamp = calloc(size, sizeof(*t->stamp));
	if (!t->s || !t->stamp)
		return -1;
	if (ways) {
		t->nsets = size / ways;
		return 0;
	}
	for (t->imask = 1; t->imask < 2 * size; t->imask <<= 1)
		;
	t->idx = malloc(t->imask * sizeof(*t->idx));
	if (!t->idx)
		return -1;
	for (i = 0; i < t->imask; i++)
		t->idx[i].slot = NIL;
	t->imask--;
	for (i = size; i-- > 0;) {
		t->s[i].nfree = t->freel;
		t->freel = i;
	}
	return 0;
}

void vtd__ctab_free(struct ctab *t)
{
	free(t->s);
	free(t->stamp);
	free(t->idx);
	t->s = NULL;
	t->stamp = NULL;
	t->idx = NULL;
}

void vtd__ctab_remove(struct ctab *t, uint32_t i)
{
	struct cslot *s = &t->s[i];

	if (!s->live)
		return;
	s->live = 0;
	t->count--;
	if (t->memo == i)
		t->memo = NIL;
	if (t->ways)
		return;
	/* Backward-shift deletion: later keys of the probe run move up into the gap. */
	uint32_t p = (uint32_t)ckey_hash(&s->k) & t->imask, q;

	while (t->idx[p].slot != i)
		p = (p + 1) & t->imask;
	t->idx[p].slot = NIL;
	for (q = (p + 1) & t->imask; t->idx[q].slot != NIL; q = (q + 1) & t->imask) {
		uint32_t home = t->idx[q].home;

		/* A key whose probe starts in (p, q] cannot move before its start. */
		if (((q - home) & t->imask) < ((q - p) & t->imask))
			continue;
		t->idx[p] = t->idx[q];
		t->idx[q].slot = NIL;
		p = q;
	}
	s->nfree = t->freel;
	t->freel = i;
}

/* The victim among n full slots from 'base': the oldest stamp, or a random one. */
static uint32_t victim(struct ctab *t, uint32_t base, uint32_t n)
{
	uint32_t v = base;

	if (t->replace == VTD_REPLACE_RANDOM)
		return base + xorshift(t->rng) % n;
	for (uint32_t i = base + 1; i < base + n; i++)
		if (t->stamp[i] < t->stamp[v])
			v = i;
	return v;
}

/* Evict slots [base, base + n): all of them (FLUSH) or the policy's victim. */
static void make_room(struct ctab *t, uint32_t base, uint32_t n,
		      void (*evict)(void *arg, uint32_t slot), void *arg)
{
	uint32_t i;

	if (t->replace == VTD_REPLACE_FLUSH) {
		for (i = base; i < base + n; i++)
			if (t->s[i].live) {
				evict(arg, i);
				vtd__ctab_remove(t, i);
			}
		return;
	}
	i = victim(t, base, n);
	evict(arg, i);
	vtd__ctab_remove(t, i);
}

uint32_t vtd__ctab_insert(struct ctab *t, const struct ckey *k,
			  void (*evict)(void *arg, uint32_t slot), void *arg)
{
	uint32_t i;

	if (t->ways) {
		uint32_t base = (uint32_t)(((ckey_hash(k) >> 32) * t->nsets) >> 32) * t->ways;

		for (i = base; i < base + t->ways && t->s[i].live; i++)
			;
		if (i == base + t->ways) {
			make_room(t, base, t->ways, evict, arg);
			for (i = base; t->s[i].live; i++)
				;
		}
	} else {
		if (t->count == t->size)
			make_room(t, 0, t->size, evict, arg);
		i = t->freel;
		t->freel = t->s[i].nfree;
		uint32_t home = (uint32_t)ckey_hash(k) & t->imask, p;

		for (p = home; t->idx[p].slot != NIL; p = (p + 1) & t->imask)
			;
		t->idx[p] = (struct cidx){ *k, i, home };
	}
	t->s[i].k = *k;
	t->s[i].live = 1;
	t->stamp[i] = ++t->clock;
	t->count++;
	return i;
}
