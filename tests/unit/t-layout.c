/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests: the field engine, the translation-structure tables, text and JSON. */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "layout.h"
#include "tables.h"
#include "tap.h"
#include "text.h"

static uint64_t rng = 0x243f6a8885a308d3ULL;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t get(const struct vtd_layout *l, const uint8_t *buf, const char *name)
{
	const struct vtd_field *f = vtd_field_find(l, name);

	if (!f) {
		printf("# no field %s in %s\n", name, l->name);
		return ~0ULL;
	}
	return vtd_field_value(f, vtd_field_raw(f, buf));
}

static void put64(uint8_t *buf, unsigned word, uint64_t v)
{
	vtd_bits_set(buf, word * 64, 64, v);
}

static void test_bits(void)
{
	uint8_t b[16] = { 0 };

	vtd_bits_set(b, 60, 8, 0xAB);
	is_u64(vtd_bits_get(b, 60, 8), 0xAB, "field crossing the 64-bit boundary reads back");
	is_u64(vtd_bits_get(b, 0, 64), 0xB000000000000000ULL, "low word holds the low nibble");
	is_u64(vtd_bits_get(b, 64, 64), 0xA, "high word holds the high nibble");
	vtd_bits_set(b, 61, 2, 0);
	is_u64(vtd_bits_get(b, 60, 8), 0xA9, "setting clears only the field's bits");
	memset(b, 0xff, sizeof(b));
	vtd_bits_set(b, 3, 64, 0);
	is_u64(vtd_bits_get(b, 0, 64), 0x7, "64-bit field at an odd position");
	is_u64(vtd_bits_get(b, 64, 64), ~0ULL << 3, "neighbours untouched");
}

static void test_registry(void)
{
	const struct vtd_layout *l;
	struct vtd_error err;
	unsigned i, j, n = 0, bad = 0;

	for (i = 0; (l = vtd_layout_at(i)); i++) {
		memset(&err, 0, sizeof(err));
		if (vtd_layout_selftest(l, &err)) {
			bad++;
			printf("# %s\n", err.msg);
		}
		for (j = 0; j < i; j++)
			if (!strcmp(vtd_layout_at(j)->name, l->name))
				bad++;
		if (vtd_layout_find(l->name) != l)
			bad++;
		n++;
	}
	ok(n >= 60, "registry holds %u layouts", n);
	ok(!bad, "every layout passes its self-test, has a unique name and is found by it");
	ok(vtd_layout_find("context-l") == &vtd_l_context_legacy, "unique prefix finds a layout");
	ok(vtd_layout_find("context") == NULL, "ambiguous prefix finds nothing");
	ok(vtd_layout_find("no-such") == NULL, "unknown name finds nothing");
	ok(vtd_paging_layout(0, 2, 1) == &vtd_l_ss_pde_2m, "paging layout: SS level 2 leaf");
	ok(vtd_paging_layout(1, 4, 0) == &vtd_l_fs_pml4e, "paging layout: FS level 4");
	ok(vtd_paging_layout(0, 4, 1) == NULL && vtd_paging_layout(0, 1, 0) == NULL &&
	   vtd_paging_layout(0, 6, 0) == NULL, "impossible paging combinations are NULL");
}

static void test_vectors(void)
{
	uint8_t b[64];

	/* Root entry: CTP 0x7fff3000, present. */
	memset(b, 0, sizeof(b));
	put64(b, 0, 0x7fff3001);
	is_u64(get(&vtd_l_root_legacy, b, "P"), 1, "root-legacy P");
	is_u64(get(&vtd_l_root_legacy, b, "CTP"), 0x7fff3000, "root-legacy CTP");

	/* Scalable root: lower 0x1000 present, upper 0xabcd000 present. */
	memset(b, 0, sizeof(b));
	put64(b, 0, 0x1001);
	put64(b, 1, 0xabcd001);
	is_u64(get(&vtd_l_root_sm, b, "LCTP"), 0x1000, "root-sm LCTP");
	is_u64(get(&vtd_l_root_sm, b, "UP"), 1, "root-sm UP");
	is_u64(get(&vtd_l_root_sm, b, "UCTP"), 0xabcd000, "root-sm UCTP (bits 127:76)");

	/* Legacy context: TT=2, FPD, SSPTPTR 0x12345000; hi: AW=2, DID=0x1234. */
	memset(b, 0, sizeof(b));
	put64(b, 0, 0x12345000 | 0x8 | 0x2 | 0x1);
	put64(b, 1, 0x2 | (0x1234ULL << 8));
	is_u64(get(&vtd_l_context_legacy, b, "TT"), 2, "context TT");
	is_u64(get(&vtd_l_context_legacy, b, "FPD"), 1, "context FPD");
	is_u64(get(&vtd_l_context_legacy, b, "SSPTPTR"), 0x12345000, "context SSPTPTR");
	is_u64(get(&vtd_l_context_legacy, b, "AW"), 2, "context AW");
	is_u64(get(&vtd_l_context_legacy, b, "DID"), 0x1234, "context DID (bits 87:72)");

	/* Scalable context: PASIDE|DTE|P, PDTS=2 (512 entries), dir 0x55000, RID_PASID 7. */
	memset(b, 0, sizeof(b));
	put64(b, 0, 0x55000 | (2 << 9) | 0x8 | 0x4 | 0x1);
	put64(b, 1, 7);
	is_u64(get(&vtd_l_context_sm, b, "PDTS"), 512, "context-sm PDTS coded as 2^(x+7)");
	is_u64(get(&vtd_l_context_sm, b, "PASIDDIRPTR"), 0x55000, "context-sm PASIDDIRPTR");
	is_u64(get(&vtd_l_context_sm, b, "RID_PASID"), 7, "context-sm RID_PASID");
	is_u64(get(&vtd_l_context_sm, b, "PASIDE"), 1, "context-sm PASIDE");

	/* PASID entry: PGTT=1, AW=2, DID 9, SRE, FSPM=1, FSPTPTR 0x77000, PGSNP. */
	memset(b, 0, sizeof(b));
	put64(b, 0, (1 << 6) | (2 << 2) | 1);
	put64(b, 1, 9 | (1ULL << 24));
	put64(b, 2, 0x77000 | (1 << 2) | 1);
	is_u64(get(&vtd_l_pasid_entry, b, "PGTT"), 1, "pasid-entry PGTT");
	is_u64(get(&vtd_l_pasid_entry, b, "DID"), 9, "pasid-entry DID");
	is_u64(get(&vtd_l_pasid_entry, b, "PGSNP"), 1, "pasid-entry PGSNP (bit 88)");
	is_u64(get(&vtd_l_pasid_entry, b, "SRE"), 1, "pasid-entry SRE (bit 128)");
	is_u64(get(&vtd_l_pasid_entry, b, "FSPM"), 1, "pasid-entry FSPM (bits 131:130)");
	is_u64(get(&vtd_l_pasid_entry, b, "FSPTPTR"), 0x77000, "pasid-entry FSPTPTR (191:140)");

	/* Second-stage 2 MiB leaf at 0x40200000 with R|W|SNP. */
	memset(b, 0, sizeof(b));
	put64(b, 0, 0x40200000 | (1 << 11) | (1 << 7) | 3);
	is_u64(get(&vtd_l_ss_pde_2m, b, "ADDR"), 0x40200000, "ss-pde-2m frame");
	ok(vtd_layout_check(&vtd_l_ss_pde_2m, b, 8, NULL, NULL, 0) == 0, "ss-pde-2m valid");
	ok(vtd_layout_check(&vtd_l_ss_pde, b, 8, NULL, NULL, 0) == 2,
	   "the same bits as a non-leaf PDE: PS=1 and SNP are findings");
	put64(b, 0, 0x40201000 | (1 << 7) | 3);
	ok(vtd_layout_check(&vtd_l_ss_pde_2m, b, 8, NULL, NULL, 0) == 1,
	   "2 MiB leaf with address bit 12 set: reserved bits 20:12");

	/* First-stage 1 GiB leaf. */
	memset(b, 0, sizeof(b));
	put64(b, 0, 0x80000000ULL | (1 << 7) | (1 << 2) | 3 | (1ULL << 63));
	is_u64(get(&vtd_l_fs_pdpe_1g, b, "ADDR"), 0x80000000ULL, "fs-pdpe-1g frame");
	is_u64(get(&vtd_l_fs_pdpe_1g, b, "XD"), 1, "fs-pdpe-1g XD");
	is_u64(get(&vtd_l_fs_pdpe_1g, b, "US"), 1, "fs-pdpe-1g US");
}

static void test_reserved(void)
{
	struct vtd_rsvd_run r[8];
	struct vtd_finding f[4];
	struct vtd_check_opts o = { .haw = 39 };
	uint8_t b[16] = { 0 };
	unsigned n;

	n = vtd_layout_rsvd_runs(&vtd_l_context_legacy, 16, r, 8);
	ok(n == 3 && r[0].lsb == 4 && r[0].width == 8 && r[1].lsb == 71 && r[1].width == 1 &&
	   r[2].lsb == 88 && r[2].width == 40, "context-legacy reserved: 11:4, 71, 127:88");
	n = vtd_layout_rsvd_runs(&vtd_l_root_legacy, 16, r, 8);
	ok(n == 2 && r[0].lsb == 1 && r[0].width == 11 && r[1].lsb == 64 && r[1].width == 64,
	   "root-legacy reserved: 11:1, 127:64");
	b[12] = 0x10;	/* bit 100 */
	n = vtd_layout_check(&vtd_l_context_legacy, b, 16, NULL, f, 4);
	ok(n == 1 && f[0].kind == VTD_FIND_RSVD && f[0].lsb == 88 && f[0].width == 40 &&
	   f[0].bits == (1ULL << 12), "bit 100 set: reserved run 127:88 named");
	is_str(f[0].msg, "reserved bits 127:88 are 0x1000", "finding message");
	memset(b, 0, sizeof(b));
	put64(b, 0, (1ULL << 40) | 1);
	put64(b, 1, 1);		/* AW = 39-bit */
	n = vtd_layout_check(&vtd_l_context_legacy, b, 16, &o, f, 4);
	ok(n == 1 && f[0].kind == VTD_FIND_HAW && f[0].field == vtd_field_find(&vtd_l_context_legacy, "SSPTPTR")
	   && f[0].lsb == 39, "SSPTPTR above a 39-bit HAW is named");
	memset(b, 0, sizeof(b));
	put64(b, 0, 0xC | 1);	/* TT = 3, present */
	put64(b, 1, 1);
	n = vtd_layout_check(&vtd_l_context_legacy, b, 16, NULL, f, 4);
	ok(n == 1 && f[0].kind == VTD_FIND_VALUE, "TT=3 is a reserved value");
	put64(b, 0, 0xC);
	ok(vtd_layout_check(&vtd_l_context_legacy, b, 16, NULL, f, 4) == 0,
	   "a not-present entry's values are not judged");
}

static void test_values(void)
{
	const struct vtd_field *pdts = vtd_field_find(&vtd_l_context_sm, "PDTS");
	const struct vtd_field *ptr = vtd_field_find(&vtd_l_context_legacy, "SSPTPTR");
	const struct vtd_field *did = vtd_field_find(&vtd_l_context_legacy, "did");
	const struct vtd_field *tt = vtd_field_find(&vtd_l_context_legacy, "TT");
	struct vtd_error err;
	struct vtd_sbuf sb = VTD_SBUF_INIT;
	uint64_t raw = 0;
	uint8_t b[16] = { 0 };

	memset(&err, 0, sizeof(err));
	ok(vtd_field_raw_of(pdts, 1024, &raw, &err) == 0 && raw == 3, "PDTS 1024 entries is raw 3");
	ok(vtd_field_raw_of(pdts, 1000, &raw, &err) == -VTD_ERANGE, "PDTS 1000 is not encodable");
	ok(vtd_field_raw_of(pdts, 64, &raw, &err) == -VTD_ERANGE, "PDTS 64 is below the coding");
	ok(vtd_field_raw_of(ptr, 0x1234001, &raw, &err) == -VTD_ERANGE,
	   "unaligned address refused");
	ok(strstr(err.msg, "SSPTPTR") != NULL, "the error names the field: %s", err.msg);
	ok(vtd_field_set_raw(did, b, 0x10000, &err) == -VTD_ERANGE, "DID 0x10000 does not fit 16 bits");
	ok(vtd_field_parse(tt, "pass-through", &raw, &err) == 0 && raw == 2, "enum by name");
	ok(vtd_field_parse(tt, "1", &raw, &err) == 0 && raw == 1, "enum by number");
	ok(vtd_field_parse(tt, "bogus", &raw, &err) == -VTD_ENOTFOUND, "unknown enum name");
	ok(vtd_field_parse(did, "0x1_0", &raw, &err) == 0 && raw == 16, "hex with separator");
	ok(vtd_field_parse(did, "12x", &raw, &err) == -VTD_EFORMAT, "malformed number");
	ok(vtd_field_parse(pdts, "2^10", &raw, &err) == 0 && raw == 3, "coded value as 2^N");
	vtd_field_format(pdts, 20, &sb);
	is_str(vtd_sbuf_str(&sb), "134217728", "PDTS raw 20 shows 2^27 entries");
	vtd_sbuf_release(&sb);
}

static void test_text_json(void)
{
	struct vtd_sbuf sb = VTD_SBUF_INIT;
	struct json_object *o;
	struct vtd_error err;
	uint8_t b[16] = { 0 }, back[16];
	size_t len;

	put64(b, 0, 0x1234000 | 1);
	put64(b, 1, 2 | (5 << 8));
	vtd_text_render(&sb, &vtd_l_context_legacy, b, 16, VTD_TEXT_ONELINE);
	is_str(vtd_sbuf_str(&sb), "P+ FPD- TT=multi-level SSPTPTR=0x1234000 AW=48-bit DID=5\n",
	       "one-line form");
	vtd_sbuf_release(&sb);
	o = vtd_json_from_bytes(&vtd_l_context_legacy, b, 16, 0);
	is_str(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
	       "{\"p\":true,\"fpd\":false,\"tt\":\"multi-level\",\"ssptptr\":\"0x1234000\","
	       "\"aw\":\"48-bit\",\"avail\":\"0x0\",\"did\":5}", "JSON form");
	ok(vtd_json_to_bytes(&vtd_l_context_legacy, o, back, &len, NULL, NULL) == 0 && len == 16 &&
	   !memcmp(b, back, 16), "JSON back to the same bytes");
	json_object_put(o);

	o = json_tokener_parse("{\"p\":true,\"didx\":3}");
	memset(&err, 0, sizeof(err));
	ok(vtd_json_to_bytes(&vtd_l_context_legacy, o, back, &len, "$.entries[0]", &err) ==
	   -VTD_ENOTFOUND, "unknown key refused");
	is_str(err.where, "$.entries[0].didx", "error names the JSON path");
	json_object_put(o);

	o = json_tokener_parse("{\"did\":65536}");
	memset(&err, 0, sizeof(err));
	ok(vtd_json_to_bytes(&vtd_l_context_legacy, o, back, &len, NULL, &err) == -VTD_ERANGE,
	   "too-wide value refused");
	json_object_put(o);

	o = json_tokener_parse("{\"rsvd\":{\"11:4\":\"0xff\"},\"p\":true}");
	ok(vtd_json_to_bytes(&vtd_l_context_legacy, o, back, &len, NULL, NULL) == 0 &&
	   vtd_bits_get(back, 0, 12) == 0xff1, "reserved bits written on purpose through 'rsvd'");
	json_object_put(o);
	o = json_tokener_parse("{\"rsvd\":{\"12:4\":\"0x1\"}}");
	ok(vtd_json_to_bytes(&vtd_l_context_legacy, o, back, &len, NULL, NULL) == -VTD_EFORMAT,
	   "'rsvd' may not name a field's bits");
	json_object_put(o);
}

/* Property: for every layout, random contents survive text and JSON round trips. */
static void test_roundtrip(void)
{
	const struct vtd_layout *l;
	unsigned i, k, bad_json = 0, bad_clean = 0, bad_parse = 0, cases = 0;

	for (i = 0; (l = vtd_layout_at(i)); i++) {
		uint8_t mask[64], b[64], back[64];

		vtd_layout_rsvd_mask(l, l->size, mask);
		for (k = 0; k < 200; k++) {
			struct json_object *o;
			unsigned j, f;
			size_t len;
			int clean = k & 1;

			for (j = 0; j < l->size; j++) {
				b[j] = (uint8_t)rnd();
				if (clean)
					b[j] &= (uint8_t)~mask[j];
			}
			o = vtd_json_from_bytes(l, b, l->size, k & 2 ? VTD_JSON_RAW : 0);
			/* The short form of a 128/256-bit descriptor is chosen when
			 * nothing above 128 bits is set; the bytes still agree. */
			if (vtd_json_to_bytes(l, o, back, &len, NULL, NULL) ||
			    !vtd_layout_len_ok(l, len) || memcmp(b, back, l->size)) {
				if (bad_json++ < 3)
					printf("# %s: JSON round trip differs: %s\n", l->name,
					       json_object_to_json_string(o));
			}
			json_object_put(o);
			if (clean) {
				struct vtd_finding fd[8];
				unsigned n = vtd_layout_check(l, b, l->size, NULL, fd, 8), x;

				for (x = 0; x < n && x < 8; x++)
					if (fd[x].kind == VTD_FIND_RSVD)
						bad_clean++;
			}
			/* Each field's text form parses back to the same raw value. */
			for (f = 0; f < l->nfields; f++) {
				const struct vtd_field *fl = &l->fields[f];
				struct vtd_sbuf sb = VTD_SBUF_INIT;
				uint64_t raw = vtd_field_raw(fl, b), got = ~raw;

				vtd_field_format(fl, raw, &sb);
				if (vtd_field_parse(fl, vtd_sbuf_str(&sb), &got, NULL) || got != raw) {
					if (bad_parse++ < 3)
						printf("# %s.%s: '%s' did not parse back to 0x%llx\n",
						       l->name, fl->name, vtd_sbuf_str(&sb),
						       (unsigned long long)raw);
				}
				vtd_sbuf_release(&sb);
			}
			cases++;
		}
	}
	ok(!bad_json, "JSON round trip of %u random structures (reserved bits too): %u bad", cases,
	   bad_json);
	ok(!bad_clean, "structures with reserved bits cleared have no reserved findings");
	ok(!bad_parse, "every field's text form parses back to its raw value");
}

int main(void)
{
	test_bits();
	test_registry();
	test_vectors();
	test_reserved();
	test_values();
	test_text_json();
	test_roundtrip();
	return tap_done();
}
