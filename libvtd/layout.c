/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- the generic field engine: bits in, values out, reserved bits derived */
#include "layout.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

uint64_t vtd_bits_get(const uint8_t *buf, unsigned lsb, unsigned width)
{
	unsigned first = lsb / 8, last = (lsb + width - 1) / 8, sh = lsb % 8, i;
	uint64_t v = 0;

	/* Touch only the field's bytes: callers pass 4-byte registers too. */
	for (i = first; i <= last && i < first + 8; i++)
		v |= (uint64_t)buf[i] << (8 * (i - first));
	v >>= sh;
	if (last - first == 8)
		v |= (uint64_t)buf[last] << (64 - sh);
	return width >= 64 ? v : v & ((1ULL << width) - 1);
}

void vtd_bits_set(uint8_t *buf, unsigned lsb, unsigned width, uint64_t v)
{
	unsigned done = 0;

	while (done < width) {
		unsigned bit = lsb + done;
		unsigned off = bit % 8;
		unsigned take = 8 - off;
		unsigned mask;

		if (take > width - done)
			take = width - done;
		mask = ((1u << take) - 1) << off;
		buf[bit / 8] = (uint8_t)((buf[bit / 8] & ~mask) | (((v >> done) << off) & mask));
		done += take;
	}
}

static uint64_t width_mask(unsigned width)
{
	return width >= 64 ? ~0ULL : (1ULL << width) - 1;
}

int vtd_field_set_raw(const struct vtd_field *f, uint8_t *buf, uint64_t raw,
		      struct vtd_error *err)
{
	if (raw & ~width_mask(f->width))
		return vtd_fail(err, VTD_ERANGE, "value 0x%llx does not fit %s (%u bits)",
				(unsigned long long)raw, f->name, f->width);
	vtd_bits_set(buf, f->lsb, f->width, raw);
	return 0;
}

uint64_t vtd_field_value(const struct vtd_field *f, uint64_t raw)
{
	const struct vtd_coding *c = f->coding;
	uint64_t e;

	switch (f->kind) {
	case VTD_ADDR:
		return raw << f->shift;
	case VTD_CODED:
		if (!c)
			return raw;
		if (!c->pow2)
			return raw * c->mul + (uint64_t)(int64_t)c->add;
		e = raw * c->mul + (uint64_t)(int64_t)c->add;
		return e >= 64 ? UINT64_MAX : 1ULL << e;
	default:
		return raw;
	}
}

int vtd_field_raw_of(const struct vtd_field *f, uint64_t value, uint64_t *raw,
		     struct vtd_error *err)
{
	const struct vtd_coding *c = f->coding;
	uint64_t r = value;

	if (f->kind == VTD_ADDR) {
		if (f->shift && (value & width_mask(f->shift)))
			return vtd_fail(err, VTD_ERANGE, "%s: 0x%llx is not aligned to %llu bytes",
					f->name, (unsigned long long)value,
					1ULL << f->shift);
		r = value >> f->shift;
	} else if (f->kind == VTD_CODED && c) {
		int64_t e = (int64_t)value;

		if (c->pow2) {
			if (!value || (value & (value - 1)))
				return vtd_fail(err, VTD_ERANGE, "%s: %llu is not a power of two",
						f->name, (unsigned long long)value);
			e = __builtin_ctzll(value);
		}
		e -= c->add;
		if (e < 0 || (c->mul && e % c->mul))
			return vtd_fail(err, VTD_ERANGE, "%s: %llu cannot be encoded",
					f->name, (unsigned long long)value);
		r = c->mul ? (uint64_t)e / c->mul : (uint64_t)e;
	}
	if (r & ~width_mask(f->width))
		return vtd_fail(err, VTD_ERANGE, "%s: 0x%llx does not fit %u bits", f->name,
				(unsigned long long)value, f->width);
	*raw = r;
	return 0;
}

const struct vtd_value *vtd_enum_lookup(const struct vtd_field *f, uint64_t raw)
{
	const struct vtd_value *v;

	for (v = f->values; v && v->name; v++)
		if (v->raw == raw)
			return v;
	return NULL;
}

const struct vtd_value *vtd_value_find(const struct vtd_field *f, const char *name)
{
	const struct vtd_value *v;

	for (v = f->values; v && v->name; v++)
		if (!strcasecmp(v->name, name))
			return v;
	return NULL;
}

const struct vtd_field *vtd_field_find(const struct vtd_layout *l, const char *name)
{
	unsigned i;

	for (i = 0; i < l->nfields; i++)
		if (!strcasecmp(l->fields[i].name, name) || !strcasecmp(l->fields[i].key, name))
			return &l->fields[i];
	return NULL;
}

/* ---- reserved bits ----------------------------------------------------- */

void vtd_layout_rsvd_mask(const struct vtd_layout *l, size_t len, uint8_t *mask)
{
	unsigned i;

	memset(mask, 0xff, len);
	for (i = 0; i < l->nfields; i++) {
		const struct vtd_field *f = &l->fields[i];

		if (vtd_field_in(f, len))
			vtd_bits_set(mask, f->lsb, f->width, 0);
	}
}

/* Record the gap [from, to) as runs that do not cross 64-bit words. */
static void add_gap(unsigned from, unsigned to, struct vtd_rsvd_run *runs, unsigned max,
		    unsigned *n)
{
	while (from < to) {
		unsigned end = (from / 64 + 1) * 64;

		if (end > to)
			end = to;
		if (*n < max) {
			runs[*n].lsb = (uint16_t)from;
			runs[*n].width = (uint16_t)(end - from);
		}
		(*n)++;
		from = end;
	}
}

unsigned vtd_layout_rsvd_runs(const struct vtd_layout *l, size_t len,
			      struct vtd_rsvd_run *runs, unsigned max)
{
	unsigned n = 0, at = 0, i, nbits = (unsigned)len * 8;

	/* Fields are sorted and disjoint (vtd_layout_selftest), so the gaps are the runs. */
	for (i = 0; i < l->nfields; i++) {
		const struct vtd_field *f = &l->fields[i];

		if (!vtd_field_in(f, len))
			break;
		add_gap(at, f->lsb, runs, max, &n);
		at = f->lsb + f->width;
	}
	add_gap(at, nbits, runs, max, &n);
	return n;
}

static void add_finding(struct vtd_finding *out, unsigned max, unsigned *n, int kind,
			const struct vtd_field *f, unsigned lsb, unsigned width, uint64_t bits,
			const char *fmt, ...) __attribute__((format(printf, 9, 10)));

static void add_finding(struct vtd_finding *out, unsigned max, unsigned *n, int kind,
			const struct vtd_field *f, unsigned lsb, unsigned width, uint64_t bits,
			const char *fmt, ...)
{
	if (*n < max) {
		struct vtd_finding *x = &out[*n];
		va_list ap;

		x->kind = kind;
		x->field = f;
		x->lsb = (uint16_t)lsb;
		x->width = (uint16_t)width;
		x->bits = bits;
		va_start(ap, fmt);
		vsnprintf(x->msg, sizeof(x->msg), fmt, ap);
		va_end(ap);
	}
	(*n)++;
}

unsigned vtd_layout_check(const struct vtd_layout *l, const uint8_t *buf, size_t len,
			  const struct vtd_check_opts *opts, struct vtd_finding *out,
			  unsigned max)
{
	struct vtd_rsvd_run runs[64];
	unsigned nruns, i, n = 0;
	int absent = 0;

	/*
	 * Hardware ignores the contents of a not-present entry: judge its values
	 * only when it is present.  Reserved bits are still reported, since
	 * they usually mean the page is not the table it is taken for.
	 */
	if (l->nfields && l->fields[0].lsb == 0 && l->fields[0].kind == VTD_FLAG &&
	    !strcmp(l->fields[0].name, "P") && !(buf[0] & 1))
		absent = 1;
	nruns = vtd_layout_rsvd_runs(l, len, runs, VTD_NELEM(runs));
	for (i = 0; i < nruns && i < VTD_NELEM(runs); i++) {
		uint64_t v = vtd_bits_get(buf, runs[i].lsb, runs[i].width);
		unsigned hi = runs[i].lsb + runs[i].width - 1;

		if (!v)
			continue;
		if (runs[i].width == 1)
			add_finding(out, max, &n, VTD_FIND_RSVD, NULL, runs[i].lsb, 1, v,
				    "reserved bit %u is set", hi);
		else
			add_finding(out, max, &n, VTD_FIND_RSVD, NULL, runs[i].lsb,
				    runs[i].width, v, "reserved bits %u:%u are 0x%llx", hi,
				    runs[i].lsb, (unsigned long long)v);
	}
	for (i = 0; i < l->nfields; i++) {
		const struct vtd_field *f = &l->fields[i];
		uint64_t raw;
		const struct vtd_value *ev;

		if (!vtd_field_in(f, len))
			continue;
		raw = vtd_field_raw(f, buf);
		if (f->flags & VTD_FF_FIXED) {
			if (raw != f->fixed)
				add_finding(out, max, &n, VTD_FIND_VALUE, f, f->lsb, f->width, raw,
					    "%s is %llu, this structure needs %llu", f->name,
					    (unsigned long long)raw,
					    (unsigned long long)f->fixed);
			continue;
		}
		if (absent)
			continue;
		if (f->kind == VTD_ENUM && (ev = vtd_enum_lookup(f, raw)) &&
		    (ev->flags & VTD_VF_RESERVED))
			add_finding(out, max, &n, VTD_FIND_VALUE, f, f->lsb, f->width, raw,
				    "%s value %llu is reserved", f->name,
				    (unsigned long long)raw);
		if (f->kind == VTD_ADDR && (f->flags & VTD_FF_HAW) && opts && opts->haw &&
		    opts->haw < 64) {
			uint64_t value = vtd_field_value(f, raw);
			uint64_t above = value >> opts->haw;

			if (above && opts->haw >= f->shift) {
				unsigned lo = f->lsb + (opts->haw - f->shift);

				add_finding(out, max, &n, VTD_FIND_HAW, f, lo,
					    f->lsb + f->width - lo, above,
					    "%s 0x%llx is beyond the %u-bit host address width",
					    f->name, (unsigned long long)value, opts->haw);
			}
		}
	}
	return n;
}

int vtd_layout_selftest(const struct vtd_layout *l, struct vtd_error *err)
{
	unsigned i, j;

	if (!l->size || (l->min_size && l->min_size > l->size))
		return vtd_fail(err, VTD_EINTERNAL, "%s: bad size", l->name);
	for (i = 0; i < l->nfields; i++) {
		const struct vtd_field *f = &l->fields[i];
		const struct vtd_value *v;

		if (!f->name || !f->key || !f->desc)
			return vtd_fail(err, VTD_EINTERNAL, "%s: field %u lacks a name, key or meaning",
					l->name, i);
		if (!f->width || f->width > 64 || !vtd_field_in(f, l->size))
			return vtd_fail(err, VTD_EINTERNAL, "%s.%s: bits outside the structure",
					l->name, f->name);
		if (i && f->lsb < l->fields[i - 1].lsb + l->fields[i - 1].width)
			return vtd_fail(err, VTD_EINTERNAL, "%s.%s: overlaps or is out of order",
					l->name, f->name);
		if (f->kind == VTD_STR && (f->lsb % 8 || f->width % 8))
			return vtd_fail(err, VTD_EINTERNAL, "%s.%s: string not byte aligned",
					l->name, f->name);
		if ((f->kind == VTD_ENUM || f->kind == VTD_BITSET) && !f->values)
			return vtd_fail(err, VTD_EINTERNAL, "%s.%s: no values", l->name, f->name);
		if (f->kind == VTD_CODED && !f->coding)
			return vtd_fail(err, VTD_EINTERNAL, "%s.%s: no coding", l->name, f->name);
		if (f->kind == VTD_ADDR && f->shift + f->width > 64)
			return vtd_fail(err, VTD_EINTERNAL, "%s.%s: address wider than 64 bits",
					l->name, f->name);
		for (v = f->values; v && v->name; v++) {
			uint64_t lim = f->kind == VTD_BITSET ? f->width : width_mask(f->width);

			if (f->kind == VTD_BITSET ? v->raw >= lim : v->raw > lim)
				return vtd_fail(err, VTD_EINTERNAL, "%s.%s: value %s does not fit",
						l->name, f->name, v->name);
		}
		for (j = 0; j < i; j++)
			if (!strcasecmp(l->fields[j].name, f->name) ||
			    !strcmp(l->fields[j].key, f->key))
				return vtd_fail(err, VTD_EINTERNAL, "%s.%s: duplicate name or key",
						l->name, f->name);
		if (!strcmp(f->key, "rsvd"))
			return vtd_fail(err, VTD_EINTERNAL, "%s: 'rsvd' is a reserved key", l->name);
	}
	return 0;
}
