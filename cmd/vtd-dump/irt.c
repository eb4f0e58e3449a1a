// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vtd-dump -- the interrupt-remapping table in the tree: each present IRTE
 * (remapped or posted) in words, with what its source-id validation admits,
 * since an entry that validates nothing lets any device raise its
 * interrupt.  With --device only the entries a device may use are shown:
 * those whose validation admits it, SVT 0 included.
 */
#include <inttypes.h>
#include <string.h>

#include "dump.h"
#include "json.h"
#include "regs.h"
#include "script.h"
#include "tables.h"

static const struct vtd_layout *irte_layout(const uint8_t *e)
{
	/* IM is bit 15 in both formats: the remapped layout reads it for either. */
	return field_of(&vtd_l_irte_remapped, e, "im") ? &vtd_l_irte_posted : &vtd_l_irte_remapped;
}

/* The name of an enum field's value ("fixed", "edge"), or "?" */
static const char *enum_name(const struct vtd_layout *l, const uint8_t *e, const char *key)
{
	const struct vtd_field *f = vtd_field_find(l, key);
	const struct vtd_value *v = f ? vtd_enum_lookup(f, vtd_field_raw(f, e)) : NULL;

	return v ? v->name : "?";
}

/* Does the entry's SVT/SQ/SID let requester 'sid' use it? */
static int irte_admits(const uint8_t *e, uint16_t sid)
{
	const struct vtd_layout *l = &vtd_l_irte_remapped;	/* same bits in both formats */
	unsigned svt = (unsigned)field_of(l, e, "svt"), sq = (unsigned)field_of(l, e, "sq");
	unsigned s = (unsigned)field_of(l, e, "sid");
	/* SQ masks function-number bits: none, bit 2, bits 2:1, all three. */
	static const unsigned ignore[4] = { 0, 4, 6, 7 };

	switch (svt) {
	case 0: return 1;
	case 1: return ((s ^ sid) & ~ignore[sq & 3] & 0xffff) == 0;
	case 2: return (sid >> 8) >= (s >> 8) && (sid >> 8) <= (s & 0xff);
	default: return 0;
	}
}

/* "validates 00:03.0 exactly", "bus range 00-01", "validates nothing" */
static void svt_words(const uint8_t *e, char *b, size_t n)
{
	const struct vtd_layout *l = &vtd_l_irte_remapped;
	unsigned svt = (unsigned)field_of(l, e, "svt"), sq = (unsigned)field_of(l, e, "sq");
	unsigned s = (unsigned)field_of(l, e, "sid");
	static const char *const sq_words[4] = { "exactly", "ignoring function bit 2",
						 "ignoring function bits 2:1", "any function" };
	char bdf[16];

	script_bdf_str(s, bdf);
	switch (svt) {
	case 0: snprintf(b, n, "validates nothing: any device may raise it"); break;
	case 1: snprintf(b, n, "validates %s %s", bdf, sq_words[sq & 3]); break;
	case 2: snprintf(b, n, "validates bus range %02x-%02x", s >> 8, s & 0xff); break;
	default: snprintf(b, n, "SVT 3 is reserved: validates no request"); break;
	}
}

/* The IRTE in words: "remapped vector 0x21 fixed edge -> physical dest 0x1". */
static void irte_words(const uint8_t *e, int eime, char *b, size_t n)
{
	const struct vtd_layout *l = irte_layout(e);
	char v[80];

	svt_words(e, v, sizeof(v));
	if (l == &vtd_l_irte_posted) {
		uint64_t pd = field_of(l, e, "pda_l") | field_of(l, e, "pda_h");

		snprintf(b, n, "posted vector 0x%" PRIx64 " -> descriptor 0x%" PRIx64 "%s%s; %s",
			 field_of(l, e, "vv"), pd, field_of(l, e, "urg") ? " urgent" : "",
			 field_of(l, e, "fpd") ? " fpd" : "", v);
		return;
	}
	uint64_t dst = field_of(l, e, "dst");

	/* xAPIC mode uses DST bits 15:8 (entry bits 47:40) as the APIC id. */
	snprintf(b, n, "remapped vector 0x%" PRIx64 " %s %s -> %s APIC 0x%" PRIx64 "%s%s; %s",
		 field_of(l, e, "v"), enum_name(l, e, "dlm"), enum_name(l, e, "tm"),
		 enum_name(l, e, "dm"), eime ? dst : dst >> 8 & 0xff,
		 field_of(l, e, "rh") ? " rh" : "", field_of(l, e, "fpd") ? " fpd" : "", v);
}

static int irte_shown(const struct dopts *o, const uint8_t *e)
{
	if (!field_of(&vtd_l_irte_remapped, e, "p"))
		return 0;
	if (!o->ndevs)
		return 1;
	for (unsigned i = 0; i < o->ndevs; i++)
		if (irte_admits(e, o->devs[i]))
			return 1;
	return 0;
}

struct irt_geom {
	uint64_t base, entries;
	int eime;
};

static void geom(const struct unit *u, struct irt_geom *g)
{
	uint8_t b[8];

	memcpy(b, &u->irta, 8);
	g->base = field_of(&vtd_l_reg_irta, b, "irta");
	g->entries = field_of(&vtd_l_reg_irta, b, "s");
	g->eime = field_of(&vtd_l_reg_irta, b, "eime") != 0;
}

/* The IRT is a DMA question's answer only without --pasid, --domain and --address. */
static int irt_wanted(const struct dump *d, const struct unit *u)
{
	return u->irta && !d->o->has_pasid && !d->o->has_did && !d->o->has_addr;
}

void irt_text(struct dump *d, const struct unit *u, const struct vtd_plan *p)
{
	struct irt_geom g;
	size_t present = 0, shown = 0;
	char line[512];

	if (!irt_wanted(d, u))
		return;
	geom(u, &g);
	for (size_t i = 0; i < p->nirtes; i++)
		present += field_of(&vtd_l_irte_remapped, p->irtes[i].bytes, "p") != 0;
	fprintf(d->f, "  interrupt remapping: table 0x%" PRIx64 ", %" PRIu64 " entries, %s; "
		"%zu present\n", g.base, g.entries, g.eime ? "x2APIC ids" : "xAPIC ids", present);
	for (size_t i = 0; i < p->nirtes; i++) {
		const struct vtd_birte *x = &p->irtes[i];

		if (!irte_shown(d->o, x->bytes))
			continue;
		shown++;
		irte_words(x->bytes, g.eime, line, sizeof(line));
		fprintf(d->f, "    irte[0x%" PRIx32 "] @0x%" PRIx64 ": %s\n", x->index,
			g.base + 16 * (uint64_t)x->index, line);
	}
	if (d->o->ndevs && !shown && present)
		fprintf(d->f, "    no present entry admits the --device requester\n");
}

void irt_json(struct dump *d, const struct unit *u, const struct vtd_plan *p, struct jsonw *w)
{
	struct irt_geom g;
	char words[512];

	if (!irt_wanted(d, u))
		return;
	geom(u, &g);
	jsonw_key(w, "interrupt_remapping");
	jsonw_start_object(w);
	jsonw_khex(w, "table", g.base);
	jsonw_kint(w, "size", (int64_t)g.entries);
	jsonw_kbool(w, "x2apic", g.eime);
	jsonw_key(w, "irtes");
	jsonw_start_array(w);
	for (size_t i = 0; i < p->nirtes; i++) {
		const struct vtd_birte *x = &p->irtes[i];
		const struct vtd_layout *l = irte_layout(x->bytes);

		if (!irte_shown(d->o, x->bytes))
			continue;
		jsonw_start_object(w);
		jsonw_kstring(w, "struct", l->name);
		jsonw_khex(w, "pa", g.base + 16 * (uint64_t)x->index);
		jsonw_kint(w, "index", x->index);
		svt_words(x->bytes, words, sizeof(words));
		jsonw_kstring(w, "validates", words);
		irte_words(x->bytes, g.eime, words, sizeof(words));
		jsonw_kstring(w, "summary", words);
		jsonw_kjson(w, "fields", vtd_json_from_bytes(l, x->bytes, 16, 0));
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	jsonw_end_object(w);
}
