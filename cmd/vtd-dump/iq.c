// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vtd-dump -- the invalidation queue (IQA, IQH, IQT): the descriptors the
 * driver asked the unit to carry out, decoded through libvtd's descriptor
 * layouts.  An engineer chasing a hang wants what is still pending (head
 * to tail) and what was done just before it, so the tree shows the slots
 * from a few before the head up to the tail in ring order, head and tail
 * marked; --raw lists every slot.  Without IQH (the kernel route) only the
 * tail is known: the window ends there.
 *
 * QEMU 7.2 does not read IQA.DW back (its write mask leaves bit 11 out),
 * so a scalable-mode Linux guest's 256-bit ring reads as a 128-bit one
 * whose every second slot is empty.  When the unit is in scalable mode,
 * offers SMTS, and the ring looks exactly like that, it is decoded as
 * 256-bit and the output says so ('guessed').
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "invdesc.h"
#include "json.h"
#include "regs.h"

#define IQ_BEFORE 8	/* done descriptors shown before the head */
#define IQ_PENDING 64	/* pending descriptors shown in full; more are elided in the middle */

static uint64_t reg(const struct vtd_layout *l, uint64_t v, const char *key)
{
	uint8_t b[8];

	memcpy(b, &v, 8);
	return field_of(l, b, key);
}

int iq_ring_of(const struct unit *u, struct iq_ring *r)
{
	uint64_t pages;

	memset(r, 0, sizeof(*r));
	if (!u->has_iq)
		return -1;
	r->base = reg(&vtd_l_reg_iqa, u->iqa, "iqa");
	r->width = reg(&vtd_l_reg_iqa, u->iqa, "dw") ? 32 : 16;
	pages = reg(&vtd_l_reg_iqa, u->iqa, "qs");
	if (!r->base || pages > 128)
		return -1;
	r->bytes = (unsigned)pages * 4096;
	/* QH and QT are byte offsets in 128-bit units; a 256-bit slot is two of them. */
	r->head_off = (unsigned)reg(&vtd_l_reg_iqh, u->iqh, "qh") % r->bytes;
	r->tail_off = (unsigned)reg(&vtd_l_reg_iqt, u->iqt, "qt") % r->bytes;
	r->has_head = u->has_iqh;
	iq_set_width(r, r->width);
	return 0;
}

void iq_set_width(struct iq_ring *r, unsigned width)
{
	r->width = width;
	r->n = r->bytes / width;
	r->head = r->head_off / width;
	r->tail = r->tail_off / width;
}

static int empty(const uint8_t *b, unsigned n)
{
	while (n--)
		if (*b++)
			return 0;
	return 1;
}

/* QEMU 7.2's 256-bit ring behind IQA.DW 0 (see the top of the file)? */
static int looks_256(const struct unit *u, const struct iq_ring *r, const uint8_t *q)
{
	uint8_t b[8];
	int any = 0;

	memcpy(b, &u->ecap, 8);
	if (r->width != 16 || (u->rtaddr >> 10 & 3) != 1 || !field_of(&vtd_l_reg_ecap, b, "smts") ||
	    r->tail_off % 32 || (r->has_head && r->head_off % 32))
		return 0;
	for (unsigned i = 0; i < r->n; i += 2) {
		if (!empty(q + 16 * ((size_t)i + 1), 16))
			return 0;
		any |= !empty(q + 16 * (size_t)i, 16);
	}
	return any;
}

uint8_t *iq_ring_read(struct dump *d, const struct unit *u, struct iq_ring *r)
{
	uint8_t *q;

	if (iq_ring_of(u, r) || !(q = malloc(r->bytes)))
		return NULL;
	if (vtd_mem_read(d->mem, r->base, q, r->bytes, NULL)) {
		free(q);
		return NULL;
	}
	if (looks_256(u, r, q)) {
		iq_set_width(r, 32);
		r->guessed = 1;
	}
	return q;
}

const struct vtd_layout *iq_slot_layout(const struct iq_ring *r, const uint8_t *slot)
{
	return vtd_invdesc_layout(slot, r->width);
}

void iq_slot_line(const struct iq_ring *r, const uint8_t *slot, char *b, size_t n)
{
	const struct vtd_layout *l = iq_slot_layout(r, slot);
	uint64_t w[2];
	size_t k;

	if (!l) {
		memcpy(w, slot, 16);
		snprintf(b, n, "type 0x%x (no layout): 0x%016" PRIx64 " 0x%016" PRIx64,
			 vtd_invdesc_type(slot), w[0], w[1]);
		return;
	}
	k = (size_t)snprintf(b, n, "%s: ", l->name);
	if (k < n)
		entry_line_len(l, slot, r->width, b + k, n - k);
}

/* The window the tree shows: 'first' slot and 'count' slots, ring order, ending at the tail. */
struct window {
	unsigned first, count, pending, used;
};

static void window_of(const struct iq_ring *r, const uint8_t *q, struct window *w)
{
	unsigned before;

	w->pending = r->has_head ? (r->tail + r->n - r->head) % r->n : 0;
	before = r->n - w->pending < IQ_BEFORE ? r->n - w->pending : IQ_BEFORE;
	w->first = ((r->has_head ? r->head : r->tail) + r->n - before) % r->n;
	w->count = before + w->pending;
	w->used = 0;
	for (unsigned i = 0; i < r->n; i++)
		w->used += !empty(q + (size_t)i * r->width, r->width);
}

/* Is the k-th slot of the window elided (the middle of a long pending run)? */
static int elided(const struct window *w, unsigned k)
{
	unsigned before = w->count - w->pending;

	return w->pending > IQ_PENDING && k >= before + IQ_PENDING / 2 &&
	       k < w->count - IQ_PENDING / 2;
}

static int wanted(const struct dump *d, const struct unit *u)
{
	return u->has_iq && !d->o->has_pasid && !d->o->has_did && !d->o->has_addr;
}

void iq_text(struct dump *d, const struct unit *u)
{
	struct iq_ring r;
	struct window w;
	uint8_t *q;
	unsigned skipped = 0, cut = 0;
	char line[1024];

	/* IQA 0: queued invalidation was never set up (GSTS.QIES says whether it is on). */
	if (!wanted(d, u) || iq_ring_of(u, &r))
		return;
	if (!(q = iq_ring_read(d, u, &r))) {
		fprintf(d->f, "  invalidation queue: 0x%" PRIx64 ", %u KiB: not in the source\n",
			r.base, r.bytes >> 10);
		return;
	}
	fprintf(d->f, "  invalidation queue: 0x%" PRIx64 ", %u slots of %u bits%s; ", r.base, r.n,
		r.width * 8, r.guessed ? " (IQA.DW reads 0, but every second 128-bit slot is "
		"empty: decoded as 256-bit)" : "");
	window_of(&r, q, &w);
	if (r.has_head)
		fprintf(d->f, "head [0x%x], tail [0x%x]: %s", r.head, r.tail,
			w.pending ? "" : "idle");
	else
		fprintf(d->f, "tail [0x%x] (no IQH: the head is not known)", r.tail);
	if (w.pending)
		fprintf(d->f, "%u pending", w.pending);
	fprintf(d->f, "; %u descriptors, %u empty slots\n", w.used, r.n - w.used);
	for (unsigned k = 0; k < w.count; k++) {
		unsigned s = (w.first + k) % r.n;
		const uint8_t *e = q + (size_t)s * r.width;

		if (elided(&w, k)) {
			cut++;
			continue;
		}
		if (cut) {
			fprintf(d->f, "    ... %u pending descriptors ...\n", cut);
			cut = 0;
		}
		if (empty(e, r.width) && !(r.has_head && s == r.head)) {
			skipped++;
			continue;
		}
		iq_slot_line(&r, e, line, sizeof(line));
		fprintf(d->f, "    [0x%x] @0x%" PRIx64 ": %s%s\n", s, r.base + (uint64_t)s * r.width,
			empty(e, r.width) ? "empty" : line,
			r.has_head && s == r.head ? "  <- head" : "");
	}
	if (skipped)
		fprintf(d->f, "    (%u empty slot%s skipped)\n", skipped, skipped == 1 ? "" : "s");
	fprintf(d->f, "    [0x%x] @0x%" PRIx64 ": <- tail%s\n", r.tail,
		r.base + (uint64_t)r.tail * r.width,
		r.has_head && r.head == r.tail ? " and head: nothing pending" : "");
	free(q);
}

void iq_json(struct dump *d, const struct unit *u, struct jsonw *jw)
{
	struct iq_ring r;
	struct window w;
	uint8_t *q;
	unsigned cut = 0, skipped = 0;

	if (!wanted(d, u) || iq_ring_of(u, &r))
		return;
	q = iq_ring_read(d, u, &r);
	jsonw_key(jw, "invalidation_queue");
	jsonw_start_object(jw);
	jsonw_khex(jw, "iqa", u->iqa);
	if (r.has_head)
		jsonw_khex(jw, "iqh", u->iqh);
	jsonw_khex(jw, "iqt", u->iqt);
	jsonw_khex(jw, "base", r.base);
	jsonw_kint(jw, "width", r.width * 8);
	if (r.guessed)
		jsonw_kbool(jw, "width_guessed", 1);
	jsonw_kint(jw, "slots", r.n);
	if (r.has_head)
		jsonw_kint(jw, "head", r.head);
	jsonw_kint(jw, "tail", r.tail);
	if (!q) {
		jsonw_kbool(jw, "unreadable", 1);
		jsonw_end_object(jw);
		return;
	}
	window_of(&r, q, &w);
	if (r.has_head)
		jsonw_kint(jw, "pending", w.pending);
	jsonw_kint(jw, "used", w.used);
	jsonw_key(jw, "descriptors");
	jsonw_start_array(jw);
	for (unsigned k = 0; k < w.count; k++) {
		unsigned s = (w.first + k) % r.n;
		const uint8_t *e = q + (size_t)s * r.width;
		const struct vtd_layout *l = iq_slot_layout(&r, e);

		if (elided(&w, k)) {
			cut++;
			continue;
		}
		if (empty(e, r.width)) {
			skipped++;
			continue;
		}
		jsonw_start_object(jw);
		jsonw_kint(jw, "slot", s);
		jsonw_khex(jw, "pa", r.base + (uint64_t)s * r.width);
		if (r.has_head && s == r.head)
			jsonw_kbool(jw, "head", 1);
		if (l) {
			jsonw_kstring(jw, "struct", l->name);
			jsonw_kjson(jw, "fields", vtd_json_from_bytes(l, e, r.width, 0));
		} else {
			jsonw_kint(jw, "type", vtd_invdesc_type(e));
		}
		jsonw_end_object(jw);
	}
	jsonw_end_array(jw);
	jsonw_kint(jw, "elided", cut);
	jsonw_kint(jw, "empty_skipped", skipped);
	jsonw_end_object(jw);
	free(q);
}
