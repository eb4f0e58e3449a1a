/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- field values as text and back, structures as text */
#include "text.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- growable strings ------------------------------------------------ */

static int sbuf_grow(struct vtd_sbuf *sb, size_t more)
{
	size_t want;
	char *p;

	if (sb->oom)
		return -1;
	if (sb->len + more + 1 <= sb->cap)
		return 0;
	want = sb->cap ? sb->cap : 128;
	while (want < sb->len + more + 1)
		want *= 2;
	p = realloc(sb->buf, want);
	if (!p) {
		sb->oom = 1;
		return -1;
	}
	sb->buf = p;
	sb->cap = want;
	return 0;
}

void vtd_sbuf_add(struct vtd_sbuf *sb, const char *s, size_t n)
{
	if (sbuf_grow(sb, n))
		return;
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = 0;
}

void vtd_sbuf_addf(struct vtd_sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	size_t room;
	int n;

	if (sb->oom || sbuf_grow(sb, 64))
		return;
	/* Format straight into the free space; only a long result takes a second pass. */
	room = sb->cap - sb->len;
	va_start(ap, fmt);
	n = vsnprintf(sb->buf + sb->len, room, fmt, ap);
	va_end(ap);
	if (n < 0) {
		sb->buf[sb->len] = 0;
		return;
	}
	if ((size_t)n >= room) {
		if (sbuf_grow(sb, (size_t)n)) {
			sb->buf[sb->len] = 0;
			return;
		}
		va_start(ap, fmt);
		vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	sb->len += (size_t)n;
}

void vtd_sbuf_release(struct vtd_sbuf *sb)
{
	free(sb->buf);
	memset(sb, 0, sizeof(*sb));
}

const char *vtd_sbuf_str(const struct vtd_sbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

/* ---- numbers ------------------------------------------------------------ */

int vtd_parse_u64(const char *s, uint64_t *v)
{
	unsigned base = 10, digits = 0;
	uint64_t x = 0;

	if (!s || !*s)
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
		base = 2;
		s += 2;
	}
	for (; *s; s++) {
		unsigned d;

		if (*s == '_' && digits)
			continue;
		if (isdigit((unsigned char)*s))
			d = (unsigned)(*s - '0');
		else if (isxdigit((unsigned char)*s))
			d = (unsigned)(tolower((unsigned char)*s) - 'a' + 10);
		else
			return -1;
		if (d >= base)
			return -1;
		if (x > (UINT64_MAX - d) / base)
			return -1;
		x = x * base + d;
		digits++;
	}
	if (!digits)
		return -1;
	*v = x;
	return 0;
}

/* ---- one field ------------------------------------------------------------ */

static unsigned coded_exponent(const struct vtd_field *f, uint64_t raw)
{
	return (unsigned)(raw * f->coding->mul + (uint64_t)(int64_t)f->coding->add);
}

static void format_str(const struct vtd_field *f, uint64_t raw, struct vtd_sbuf *out)
{
	unsigned n = f->width / 8, last = 0, i;

	/* Trailing NULs are padding; anything else is kept exactly. */
	for (i = 0; i < n; i++)
		if ((raw >> (8 * i)) & 0xff)
			last = i + 1;
	for (i = 0; i < last; i++) {
		unsigned c = (unsigned)(raw >> (8 * i)) & 0xff;

		if (c >= 0x20 && c < 0x7f && c != '\\')
			vtd_sbuf_addf(out, "%c", c);
		else
			vtd_sbuf_addf(out, "\\x%02x", c);
	}
}

void vtd_field_format(const struct vtd_field *f, uint64_t raw, struct vtd_sbuf *out)
{
	const struct vtd_value *v;
	int first = 1;
	unsigned bit;

	switch (f->kind) {
	case VTD_FLAG:
		vtd_sbuf_addf(out, "%u", (unsigned)raw);
		break;
	case VTD_UINT:
		vtd_sbuf_addf(out, "%llu", (unsigned long long)raw);
		break;
	case VTD_ENUM:
		v = vtd_enum_lookup(f, raw);
		if (v)
			vtd_sbuf_addf(out, "%s", v->name);
		else
			vtd_sbuf_addf(out, "%llu", (unsigned long long)raw);
		break;
	case VTD_CODED:
		if (f->coding->pow2 && coded_exponent(f, raw) >= 64)
			vtd_sbuf_addf(out, "2^%u", coded_exponent(f, raw));
		else
			vtd_sbuf_addf(out, "%llu", (unsigned long long)vtd_field_value(f, raw));
		break;
	case VTD_BITSET:
		for (bit = 0; bit < f->width; bit++) {
			if (!(raw & (1ULL << bit)))
				continue;
			v = vtd_enum_lookup(f, bit);
			if (v)
				vtd_sbuf_addf(out, "%s%s", first ? "" : ",", v->name);
			else
				vtd_sbuf_addf(out, "%sbit%u", first ? "" : ",", bit);
			first = 0;
		}
		if (first)
			vtd_sbuf_addf(out, "none");
		break;
	case VTD_STR:
		format_str(f, raw, out);
		break;
	default: /* HEX, ADDR, IGN */
		vtd_sbuf_addf(out, "0x%llx", (unsigned long long)vtd_field_value(f, raw));
		break;
	}
}

static int parse_flag(const char *s, uint64_t *raw)
{
	static const char *const yes[] = { "1", "true", "yes", "on", "+" };
	static const char *const no[] = { "0", "false", "no", "off", "-" };
	unsigned i;

	for (i = 0; i < VTD_NELEM(yes); i++) {
		if (!strcasecmp(s, yes[i])) {
			*raw = 1;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*raw = 0;
			return 0;
		}
	}
	return -1;
}

static int parse_str(const struct vtd_field *f, const char *s, uint64_t *raw,
		     struct vtd_error *err)
{
	unsigned n = 0, max = f->width / 8;
	uint64_t v = 0;

	while (*s) {
		unsigned c = (unsigned char)*s++;

		if (c == '\\' && s[0] == 'x' && isxdigit((unsigned char)s[1]) &&
		    isxdigit((unsigned char)s[2])) {
			char hex[3] = { s[1], s[2], 0 };

			c = (unsigned)strtoul(hex, NULL, 16);
			s += 3;
		}
		if (n == max)
			return vtd_fail(err, VTD_ERANGE, "%s: longer than %u characters", f->name,
					max);
		v |= (uint64_t)c << (8 * n++);
	}
	*raw = v;
	return 0;
}

static int parse_bitset(const struct vtd_field *f, const char *s, uint64_t *raw,
			struct vtd_error *err)
{
	char tok[64];
	uint64_t v = 0, bit;

	if (!strcasecmp(s, "none")) {
		*raw = 0;
		return 0;
	}
	/* A lone number is the raw bit mask, as a register dump shows it. */
	if (!vtd_parse_u64(s, &v))
		return vtd_field_raw_of(f, v, raw, err);
	while (*s) {
		size_t n = strcspn(s, ",");
		const struct vtd_value *val;

		if (n == 0 || n >= sizeof(tok))
			return vtd_fail(err, VTD_EFORMAT, "%s: bad list '%s'", f->name, s);
		memcpy(tok, s, n);
		tok[n] = 0;
		s += n + (s[n] == ',');
		val = vtd_value_find(f, tok);
		if (val)
			bit = val->raw;
		else if (!strncasecmp(tok, "bit", 3) && !vtd_parse_u64(tok + 3, &bit) &&
			 bit < f->width)
			;
		else
			return vtd_fail(err, VTD_ENOTFOUND, "%s: unknown name '%s'", f->name, tok);
		v |= 1ULL << bit;
	}
	*raw = v;
	return 0;
}

int vtd_field_parse(const struct vtd_field *f, const char *s, uint64_t *raw,
		    struct vtd_error *err)
{
	const struct vtd_value *v;
	uint64_t num;

	switch (f->kind) {
	case VTD_FLAG:
		if (!parse_flag(s, raw))
			return 0;
		return vtd_fail(err, VTD_EFORMAT, "%s: '%s' is not a flag value (0/1, true/false)",
				f->name, s);
	case VTD_STR:
		return parse_str(f, s, raw, err);
	case VTD_BITSET:
		return parse_bitset(f, s, raw, err);
	case VTD_ENUM:
		v = vtd_value_find(f, s);
		if (v) {
			*raw = v->raw;
			return 0;
		}
		break;
	case VTD_CODED:
		if (f->coding->pow2 && s[0] == '2' && s[1] == '^' && !vtd_parse_u64(s + 2, &num)) {
			int64_t e = (int64_t)num - f->coding->add;
			uint64_t r;

			if (num > 255 || e < 0 || (f->coding->mul && e % f->coding->mul))
				return vtd_fail(err, VTD_ERANGE, "%s: %s cannot be encoded", f->name, s);
			r = f->coding->mul ? (uint64_t)e / f->coding->mul : (uint64_t)e;
			if (f->width < 64 && (r >> f->width))
				return vtd_fail(err, VTD_ERANGE, "%s: %s does not fit", f->name, s);
			*raw = r;
			return 0;
		}
		break;
	default:
		break;
	}
	if (vtd_parse_u64(s, &num))
		return vtd_fail(err, f->kind == VTD_ENUM ? VTD_ENOTFOUND : VTD_EFORMAT,
				f->kind == VTD_ENUM ? "%s: unknown value '%s'"
						    : "%s: '%s' is not a number",
				f->name, s);
	return vtd_field_raw_of(f, num, raw, err);
}

/* ---- structures ------------------------------------------------------------ */

static void bit_range(char *buf, size_t n, unsigned lsb, unsigned width)
{
	if (width == 1)
		snprintf(buf, n, "%u", lsb);
	else
		snprintf(buf, n, "%u:%u", lsb + width - 1, lsb);
}

static const char *value_note(const struct vtd_field *f, uint64_t raw)
{
	const struct vtd_value *v;

	if (f->kind == VTD_ENUM && (v = vtd_enum_lookup(f, raw)))
		return v->desc;
	return NULL;
}

static void render_line(struct vtd_sbuf *out, const struct vtd_field *f, uint64_t raw,
			unsigned flags, int namew)
{
	struct vtd_sbuf val = VTD_SBUF_INIT;
	char bits[16];
	const char *note = value_note(f, raw);

	bit_range(bits, sizeof(bits), f->lsb, f->width);
	vtd_field_format(f, raw, &val);
	if (f->kind == VTD_CODED && f->coding->unit)
		vtd_sbuf_addf(&val, " %s", f->coding->unit);
	if ((flags & VTD_TEXT_RAW) && (f->kind == VTD_ENUM || f->kind == VTD_CODED ||
				       f->kind == VTD_BITSET || f->kind == VTD_ADDR))
		vtd_sbuf_addf(&val, " (raw 0x%llx)", (unsigned long long)raw);
	vtd_sbuf_addf(out, "  %-*s %7s  %-24s %s%s%s\n", namew, f->name, bits, vtd_sbuf_str(&val),
		      f->desc, note ? ": " : "", note ? note : "");
	vtd_sbuf_release(&val);
}

static void render_compact(struct vtd_sbuf *out, const struct vtd_field *f, uint64_t raw,
			   unsigned flags, int *first)
{
	if (f->kind == VTD_IGN && !raw && !(flags & VTD_TEXT_ALL))
		return;
	vtd_sbuf_addf(out, "%s%s", *first ? "" : " ", f->name);
	*first = 0;
	if (f->kind == VTD_FLAG) {
		vtd_sbuf_addf(out, "%c", raw ? '+' : '-');
		return;
	}
	vtd_sbuf_addf(out, "=");
	vtd_field_format(f, raw, out);
}

void vtd_text_render(struct vtd_sbuf *out, const struct vtd_layout *l, const uint8_t *buf,
		     size_t len, unsigned flags)
{
	struct vtd_rsvd_run runs[64];
	unsigned nruns, i, r = 0;
	int first = 1, namew = 10;

	/* Align the columns to the layout's longest name. */
	for (i = 0; i < l->nfields; i++)
		if ((int)strlen(l->fields[i].name) > namew)
			namew = (int)strlen(l->fields[i].name);
	nruns = vtd_layout_rsvd_runs(l, len, runs, VTD_NELEM(runs));
	if (nruns > VTD_NELEM(runs))
		nruns = VTD_NELEM(runs);
	/* Fields and non-zero reserved runs interleaved in bit order. */
	for (i = 0; i <= l->nfields; i++) {
		const struct vtd_field *f = i < l->nfields ? &l->fields[i] : NULL;

		for (; r < nruns && (!f || runs[r].lsb < f->lsb); r++) {
			uint64_t v = vtd_bits_get(buf, runs[r].lsb, runs[r].width);
			char bits[16];

			if (!v)
				continue;
			bit_range(bits, sizeof(bits), runs[r].lsb, runs[r].width);
			if (flags & VTD_TEXT_ONELINE) {
				vtd_sbuf_addf(out, "%sRSVD[%s]=0x%llx", first ? "" : " ", bits,
					      (unsigned long long)v);
				first = 0;
			} else {
				vtd_sbuf_addf(out, "  %-*s %7s  0x%-22llx %s\n", namew, "(reserved)", bits,
					      (unsigned long long)v, "reserved, must be zero");
			}
		}
		if (!f || !vtd_field_in(f, len))
			continue;
		if (flags & VTD_TEXT_ONELINE)
			render_compact(out, f, vtd_field_raw(f, buf), flags, &first);
		else
			render_line(out, f, vtd_field_raw(f, buf), flags, namew);
	}
	if (flags & VTD_TEXT_ONELINE)
		vtd_sbuf_addf(out, "\n");
}
