/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- the overlay source: cached structures seen over memory (cache model, private) */
#include "mem-internal.h"

#include <string.h>

/* Does [pa, pa + len) meet the pin, and where: 'lo' and 'hi' offsets into the read. */
static int overlap(const struct vtd_pin *p, uint64_t pa, size_t len, size_t *lo, size_t *hi)
{
	uint64_t s = p->pa > pa ? p->pa : pa;
	uint64_t e = p->pa + p->len < pa + len ? p->pa + p->len : pa + len;

	if (s >= e)
		return 0;
	*lo = (size_t)(s - pa);
	*hi = (size_t)(e - pa);
	return 1;
}

static int overlay_read(struct vtd_mem *m, uint64_t pa, void *buf, size_t len,
			struct vtd_error *err)
{
	struct vtd_overlay *o = m->priv;
	uint8_t *b = buf;
	size_t lo, hi;
	unsigned i;
	int rc;

	/* The engine reads whole entries: one pin usually answers alone. */
	for (i = 0; i < o->n; i++) {
		struct vtd_pin *p = &o->pin[i];

		if (pa >= p->pa && pa + len <= p->pa + p->len) {
			memcpy(b, p->raw + (pa - p->pa), len);
			p->used = 1;
			return 0;
		}
	}
	rc = vtd_mem_read(o->under, pa, buf, len, err);
	if (rc)
		return rc;
	for (i = 0; i < o->n; i++) {
		struct vtd_pin *p = &o->pin[i];

		if (overlap(p, pa, len, &lo, &hi)) {
			memcpy(b + lo, p->raw + (pa + lo - p->pa), hi - lo);
			p->used = 1;
		}
	}
	return 0;
}

/* Over a pin, memory keeps its bits and gains only the settable ones written. */
static int overlay_write(struct vtd_mem *m, uint64_t pa, const void *buf, size_t len,
			 struct vtd_error *err)
{
	struct vtd_overlay *o = m->priv;
	uint8_t tmp[64];
	unsigned i;
	int rc;

	for (i = 0; i < o->n; i++) {
		const struct vtd_pin *p = &o->pin[i];

		if (pa < p->pa + p->len && p->pa < pa + len)
			break;
	}
	if (i == o->n)
		return vtd_mem_write(o->under, pa, buf, len, err);
	/* The engine's A/D stores are single aligned qwords inside one entry. */
	if (len != 8 || (pa & 7) || pa < o->pin[i].pa || pa + 8 > o->pin[i].pa + o->pin[i].len)
		return vtd_fail(err, VTD_EINTERNAL, "overlay: write of %zu bytes at 0x%llx "
				"straddles a cached entry", len, (unsigned long long)pa);
	rc = vtd_mem_read(o->under, pa, tmp, 8, err);
	if (rc)
		return rc;
	put_le64(tmp, le64(tmp) | (le64(buf) & o->pin[i].setm[(pa - o->pin[i].pa) / 8]));
	return vtd_mem_write(o->under, pa, tmp, 8, err);
}

/*
 * The memory below: pins shadow bytes that memory holds, and one over a
 * hole is a cached entry, not memory the source could list.
 */
static int overlay_next(struct vtd_mem *m, uint64_t from, uint64_t *base, uint64_t *size)
{
	struct vtd_overlay *o = m->priv;

	return vtd_mem_next(o->under, from, base, size);
}

static int overlay_open(struct vtd_mem *m, const char *arg, struct vtd_error *err)
{
	(void)m;
	(void)arg;
	return vtd_fail(err, VTD_EINVAL, "the overlay source is internal to the cache model");
}

static void overlay_close(struct vtd_mem *m)
{
	(void)m;
}

const struct vtd_mem_ops vtd__mem_overlay = {
	.name = "overlay",
	.help = "internal: cached structures over another source",
	.open = overlay_open,
	.read = overlay_read,
	.write = overlay_write,
	.close = overlay_close,
	.next = overlay_next,
};

void vtd__overlay_init(struct vtd_overlay *o, struct vtd_mem *under)
{
	o->mem.ops = &vtd__mem_overlay;
	o->mem.priv = o;
	o->mem.gen = 0;
	/* Pins answer reads before memory does: never read around them. */
	o->mem.span = NULL;
	o->mem.span_base = o->mem.span_size = 0;
	o->under = under;
	o->n = 0;
}
