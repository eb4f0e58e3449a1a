/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests: the "kdump" memory source on dumps synthesized here, plain
 * and flattened, with pages stored raw and by each of the four
 * compressors, an excluded page, and corrupt variants; and what a dump
 * holds (vtd_mem_next) on bitmaps across many words.
 */
#include <lzo/lzo1x.h>
#include <snappy-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "mem.h"
#include "runs.h"
#include "tap.h"

#define BS 4096u
#define MAPNR 16u
#define IMG_MAX (64u * BS)

static char dir[] = "/tmp/vtd-t-mem-kdump.XXXXXX";

/* pfn -> descriptor flags; pfn 4 is left out of the 2nd bitmap. */
static const struct {
	uint64_t pfn;
	uint32_t flags;
} pages[] = {
	{ 1, 0 }, { 2, 0x1 }, { 3, 0x2 }, { 5, 0x4 }, { 6, 0x20 }, { 7, 0x1 },
};
#define NPAGES (sizeof(pages) / sizeof(pages[0]))

/* What the dump says page 'pfn' holds: varied, yet compressible. */
static void content(uint64_t pfn, uint8_t *p)
{
	for (unsigned i = 0; i < BS; i++)
		p[i] = (uint8_t)(pfn * 17 + i / 64 + (i % 7 == 0 ? i : 0));
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

static void put64be(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (56 - 8 * i));
}

static size_t compress_page(uint32_t flags, const uint8_t *in, uint8_t *out)
{
	switch (flags) {
	case 0x1: {
		uLongf n = BS;

		return compress2(out, &n, in, BS, 6) == Z_OK ? n : 0;
	}
	case 0x2: {
		uint8_t *wrk = malloc(LZO1X_1_MEM_COMPRESS);
		lzo_uint n = 0;

		if (!wrk || lzo1x_1_compress(in, BS, out, &n, wrk) != LZO_E_OK)
			n = 0;
		free(wrk);
		return n;
	}
	case 0x4: {
		size_t n = snappy_max_compressed_length(BS);

		return snappy_compress((const char *)in, BS, (char *)out, &n) == SNAPPY_OK ? n : 0;
	}
	case 0x20: {
		size_t n = ZSTD_compress(out, 2 * BS, in, BS, 3);

		return ZSTD_isError(n) ? 0 : n;
	}
	default:
		memcpy(out, in, BS);
		return BS;
	}
}

/*
 * A plain diskdump, header_version 6: header, one sub-header block, a
 * two-block bitmap (1st then 2nd), descriptors, data.  'doff[i]' returns
 * where page i's data sits, 'dsz[i]' its size.
 */
static size_t build(uint8_t *img, size_t doff[], size_t dsz[])
{
	uint8_t page[BS], z[2 * BS];
	size_t desc = 4 * BS, data = desc + NPAGES * 24;

	memset(img, 0, IMG_MAX);
	memcpy(img, "KDUMP   ", 8);
	put32(img + 8, 6);
	put32(img + 428, BS);
	put32(img + 432, 1);
	put32(img + 436, 2);
	put32(img + 440, MAPNR);
	put64(img + BS + 96, MAPNR);
	for (size_t i = 0; i < NPAGES; i++) {
		size_t n;

		img[2 * BS + pages[i].pfn / 8] |= (uint8_t)(1u << pages[i].pfn % 8);
		img[3 * BS + pages[i].pfn / 8] |= (uint8_t)(1u << pages[i].pfn % 8);
		content(pages[i].pfn, page);
		n = compress_page(pages[i].flags, page, z);
		if (!n || (pages[i].flags && n >= BS))
			fprintf(stderr, "# compressor 0x%x failed\n", pages[i].flags);
		put64(img + desc + i * 24, data);
		put32(img + desc + i * 24 + 8, (uint32_t)n);
		put32(img + desc + i * 24 + 12, pages[i].flags);
		memcpy(img + data, z, n);
		doff[i] = data;
		dsz[i] = n;
		data += n;
	}
	img[2 * BS + 0] |= 1 << 4;	/* in RAM, not dumped */
	return data;
}

/*
 * The same bytes as a flattened stream: records of 'chunk' bytes emitted
 * back to front (the index must sort them), skipping the one that holds
 * dump offset 'hole' (when not 0), ending with the marker unless 'noend'.
 */
static size_t flatten(const uint8_t *img, size_t len, uint8_t *out, size_t chunk, size_t hole,
		      int noend)
{
	size_t o = 4096, n = (len + chunk - 1) / chunk;

	memset(out, 0, 4096);
	memcpy(out, "makedumpfile", 12);
	put64be(out + 16, 1);
	put64be(out + 24, 1);
	for (size_t i = n; i-- > 0;) {
		size_t at = i * chunk, sz = len - at < chunk ? len - at : chunk;

		if (hole && hole >= at && hole < at + sz)
			continue;
		put64be(out + o, at);
		put64be(out + o + 8, sz);
		memcpy(out + o + 16, img + at, sz);
		o += 16 + sz;
	}
	if (!noend) {
		put64be(out + o, ~0ULL);
		put64be(out + o + 8, ~0ULL);
		o += 16;
	}
	return o;
}

static const char *save(const char *name, const void *data, size_t len)
{
	static char spec[300];
	FILE *f;

	snprintf(spec, sizeof(spec), "kdump:%s/%s", dir, name);
	f = fopen(spec + 6, "wb");
	if (f) {
		fwrite(data, 1, len, f);
		fclose(f);
	}
	return spec;
}

static int open_err(const char *spec, struct vtd_error *err)
{
	struct vtd_mem *m = NULL;
	int rc;

	memset(err, 0, sizeof(*err));
	rc = vtd_mem_open(spec, &m, err);
	if (!rc)
		vtd_mem_close(m);
	return rc;
}

/* Every page reads back; the excluded one and one past max_mapnr do not. */
static void check_all(const char *what, const char *spec)
{
	uint8_t want[2 * BS], got[BS], two[2 * BS];
	struct vtd_mem *m = NULL;
	struct vtd_error err;
	int good = 1;

	memset(&err, 0, sizeof(err));
	ok(vtd_mem_open(spec, &m, &err) == 0 && m, "%s: opens: %s", what, err.msg);
	if (!m)
		return;
	is_str(vtd_mem_name(m), "kdump", "%s: backend name", what);
	for (size_t i = 0; i < NPAGES; i++) {
		content(pages[i].pfn, want);
		if (vtd_mem_read(m, pages[i].pfn * BS, got, BS, &err) || memcmp(got, want, BS)) {
			printf("# %s: pfn %llu (flags 0x%x): %s\n", what,
			     (unsigned long long)pages[i].pfn, pages[i].flags, err.msg);
			good = 0;
		}
	}
	ok(good, "%s: raw, zlib, lzo, snappy and zstd pages read back", what);
	content(2, want);
	content(3, want + BS);
	ok(vtd_mem_read(m, 2 * BS + 100, two, BS, &err) == 0 &&
	   !memcmp(two, want + 100, BS), "%s: a read across two pages is stitched", what);
	memset(&err, 0, sizeof(err));
	ok(vtd_mem_read(m, 4 * BS + 8, got, 8, &err) == -VTD_EUNMAPPED &&
	   strstr(err.msg, "excluded from the dump") && err.has_addr && err.addr == 4 * BS,
	   "%s: excluded page: %s", what, err.msg);
	ok(vtd_mem_read(m, 0, got, 8, &err) == -VTD_EUNMAPPED, "%s: pfn 0 not dumped", what);
	ok(vtd_mem_read(m, MAPNR * BS, got, 8, &err) == -VTD_EUNMAPPED,
	   "%s: beyond max_mapnr: %s", what, err.msg);
	{
		uint64_t base = 0, size = 0, b2 = 0, s2 = 0, b3 = 0, s3 = 0;

		ok(vtd_mem_next(m, 0, &base, &size) == 1 && base == BS && size == 3 * BS &&
		   vtd_mem_next(m, base + size, &b2, &s2) == 1 && b2 == 5 * BS && s2 == 3 * BS &&
		   vtd_mem_next(m, b2 + s2, &b3, &s3) == 0,
		   "%s: next: pfns 1-3 and 5-7, around the excluded page 4", what);
		ok(vtd_mem_next(m, 6 * BS + 5, &base, &size) == 1 && base == 6 * BS + 5 &&
		   size == 2 * BS - 5, "%s: next from inside a page", what);
	}
	vtd_mem_close(m);
}

/*
 * A raw-page dump of 'mapnr' pages of 'bs' bytes whose 2nd bitmap is
 * 'bits' (bits past mapnr included: they must not count), every
 * descriptor pointing at the one data page.  Written to 'name'.
 */
static const char *save(const char *name, const void *data, size_t len);

static const char *build_sparse(const char *name, uint32_t bs, uint64_t mapnr,
				const uint8_t *bits, size_t nbits_bytes)
{
	uint64_t half = (nbits_bytes + bs - 1) / bs, ndesc = 0, mask_bytes = (mapnr + 7) / 8;
	uint64_t desc, data, len;
	uint8_t *img;
	const char *spec;

	for (uint64_t i = 0; i < mapnr; i++)
		ndesc += bits[i / 8] >> (i % 8) & 1;
	desc = (2 + 2 * half) * bs;
	data = desc + ndesc * 24;
	len = data + bs;
	img = calloc(1, len);
	if (!img)
		return "kdump:/nonexistent";
	memcpy(img, "KDUMP   ", 8);
	put32(img + 8, 6);
	put32(img + 428, bs);
	put32(img + 432, 1);
	put32(img + 436, (uint32_t)(2 * half));
	put32(img + 440, (uint32_t)mapnr);
	put64(img + bs + 96, mapnr);
	memcpy(img + 2 * bs, bits, mask_bytes < nbits_bytes ? mask_bytes : nbits_bytes);
	memcpy(img + (2 + half) * bs, bits, nbits_bytes);
	for (uint64_t i = 0; i < ndesc; i++) {
		put64(img + desc + i * 24, data);
		put32(img + desc + i * 24 + 8, bs);
	}
	memset(img + data, 0x5c, bs);
	spec = save(name, img, (size_t)len);
	free(img);
	return spec;
}

/* The runs of set bits below 'mapnr', as "base+size ..." in bytes. */
static void brute_runs(const uint8_t *bits, uint64_t mapnr, uint32_t bs, char *out, size_t n)
{
	size_t o = 0;

	out[0] = 0;
	for (uint64_t i = 0; i < mapnr;) {
		uint64_t j = i;

		while (j < mapnr && (bits[j / 8] >> (j % 8) & 1))
			j++;
		if (j > i && o < n)
			o += (size_t)snprintf(out + o, n - o, "%s0x%llx+0x%llx", o ? " " : "",
					      (unsigned long long)(i * bs),
					      (unsigned long long)((j - i) * bs));
		i = j > i ? j : i + 1;
	}
}

static void test_next(void)
{
	/* Runs inside a word, across words, a whole word, the last page. */
	static const uint64_t set[][2] = { { 0, 3 }, { 63, 65 }, { 100, 301 }, { 511, 512 },
					   { 512, 576 }, { 640, 641 }, { 999, 1000 } };
	uint8_t bits[128] = { 0 }, *big;
	char want[1024];
	struct vtd_mem *m = NULL;
	struct vtd_error err;
	uint64_t base = 0, size = 0;
	uint8_t page[512];

	for (size_t r = 0; r < sizeof(set) / sizeof(set[0]); r++)
		for (uint64_t i = set[r][0]; i < set[r][1]; i++)
			bits[i / 8] |= (uint8_t)(1u << i % 8);
	/* Past max_mapnr (1000): not pages, whatever the bitmap says. */
	bits[126] = 0xff;
	memset(&err, 0, sizeof(err));
	ok(vtd_mem_open(build_sparse("sparse", 512, 1000, bits, sizeof(bits)), &m, &err) == 0,
	   "sparse dump, 1000 pages of 512 bytes, opens: %s", err.msg);
	if (!m)
		return;
	brute_runs(bits, 1000, 512, want, sizeof(want));
	is_str(runs(m), want, "next lists the 2nd bitmap's runs, pages 511 and 512 as one");
	ok(vtd_mem_next(m, 301 * 512, &base, &size) == 1 && base == 511 * 512 &&
	   size == 65 * 512, "next from an excluded page skips to the next run");
	ok(vtd_mem_next(m, 1000 * 512, &base, &size) == 0 &&
	   vtd_mem_next(m, ~0ULL, &base, &size) == 0, "next past max_mapnr: none");
	ok(vtd_mem_read(m, 999 * 512, page, sizeof(page), &err) == 0 && page[0] == 0x5c,
	   "the last run's page reads");
	vtd_mem_close(m);

	/* 64 GiB of 4 KiB pages, two dumped: the scan crosses 256 Ki words. */
	big = calloc(1, 1u << 21);
	if (!big)
		return;
	big[0] = 0x20;
	big[(1u << 21) - 1] = 0x80;
	memset(&err, 0, sizeof(err));
	ok(vtd_mem_open(build_sparse("big", 4096, 1u << 24, big, 1u << 21), &m, &err) == 0,
	   "64 GiB dump with two pages opens: %s", err.msg);
	if (m) {
		is_str(runs(m), "0x5000+0x1000 0xffffff000+0x1000",
		       "next finds both pages, 64 GiB apart");
		vtd_mem_close(m);
	}
	free(big);
}

/* Opens, but page 'pfn' fails with a format error naming it. */
static void check_bad_page(const char *what, const char *spec, uint64_t pfn)
{
	struct vtd_mem *m = NULL;
	struct vtd_error err;
	uint8_t got[16];
	char name[32];
	int rc;

	memset(&err, 0, sizeof(err));
	if (vtd_mem_open(spec, &m, &err)) {
		ok(0, "%s: opens: %s", what, err.msg);
		return;
	}
	snprintf(name, sizeof(name), "0x%llx", (unsigned long long)pfn);
	rc = vtd_mem_read(m, pfn * BS, got, sizeof(got), &err);
	ok(rc == -VTD_EFORMAT && strstr(err.msg, name), "%s: %s", what, err.msg);
	/* Failed pages are not cached: asking again fails again. */
	ok(vtd_mem_read(m, pfn * BS, got, sizeof(got), &err) == -VTD_EFORMAT,
	   "%s: fails again", what);
	ok(vtd_mem_read(m, (pfn == 1 ? 2 : 1) * BS, got, sizeof(got), &err) == 0,
	   "%s: other pages still read", what);
	vtd_mem_close(m);
}

int main(void)
{
	uint8_t *img = malloc(IMG_MAX), *bad = malloc(IMG_MAX), *flat = malloc(2 * IMG_MAX);
	size_t doff[NPAGES], dsz[NPAGES], len, flen;
	struct vtd_error err;
	char what[64];

	if (!img || !bad || !flat || !mkdtemp(dir)) {
		perror("setup");
		return 1;
	}
	len = build(img, doff, dsz);
	check_all("plain", save("plain", img, len));
	flen = flatten(img, len, flat, 1000, 0, 0);
	check_all("flattened", save("flat", flat, flen));
	flen = flatten(img, len, flat, 3 * BS, 0, 0);
	check_all("flattened, large records", save("flat2", flat, flen));

	/* Truncated: through the last page's data, or before the descriptors. */
	check_bad_page("plain, truncated in the last page", save("trunc", img, len - 10), 7);
	ok(open_err(save("trunc2", img, 3 * BS), &err) == -VTD_EFORMAT &&
	   strstr(err.msg, "truncated"), "plain, truncated in the bitmap: %s", err.msg);
	ok(open_err(save("trunc3", img, 300), &err) == -VTD_EFORMAT,
	   "plain, truncated in the header: %s", err.msg);
	flen = flatten(img, len, flat, 1000, 0, 0);
	ok(open_err(save("ftrunc", flat, flen - 20), &err) == -VTD_EFORMAT,
	   "flattened, truncated: %s", err.msg);
	flen = flatten(img, len, flat, 1000, 0, 1);
	ok(open_err(save("fnoend", flat, flen), &err) == -VTD_EFORMAT &&
	   strstr(err.msg, "end marker"), "flattened, no end marker: %s", err.msg);
	flen = flatten(img, len, flat, 1000, doff[3], 0);
	check_bad_page("flattened, the snappy page's record missing", save("fhole", flat, flen),
		       5);

	/* Bad magic, in each form. */
	memcpy(bad, img, len);
	bad[0] = 'X';
	ok(open_err(save("magic", bad, len), &err) == -VTD_EFORMAT && strstr(err.msg, "KDUMP"),
	   "bad signature: %s", err.msg);
	flen = flatten(img, len, flat, 1000, 0, 0);
	put64be(flat + 16, 2);
	ok(open_err(save("fmagic", flat, flen), &err) == -VTD_EFORMAT &&
	   strstr(err.msg, "type"), "flattened type 2: %s", err.msg);

	/* Header fields. */
	memcpy(bad, img, len);
	put32(bad + 428, 3000);
	ok(open_err(save("bs", bad, len), &err) == -VTD_EFORMAT && strstr(err.msg, "block_size"),
	   "block_size not a power of two: %s", err.msg);
	memcpy(bad, img, len);
	put64(bad + BS + 96, 1ull << 40);
	ok(open_err(save("mapnr", bad, len), &err) == -VTD_EFORMAT && strstr(err.msg, "max_mapnr"),
	   "max_mapnr beyond the bitmap: %s", err.msg);

	/* A descriptor pointing past the end of the file, or too large. */
	memcpy(bad, img, len);
	put64(bad + 4 * BS + 1 * 24, 1ull << 40);
	check_bad_page("descriptor beyond EOF", save("desc", bad, len), 2);
	memcpy(bad, img, len);
	put32(bad + 4 * BS + 1 * 24 + 8, BS + 1);
	check_bad_page("descriptor size over block_size", save("dsize", bad, len), 2);
	memcpy(bad, img, len);
	put32(bad + 4 * BS + 1 * 24 + 12, 0x3);
	check_bad_page("descriptor with two compressions", save("dflags", bad, len), 2);
	memcpy(bad, img, len);
	put32(bad + 4 * BS + 0 * 24 + 8, 100);
	check_bad_page("raw page shorter than a block", save("draw", bad, len), 1);

	/* Corrupt compressed data, for each compressor. */
	for (size_t i = 1; i < 5; i++) {
		memcpy(bad, img, len);
		for (size_t j = 0; j < dsz[i]; j += 3)
			bad[doff[i] + j] ^= 0x5a;
		snprintf(what, sizeof(what), "corrupt %s data",
			 (const char *[]){ "", "zlib", "lzo", "snappy", "zstd" }[i]);
		check_bad_page(what, save("corrupt", bad, len), pages[i].pfn);
	}

	/* More bits in the 2nd bitmap than descriptors. */
	memcpy(bad, img, len);
	bad[3 * BS + 1] = 0xff;
	ok(open_err(save("count", bad, len), &err) == -VTD_EFORMAT && strstr(err.msg, "disagree"),
	   "bitmap/descriptor count mismatch: %s", err.msg);

	/* Overlapping flattened records. */
	flen = flatten(img, len, flat, 1000, 0, 0);
	put64be(flat + 4096, 0);
	ok(open_err(save("overlap", flat, flen), &err) == -VTD_EFORMAT && strstr(err.msg, "overlap"),
	   "flattened records overlap: %s", err.msg);

	test_next();

	ok(open_err("kdump:", &err) == -VTD_EFORMAT, "no file named: %s", err.msg);
	ok(open_err("kdump:/nonexistent/x", &err) == -VTD_EIO, "missing file: %s", err.msg);

	{
		static const char *const names[] = { "plain", "flat", "flat2", "trunc", "trunc2",
			"trunc3", "ftrunc", "fnoend", "fhole", "magic", "fmagic", "bs", "mapnr", "desc",
			"dsize", "dflags", "draw", "corrupt", "count", "overlap", "sparse", "big" };
		char p[300];

		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
			unlink(p);
		}
	}
	rmdir(dir);
	free(img);
	free(bad);
	free(flat);
	return tap_done();
}
