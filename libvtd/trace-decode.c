/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- trace events from raw hardware words, through the descriptor layouts */
#include "trace-internal.h"

#include "fault.h"
#include "invdesc.h"
#include "layout.h"

/* Where a layout field goes in the event: the layouts say where it is. */
enum slot { S_G = 1, S_DID, S_SID, S_PASID, S_AM, S_IH, S_ADDR, S_IIDX, S_IM, S_S };

static const struct {
	const char *key;
	enum slot slot;
} inv_keys[] = {
	{ "g", S_G }, { "did", S_DID }, { "sid", S_SID }, { "rid", S_SID },
	{ "pasid", S_PASID }, { "am", S_AM }, { "ih", S_IH }, { "addr", S_ADDR },
	{ "iidx", S_IIDX }, { "im", S_IM }, { "s", S_S },
};
_Static_assert(VTD_NELEM(inv_keys) <= TR_INV_MAXF, "the cache holds a field per key");

/*
 * Per descriptor type: our type, and the granularity each value of its G
 * field means (the types number G differently; 0 = none of ours).
 */
static const struct {
	uint8_t type;
	uint8_t gran[4];
	uint8_t fixed_gran;	/* types without a G field */
} inv_types[] = {
	[0x1] = { VTD_INV_CC, { 0, VTD_GRAN_GLOBAL, VTD_GRAN_DOMAIN, VTD_GRAN_DEVICE }, 0 },
	[0x2] = { VTD_INV_IOTLB, { 0, VTD_GRAN_GLOBAL, VTD_GRAN_DOMAIN, VTD_GRAN_PAGE }, 0 },
	[0x3] = { VTD_INV_DEVTLB, { 0 }, VTD_GRAN_DEVICE },
	[0x4] = { VTD_INV_IEC, { VTD_GRAN_GLOBAL, VTD_GRAN_INDEX }, 0 },
	[0x5] = { VTD_INV_WAIT, { 0 }, 0 },
	[0x6] = { VTD_INV_PIOTLB, { 0, 0, VTD_GRAN_PASID, VTD_GRAN_PAGE }, 0 },
	[0x7] = { VTD_INV_PC, { VTD_GRAN_DOMAIN, VTD_GRAN_PASID, 0, VTD_GRAN_GLOBAL }, 0 },
	/* G set: every PASID of the device */
	[0x8] = { VTD_INV_PDEVTLB, { VTD_GRAN_PASID, VTD_GRAN_DEVICE }, 0 },
	[0x9] = { VTD_INV_PGRP_RESP, { 0 }, 0 },
};

/*
 * PCIe ATS range encoding of device-TLB invalidations: with S set, the
 * lowest clear bit of the page number gives the size.
 */
static void ats_range(struct vtd_event *ev, int s)
{
	uint64_t pages = 1, pfn = ev->addr >> 12;

	if (s) {
		while ((pfn & 1) && pages < (1ull << 51)) {
			pfn >>= 1;
			pages <<= 1;
		}
		pages <<= 1;
	}
	ev->size = pages << 12;
	ev->addr &= ~(ev->size - 1);
	ev->has |= VTD_EVH_SIZE;
}

/* The slot a layout field fills, by its key; 0 for none. */
static unsigned slot_of(const struct vtd_field *f)
{
	for (unsigned k = 0; k < VTD_NELEM(inv_keys); k++)
		if (!strcmp(inv_keys[k].key, f->key))
			return inv_keys[k].slot;
	return 0;
}

static const struct vtd_layout *inv_layout(unsigned type)
{
	uint8_t b[16] = { (uint8_t)(type & 0xf), (uint8_t)((type >> 4) << 1) };

	return vtd_invdesc_layout(b, sizeof(b));
}

static void inv_cache_fill(struct tr_inv_cache *c)
{
	for (unsigned type = 0; type < VTD_NELEM(inv_types) && type < TR_INV_TYPES; type++) {
		const struct vtd_layout *l = inv_layout(type);
		unsigned i, n = 0, slot;

		/* a layout names each key once: at most one field per inv_keys entry */
		for (i = 0; l && i < l->nfields && n < TR_INV_MAXF; i++) {
			if (!(slot = slot_of(&l->fields[i])))
				continue;
			c->t[type].f[n] = &l->fields[i];
			c->t[type].slot[n++] = (uint8_t)slot;
		}
		c->t[type].n = n;
		c->t[type].has = l != NULL;
	}
	c->filled = 1;
}

/* A field that spans two words, from the bytes (out of line: rare, and its buffer is large). */
static __attribute__((noinline)) uint64_t inv_raw_bytes(const struct vtd_event *ev,
							 const struct vtd_field *f)
{
	uint8_t b[32] = { 0 };

	for (unsigned i = 0; i < ev->nqw && i < 4; i++)
		for (unsigned k = 0; k < 8; k++)
			b[8 * i + k] = (uint8_t)(ev->qw[i] >> (8 * k));
	return vtd_field_raw(f, b);
}

/* A field's raw bits from the words, or from the bytes when it spans two. */
static inline uint64_t inv_raw(const struct vtd_event *ev, const struct vtd_field *f)
{
	unsigned lo = f->lsb, w = f->width;

	if (lo / 64 == (lo + w - 1) / 64) {
		uint64_t x = ev->qw[lo / 64] >> (lo % 64);

		return w < 64 ? x & ((1ull << w) - 1) : x;
	}
	return inv_raw_bytes(ev, f);
}

int vtd__tr_inv_decode(struct tr_inv_cache *c, struct vtd_event *ev)
{
	uint8_t b[2] = { (uint8_t)(ev->nqw ? ev->qw[0] : 0),
			 (uint8_t)(ev->nqw ? ev->qw[0] >> 8 : 0) };
	unsigned i, type = vtd_invdesc_type(b), g = 0, have_g = 0, bytes = ev->nqw * 8u;
	uint64_t did = 0, pasid = 0, am = 0, ih = 0, addr = 0, sid = 0, iidx = 0, s = 0;

	ev->has |= VTD_EVH_DESC;
	if (type >= VTD_NELEM(inv_types) || type >= TR_INV_TYPES || !inv_types[type].type)
		return 0;	/* a descriptor we have no layout for: raw words only */
	if (!c->filled)
		inv_cache_fill(c);
	if (!c->t[type].has)
		return 0;
	for (i = 0; i < c->t[type].n; i++) {
		const struct vtd_field *f = c->t[type].f[i];
		uint64_t raw;

		if (!vtd_field_in(f, bytes))
			continue;
		raw = inv_raw(ev, f);
		switch ((enum slot)c->t[type].slot[i]) {
		case S_G: g = (unsigned)raw; have_g = 1; break;
		case S_DID: did = raw; break;
		case S_SID: sid = raw; break;
		case S_PASID: pasid = raw; break;
		case S_AM: case S_IM: am = raw; break;
		case S_IH: ih = raw; break;
		case S_ADDR: addr = vtd_field_value(f, raw); break;
		case S_IIDX: iidx = raw; break;
		case S_S: s = raw; break;
		}
	}
	ev->inv_type = inv_types[type].type;
	ev->inv_gran = have_g ? inv_types[type].gran[g & 3] : inv_types[type].fixed_gran;
	switch (ev->inv_type) {
	case VTD_INV_CC:
		if (ev->inv_gran != VTD_GRAN_GLOBAL)
			ev->did = (uint16_t)did, ev->has |= VTD_EVH_DID;
		if (ev->inv_gran == VTD_GRAN_DEVICE)
			ev->sid = (uint16_t)sid, ev->has |= VTD_EVH_SID;
		break;
	case VTD_INV_IOTLB:
	case VTD_INV_PIOTLB:
		if (ev->inv_gran != VTD_GRAN_GLOBAL)
			ev->did = (uint16_t)did, ev->has |= VTD_EVH_DID;
		if (ev->inv_type == VTD_INV_PIOTLB)
			ev->pasid = (uint32_t)pasid, ev->has |= VTD_EVH_PASID;
		if (ev->inv_gran == VTD_GRAN_PAGE) {
			ev->addr = addr;
			ev->am = (uint8_t)am;
			ev->ih = (uint8_t)ih;
			ev->size = am < 52 ? 4096ull << am : 0;
			ev->has |= VTD_EVH_ADDR | VTD_EVH_SIZE;
		}
		break;
	case VTD_INV_DEVTLB:
	case VTD_INV_PDEVTLB:
		ev->sid = (uint16_t)sid;
		ev->addr = addr;
		ev->has |= VTD_EVH_SID | VTD_EVH_ADDR;
		if (ev->inv_type == VTD_INV_PDEVTLB)
			ev->pasid = (uint32_t)pasid, ev->has |= VTD_EVH_PASID;
		ats_range(ev, (int)s);
		break;
	case VTD_INV_IEC:
		if (ev->inv_gran == VTD_GRAN_INDEX) {
			ev->index = iidx;
			ev->am = (uint8_t)am;
			ev->has |= VTD_EVH_INDEX;
		}
		break;
	case VTD_INV_PC:
		if (ev->inv_gran != VTD_GRAN_GLOBAL)
			ev->did = (uint16_t)did, ev->has |= VTD_EVH_DID;
		if (ev->inv_gran == VTD_GRAN_PASID)
			ev->pasid = (uint32_t)pasid, ev->has |= VTD_EVH_PASID;
		break;
	case VTD_INV_PGRP_RESP:
		ev->sid = (uint16_t)sid;
		ev->pasid = (uint32_t)pasid;
		ev->has |= VTD_EVH_SID | VTD_EVH_PASID;
		break;
	}
	return 1;
}

void vtd__tr_frcd_decode(struct vtd_event *ev, uint64_t lo, uint64_t hi)
{
	uint8_t b[16];
	unsigned i;
	int pp = 0;
	uint64_t pv = 0;

	vtd_bits_set(b, 0, 64, lo);
	vtd_bits_set(b, 64, 64, hi);
	ev->qw[0] = lo;
	ev->qw[1] = hi;
	ev->nqw = 2;
	ev->has |= VTD_EVH_DESC | VTD_EVH_SID | VTD_EVH_REASON | VTD_EVH_ADDR;
	for (i = 0; i < vtd_l_frcd.nfields; i++) {
		const struct vtd_field *f = &vtd_l_frcd.fields[i];
		uint64_t raw = vtd_field_raw(f, b);

		if (!strcmp(f->key, "fi"))
			ev->addr = vtd_field_value(f, raw);
		else if (!strcmp(f->key, "sid"))
			ev->sid = (uint16_t)raw;
		else if (!strcmp(f->key, "fr"))
			ev->reason = (uint16_t)raw;
		else if (!strcmp(f->key, "t"))
			ev->access = raw ? VTD_EVA_READ : VTD_EVA_WRITE;
		else if (!strcmp(f->key, "pp"))
			pp = (int)raw;
		else if (!strcmp(f->key, "pv"))
			pv = raw;
	}
	if (pp)
		ev->pasid = (uint32_t)pv, ev->has |= VTD_EVH_PASID;
}

int vtd__tr_fault_kind(unsigned reason)
{
	const struct vtd_fault_reason *r = vtd_fault_reason(reason);

	return r && (r->flags & VTD_FR_IR) ? VTD_EV_IR_FAULT : VTD_EV_DMA_FAULT;
}

void vtd__tr_device(struct vtd_event *ev, const char *p, size_t n)
{
	struct sc s = { p, p + n };
	uint64_t a, b, c, d;

	tr_copy(ev->device, sizeof(ev->device), p, n);
	/* [segment:]bus:dev.fn, all hex */
	if (!sc_hex(&s, &a) || !sc_ch(&s, ':') || !sc_hex(&s, &b))
		return;
	if (sc_ch(&s, ':')) {
		if (!sc_hex(&s, &c) || !sc_ch(&s, '.') || !sc_hex(&s, &d) || sc_more(&s))
			return;
		a = b, b = c, c = d;
	} else if (!sc_ch(&s, '.') || !sc_hex(&s, &c) || sc_more(&s)) {
		return;
	}
	if (a > 0xff || b > 0x1f || c > 7)
		return;
	ev->sid = (uint16_t)(a << 8 | b << 3 | c);
	ev->has |= VTD_EVH_SID;
}

int vtd__tr_text(struct vtd_event *ev, const char *p, const char *end)
{
	if (end - p > 255)
		return -1;
	ev->text = p;
	return 0;
}
