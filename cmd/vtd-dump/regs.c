// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vtd-dump -- a unit's status registers under its header: GSTS (what is
 * enabled), FSTS and the fault records that hold a pending fault, each
 * decoded through libvtd's register and fault-record layouts.  Only the
 * registers that were read (--regs, debugfs) are shown: a unit described
 * by options has none.
 */
#include <inttypes.h>
#include <string.h>

#include "dump.h"
#include "fault.h"
#include "json.h"
#include "regs.h"
#include "script.h"

/* Does record 'i' hold a pending fault (F)? */
static int pending(const struct unit *u, unsigned i)
{
	return field_of(&vtd_l_frcd, u->frcd + 16 * i, "f") != 0;
}

static unsigned npending(const struct unit *u)
{
	unsigned n = 0;

	for (unsigned i = 0; u->frcd && i < u->nfrcd; i++)
		n += (unsigned)pending(u, i);
	return n;
}

static void reg32(uint32_t v, uint8_t b[4])
{
	memcpy(b, &v, 4);	/* registers are little-endian, as the page holds them */
}

/* A record's interrupt index: interrupt-remapping faults keep it in FI's bits 63:48. */
static int is_ir(unsigned fr)
{
	const struct vtd_fault_reason *r = vtd_fault_reason(fr);

	return r && (r->flags & VTD_FR_IR);
}

/* "00:03.0 read 0x56780000: 0x06 read-denied (PTE Read access is not set)" */
static void record_line(const uint8_t *rec, char *b, size_t n)
{
	unsigned fr = (unsigned)field_of(&vtd_l_frcd, rec, "fr");
	uint64_t fi = field_of(&vtd_l_frcd, rec, "fi");
	const struct vtd_fault_reason *r = vtd_fault_reason(fr);
	const struct vtd_field *t = vtd_field_find(&vtd_l_frcd, "t");
	const struct vtd_value *tv = vtd_enum_lookup(t, vtd_field_raw(t, rec));
	char bdf[16], at[48], pasid[24] = "";

	script_bdf_str((unsigned)field_of(&vtd_l_frcd, rec, "sid"), bdf);
	if (is_ir(fr))
		snprintf(at, sizeof(at), "interrupt index 0x%" PRIx64, fi >> 48);
	else
		snprintf(at, sizeof(at), "%s 0x%" PRIx64, tv ? tv->name : "?", fi);
	if (field_of(&vtd_l_frcd, rec, "pp"))
		snprintf(pasid, sizeof(pasid), " pasid 0x%" PRIx64, field_of(&vtd_l_frcd, rec, "pv"));
	snprintf(b, n, "%s%s %s: 0x%02x %s (%s)", bdf, pasid, at, fr, r ? r->name : "unknown",
		 vtd_fault_linux_text(fr));
}

void regs_text(struct dump *d, const struct unit *u)
{
	char line[1024];
	uint8_t b[4];

	if (u->has_gsts) {
		reg32(u->gsts, b);
		entry_line(&vtd_l_reg_gsts, b, line, sizeof(line));
		fprintf(d->f, "  GSTS 0x%08" PRIx32 ": %s\n", u->gsts, line);
	}
	if (u->has_fsts) {
		unsigned np = npending(u);

		reg32(u->fsts, b);
		entry_line(&vtd_l_reg_fsts, b, line, sizeof(line));
		fprintf(d->f, "  FSTS 0x%08" PRIx32 ": %s", u->fsts, line);
		if (u->frcd)
			fprintf(d->f, "; %u of %u fault record%s pending", np, u->nfrcd,
				u->nfrcd == 1 ? "" : "s");
		fputc('\n', d->f);
	}
	for (unsigned i = 0; u->frcd && i < u->nfrcd; i++) {
		if (!pending(u, i))
			continue;
		record_line(u->frcd + 16 * i, line, sizeof(line));
		fprintf(d->f, "    FRCD[%u]: %s\n", i, line);
	}
}

/* {"value": "0x...", "fields": {...}} */
static void reg_jsonw(struct jsonw *w, const char *key, const struct vtd_layout *l, uint32_t v)
{
	uint8_t b[4];

	reg32(v, b);
	jsonw_key(w, key);
	jsonw_start_object(w);
	jsonw_khex(w, "value", v);
	jsonw_kjson(w, "fields", vtd_json_from_bytes(l, b, 4, 0));
	jsonw_end_object(w);
}

void regs_json(const struct unit *u, struct jsonw *w)
{
	if (!u->has_gsts && !u->has_fsts)
		return;
	jsonw_key(w, "registers");
	jsonw_start_object(w);
	if (u->has_gsts)
		reg_jsonw(w, "gsts", &vtd_l_reg_gsts, u->gsts);
	if (u->has_fsts)
		reg_jsonw(w, "fsts", &vtd_l_reg_fsts, u->fsts);
	if (u->frcd) {
		jsonw_kint(w, "fault_records", u->nfrcd);
		jsonw_key(w, "faults");
		jsonw_start_array(w);
		for (unsigned i = 0; i < u->nfrcd; i++) {
			const uint8_t *rec = u->frcd + 16 * i;
			unsigned fr = (unsigned)field_of(&vtd_l_frcd, rec, "fr");
			const struct vtd_fault_reason *r = vtd_fault_reason(fr);
			char bdf[16], code[8];

			if (!pending(u, i))
				continue;
			jsonw_start_object(w);
			jsonw_kint(w, "record", i);
			jsonw_kstring(w, "bdf", script_bdf_str((unsigned)field_of(&vtd_l_frcd, rec,
										 "sid"), bdf));
			snprintf(code, sizeof(code), "0x%02x", fr);
			jsonw_kstring(w, "reason", code);
			if (r)
				jsonw_kstring(w, "name", r->name);
			jsonw_kstring(w, "text", vtd_fault_linux_text(fr));
			if (is_ir(fr))
				jsonw_kint(w, "interrupt_index",
					   (int64_t)(field_of(&vtd_l_frcd, rec, "fi") >> 48));
			jsonw_kjson(w, "fields", vtd_json_from_bytes(&vtd_l_frcd, rec, 16, 0));
			jsonw_end_object(w);
		}
		jsonw_end_array(w);
	}
	jsonw_end_object(w);
}
