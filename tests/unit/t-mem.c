/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests: memory sources (image files, ELF cores, in-process buffers,
 * the cache model's overlay), what they hold (vtd_mem_next) and the hex
 * parsers.
 */
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hex.h"
#include "mem-internal.h"
#include "mem.h"
#include "runs.h"
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
	is_str(runs(m), "0x100000+0x3000", "next: two images back to back are one run");
	{
		uint64_t base = 0, size = 0;

		ok(vtd_mem_next(m, 0x101234, &base, &size) == 1 && base == 0x101234 &&
		   size == 0x1dcc, "next from inside a run starts there");
		ok(vtd_mem_next(m, 0x102fff, &base, &size) == 1 && base == 0x102fff && size == 1,
		   "next from the last byte: one byte");
		ok(vtd_mem_next(m, 0x103000, &base, &size) == 0, "next past the end: none");
	}
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

/* One program header of a test core; 'fill' < 0 writes the byte pattern i & 0xff. */
struct seg {
	uint32_t type;
	uint64_t paddr, off, filesz, memsz;
	int fill;
	int nodata;	/* header only: its bytes are not written */
};

/*
 * An ELF64 core built with libelf: the headers through elf_update (our
 * layout, no sections), the segment bytes written at their offsets after.
 * 'trunc' (non-zero) cuts the file to that many bytes.
 */
static int make_core(const char *name, unsigned type, const struct seg *s, size_t n,
		     off_t trunc, char *path, size_t pn)
{
	GElf_Ehdr eh;
	Elf *e;
	size_t i;
	int fd, rc = -1;

	snprintf(path, pn, "%s/%s", dir, name);
	if (elf_version(EV_CURRENT) == EV_NONE)
		return -1;
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -1;
	e = elf_begin(fd, ELF_C_WRITE, NULL);
	if (!e || !gelf_newehdr(e, ELFCLASS64) || !gelf_getehdr(e, &eh))
		goto out;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_type = (Elf64_Half)type;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(Elf64_Ehdr);
	if (!gelf_update_ehdr(e, &eh) || !gelf_newphdr(e, n))
		goto out;
	for (i = 0; i < n; i++) {
		GElf_Phdr ph = {
			.p_type = s[i].type, .p_offset = s[i].off, .p_paddr = s[i].paddr,
			.p_vaddr = s[i].paddr, .p_filesz = s[i].filesz, .p_memsz = s[i].memsz,
			.p_flags = PF_R, .p_align = 1,
		};

		if (!gelf_update_phdr(e, (int)i, &ph))
			goto out;
	}
	/* Our offsets, not libelf's: a core has no sections for it to place. */
	elf_flagelf(e, ELF_C_SET, ELF_F_LAYOUT);
	if (elf_update(e, ELF_C_WRITE) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		uint8_t b[4096];
		uint64_t k, done;

		for (done = 0; !s[i].nodata && done < s[i].filesz; done += k) {
			k = s[i].filesz - done < sizeof(b) ? s[i].filesz - done : sizeof(b);
			for (uint64_t j = 0; j < k; j++)
				b[j] = s[i].fill < 0 ? (uint8_t)(done + j) : (uint8_t)s[i].fill;
			if (pwrite(fd, b, k, (off_t)(s[i].off + done)) != (ssize_t)k)
				goto out;
		}
	}
	rc = trunc && ftruncate(fd, trunc) ? -1 : 0;
out:
	if (e)
		elf_end(e);
	close(fd);
	return rc;
}

static void test_elf(void)
{
	/* Out of address order on purpose, with a note to skip and a hole tail. */
	const struct seg good[] = {
		{ PT_NOTE, 0, 0x3000, 0x10, 0x10, 0x11, 0 },
		{ PT_LOAD, 0x200000, 0x2800, 0x10, 0x10, 0x5a, 0 },
		{ PT_LOAD, 0x100000, 0x1000, 0x1000, 0x1000, -1, 0 },
		{ PT_LOAD, 0x101000, 0x2000, 0x800, 0x1000, 0xa5, 0 },
		{ PT_LOAD, 0x300000, 0x3010, 0, 0x1000, 0, 0 },
	};
	struct seg bad[5];
	char path[256], spec[300];
	struct vtd_mem *m = NULL;
	struct vtd_error err;
	uint8_t got[64];
	int rc;

	ok(make_core("core.elf", ET_CORE, good, 5, 0, path, sizeof(path)) == 0,
	   "build a test core with libelf");
	snprintf(spec, sizeof(spec), "elf:%s", path);
	memset(&err, 0, sizeof(err));
	rc = vtd_mem_open(spec, &m, &err);
	ok(rc == 0 && m, "open an ELF core: %s", err.msg);
	if (!m)
		return;
	is_str(vtd_mem_name(m), "elf", "backend name");
	ok(vtd_mem_read(m, 0x100010, got, 16, &err) == 0 && got[0] == 0x10 && got[15] == 0x1f,
	   "read inside a segment, at its p_paddr");
	ok(vtd_mem_read(m, 0x100ff8, got, 16, &err) == 0 && got[7] == 0xff && got[8] == 0xa5 &&
	   got[15] == 0xa5, "a read spanning two adjacent segments is stitched");
	ok(vtd_mem_read(m, 0x200000, got, 16, &err) == 0 && got[0] == 0x5a && got[15] == 0x5a,
	   "a segment listed first, placed last");
	memset(&err, 0, sizeof(err));
	rc = vtd_mem_read(m, 0x1017f8, got, 16, &err);
	ok(rc == -VTD_EUNMAPPED && err.has_addr && err.addr == 0x101800,
	   "the p_memsz tail past p_filesz is a hole (%s)", err.msg);
	ok(vtd_mem_read(m, 0x180000, got, 8, &err) == -VTD_EUNMAPPED, "a gap between segments");
	ok(vtd_mem_read(m, 0x300000, got, 8, &err) == -VTD_EUNMAPPED,
	   "a segment without file data is a hole");
	ok(vtd_mem_read(m, 0, got, 8, &err) == -VTD_EUNMAPPED, "PT_NOTE is not memory");
	ok(vtd_mem_write(m, 0x100000, got, 4, &err) == -VTD_ENOTSUP, "ELF cores are read-only");
	is_str(runs(m), "0x100000+0x1800 0x200000+0x10",
	       "next: adjacent segments are one run, the p_memsz tail and empty segments none");
	vtd_mem_close(m);

	/* Corrupt variants: each one clean error naming what is wrong. */
	ok(make_core("trunc.elf", ET_CORE, good, 5, 0x2400, path, sizeof(path)) == 0,
	   "build a truncated core");
	snprintf(spec, sizeof(spec), "elf:%s", path);
	memset(&err, 0, sizeof(err));
	ok(vtd_mem_open(spec, &m, &err) == -VTD_EFORMAT && !m && strstr(err.msg, "segment") &&
	   strstr(err.msg, "end of the file"), "truncated core refused: %s", err.msg);
	ok(make_core("hdr.elf", ET_CORE, good, 5, 0x50, path, sizeof(path)) == 0,
	   "build a core cut inside its program headers");
	snprintf(spec, sizeof(spec), "elf:%s", path);
	memset(&err, 0, sizeof(err));
	ok(vtd_mem_open(spec, &m, &err) == -VTD_EFORMAT && strstr(err.msg, "program header"),
	   "cut program header table refused: %s", err.msg);
	ok(make_core("ehdr.elf", ET_CORE, good, 5, 0x20, path, sizeof(path)) == 0,
	   "build a core cut inside its ELF header");
	snprintf(spec, sizeof(spec), "elf:%s", path);
	memset(&err, 0, sizeof(err));
	ok(vtd_mem_open(spec, &m, &err) == -VTD_EFORMAT && err.msg[0],
	   "cut ELF header refused: %s", err.msg);

	memcpy(bad, good, sizeof(bad));
	bad[2].off = 0x7fffffffffff0000ULL;
	bad[2].nodata = 1;
	ok(make_core("eof.elf", ET_CORE, bad, 5, 0, path, sizeof(path)) == 0,
	   "build a core with a segment beyond EOF");
	snprintf(spec, sizeof(spec), "elf:%s", path);
	memset(&err, 0, sizeof(err));
	ok(vtd_mem_open(spec, &m, &err) == -VTD_EFORMAT && strstr(err.msg, "segment 2") &&
	   strstr(err.msg, "p_offset"), "segment beyond EOF refused: %s", err.msg);

	memcpy(bad, good, sizeof(bad));
	bad[2].off = ~0ULL - 0x10;
	bad[2].nodata = 1;
	make_core("wrap.elf", ET_CORE, bad, 5, 0, path, sizeof(path));
	snprintf(spec, sizeof(spec), "elf:%s", path);
	memset(&err, 0, sizeof(err));
	ok(vtd_mem_open(spec, &m, &err) == -VTD_EFORMAT && strstr(err.msg, "segment 2"),
	   "p_offset + p_filesz wrapping refused: %s", err.msg);

	memcpy(bad, good, sizeof(bad));
	bad[1].paddr = 0x100800;
	make_core("overlap.elf", ET_CORE, bad, 5, 0, path, sizeof(path));
	snprintf(spec, sizeof(spec), "elf:%s", path);
	memset(&err, 0, sizeof(err));
	ok(vtd_mem_open(spec, &m, &err) == -VTD_EFORMAT && strstr(err.msg, "segment 1") &&
	   strstr(err.msg, "overlaps segment 2"), "overlapping segments refused: %s", err.msg);

	memcpy(bad, good, sizeof(bad));
	bad[3].memsz = 0x10;
	make_core("memsz.elf", ET_CORE, bad, 5, 0, path, sizeof(path));
	snprintf(spec, sizeof(spec), "elf:%s", path);
	memset(&err, 0, sizeof(err));
	ok(vtd_mem_open(spec, &m, &err) == -VTD_EFORMAT && strstr(err.msg, "p_memsz"),
	   "p_filesz > p_memsz refused: %s", err.msg);

	memcpy(bad, good, sizeof(bad));
	bad[1].paddr = ~0ULL - 7;
	make_core("pwrap.elf", ET_CORE, bad, 5, 0, path, sizeof(path));
	snprintf(spec, sizeof(spec), "elf:%s", path);
	memset(&err, 0, sizeof(err));
	ok(vtd_mem_open(spec, &m, &err) == -VTD_EFORMAT && strstr(err.msg, "wraps"),
	   "p_paddr + p_filesz wrapping refused: %s", err.msg);

	ok(make_core("exec.elf", ET_EXEC, good, 5, 0, path, sizeof(path)) == 0,
	   "build an ET_EXEC file");
	snprintf(spec, sizeof(spec), "elf:%s", path);
	memset(&err, 0, sizeof(err));
	ok(vtd_mem_open(spec, &m, &err) == -VTD_EFORMAT && strstr(err.msg, "ET_CORE"),
	   "not ET_CORE refused: %s", err.msg);

	make_core("noload.elf", ET_CORE, good, 1, 0, path, sizeof(path));
	snprintf(spec, sizeof(spec), "elf:%s", path);
	memset(&err, 0, sizeof(err));
	ok(vtd_mem_open(spec, &m, &err) == -VTD_EFORMAT && strstr(err.msg, "PT_LOAD"),
	   "a core without PT_LOAD data refused: %s", err.msg);

	write_file("text.elf", "not an ELF file at all\n", 23, path, sizeof(path));
	snprintf(spec, sizeof(spec), "elf:%s", path);
	memset(&err, 0, sizeof(err));
	ok(vtd_mem_open(spec, &m, &err) == -VTD_EFORMAT && strstr(err.msg, "not an ELF"),
	   "a non-ELF file refused: %s", err.msg);
	ok(vtd_mem_open("elf:", &m, &err) == -VTD_EFORMAT, "elf: without a file refused");
	ok(vtd_mem_open("elf:/nonexistent/core", &m, &err) == -VTD_EIO && err.sys_errno,
	   "missing core is an I/O error: %s", err.msg);
	{
		static const char *const names[] = { "core.elf", "trunc.elf", "hdr.elf", "ehdr.elf",
			"eof.elf", "wrap.elf", "overlap.elf", "memsz.elf", "pwrap.elf", "exec.elf",
			"noload.elf", "text.elf" };

		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
			unlink(path);
		}
	}
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
	is_str(runs(m), "0x1000+0x20", "next: touching buffer ranges are one run");
	{
		struct vtd_overlay ov;

		vtd__overlay_init(&ov, m);
		is_str(runs(&ov.mem), "0x1000+0x20", "next: an overlay lists the source below");
	}
	ok(vtd_mem_buffer_map(m, 0xfffffffffffff000ULL, NULL, 0x1000, &err) == 0 &&
	   vtd_mem_buffer_map(m, 0xffffffffffffe000ULL, NULL, 0x1000, &err) == 0,
	   "map the top two pages of the address space");
	is_str(runs(m), "0x1000+0x20 0xffffffffffffe000+0x2000",
	       "next: a run ending at 2^64 (base + size wraps to 0)");
	vtd_mem_close(m);
	ok(vtd_mem_open_buffer(&m, &err) == 0 && vtd_mem_next(m, 0, &(uint64_t){ 0 },
							      &(uint64_t){ 0 }) == 0,
	   "next on an empty buffer: none");
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

/* A sparse image: vtd_mem_next lists its data, not its holes (which still read as zeros). */
static void test_sparse(void)
{
	char path[600], spec[700];
	struct vtd_mem *m = NULL;
	struct vtd_error err;
	uint64_t base = 0, size = 0;
	uint8_t page[4096], z[16] = { 0 }, got[16];
	int fd;
	off_t hole;

	memset(page, 0xa5, sizeof(page));
	snprintf(path, sizeof(path), "%s/sparse.bin", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || pwrite(fd, page, sizeof(page), 0) != (ssize_t)sizeof(page) ||
	    pwrite(fd, page, sizeof(page), 8 << 20) != (ssize_t)sizeof(page) ||
	    ftruncate(fd, 64 << 20)) {
		ok(0, "write a sparse file");
		if (fd >= 0)
			close(fd);
		return;
	}
	hole = lseek(fd, 0, SEEK_HOLE);
	close(fd);
	snprintf(spec, sizeof(spec), "image:%s@0x100000000", path);
	if (!ok(vtd_mem_open(spec, &m, &err) == 0, "open a sparse image"))
		return;
	if (hole != 4096) {
		ok(1, "sparse: data extents # SKIP this file system reports no holes (SEEK_HOLE: "
		   "%lld)", (long long)hole);
	} else {
		ok(vtd_mem_next(m, 0, &base, &size) == 1 && base == 0x100000000ull && size == 4096,
		   "sparse: the first data extent, not the hole after it");
		ok(vtd_mem_next(m, 0x100001000ull, &base, &size) == 1 &&
		   base == 0x100000000ull + (8 << 20) && size == 4096,
		   "sparse: the next extent, past 8 MiB of hole");
		ok(vtd_mem_next(m, 0x100801000ull, &base, &size) == 0,
		   "sparse: the trailing hole holds nothing");
	}
	ok(vtd_mem_read(m, 0x100000000ull + (1 << 20), got, sizeof(got), NULL) == 0 &&
	   !memcmp(got, z, sizeof(z)), "sparse: a hole reads as zeros");
	vtd_mem_close(m);
	unlink(path);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_image();
	test_sparse();
	test_elf();
	test_buffer();
	test_hex();
	rmdir(dir);
	return tap_done();
}
