/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests: memory sources (image files, in-process buffers) and the hex parsers. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hex.h"
#include "mem.h"
#include "tap.h"

static char dir[] = "/tmp/vtd-t-mem.XXXXXX";

static void write_file(const char *name, const void *data, size_t len, char *path, size_t n)
{
	FILE *f;

	snprintf(path, n, "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (f) {
		fwrite(data, 1, len, f);
		fclose(f);
	}
}

static void test_image(void)
{
	uint8_t a[8192], b[4096], got[64];
	char pa[256], pb[256], spec[600];
	struct vtd_mem *m = NULL;
	struct vtd_error err;
	unsigned i;
	int rc;

	for (i = 0; i < sizeof(a); i++)
		a[i] = (uint8_t)i;
	memset(b, 0xee, sizeof(b));
	write_file("a.bin", a, sizeof(a), pa, sizeof(pa));
	write_file("b.bin", b, sizeof(b), pb, sizeof(pb));
	snprintf(spec, sizeof(spec), "image:%s@0x100000,%s@0x102000", pa, pb);
	memset(&err, 0, sizeof(err));
	rc = vtd_mem_open(spec, &m, &err);
	ok(rc == 0 && m, "open two images at two bases: %s", err.msg);
	if (!m)
		return;
	is_str(vtd_mem_name(m), "image", "backend name");
	ok(vtd_mem_read(m, 0x100010, got, 16, &err) == 0 && got[0] == 0x10 && got[15] == 0x1f,
	   "read inside the first image");
	ok(vtd_mem_read(m, 0x101ff8, got, 16, &err) == 0 && got[7] == 0xff && got[8] == 0xee,
	   "a read spanning both images is stitched");
	memset(&err, 0, sizeof(err));
	rc = vtd_mem_read(m, 0x102ff8, got, 16, &err);
	ok(rc == -VTD_EUNMAPPED && err.has_addr && err.addr == 0x103000,
	   "reading past the end: unmapped at the first missing address (%s)", err.msg);
	ok(vtd_mem_read(m, 0xfff, got, 1, &err) == -VTD_EUNMAPPED, "address below every image");
	ok(vtd_mem_read(m, ~0ULL - 3, got, 8, &err) == -VTD_EUNMAPPED, "wrapping read refused");
	ok(vtd_mem_write(m, 0x100000, got, 4, &err) == -VTD_ENOTSUP, "images are read-only");
	vtd_mem_close(m);

	memset(&err, 0, sizeof(err));
	snprintf(spec, sizeof(spec), "image:%s@0x1000,%s@0x2000", pa, pb);
	ok(vtd_mem_open(spec, &m, &err) == -VTD_EINVAL && strstr(err.msg, "overlaps"),
	   "overlapping images refused: %s", err.msg);
	ok(vtd_mem_open("image:/nonexistent/x.bin", &m, &err) == -VTD_EIO && err.sys_errno,
	   "missing file is an I/O error: %s", err.msg);
	snprintf(spec, sizeof(spec), "image:%s@0xzz", pa);
	ok(vtd_mem_open(spec, &m, &err) == -VTD_EFORMAT, "bad base address refused");
	ok(vtd_mem_open("nosuch:x", &m, &err) == -VTD_ENOTFOUND, "unknown backend refused");
	ok(vtd_mem_open(pa, &m, &err) == 0 && vtd_mem_read(m, 0, got, 4, &err) == 0 &&
	   got[3] == 3, "a bare path is an image at base 0");
	vtd_mem_close(m);
	unlink(pa);
	unlink(pb);
}

static void test_buffer(void)
{
	struct vtd_mem *m = NULL;
	struct vtd_error err;
	uint8_t data[16] = { 1, 2, 3 }, got[16];

	memset(&err, 0, sizeof(err));
	ok(vtd_mem_open_buffer(&m, &err) == 0, "open an empty buffer source");
	ok(vtd_mem_buffer_map(m, 0x1000, data, sizeof(data), &err) == 0, "map 16 bytes at 0x1000");
	ok(vtd_mem_buffer_map(m, 0x1008, NULL, 16, &err) == -VTD_EINVAL, "overlap refused");
	ok(vtd_mem_buffer_map(m, 0x1010, NULL, 16, &err) == 0, "adjacent range accepted");
	ok(vtd_mem_write(m, 0x100c, "\xaa\xbb\xcc\xdd\xee\xff\x11\x22", 8, &err) == 0,
	   "write across the two ranges");
	ok(vtd_mem_read(m, 0x1000, got, 16, &err) == 0 && got[2] == 3 && got[12] == 0xaa,
	   "read back the first range");
	ok(vtd_mem_read(m, 0x1010, got, 4, &err) == 0 && got[0] == 0xee && got[3] == 0x22,
	   "read back the second range");
	ok(vtd_mem_write(m, 0x101c, "abcdefgh", 8, &err) == -VTD_EUNMAPPED &&
	   vtd_mem_read(m, 0x101c, got, 4, &err) == 0 && got[0] == 0,
	   "a write running into a hole fails and changes nothing");
	vtd_mem_close(m);
	ok(vtd_mem_open("buffer:0x2000@0x10000", &m, &err) == 0 &&
	   vtd_mem_read(m, 0x11ff8, got, 8, &err) == 0, "buffer spec SIZE@BASE");
	vtd_mem_close(m);
	ok(vtd_mem_open("buffer:0x2000@", &m, &err) == -VTD_EFORMAT, "bad buffer spec refused");
}

static void test_hex(void)
{
	struct vtd_error err;
	uint8_t out[64];
	size_t len;

	memset(&err, 0, sizeof(err));
	ok(vtd_hex_parse_words("0x1234 # comment\n 0xffffffffffffffff,5", 8, out, sizeof(out), &len,
			       "t", &err) == 0 && len == 24 && out[0] == 0x34 && out[1] == 0x12 &&
	   out[8] == 0xff && out[16] == 5, "words with comments and commas");
	ok(vtd_hex_parse_words("0x1_0000", 4, out, sizeof(out), &len, "t", &err) == 0 && len == 4 &&
	   out[2] == 1, "32-bit word with separator");
	memset(&err, 0, sizeof(err));
	ok(vtd_hex_parse_words("0x1\n  0x12g4", 8, out, sizeof(out), &len, "in", &err) ==
	   -VTD_EFORMAT, "bad digit refused");
	is_str(err.where, "in:2:7", "error location is file:line:col");
	ok(vtd_hex_parse_words("0x11223344556677889", 8, out, sizeof(out), &len, "in", &err) ==
	   -VTD_ERANGE, "17 digits do not fit a 64-bit word");
	ok(vtd_hex_parse_words("0x100000000", 4, out, sizeof(out), &len, "in", &err) == -VTD_ERANGE,
	   "33 bits do not fit a 32-bit register");
	ok(vtd_hex_parse_words("1 2 3", 8, out, 16, &len, "in", &err) == -VTD_ERANGE,
	   "more words than room");
	ok(vtd_hex_parse_words("0x", 8, out, 16, &len, "in", &err) == -VTD_EFORMAT, "bare 0x");
	ok(vtd_hex_parse_bytes("de ad:be ef\n0x0102", out, sizeof(out), &len, "b", &err) == 0 &&
	   len == 6 && out[0] == 0xde && out[3] == 0xef && out[5] == 0x02, "byte stream");
	memset(&err, 0, sizeof(err));
	ok(vtd_hex_parse_bytes("abc", out, sizeof(out), &len, "b", &err) == -VTD_EFORMAT &&
	   strstr(err.msg, "odd"), "odd digit count named: %s", err.msg);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_image();
	test_buffer();
	test_hex();
	rmdir(dir);
	return tap_done();
}
