/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvtd -- "kdump" source: makedumpfile's kdump-compressed (diskdump)
 * format, plain or "flattened" (what makedumpfile -F and QEMU's
 * dump-guest-memory kdump-* formats write), by physical address.
 *
 * Layout, as the format's public descriptions give it (all words of the
 * dump proper in the dumped machine's byte order; little-endian only here):
 *   block 0             disk_dump_header: "KDUMP   ", header_version, ...,
 *                       block_size @428, sub_hdr_size @432 (blocks),
 *                       bitmap_blocks @436, max_mapnr @440 (32-bit)
 *   block 1             kdump_sub_header (sub_hdr_size blocks); from
 *                       header_version 6 its max_mapnr_64 @96 is the truth
 *   then                bitmap_blocks blocks: the 1st bitmap (pages in
 *                       RAM), then the 2nd (pages dumped), half each
 *   then                one 24-byte page descriptor per bit set in the
 *                       2nd bitmap {u64 offset, u32 size, u32 flags,
 *                       u64 page_flags}, then the page data
 * The flattened form wraps that stream: a 4 KiB header "makedumpfile",
 * type 1, version 1 (big-endian int64s), then records of big-endian int64
 * (offset, size) and 'size' bytes meant for 'offset', until (-1, -1).
 */
#include "mem-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <lzo/lzo1x.h>
#include <snappy-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define DH_SIZE 464u			/* disk_dump_header up to nr_cpus */
#define DH_BLOCK_SIZE 428u
#define DH_SUB_HDR_SIZE 432u
#define DH_BITMAP_BLOCKS 436u
#define DH_MAX_MAPNR 440u
#define SUB_OFFSET_VMCOREINFO 32u	/* header_version >= 3: off_t, then its size */
#define SUB_MAX_MAPNR_64 96u		/* header_version >= 6 */
#define DESC_SIZE 24u

#define FLAG_ZLIB 0x1u
#define FLAG_LZO 0x2u
#define FLAG_SNAPPY 0x4u
#define FLAG_ZSTD 0x20u

#define FLAT_HDR_SIZE 4096u
#define FLAT_REC_HDR 16u

/*
 * Block (page) sizes accepted: a power of two no smaller than the header
 * that block 0 holds, no larger than any machine's base page.
 */
#define MIN_BLOCK 512u
#define MAX_BLOCK (1u << 20)

/*
 * A flattened stream is a record per write() of its producer (QEMU: a few
 * thousand for a small guest); the cap bounds the index's memory against a
 * hostile file of empty records.
 */
#define FLAT_MAX_RECORDS (1u << 22)

/* Decompressed pages kept: a table walk touches a handful at a time. */
#define CACHE_PAGES 4

/* 2nd-bitmap set bits counted per chunk of this many 64-bit words. */
#define CHUNK_WORDS 8u

struct kpage {
	uint64_t pfn;
	int valid;
	uint8_t *data;
};

struct kdump {
	int fd;
	char *path;			/* for messages: a copy, the caller's spec may not last */
	uint64_t fsize;			/* the file's size */
	uint64_t vsize;			/* the dump's size: fsize, or the flattened extent */
	struct vtd_ranges flat;		/* flattened: dump offset -> file offset; else empty */
	int flattened;
	uint32_t version;		/* header_version */
	uint32_t sub_blocks;		/* sub_hdr_size */
	uint32_t block_size;
	uint64_t max_mapnr;
	char *vmcoreinfo;		/* NUL-terminated, or NULL */
	uint64_t *bitmap;		/* 2nd bitmap, max_mapnr bits, padded to words */
	uint64_t *prefix;		/* set bits before each chunk of CHUNK_WORDS words */
	uint64_t ndesc;			/* set bits in all */
	uint64_t desc_off, data_off;	/* descriptor table; where page data may start */
	uint8_t *zbuf;			/* compressed page, block_size bytes */
	struct kpage cache[CACHE_PAGES];
	unsigned next_victim;
};

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* Exactly 'len' file bytes at 'off'; the caller checked they lie in the file. */
static int file_read(struct kdump *kd, uint64_t off, void *buf, size_t len,
		     struct vtd_error *err)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t r = pread(kd->fd, p, len, (off_t)off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return vtd__mem_sys_fail(err, "cannot read", kd->path);
		if (!r)
			return vtd_fail(err, VTD_EIO, "kdump: '%s' shrank while reading", kd->path);
		p += r;
		off += (uint64_t)r;
		len -= (size_t)r;
	}
	return 0;
}

/*
 * 'len' bytes of the dump at dump offset 'off', named 'what' in messages.
 * Beyond the end of the dump, or in a flattened stream's unwritten gap, is
 * a format error: the producer never wrote those bytes, and zeros would be
 * a lie (a truncated dump must not read as empty memory).
 */
static int dump_read(struct kdump *kd, uint64_t off, void *buf, size_t len, const char *what,
		     struct vtd_error *err)
{
	uint8_t *p = buf;

	if (off > kd->vsize || len > kd->vsize - off)
		return vtd_fail(err, VTD_EFORMAT,
				"kdump: '%s': %s (0x%llx bytes at 0x%llx) runs past the end of the "
				"dump (size 0x%llx): truncated?", kd->path, what,
				(unsigned long long)len, (unsigned long long)off,
				(unsigned long long)kd->vsize);
	if (!kd->flattened)
		return file_read(kd, off, buf, len, err);
	while (len) {
		const struct vtd_range *g = vtd__ranges_find(&kd->flat, off);
		uint64_t take;
		int rc;

		if (!g)
			return vtd_fail(err, VTD_EFORMAT,
					"kdump: '%s': %s: dump offset 0x%llx was never written by the "
					"flattened stream", kd->path, what, (unsigned long long)off);
		take = g->size - (off - g->base);
		if (take > len)
			take = len;
		rc = file_read(kd, g->off + (off - g->base), p, (size_t)take, err);
		if (rc)
			return rc;
		p += take;
		off += take;
		len -= (size_t)take;
	}
	return 0;
}

static int by_base(const void *a, const void *b)
{
	const struct vtd_range *x = a, *y = b;

	/* Ties broken by record index, so an overlap is always reported alike. */
	if (x->base != y->base)
		return x->base < y->base ? -1 : 1;
	return (uintptr_t)x->ctx < (uintptr_t)y->ctx ? -1 : (uintptr_t)x->ctx > (uintptr_t)y->ctx;
}

/*
 * Index a flattened stream's records (never its data) into kd->flat, sorted
 * by dump offset.  Overlapping records are refused rather than resolved by
 * write order: neither producer rewrites a region, so an overlap means a
 * corrupt file.
 */
static int index_flat(struct kdump *kd, struct vtd_error *err)
{
	uint64_t pos = FLAT_HDR_SIZE;
	size_t n = 0, cap = 0, i;
	struct vtd_range *v = NULL;

	for (;;) {
		uint8_t h[FLAT_REC_HDR];
		uint64_t off, size;
		int rc;

		if (pos > kd->fsize || kd->fsize - pos < FLAT_REC_HDR)
			return vtd_fail(err, VTD_EFORMAT,
					"kdump: '%s': flattened record %zu header at file offset "
					"0x%llx is past the end of the file (no end marker): "
					"truncated?", kd->path, n, (unsigned long long)pos);
		rc = file_read(kd, pos, h, sizeof(h), err);
		if (rc)
			return rc;
		off = be64(h);
		size = be64(h + 8);
		pos += FLAT_REC_HDR;
		if (off == UINT64_MAX && size == UINT64_MAX)
			break;
		if (off > INT64_MAX || size > INT64_MAX)
			return vtd_fail(err, VTD_EFORMAT,
					"kdump: '%s': flattened record %zu: offset 0x%llx / size "
					"0x%llx is negative", kd->path, n,
					(unsigned long long)off, (unsigned long long)size);
		if (size > kd->fsize - pos)
			return vtd_fail(err, VTD_EFORMAT,
					"kdump: '%s': flattened record %zu: size 0x%llx at file offset "
					"0x%llx runs past the end of the file (size 0x%llx)", kd->path,
					n, (unsigned long long)size, (unsigned long long)pos,
					(unsigned long long)kd->fsize);
		if (size) {
			if (n == FLAT_MAX_RECORDS)
				return vtd_fail(err, VTD_EFORMAT,
						"kdump: '%s': more than %u flattened records",
						kd->path, FLAT_MAX_RECORDS);
			if (n == cap) {
				size_t nc = cap ? cap * 2 : 64;
				struct vtd_range *nv = realloc(v, nc * sizeof(*v));

				if (!nv)
					return vtd_fail(err, VTD_ENOMEM, "out of memory");
				v = nv;
				cap = nc;
				kd->flat.v = v;
				kd->flat.cap = cap;
			}
			v[n].base = off;
			v[n].size = size;
			v[n].off = pos;
			v[n].ctx = (void *)(uintptr_t)n;
			if (off + size > kd->vsize)
				kd->vsize = off + size;
			n++;
		}
		pos += size;
	}
	if (!n)
		return vtd_fail(err, VTD_EFORMAT, "kdump: '%s': the flattened stream is empty",
				kd->path);
	qsort(v, n, sizeof(*v), by_base);
	for (i = 1; i < n; i++)
		if (v[i].base - v[i - 1].base < v[i - 1].size)
			return vtd_fail(err, VTD_EFORMAT,
					"kdump: '%s': flattened record %zu (dump offset 0x%llx) "
					"overlaps record %zu (0x%llx bytes at 0x%llx)", kd->path,
					(size_t)(uintptr_t)v[i].ctx, (unsigned long long)v[i].base,
					(size_t)(uintptr_t)v[i - 1].ctx,
					(unsigned long long)v[i - 1].size,
					(unsigned long long)v[i - 1].base);
	kd->flat.n = n;
	return 0;
}

/*
 * The 2nd bitmap into memory with a running count per chunk, so that a
 * page's descriptor index (set bits before it) costs a prefix lookup plus
 * at most CHUNK_WORDS popcounts.
 */
static int load_bitmap(struct kdump *kd, uint64_t off, struct vtd_error *err)
{
	uint64_t nbytes = (kd->max_mapnr + 7) / 8;
	uint64_t nwords = (nbytes + 7) / 8, nchunks = (nwords + CHUNK_WORDS - 1) / CHUNK_WORDS;
	uint64_t count = 0, i;
	int rc;

	kd->bitmap = calloc(nwords ? nwords : 1, 8);
	kd->prefix = calloc(nchunks + 1, 8);
	if (!kd->bitmap || !kd->prefix)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	rc = dump_read(kd, off, kd->bitmap, (size_t)nbytes, "2nd bitmap", err);
	if (rc)
		return rc;
	for (i = 0; i < nwords; i++) {
		uint64_t w = le64((const uint8_t *)&kd->bitmap[i]);

		/* Bits at max_mapnr and above name no page: not dumped. */
		if (i == nwords - 1 && kd->max_mapnr % 64)
			w &= (UINT64_C(1) << (kd->max_mapnr % 64)) - 1;
		kd->bitmap[i] = w;
		if (i % CHUNK_WORDS == 0)
			kd->prefix[i / CHUNK_WORDS] = count;
		count += (uint64_t)__builtin_popcountll(w);
	}
	kd->prefix[nchunks] = count;
	kd->ndesc = count;
	return 0;
}

static int parse_header(struct kdump *kd, struct vtd_error *err)
{
	uint8_t h[DH_SIZE], sub[SUB_MAX_MAPNR_64 + 8], d0[DESC_SIZE];
	uint32_t version, bs, sub_blocks, bm_blocks;
	uint64_t bitmap_off, half, need;
	int rc;

	if (kd->vsize < DH_SIZE)
		return vtd_fail(err, VTD_EFORMAT,
				"kdump: '%s': dump of 0x%llx bytes is shorter than its header "
				"(0x%x): truncated?", kd->path, (unsigned long long)kd->vsize, DH_SIZE);
	rc = dump_read(kd, 0, h, sizeof(h), "disk_dump_header", err);
	if (rc)
		return rc;
	if (memcmp(h, "KDUMP   ", 8))
		return vtd_fail(err, VTD_EFORMAT, "kdump: '%s': signature is not \"KDUMP   \"",
				kd->path);
	version = le32(h + 8);
	bs = le32(h + DH_BLOCK_SIZE);
	sub_blocks = le32(h + DH_SUB_HDR_SIZE);
	bm_blocks = le32(h + DH_BITMAP_BLOCKS);
	/* Big-endian dumps would show a byte-swapped version: say so, not "bad block_size". */
	if (!version || version > 0xffff)
		return vtd_fail(err, VTD_EFORMAT,
				"kdump: '%s': header_version 0x%x is not a little-endian diskdump "
				"version", kd->path, version);
	if (bs < MIN_BLOCK || bs > MAX_BLOCK || (bs & (bs - 1)))
		return vtd_fail(err, VTD_EFORMAT,
				"kdump: '%s': block_size %u is not a power of two in [%u, %u]",
				kd->path, bs, MIN_BLOCK, MAX_BLOCK);
	if (!sub_blocks && version >= 6)
		return vtd_fail(err, VTD_EFORMAT,
				"kdump: '%s': sub_hdr_size 0, but header_version %u needs the sub "
				"header", kd->path, version);
	if (!bm_blocks || bm_blocks % 2)
		return vtd_fail(err, VTD_EFORMAT,
				"kdump: '%s': bitmap_blocks %u is not a positive even number",
				kd->path, bm_blocks);
	kd->block_size = bs;
	kd->version = version;
	kd->sub_blocks = sub_blocks;
	kd->max_mapnr = le32(h + DH_MAX_MAPNR);
	if (version >= 6) {
		rc = dump_read(kd, bs, sub, sizeof(sub), "kdump_sub_header", err);
		if (rc)
			return rc;
		kd->max_mapnr = le64(sub + SUB_MAX_MAPNR_64);
	}
	/* Counts are 32-bit, block_size at most 2^20: these products fit 64 bits. */
	bitmap_off = (1 + (uint64_t)sub_blocks) * bs;
	half = (uint64_t)bm_blocks / 2 * bs;
	if (!kd->max_mapnr || kd->max_mapnr > half * 8)
		return vtd_fail(err, VTD_EFORMAT,
				"kdump: '%s': max_mapnr 0x%llx does not fit a bitmap of %u blocks "
				"(0x%llx pages)", kd->path, (unsigned long long)kd->max_mapnr,
				bm_blocks / 2, (unsigned long long)(half * 8));
	/*
	 * The bitmap is read whole: refuse one larger than the file before
	 * allocating, so a forged max_mapnr costs no memory.
	 */
	need = (kd->max_mapnr + 7) / 8;
	if (need > kd->fsize)
		return vtd_fail(err, VTD_EFORMAT,
				"kdump: '%s': max_mapnr 0x%llx needs a 0x%llx-byte bitmap, more "
				"than the file holds", kd->path, (unsigned long long)kd->max_mapnr,
				(unsigned long long)need);
	rc = load_bitmap(kd, bitmap_off + half, err);
	if (rc)
		return rc;
	kd->desc_off = bitmap_off + 2 * half;
	if (kd->ndesc > (kd->vsize - (kd->desc_off < kd->vsize ? kd->desc_off : kd->vsize)) /
			DESC_SIZE)
		return vtd_fail(err, VTD_EFORMAT,
				"kdump: '%s': the 2nd bitmap marks 0x%llx pages dumped, but their "
				"descriptors at 0x%llx run past the end of the dump (size 0x%llx)",
				kd->path, (unsigned long long)kd->ndesc,
				(unsigned long long)kd->desc_off, (unsigned long long)kd->vsize);
	kd->data_off = kd->desc_off + kd->ndesc * DESC_SIZE;
	/*
	 * Page data follows the descriptor table; a first descriptor pointing
	 * into the table means the bitmap counts more pages than were described.
	 */
	if (kd->ndesc) {
		rc = dump_read(kd, kd->desc_off, d0, sizeof(d0), "page descriptor 0", err);
		if (rc)
			return rc;
		if (le64(d0) < kd->data_off)
			return vtd_fail(err, VTD_EFORMAT,
					"kdump: '%s': page descriptor 0's data offset 0x%llx lies in "
					"the descriptor table (0x%llx descriptors per the 2nd "
					"bitmap, ending at 0x%llx): bitmap and descriptors disagree",
					kd->path, (unsigned long long)le64(d0),
					(unsigned long long)kd->ndesc,
					(unsigned long long)kd->data_off);
	}
	return 0;
}

static void kdump_close(struct vtd_mem *m)
{
	struct kdump *kd = m->priv;

	if (!kd)
		return;
	if (kd->fd >= 0)
		close(kd->fd);
	free(kd->flat.v);
	free(kd->bitmap);
	free(kd->prefix);
	free(kd->zbuf);
	free(kd->path);
	free(kd->vmcoreinfo);
	for (int i = 0; i < CACHE_PAGES; i++)
		free(kd->cache[i].data);
	free(kd);
}

/*
 * The sub-header's vmcoreinfo area (header_version 3 on), text at a dump
 * offset.  A missing or malformed one is no VMCOREINFO, not a bad dump:
 * the pages may still be fine, so nothing here fails the open.
 */
static void load_vmcoreinfo(struct kdump *kd)
{
	uint8_t sub[16];
	uint64_t off, size;
	char *s;

	if (kd->version < 3 || !kd->sub_blocks ||
	    dump_read(kd, (uint64_t)kd->block_size + SUB_OFFSET_VMCOREINFO, sub, sizeof(sub),
		      "kdump_sub_header", NULL))
		return;
	off = le64(sub);
	size = le64(sub + 8);
	if (!size || size > VTD_VMCOREINFO_MAX)
		return;
	s = malloc((size_t)size + 1);
	if (!s)
		return;
	if (dump_read(kd, off, s, (size_t)size, "vmcoreinfo", NULL)) {
		free(s);
		return;
	}
	s[size] = 0;
	kd->vmcoreinfo = s;
}

static const char *kdump_vmcoreinfo(struct vtd_mem *m)
{
	const struct kdump *kd = m->priv;

	return kd->vmcoreinfo;
}

static int kdump_open(struct vtd_mem *m, const char *arg, struct vtd_error *err)
{
	struct kdump *kd = calloc(1, sizeof(*kd));
	uint8_t fh[32];
	struct stat st;
	int rc;

	if (!kd)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	m->priv = kd;
	kd->fd = -1;
	if (!*arg)
		return vtd_fail(err, VTD_EFORMAT, "kdump: no file given (kdump:FILE)");
	kd->path = strdup(arg);
	if (!kd->path)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	kd->fd = open(arg, O_RDONLY | O_CLOEXEC);
	if (kd->fd < 0)
		return vtd__mem_sys_fail(err, "cannot open", arg);
	if (fstat(kd->fd, &st))
		return vtd__mem_sys_fail(err, "cannot stat", arg);
	if (!S_ISREG(st.st_mode))
		return vtd_fail(err, VTD_EIO, "kdump: '%s' is not a regular file", arg);
	kd->fsize = (uint64_t)st.st_size;
	kd->vsize = kd->fsize;
	if (kd->fsize >= sizeof(fh)) {
		rc = file_read(kd, 0, fh, sizeof(fh), err);
		if (rc)
			return rc;
		if (!memcmp(fh, "makedumpfile", 13)) {
			if (be64(fh + 16) != 1 || be64(fh + 24) != 1)
				return vtd_fail(err, VTD_EFORMAT,
						"kdump: '%s': flattened header type %llu version "
						"%llu, expected 1 and 1", arg,
						(unsigned long long)be64(fh + 16),
						(unsigned long long)be64(fh + 24));
			kd->flattened = 1;
			kd->vsize = 0;
			rc = index_flat(kd, err);
			if (rc)
				return rc;
		}
	}
	rc = parse_header(kd, err);
	if (rc)
		return rc;
	kd->zbuf = malloc(kd->block_size);
	if (!kd->zbuf)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	for (int i = 0; i < CACHE_PAGES; i++) {
		kd->cache[i].data = malloc(kd->block_size);
		if (!kd->cache[i].data)
			return vtd_fail(err, VTD_ENOMEM, "out of memory");
	}
	load_vmcoreinfo(kd);
	return 0;
}

static int page_fail(struct kdump *kd, uint64_t pfn, struct vtd_error *err, const char *why)
{
	if (err) {
		err->has_addr = 1;
		err->addr = pfn * kd->block_size;
	}
	return vtd_fail(err, VTD_EFORMAT, "kdump: '%s': pfn 0x%llx: %s", kd->path,
			(unsigned long long)pfn, why);
}

/* Decompress (or copy) page 'pfn' into 'out', block_size bytes. */
static int load_page(struct kdump *kd, uint64_t pfn, uint8_t *out, struct vtd_error *err)
{
	uint64_t word = pfn / 64, idx, off;
	uint8_t d[DESC_SIZE];
	uint32_t size, flags, bs = kd->block_size;
	int rc;

	if (pfn >= kd->max_mapnr || !(kd->bitmap[word] >> (pfn % 64) & 1)) {
		if (err) {
			err->has_addr = 1;
			err->addr = pfn * bs;
		}
		return vtd_fail(err, VTD_EUNMAPPED,
				"physical address 0x%llx (pfn 0x%llx) is %s", (unsigned long long)(pfn * bs),
				(unsigned long long)pfn, pfn >= kd->max_mapnr
				? "beyond the dump's max_mapnr" : "excluded from the dump");
	}
	idx = kd->prefix[word / CHUNK_WORDS];
	for (uint64_t w = word - word % CHUNK_WORDS; w < word; w++)
		idx += (uint64_t)__builtin_popcountll(kd->bitmap[w]);
	idx += (uint64_t)__builtin_popcountll(kd->bitmap[word] &
					      ((UINT64_C(1) << (pfn % 64)) - 1));
	/* idx < ndesc, whose table was checked to fit the dump at open. */
	rc = dump_read(kd, kd->desc_off + idx * DESC_SIZE, d, sizeof(d), "page descriptor", err);
	if (rc)
		return rc;
	off = le64(d);
	size = le32(d + 8);
	flags = le32(d + 12);
	if (!size || size > bs)
		return page_fail(kd, pfn, err, size ? "descriptor size exceeds block_size"
						    : "descriptor size is 0");
	if (off < kd->data_off || off > kd->vsize || size > kd->vsize - off) {
		char why[192];

		snprintf(why, sizeof(why), "descriptor offset 0x%llx size 0x%x is outside the "
			 "page data (0x%llx-0x%llx)%s", (unsigned long long)off, size,
			 (unsigned long long)kd->data_off, (unsigned long long)kd->vsize,
			 off >= kd->data_off ? ": truncated dump?" : "");
		return page_fail(kd, pfn, err, why);
	}
	rc = dump_read(kd, off, flags ? kd->zbuf : out, size, "page data", err);
	if (rc)
		return rc;
	switch (flags) {
	case 0:
		if (size != bs)
			return page_fail(kd, pfn, err, "uncompressed page is not block_size bytes");
		return 0;
	case FLAG_ZLIB: {
		uLongf n = bs;

		if (uncompress(out, &n, kd->zbuf, size) != Z_OK || n != bs)
			return page_fail(kd, pfn, err, "zlib data does not decompress to a page");
		return 0;
	}
	case FLAG_LZO: {
		lzo_uint n = bs;

		if (lzo1x_decompress_safe(kd->zbuf, size, out, &n, NULL) != LZO_E_OK || n != bs)
			return page_fail(kd, pfn, err, "lzo data does not decompress to a page");
		return 0;
	}
	case FLAG_SNAPPY: {
		size_t n = 0;

		if (snappy_uncompressed_length((const char *)kd->zbuf, size, &n) != SNAPPY_OK ||
		    n != bs)
			return page_fail(kd, pfn, err, "snappy data does not decompress to a page");
		if (snappy_uncompress((const char *)kd->zbuf, size, (char *)out, &n) != SNAPPY_OK ||
		    n != bs)
			return page_fail(kd, pfn, err, "snappy data does not decompress to a page");
		return 0;
	}
	case FLAG_ZSTD: {
		size_t n = ZSTD_decompress(out, bs, kd->zbuf, size);

		if (ZSTD_isError(n) || n != bs)
			return page_fail(kd, pfn, err, "zstd data does not decompress to a page");
		return 0;
	}
	default: {
		char why[64];

		snprintf(why, sizeof(why), "descriptor flags 0x%x name no known compression",
			 flags);
		return page_fail(kd, pfn, err, why);
	}
	}
}

static int get_page(struct kdump *kd, uint64_t pfn, const uint8_t **page,
		    struct vtd_error *err)
{
	struct kpage *p;
	int rc;

	for (int i = 0; i < CACHE_PAGES; i++)
		if (kd->cache[i].valid && kd->cache[i].pfn == pfn) {
			*page = kd->cache[i].data;
			return 0;
		}
	p = &kd->cache[kd->next_victim];
	kd->next_victim = (kd->next_victim + 1) % CACHE_PAGES;
	/* A failed load leaves a half-written buffer: never cache it. */
	p->valid = 0;
	rc = load_page(kd, pfn, p->data, err);
	if (rc)
		return rc;
	p->pfn = pfn;
	p->valid = 1;
	*page = p->data;
	return 0;
}

static int kdump_read(struct vtd_mem *m, uint64_t pa, void *buf, size_t len,
		      struct vtd_error *err)
{
	struct kdump *kd = m->priv;
	uint8_t *p = buf;

	while (len) {
		uint64_t in = pa % kd->block_size, take = kd->block_size - in;
		const uint8_t *page;
		int rc = get_page(kd, pa / kd->block_size, &page, err);

		if (rc)
			return rc;
		if (take > len)
			take = len;
		memcpy(p, page + in, (size_t)take);
		p += take;
		pa += take;
		len -= (size_t)take;
	}
	return 0;
}

/*
 * The first pfn at or above 'pfn' whose 2nd-bitmap bit is 'set' (1: dumped,
 * 0: excluded), or max_mapnr.  Word by word: a 64 GiB dump's bitmap is
 * 256 Ki words, and runs of dumped pages are long.
 */
static uint64_t bitmap_scan(const struct kdump *kd, uint64_t pfn, int set)
{
	uint64_t nwords = (kd->max_mapnr + 63) / 64, i = pfn / 64, w;

	if (pfn >= kd->max_mapnr)
		return kd->max_mapnr;
	/* Bits past max_mapnr are clear (load_bitmap): a scan for 0 stops there. */
	w = (set ? kd->bitmap[i] : ~kd->bitmap[i]) & (~UINT64_C(0) << (pfn % 64));
	while (!w) {
		if (++i == nwords)
			return kd->max_mapnr;
		w = set ? kd->bitmap[i] : ~kd->bitmap[i];
	}
	pfn = i * 64 + (uint64_t)__builtin_ctzll(w);
	return pfn < kd->max_mapnr ? pfn : kd->max_mapnr;
}

/* Runs of dumped pages; an excluded page is a hole, as reads see it. */
static int kdump_next(struct vtd_mem *m, uint64_t from, uint64_t *base, uint64_t *size)
{
	const struct kdump *kd = m->priv;
	uint64_t bs = kd->block_size, top = UINT64_MAX / bs;	/* last pfn with an address */
	uint64_t first, end, last;

	if (from / bs > top)
		return 0;
	first = bitmap_scan(kd, from / bs, 1);
	if (first >= kd->max_mapnr || first > top)
		return 0;
	end = bitmap_scan(kd, first, 0);
	/* end * bs wraps to 0 only at the top of the address space: last is then all ones. */
	last = (end > top ? top + 1 : end) * bs - 1;
	*base = first * bs > from ? first * bs : from;
	*size = last - *base + 1;
	/* A run from 0 to the top would be 2^64 bytes: stop one page short. */
	if (!*size) {
		last -= bs;
		*size = last + 1;
	}
	return 1;
}

const struct vtd_mem_ops vtd__mem_kdump = {
	.name = "kdump",
	.help = "FILE: a makedumpfile kdump-compressed dump, plain or flattened (QEMU "
		"dump-guest-memory kdump-*), by physical address",
	.open = kdump_open,
	.read = kdump_read,
	.close = kdump_close,
	.next = kdump_next,
	.vmcoreinfo = kdump_vmcoreinfo,
};
