/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the DMAR table decoder and encoder: round trips and every corruption. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmar.h"
#include "json.h"
#include "tap.h"

#define DATA_DIR "tests/data/dmar"

/* ---- building tables by hand ------------------------------------------------ */

struct tb {
	uint8_t b[1024];
	size_t len;
};

static void put8(struct tb *t, unsigned v)
{
	t->b[t->len++] = (uint8_t)v;
}

static void put16(struct tb *t, unsigned v)
{
	put8(t, v & 0xff);
	put8(t, v >> 8);
}

static void put32(struct tb *t, uint32_t v)
{
	put16(t, v & 0xffff);
	put16(t, v >> 16);
}

static void put64(struct tb *t, uint64_t v)
{
	put32(t, (uint32_t)v);
	put32(t, (uint32_t)(v >> 32));
}

static void putstr(struct tb *t, const char *s, size_t n)
{
	memcpy(t->b + t->len, s, n);
	t->len += n;
}

static void set16(struct tb *t, size_t off, unsigned v)
{
	t->b[off] = (uint8_t)v;
	t->b[off + 1] = (uint8_t)(v >> 8);
}

/* Fix the table length and checksum after building or editing. */
static void seal(struct tb *t)
{
	t->b[4] = (uint8_t)t->len;
	t->b[5] = (uint8_t)(t->len >> 8);
	t->b[6] = t->b[7] = 0;
	t->b[9] = 0;
	t->b[9] = (uint8_t)(0x100 - vtd_dmar_sum(t->b, t->len));
}

static void header(struct tb *t)
{
	memset(t->b, 0, sizeof(t->b));
	t->len = 0;
	putstr(t, "DMAR", 4);
	put32(t, 0);		/* length, sealed later */
	put8(t, 1);		/* revision */
	put8(t, 0);		/* checksum */
	putstr(t, "VTDKIT", 6);
	putstr(t, "TESTDMAR", 8);
	put32(t, 0x20261121);
	putstr(t, "VTDK", 4);
	put32(t, 7);
	put8(t, 47);		/* HAW 48 */
	put8(t, 0x5);		/* INTR_REMAP | DMA_CTRL_PLATFORM_OPT_IN */
	putstr(t, "\0\0\0\0\0\0\0\0\0\0", 10);
}

static void scope(struct tb *t, unsigned type, unsigned id, unsigned bus, const uint8_t *path,
		  unsigned n)
{
	put8(t, type);
	put8(t, 6 + 2 * n);
	put16(t, 0);
	put8(t, id);
	put8(t, bus);
	putstr(t, (const char *)path, 2 * n);
}

/* Offsets of the structures of the reference table. */
enum { OFF_DRHD = 48, OFF_DRHD_SCOPE = 64, OFF_RMRR = 72, OFF_RMRR_SCOPE = 96,
       OFF_ATSR = 106, OFF_ANDD = 122 };

/* Header, DRHD with an IOAPIC scope, RMRR with an endpoint, ATSR, ANDD. */
static void reference(struct tb *t)
{
	static const uint8_t ioapic[] = { 0x1f, 0x00 };
	static const uint8_t ep[] = { 0x1c, 0x00, 0x00, 0x00 };	/* 00:1c.0/00.0 */
	static const uint8_t rp[] = { 0x1c, 0x04 };
	static const char name[] = "\\_SB.PCI0.I2C0";

	header(t);
	put16(t, 0);			/* DRHD */
	put16(t, 24);
	put8(t, 1);			/* INCLUDE_PCI_ALL */
	put8(t, 2);			/* 16 KiB of registers */
	put16(t, 0);
	put64(t, 0xfed90000);
	scope(t, 3, 8, 0xf0, ioapic, 1);

	put16(t, 1);			/* RMRR */
	put16(t, 34);
	put16(t, 0);
	put16(t, 0);
	put64(t, 0x7b800000);
	put64(t, 0x7fffffff);
	scope(t, 1, 0, 0, ep, 2);

	put16(t, 2);			/* ATSR */
	put16(t, 16);
	put8(t, 0);
	put8(t, 0);
	put16(t, 0);
	scope(t, 2, 0, 0, rp, 1);

	put16(t, 4);			/* ANDD */
	put16(t, 8 + sizeof(name));
	put16(t, 0);
	put8(t, 0);
	put8(t, 1);			/* ACPI device number */
	putstr(t, name, sizeof(name));
	seal(t);
}

/* One of each remaining kind: RHSA, SATC, SIDP, an unknown type. */
static void extras(struct tb *t)
{
	static const uint8_t gpu[] = { 0x02, 0x00 };

	reference(t);
	put16(t, 3);			/* RHSA */
	put16(t, 20);
	put32(t, 0);
	put64(t, 0xfed90000);
	put32(t, 1);
	put16(t, 5);			/* SATC */
	put16(t, 16);
	put8(t, 1);
	put8(t, 0);
	put16(t, 0);
	scope(t, 1, 0, 0, gpu, 1);
	put16(t, 6);			/* SIDP */
	put16(t, 8);
	put16(t, 0);
	put16(t, 1);
	put16(t, 0x99);			/* unknown */
	put16(t, 7);
	putstr(t, "\xde\xad\xbe", 3);
	seal(t);
}

/* ---- helpers ------------------------------------------------------------------ */

static struct json_object *jget(struct json_object *o, const char *path)
{
	char key[64];

	/* A tiny path walker: "structures.0.scopes.0.path.0.device". */
	while (o && *path) {
		size_t n = strcspn(path, ".");

		snprintf(key, sizeof(key), "%.*s", (int)n, path);
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, (size_t)atoi(key));
		else if (!json_object_object_get_ex(o, key, &o))
			return NULL;
		path += n + (path[n] == '.');
	}
	return o;
}

static const char *jstr(struct json_object *o, const char *path)
{
	struct json_object *v = jget(o, path);

	return v ? json_object_get_string(v) : NULL;
}

static int64_t jint(struct json_object *o, const char *path)
{
	struct json_object *v = jget(o, path);

	return v ? json_object_get_int64(v) : -1;
}

/*
 * Bytes -> JSON -> text -> JSON -> bytes must give the input back; the text
 * step is what a user of the CLI sees and may edit.
 */
static int round_trip(const uint8_t *buf, size_t len, struct vtd_error *err)
{
	struct json_object *o = NULL, *back;
	uint8_t *out = NULL;
	size_t olen = 0;
	int r, same;

	r = vtd_dmar_to_json(buf, len, &o, err);
	if (r)
		return r;
	back = json_tokener_parse(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	if (!back)
		return -100;
	r = vtd_dmar_from_json(back, &out, &olen, err);
	json_object_put(back);
	if (r)
		return r;
	same = olen == len && !memcmp(out, buf, len);
	free(out);
	return same ? 0 : -101;
}

static int where_has_offset(const struct vtd_error *e)
{
	return !strncmp(e->where, "offset 0x", 9);
}

/* Decode 'len' bytes of 't', expect 'code' with 'path' in the location. */
static void expect_fail(const struct tb *t, size_t len, int code, const char *path,
			const char *what)
{
	struct json_object *o = NULL;
	struct vtd_error e;
	struct vtd_sbuf sb = VTD_SBUF_INIT;
	int r;

	vtd_error_clear(&e);
	r = vtd_dmar_to_json(t->b, len, &o, &e);
	is_u64((uint64_t)-r, (uint64_t)code, "%s: %s", what, vtd_strerror(code));
	ok(!o, "%s: no result", what);
	ok(where_has_offset(&e) && strstr(e.where, path),
	   "%s: location '%s' has an offset and %s", what, e.where, path);
	ok(e.msg[0] != 0, "%s: message '%s'", what, e.msg);
	/* The text form stops at the same place and says why. */
	r = vtd_dmar_text(&sb, t->b, len, NULL);
	ok(-r == code && strstr(vtd_sbuf_str(&sb), "error: offset 0x"),
	   "%s: text reports the error", what);
	vtd_sbuf_release(&sb);
}

/* ---- tests ----------------------------------------------------------------------- */

static void test_layouts(void)
{
	static const char *const names[] = { "dmar-header", "drhd", "rmrr", "atsr", "rhsa",
					     "andd", "satc", "sidp", "dev-scope" };
	struct vtd_error e;
	unsigned i;

	for (i = 0; i < VTD_NELEM(names); i++) {
		const struct vtd_layout *l = vtd_layout_find(names[i]);

		vtd_error_clear(&e);
		ok(l && !strcmp(l->family, "acpi") && !vtd_layout_selftest(l, &e),
		   "layout %s registered and sound %s", names[i], e.msg);
	}
	is_u64(vtd_l_acpi_dmar_header.size, 48, "header is 48 bytes");
	is_u64(vtd_l_acpi_drhd.size, 16, "drhd fixed part is 16 bytes");
	is_u64(vtd_l_acpi_rhsa.size, 20, "rhsa is 20 bytes");
	is_u64(vtd_l_acpi_dev_scope.size, 6, "device scope fixed part is 6 bytes");
}

static void test_reference(void)
{
	struct tb t;
	struct json_object *o = NULL;
	struct vtd_error e;
	struct vtd_sbuf sb = VTD_SBUF_INIT;
	const char *s;
	int r;

	reference(&t);
	vtd_error_clear(&e);
	r = vtd_dmar_to_json(t.b, t.len, &o, &e);
	ok(!r && o, "reference table decodes (%s %s)", e.where, e.msg);
	if (!o)
		return;
	is_str(jstr(o, "format"), VTD_DMAR_FORMAT, "format tag");
	ok(json_object_get_boolean(jget(o, "checksum_valid")), "checksum valid");
	is_str(jstr(o, "header.signature"), "DMAR", "signature");
	is_u64(jint(o, "header.haw"), 48, "HAW decoded as width");
	is_str(jstr(o, "header.oem_table_id"), "TESTDMAR", "OEM table id");
	ok(json_object_get_boolean(jget(o, "header.dma_ctrl_platform_opt_in")), "opt-in flag");
	is_u64(json_object_array_length(jget(o, "structures")), 4, "four structures");
	is_str(jstr(o, "structures.0.type"), "drhd", "drhd first");
	is_u64(jint(o, "structures.0.size"), 16384, "register set size");
	is_str(jstr(o, "structures.0.reg_base"), "0xfed90000", "register base");
	is_str(jstr(o, "structures.0.scopes.0.type"), "ioapic", "ioapic scope");
	is_u64(jint(o, "structures.0.scopes.0.enumeration_id"), 8, "ioapic id");
	is_u64(jint(o, "structures.0.scopes.0.path.0.device"), 0x1f, "ioapic device");
	is_str(jstr(o, "structures.1.type"), "rmrr", "rmrr second");
	is_str(jstr(o, "structures.1.limit"), "0x7fffffff", "rmrr limit");
	is_u64(json_object_array_length(jget(o, "structures.1.scopes.0.path")), 2,
	       "two-hop endpoint path");
	is_str(jstr(o, "structures.2.scopes.0.type"), "bridge", "atsr bridge scope");
	is_str(jstr(o, "structures.3.type"), "andd", "andd last");
	is_str(jstr(o, "structures.3.name"), "\\_SB.PCI0.I2C0", "andd name");
	ok(!jget(o, "structures.3.name_size"), "no name_size without padding");
	json_object_put(o);

	vtd_error_clear(&e);
	r = round_trip(t.b, t.len, &e);
	is_u64((uint64_t)-r, 0, "reference round trip is byte-exact (%s %s)", e.where, e.msg);

	r = vtd_dmar_text(&sb, t.b, t.len, NULL);
	s = vtd_sbuf_str(&sb);
	ok(!r && !sb.oom, "text decode succeeds");
	ok(strstr(s, "checksum 0x") && strstr(s, "(valid)"), "text shows the checksum");
	ok(strstr(s, "f0:1f.0") != NULL, "text shows the ioapic path as a BDF");
	ok(strstr(s, "00:1c.0/00.0") != NULL, "text shows a two-hop path");
	ok(strstr(s, "\\_SB.PCI0.I2C0") != NULL, "text shows the ANDD name");
	ok(strstr(s, "0xfed90000") != NULL, "text shows the register base");
	vtd_sbuf_release(&sb);
}

static void test_extras(void)
{
	struct tb t;
	struct json_object *o = NULL;
	struct vtd_error e;
	int r;

	extras(&t);
	vtd_error_clear(&e);
	r = vtd_dmar_to_json(t.b, t.len, &o, &e);
	ok(!r, "rhsa/satc/sidp/unknown decode (%s %s)", e.where, e.msg);
	if (!o)
		return;
	is_str(jstr(o, "structures.4.type"), "rhsa", "rhsa");
	is_u64(jint(o, "structures.4.proximity_domain"), 1, "proximity domain");
	is_str(jstr(o, "structures.5.type"), "satc", "satc");
	ok(json_object_get_boolean(jget(o, "structures.5.atc_required")), "atc_required");
	is_str(jstr(o, "structures.6.type"), "sidp", "sidp");
	is_u64(json_object_array_length(jget(o, "structures.6.scopes")), 0, "sidp without scopes");
	is_str(jstr(o, "structures.7.type"), "unknown", "unknown type kept");
	is_u64(jint(o, "structures.7.type_code"), 0x99, "unknown type code");
	is_str(jstr(o, "structures.7.raw"), "deadbe", "unknown body as hex");
	json_object_put(o);
	is_u64((uint64_t)-round_trip(t.b, t.len, NULL), 0, "extras round trip");
}

static void test_corruptions(void)
{
	struct tb t;

	reference(&t);
	expect_fail(&t, 20, VTD_ETRUNC, "$.header", "truncated header");
	expect_fail(&t, 3, VTD_ETRUNC, "$.header", "three bytes");
	expect_fail(&t, 0, VTD_ETRUNC, "$.header", "empty input");
	expect_fail(&t, t.len - 1, VTD_ETRUNC, "$.header.length", "data shorter than Length");
	expect_fail(&t, t.len + 1, VTD_EFORMAT, "$", "byte after the table");

	reference(&t);
	t.b[0] = 'X';
	expect_fail(&t, t.len, VTD_EFORMAT, "$.header.signature", "bad signature");

	reference(&t);
	t.b[4] = 40;
	expect_fail(&t, t.len, VTD_EFORMAT, "$.header.length", "Length below 48");

	reference(&t);
	set16(&t, OFF_DRHD + 2, 0);
	expect_fail(&t, t.len, VTD_EFORMAT, "$.structures[0]", "zero-length structure");

	reference(&t);
	set16(&t, OFF_ANDD + 2, 200);
	expect_fail(&t, t.len, VTD_EFORMAT, "$.structures[3]", "structure length past the end");

	reference(&t);
	t.len += 3;
	seal(&t);
	expect_fail(&t, t.len, VTD_EFORMAT, "$.structures[4]", "3 stray bytes at the end");

	reference(&t);
	set16(&t, OFF_DRHD + 2, 12);
	expect_fail(&t, t.len, VTD_EFORMAT, "$.structures[0]", "drhd shorter than fixed part");

	reference(&t);
	t.b[OFF_DRHD_SCOPE + 1] = 10;
	expect_fail(&t, t.len, VTD_EFORMAT, "$.structures[0].scopes[0]",
		    "scope crossing its parent");

	reference(&t);
	t.b[OFF_RMRR_SCOPE + 1] = 9;
	expect_fail(&t, t.len, VTD_EFORMAT, "$.structures[1].scopes[0]", "odd path length");

	reference(&t);
	t.b[OFF_RMRR_SCOPE + 1] = 4;
	expect_fail(&t, t.len, VTD_EFORMAT, "$.structures[1].scopes[0]", "scope shorter than 6");

	reference(&t);
	t.b[OFF_RMRR_SCOPE + 1] = 0;
	expect_fail(&t, t.len, VTD_EFORMAT, "$.structures[1].scopes[0]", "zero-length scope");

	reference(&t);
	t.b[OFF_DRHD_SCOPE + 1] = 6;	/* leaves 2 bytes after the scope */
	expect_fail(&t, t.len, VTD_EFORMAT, "$.structures[0].scopes[1]",
		    "bytes after the last scope");

	reference(&t);
	t.b[t.len - 1] = 'X';
	expect_fail(&t, t.len, VTD_EFORMAT, "$.structures[3].name", "ANDD name without NUL");

	reference(&t);
	t.b[OFF_ANDD + 10] = 0x07;
	expect_fail(&t, t.len, VTD_EFORMAT, "$.structures[3].name", "ANDD name not printable");

	reference(&t);
	t.b[OFF_ANDD + 9] = 0;
	expect_fail(&t, t.len, VTD_EFORMAT, "$.structures[3].name", "junk after ANDD NUL");

	/* Four-byte RHSA: well inside the table but shorter than its layout. */
	header(&t);
	put16(&t, 3);
	put16(&t, 24);
	t.len += 20;
	seal(&t);
	expect_fail(&t, t.len, VTD_EFORMAT, "$.structures[0]", "rhsa of 24 bytes");
}

static void test_checksum(void)
{
	struct tb t;
	struct json_object *o = NULL;
	struct vtd_error e;
	struct vtd_sbuf sb = VTD_SBUF_INIT;
	int r;

	reference(&t);
	t.b[9] ^= 0x55;
	vtd_error_clear(&e);
	r = vtd_dmar_to_json(t.b, t.len, &o, &e);
	ok(!r && o, "bad checksum is not an error");
	ok(o && !json_object_get_boolean(jget(o, "checksum_valid")), "checksum_valid false");
	json_object_put(o);
	is_u64((uint64_t)-round_trip(t.b, t.len, NULL), 0, "bad checksum round-trips exactly");
	vtd_dmar_text(&sb, t.b, t.len, NULL);
	ok(strstr(vtd_sbuf_str(&sb), "(wrong)") != NULL, "text flags the checksum");
	vtd_sbuf_release(&sb);
}

static void test_padding(void)
{
	struct tb t;
	struct json_object *o = NULL;
	int r;

	/* ANDD name with zero padding after its NUL. */
	reference(&t);
	set16(&t, OFF_ANDD + 2, 8 + 15 + 3);
	t.len += 3;
	seal(&t);
	r = vtd_dmar_to_json(t.b, t.len, &o, NULL);
	ok(!r, "ANDD with zero padding decodes");
	is_u64(jint(o, "structures.3.name_size"), 18, "name_size records the padding");
	json_object_put(o);
	is_u64((uint64_t)-round_trip(t.b, t.len, NULL), 0, "padded ANDD round-trips");

	/* Non-zero reserved bits survive through "rsvd". */
	reference(&t);
	t.b[40] = 0xa5;			/* header reserved byte */
	t.b[OFF_DRHD + 5] |= 0x30;	/* DRHD size bits 7:4 */
	t.b[OFF_DRHD_SCOPE + 3] = 1;	/* scope reserved byte */
	seal(&t);
	r = vtd_dmar_to_json(t.b, t.len, &o, NULL);
	ok(!r && jget(o, "header.rsvd") && jget(o, "structures.0.rsvd") &&
	   jget(o, "structures.0.scopes.0.rsvd"), "reserved bits show as rsvd");
	json_object_put(o);
	is_u64((uint64_t)-round_trip(t.b, t.len, NULL), 0, "reserved bits round-trip");

	/* Strings with odd bytes: NULs inside, bytes above 0x7f, backslashes. */
	reference(&t);
	memcpy(t.b + 10, "A\0\x80\\\0\0", 6);
	memcpy(t.b + 16, "\0\0\0\0\0\0\0\0", 8);
	seal(&t);
	is_u64((uint64_t)-round_trip(t.b, t.len, NULL), 0, "odd OEM strings round-trip");

	/* A header alone. */
	header(&t);
	seal(&t);
	is_u64((uint64_t)-round_trip(t.b, t.len, NULL), 0, "empty table round-trips");
}

static struct json_object *decode_ref(void)
{
	struct json_object *o = NULL;
	struct tb t;

	reference(&t);
	vtd_dmar_to_json(t.b, t.len, &o, NULL);
	return o;
}

static void expect_enc_fail(struct json_object *o, int code, const char *where,
			    const char *what)
{
	struct vtd_error e;
	uint8_t *out = (uint8_t *)1;
	size_t len = 1;
	int r;

	vtd_error_clear(&e);
	r = vtd_dmar_from_json(o, &out, &len, &e);
	is_u64((uint64_t)-r, (uint64_t)code, "encode %s: %s (%s)", what, vtd_strerror(code),
	       e.msg);
	ok(!out && !len, "encode %s: no output", what);
	is_str(e.where, where, "encode %s: location", what);
	json_object_put(o);
}

static void test_encode_errors(void)
{
	struct json_object *o, *a;

	o = decode_ref();
	json_object_object_add(jget(o, "structures.0.scopes.0.path.0"), "device",
			       json_object_new_int(256));
	expect_enc_fail(o, VTD_ERANGE, "$.structures[0].scopes[0].path[0].device",
			"device 256");

	o = decode_ref();
	json_object_object_add(jget(o, "structures.1.scopes.0.path.1"), "function",
			       json_object_new_string("0"));
	expect_enc_fail(o, VTD_EFORMAT, "$.structures[1].scopes[0].path[1].function",
			"function as a string");

	o = decode_ref();
	json_object_object_add(jget(o, "structures.1"), "type", json_object_new_string("xyz"));
	expect_enc_fail(o, VTD_ENOTFOUND, "$.structures[1].type", "unknown type name");

	o = decode_ref();
	json_object_object_add(jget(o, "structures.0"), "bogus", json_object_new_int(1));
	expect_enc_fail(o, VTD_ENOTFOUND, "$.structures[0].bogus", "unknown drhd member");

	o = decode_ref();
	json_object_object_add(jget(o, "structures.0.scopes.0"), "path",
			       json_object_new_int(1));
	expect_enc_fail(o, VTD_EFORMAT, "$.structures[0].scopes[0].path", "path not an array");

	o = decode_ref();
	json_object_object_add(jget(o, "structures.0.scopes.0"), "type",
			       json_object_new_string("gpu"));
	expect_enc_fail(o, VTD_ENOTFOUND, "$.structures[0].scopes[0].type", "unknown scope type");

	o = decode_ref();
	json_object_object_add(jget(o, "structures.3"), "name",
			       json_object_new_string_len("a\0b", 3));
	expect_enc_fail(o, VTD_EFORMAT, "$.structures[3].name", "NUL inside the name");

	o = decode_ref();
	json_object_object_add(jget(o, "structures.3"), "name_size", json_object_new_int(3));
	expect_enc_fail(o, VTD_ERANGE, "$.structures[3].name_size", "name_size too small");

	o = decode_ref();
	json_object_object_add(o, "format", json_object_new_string("vtd-dmar/2"));
	expect_enc_fail(o, VTD_EFORMAT, "$.format", "wrong format tag");

	o = decode_ref();
	json_object_object_add(o, "extra", json_object_new_int(1));
	expect_enc_fail(o, VTD_EFORMAT, "$.extra", "unknown top-level member");

	o = decode_ref();
	json_object_object_add(jget(o, "header"), "signature", json_object_new_string("APIC"));
	expect_enc_fail(o, VTD_EFORMAT, "$.header.signature", "other signature");

	o = decode_ref();
	json_object_object_add(jget(o, "header"), "haw", json_object_new_int(300));
	expect_enc_fail(o, VTD_ERANGE, "$.header.haw", "HAW out of range");

	o = decode_ref();
	a = json_object_new_object();
	json_object_object_add(a, "type", json_object_new_string("unknown"));
	json_object_object_add(a, "type_code", json_object_new_int(2));
	json_object_object_add(a, "raw", json_object_new_string(""));
	json_object_array_add(jget(o, "structures"), a);
	expect_enc_fail(o, VTD_ERANGE, "$.structures[4].type_code", "unknown with a known code");

	o = decode_ref();
	a = json_object_new_object();
	json_object_object_add(a, "type", json_object_new_string("unknown"));
	json_object_object_add(a, "type_code", json_object_new_int(9));
	json_object_object_add(a, "raw", json_object_new_string("abc"));
	json_object_array_add(jget(o, "structures"), a);
	expect_enc_fail(o, VTD_EFORMAT, "$.structures[4].raw", "odd hex digits");

	o = decode_ref();
	a = jget(o, "structures.0.scopes.0.path");
	while (json_object_array_length(a) < 125) {
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "device", json_object_new_int(1));
		json_object_object_add(e, "function", json_object_new_int(0));
		json_object_array_add(a, e);
	}
	expect_enc_fail(o, VTD_ERANGE, "$.structures[0].scopes[0].path", "125 path entries");

	o = decode_ref();
	json_object_object_add(o, "structures", json_object_new_object());
	expect_enc_fail(o, VTD_EFORMAT, "$.structures", "structures not an array");
}

static void test_encode_edits(void)
{
	struct json_object *o, *e, *back = NULL;
	uint8_t *out = NULL;
	size_t len = 0;
	struct vtd_error err;
	int r;

	/* Add a path hop and a scope: lengths and the checksum follow. */
	o = decode_ref();
	e = json_object_new_object();
	json_object_object_add(e, "device", json_object_new_int(3));
	json_object_object_add(e, "function", json_object_new_int(1));
	json_object_array_add(jget(o, "structures.0.scopes.0.path"), e);
	json_object_object_add(jget(o, "header"), "length", json_object_new_int(9999));
	vtd_error_clear(&err);
	r = vtd_dmar_from_json(o, &out, &len, &err);
	ok(!r, "edited JSON encodes (%s %s)", err.where, err.msg);
	is_u64(len, 145 + 2, "table grew by one path entry");
	ok(out && !vtd_dmar_sum(out, len), "checksum recomputed");
	r = vtd_dmar_to_json(out, len, &back, &err);
	ok(!r, "edited table decodes again");
	is_u64(jint(back, "structures.0.length"), 26, "drhd length recomputed");
	is_u64(jint(back, "structures.0.scopes.0.length"), 10, "scope length recomputed");
	is_u64(jint(back, "header.length"), 147, "table length recomputed");
	json_object_put(back);
	json_object_put(o);
	free(out);

	/* The smallest document. */
	o = json_tokener_parse("{\"format\":\"vtd-dmar/1\",\"header\":{}}");
	out = NULL;
	r = vtd_dmar_from_json(o, &out, &len, NULL);
	ok(!r && len == 48 && out && !memcmp(out, "DMAR0\0\0\0", 8) && !vtd_dmar_sum(out, len),
	   "minimal document gives a 48-byte DMAR header");
	json_object_put(o);
	free(out);
}

/* Every prefix and every single-byte change: no crash, and success means a round trip. */
static void test_mutations(void)
{
	struct tb t, m;
	size_t i, bad = 0, total = 0, loc = 0;
	unsigned v;

	extras(&t);
	for (i = 0; i <= t.len; i++) {
		struct vtd_error e;
		int r;

		vtd_error_clear(&e);
		r = round_trip(t.b, i, &e);
		total++;
		if (i < t.len ? r == 0 : r != 0)
			bad++;
		if (r && !where_has_offset(&e))
			loc++;
	}
	ok(!bad && !loc, "all %zu prefixes fail with a location but the whole table", total);

	bad = loc = total = 0;
	for (i = 0; i < t.len; i++) {
		for (v = 1; v < 256; v <<= 1) {
			struct vtd_error e;
			int r;

			m = t;
			m.b[i] ^= (uint8_t)v;
			vtd_error_clear(&e);
			r = round_trip(m.b, m.len, &e);
			total++;
			if (r == -100 || r == -101 || (r && (e.code != VTD_EFORMAT &&
							     e.code != VTD_ETRUNC)))
				bad++;
			if (r && !where_has_offset(&e))
				loc++;
		}
	}
	ok(!bad && !loc, "%zu bit flips: each decodes and round-trips or fails cleanly", total);
}

static int read_file(const char *path, uint8_t **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		return -1;
	do {
		if (n == cap) {
			uint8_t *q = realloc(p, cap = cap ? 2 * cap : 4096);

			if (!q) {
				free(p);
				fclose(f);
				return -1;
			}
			p = q;
		}
		got = fread(p + n, 1, cap - n, f);
		n += got;
	} while (got);
	fclose(f);
	*buf = p;
	*len = n;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_data_files(void)
{
	DIR *d = opendir(DATA_DIR);
	struct dirent *de;
	char *names[256];
	unsigned n = 0, i;

	if (!ok(d != NULL, "%s exists (run from the repository root)", DATA_DIR))
		return;
	while ((de = readdir(d)) && n < VTD_NELEM(names)) {
		size_t l = strlen(de->d_name);

		if (l > 5 && !strcmp(de->d_name + l - 5, ".dmar"))
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), by_name);
	ok(n > 0, "%s holds %u .dmar files", DATA_DIR, n);
	for (i = 0; i < n; i++) {
		char path[512];
		uint8_t *buf = NULL;
		size_t len = 0;
		struct vtd_error e;
		struct vtd_sbuf sb = VTD_SBUF_INIT;
		int r;

		snprintf(path, sizeof(path), "%s/%s", DATA_DIR, names[i]);
		if (!ok(!read_file(path, &buf, &len), "read %s", path)) {
			free(names[i]);
			continue;
		}
		vtd_error_clear(&e);
		r = round_trip(buf, len, &e);
		is_u64((uint64_t)-r, 0, "%s: %zu bytes decode and re-encode exactly (%s %s)",
		       names[i], len, e.where, e.msg);
		r = vtd_dmar_text(&sb, buf, len, NULL);
		ok(!r && strstr(vtd_sbuf_str(&sb), "(valid)"), "%s: text decode, checksum valid",
		   names[i]);
		vtd_sbuf_release(&sb);
		free(buf);
		free(names[i]);
	}
}

/* ---- RMRRs ------------------------------------------------------------------------ */

/* Start an RMRR; rmrr_end fixes its length after the scopes. */
static size_t rmrr_begin(struct tb *t, unsigned seg, uint64_t base, uint64_t limit)
{
	size_t at = t->len;

	put16(t, 1);
	put16(t, 0);
	put16(t, 0);
	put16(t, seg);
	put64(t, base);
	put64(t, limit);
	return at;
}

static void rmrr_end(struct tb *t, size_t at)
{
	set16(t, at + 2, (unsigned)(t->len - at));
}

/* A made-up PCI hierarchy: devices with a header type and bridge bus numbers. */
struct fdev {
	uint16_t sid;
	uint8_t hdr, sec, sub;
};

struct fpci {
	const struct fdev *d;
	size_t n;
	int fail_sid;			/* this device's reads fail with VTD_EIO (-1: none) */
	unsigned nskipped, nreads;
	struct vtd_error last;
};

static int fcfg(void *ctx, uint16_t seg, uint16_t sid, unsigned off, uint8_t *val)
{
	struct fpci *f = ctx;

	f->nreads++;
	if (seg != 0 && seg != 1)
		return -VTD_EINVAL;
	if ((int)sid == f->fail_sid)
		return -VTD_EIO;
	for (size_t i = 0; i < f->n; i++) {
		if (f->d[i].sid != sid)
			continue;
		*val = off == 0x0e ? f->d[i].hdr : off == 0x19 ? f->d[i].sec :
		       off == 0x1a ? f->d[i].sub : off == 0 ? 0x86 : 0;
		return 0;
	}
	return -VTD_ENOTFOUND;
}

static void fskipped(void *ctx, const struct vtd_error *why)
{
	struct fpci *f = ctx;

	f->nskipped++;
	f->last = *why;
}

/* 00:1c.0 is a root port with buses 2-3 behind it; 02:00.0/.1 and 03:00.0 answer. */
static const struct fdev hier[] = {
	{ 0x00a0, 0x80, 0, 0 },		/* 00:14.0, a multi-function endpoint */
	{ 0x00e0, 0x81, 2, 3 },		/* 00:1c.0 */
	{ 0x0200, 0x00, 0, 0 },
	{ 0x0201, 0x00, 0, 0 },
	{ 0x0300, 0x00, 0, 0 },
	{ 0x00e8, 0x01, 0, 0 },		/* 00:1d.0, a bridge without bus numbers */
};

static int rmrrs(const struct tb *t, uint16_t seg, struct fpci *f, int with_cfg,
		 int with_skip, struct vtd_rmrr **r, size_t *n, struct vtd_error *e)
{
	struct vtd_dmar_pci pci = { with_cfg ? fcfg : NULL, with_skip ? fskipped : NULL, f };

	vtd_error_clear(e);
	return vtd_dmar_rmrrs(t->b, t->len, seg, &pci, r, n, e);
}

static void test_rmrrs(void)
{
	static const uint8_t usb[] = { 0x14, 0x00 };
	static const uint8_t nvme[] = { 0x1c, 0x00, 0x00, 0x00 };	/* 00:1c.0/00.0 */
	static const uint8_t port[] = { 0x1c, 0x00 };
	static const uint8_t bad_hop[] = { 0x20, 0x00 };
	static const uint8_t nobus[] = { 0x1d, 0x00, 0x00, 0x00 };
	static const uint8_t endpoint_hop[] = { 0x14, 0x00, 0x00, 0x00 };
	struct fpci f = { hier, VTD_NELEM(hier), -1, 0, 0, { 0 } };
	struct vtd_rmrr *r = NULL;
	struct vtd_error e;
	struct tb t;
	size_t n = 99, at, at2;
	int rc;

	/* The reference table: one RMRR, 00:1c.0/00.0, which needs the bridge. */
	reference(&t);
	rc = rmrrs(&t, 0, &f, 1, 0, &r, &n, &e);
	ok(!rc && n == 1, "reference: one RMRR (%s %s)", e.where, e.msg);
	if (!rc && n == 1) {
		is_u64(r[0].base, 0x7b800000, "reference: base");
		is_u64(r[0].size, 0x4800000, "reference: size from the inclusive limit");
		ok(r[0].nsids == 1 && r[0].sids[0] == 0x0200,
		   "reference: two-entry path through bridge 00:1c.0 is 02:00.0");
	}
	vtd_dmar_rmrrs_free(r, n);

	/* Without a reader the path cannot be followed: an error naming the scope ... */
	rc = rmrrs(&t, 0, &f, 0, 0, &r, &n, &e);
	is_u64((uint64_t)-rc, VTD_ENOTSUP, "no reader, nobody listening: fails");
	ok(!r && !n, "no reader: no result");
	is_str(e.where, "offset 0x60: $.structures[1].scopes[0]", "no reader: where names the scope");
	ok(strstr(e.msg, "RMRR at 0x48 (0x7b800000-0x7fffffff)") &&
	   strstr(e.msg, "00:1c.0/00.0") && strstr(e.msg, "00:1c.0"),
	   "no reader: message names the RMRR, the path and the bridge: %s", e.msg);
	/* ... or a skipped scope, the RMRR kept without it. */
	f.nskipped = 0;
	rc = rmrrs(&t, 0, &f, 0, 1, &r, &n, &e);
	ok(!rc && n == 1 && r[0].nsids == 0 && f.nskipped == 1,
	   "no reader, listening: RMRR kept, scope skipped");
	is_str(f.last.where, "offset 0x60: $.structures[1].scopes[0]", "skipped: where");
	vtd_dmar_rmrrs_free(r, n);

	/* One-entry endpoint, bridge scope, other segment, several RMRRs. */
	header(&t);
	at = rmrr_begin(&t, 0, 0x1000, 0x1fff);
	scope(&t, 1, 0, 0, usb, 1);
	rmrr_end(&t, at);
	at = rmrr_begin(&t, 1, 0x5000, 0x5fff);	/* segment 1 */
	scope(&t, 1, 0, 0, usb, 1);
	rmrr_end(&t, at);
	at = rmrr_begin(&t, 0, 0x3000, 0x4fff);
	scope(&t, 2, 0, 0, port, 1);
	scope(&t, 1, 0, 2, usb, 0);		/* empty path: skipped */
	rmrr_end(&t, at);
	at2 = rmrr_begin(&t, 0, 0x8000, 0x8fff);
	scope(&t, 1, 0, 2, nvme + 2, 1);	/* 02:00.0, also inside the bridge scope */
	scope(&t, 1, 0, 2, nvme + 2, 1);	/* twice */
	rmrr_end(&t, at2);
	seal(&t);
	f.nskipped = 0;
	rc = rmrrs(&t, 0, &f, 1, 1, &r, &n, &e);
	ok(!rc && n == 3, "three RMRRs of segment 0 (%s)", e.msg);
	if (!rc && n == 3) {
		ok(r[0].base == 0x1000 && r[0].size == 0x1000 && r[0].nsids == 1 &&
		   r[0].sids[0] == 0x00a0, "one-entry path is start_bus:dev.fn (00:14.0)");
		ok(r[1].base == 0x3000 && r[1].size == 0x2000 && r[1].nsids == 4 &&
		   r[1].sids[0] == 0x00e0 && r[1].sids[1] == 0x0200 && r[1].sids[2] == 0x0201 &&
		   r[1].sids[3] == 0x0300,
		   "bridge scope: the bridge and the devices on buses 2-3, sorted");
		ok(r[2].nsids == 1 && r[2].sids[0] == 0x0200, "a device named twice appears once");
	}
	is_u64(f.nskipped, 1, "the empty path is skipped");
	ok(strstr(f.last.msg, "empty"), "empty path: %s", f.last.msg);
	vtd_dmar_rmrrs_free(r, n);
	rc = rmrrs(&t, 1, &f, 1, 1, &r, &n, &e);
	ok(!rc && n == 1 && r[0].base == 0x5000 && r[0].nsids == 1,
	   "segment 1 has its own RMRR only");
	vtd_dmar_rmrrs_free(r, n);

	/* Bridge scope without a reader: skipped whole, the bridge too. */
	f.nskipped = 0;
	rc = rmrrs(&t, 0, &f, 0, 1, &r, &n, &e);
	ok(!rc && n == 3 && r[1].nsids == 0 && f.nskipped == 2,
	   "no reader: the bridge scope adds nothing");
	vtd_dmar_rmrrs_free(r, n);

	/* Scopes that name no device, each a reason. */
	header(&t);
	at = rmrr_begin(&t, 0, 0x1000, 0x1fff);
	scope(&t, 3, 8, 0xf0, usb, 1);		/* IOAPIC */
	scope(&t, 1, 0, 0, bad_hop, 1);		/* device 0x20 */
	scope(&t, 1, 0, 0, nobus, 2);		/* 00:1d.0 has no buses */
	scope(&t, 1, 0, 0, endpoint_hop, 2);	/* 00:14.0 is no bridge */
	scope(&t, 1, 0, 5, endpoint_hop, 2);	/* 05:14.0 is not there */
	scope(&t, 1, 0, 0, usb, 1);		/* the one that resolves */
	rmrr_end(&t, at);
	at = rmrr_begin(&t, 0, 0x3000, 0x2fff);	/* limit below base */
	scope(&t, 1, 0, 0, usb, 1);
	rmrr_end(&t, at);
	seal(&t);
	f.nskipped = 0;
	rc = rmrrs(&t, 0, &f, 1, 1, &r, &n, &e);
	ok(!rc && n == 1 && r[0].nsids == 1 && r[0].sids[0] == 0x00a0 && f.nskipped == 6,
	   "five scopes and one RMRR skipped, one device left (%u skipped)", f.nskipped);
	ok(strstr(f.last.msg, "below the base") && !strstr(f.last.where, "scopes"),
	   "bad range: the RMRR is named: %s: %s", f.last.where, f.last.msg);
	vtd_dmar_rmrrs_free(r, n);
	rc = rmrrs(&t, 0, &f, 1, 0, &r, &n, &e);
	ok(rc < 0 && strstr(e.msg, "ioapic scope names no PCI requester") &&
	   !strcmp(e.where, "offset 0x48: $.structures[0].scopes[0]"),
	   "IOAPIC scope, nobody listening: %s: %s", e.where, e.msg);
	f.fail_sid = 0x00e0;
	header(&t);
	at = rmrr_begin(&t, 0, 0x1000, 0x1fff);
	scope(&t, 1, 0, 0, nvme, 2);
	rmrr_end(&t, at);
	seal(&t);
	rc = rmrrs(&t, 0, &f, 1, 0, &r, &n, &e);
	ok(rc == -VTD_EIO && strstr(e.msg, "reading the configuration of 00:1c.0"),
	   "a failing reader: %s", e.msg);
	f.fail_sid = -1;

	/* Malformed tables: errors with offsets, never a loop. */
	header(&t);
	at = rmrr_begin(&t, 0, 0x1000, 0x1fff);
	scope(&t, 1, 0, 0, usb, 1);
	rmrr_end(&t, at);
	seal(&t);
	t.len -= 3;
	rc = rmrrs(&t, 0, &f, 1, 1, &r, &n, &e);
	ok(rc == -VTD_ETRUNC && where_has_offset(&e), "truncated table: %s: %s", e.where, e.msg);
	t.len += 3;
	t.b[at + 24 + 1] = 0x20;		/* the scope claims 32 bytes */
	seal(&t);
	rc = rmrrs(&t, 0, &f, 1, 1, &r, &n, &e);
	ok(rc == -VTD_EFORMAT && !strcmp(e.where, "offset 0x49: $.structures[0].scopes[0]"),
	   "overrunning scope: %s: %s", e.where, e.msg);
	t.b[at + 24 + 1] = 0;			/* zero-length scope */
	seal(&t);
	rc = rmrrs(&t, 0, &f, 1, 1, &r, &n, &e);
	ok(rc == -VTD_EFORMAT && strstr(e.where, "scopes[0]"), "zero-length scope: %s", e.msg);
	t.b[at + 24 + 1] = 8;
	set16(&t, at + 2, 0);			/* zero-length structure */
	seal(&t);
	rc = rmrrs(&t, 0, &f, 1, 1, &r, &n, &e);
	ok(rc == -VTD_EFORMAT && !strcmp(e.where, "offset 0x32: $.structures[0]"),
	   "zero-length RMRR: %s: %s", e.where, e.msg);
	set16(&t, at + 2, 20);			/* shorter than its fixed part */
	seal(&t);
	rc = rmrrs(&t, 0, &f, 1, 1, &r, &n, &e);
	ok(rc == -VTD_EFORMAT, "RMRR shorter than 24 bytes: %s", e.msg);
	rc = vtd_dmar_rmrrs(t.b, t.len, 0, NULL, NULL, &n, &e);
	ok(rc == -VTD_EINVAL, "no result pointer");
	/* A table without RMRRs (QEMU's) has none, and that is no error. */
	extras(&t);
	rc = rmrrs(&t, 0, &f, 1, 1, &r, &n, &e);
	ok(!rc && n == 1, "every structure type walked: the one RMRR (%s)", e.msg);
	vtd_dmar_rmrrs_free(r, n);
}

static void test_drhds(void)
{
	static const uint8_t gpu[] = { 0x02, 0x00 };
	static const uint8_t port[] = { 0x1c, 0x00 };
	static const uint8_t ioapic[] = { 0x1f, 0x00 };
	struct fpci f = { hier, VTD_NELEM(hier), -1, 0, 0, { 0 } };
	struct vtd_dmar_pci pci = { fcfg, fskipped, &f };
	struct vtd_dmar_drhd *d = NULL;
	struct vtd_error e;
	struct tb t;
	size_t n = 0, at;
	int rc;

	reference(&t);
	vtd_error_clear(&e);
	rc = vtd_dmar_drhds(t.b, t.len, NULL, &d, &n, &e);
	ok(!rc && n == 1 && d[0].reg_base == 0xfed90000 && d[0].include_all && !d[0].nsids,
	   "reference: one INCLUDE_PCI_ALL unit, its IOAPIC scope no device (%s)", e.msg);
	vtd_dmar_drhds_free(d, n);

	header(&t);
	at = t.len;
	put16(&t, 0);
	put16(&t, 0);
	put8(&t, 0);
	put8(&t, 0);
	put16(&t, 1);			/* segment 1 */
	put64(&t, 0xfed91000);
	scope(&t, 1, 0, 0, gpu, 1);
	scope(&t, 2, 0, 0, port, 1);
	scope(&t, 3, 2, 0xf0, ioapic, 1);
	set16(&t, at + 2, (unsigned)(t.len - at));
	at = t.len;
	put16(&t, 0);
	put16(&t, 16);
	put8(&t, 1);
	put8(&t, 0);
	put16(&t, 0);
	put64(&t, 0xfed90000);
	seal(&t);
	f.nskipped = 0;
	rc = vtd_dmar_drhds(t.b, t.len, &pci, &d, &n, &e);
	ok(!rc && n == 2, "two units");
	if (!rc && n == 2) {
		ok(d[0].segment == 1 && !d[0].include_all && d[0].nsids == 5 &&
		   d[0].sids[0] == 0x0010 && d[0].sids[1] == 0x00e0 && d[0].sids[4] == 0x0300,
		   "first: segment 1, the GPU and the bridge's hierarchy, no IOAPIC");
		ok(d[1].segment == 0 && d[1].include_all && !d[1].nsids && d[1].reg_base == 0xfed90000,
		   "second: the INCLUDE_PCI_ALL unit");
	}
	is_u64(f.nskipped, 0, "interrupt sources are no skipped scopes");
	vtd_dmar_drhds_free(d, n);
	rc = vtd_dmar_drhds(t.b, t.len, NULL, &d, &n, &e);
	ok(rc == -VTD_ENOTSUP && strstr(e.msg, "DRHD at 0x30 (0xfed91000)"),
	   "a bridge scope without a reader: %s", e.msg);
}

int main(void)
{
	test_layouts();
	test_reference();
	test_extras();
	test_corruptions();
	test_checksum();
	test_padding();
	test_encode_errors();
	test_encode_edits();
	test_mutations();
	test_data_files();
	test_rmrrs();
	test_drhds();
	return tap_done();
}
