/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests of traces parsed in threads (vtd_trace_opts.threads): every
 * event, its line, number and texts, and the counts and bad lines after
 * each event, must be those of the same trace read without threads.  The
 * inputs are several blocks long and dense in what a cut between blocks
 * must respect: two-line dmesg faults, QEMU descriptors and their detail
 * lines, lines two readers claim, long and giant lines, CRLF, NULs, runs
 * of first halves longer than a cut may move back; by content and with a
 * fixed reader; plain, gzip, and gzip cut short.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "tap.h"
#include "trace-same.h"

#define DATA "tests/data/traces/"

struct buf {
	char *p;
	size_t n, cap;
};

static void put(struct buf *b, const void *s, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2;
		if (!(b->p = realloc(b->p, b->cap)))
			abort();
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* A file, gunzipped when it is gzip. */
static int slurp(const char *path, struct buf *b)
{
	gzFile f = gzopen(path, "rb");
	char tmp[65536];
	int n;

	if (!f)
		return -1;
	while ((n = gzread(f, tmp, sizeof(tmp))) > 0)
		put(b, tmp, (size_t)n);
	gzclose(f);
	return n < 0 ? -1 : 0;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static void check(const char *name, const struct buf *b, const char *format, unsigned keep,
		  unsigned threads, uint64_t min_events)
{
	char why[600] = "";
	uint64_t events, bad;
	int same = trace_same(b->p, b->n, format, keep, threads, &events, &bad, why, sizeof(why));

	ok(same && events >= min_events, "%s, %u threads: %llu events, %llu bad lines, the same "
	   "as without threads %s", name, threads, (unsigned long long)events,
	   (unsigned long long)bad, why);
}

/* ---- inputs ----------------------------------------------------------------------- */

static const char *const pieces[] = {
	/* the old two-line fault, whole and in halves */
	"[  1.000000] DMAR:[DMA Read] Request device [00:03.0] fault addr 1000 \n",
	"[  1.000001] DMAR:[fault reason 06] PTE Read access is not set\n",
	"[    2.5] DMAR: [DMA Write NO_PASID] Request device [00:04.0] fault addr 0x2000 "
	"[fault reason 0x05] PTE Write access is not set\n",
	"DMAR: DRHD: handling fault status reg 2\n",
	"[    3.000000] usb 1-1: new high-speed USB device\n",
	"random words nobody claims\n",
	"",
	/* ftrace */
	"            init-1       [000] .....     1.987454: map: IOMMU: iova=0x00000000fffff000 "
	"- 0x0000000100000000 paddr=0x0000000001234000 size=4096\n",
	"            init-1       [000] .....     1.987460: unmap: IOMMU: iova=0x00000000fffff000 "
	"- 0x0000000100000000 size=4096 unmapped_size=4096\n",
	"          <idle>-0       [000] d..3.     2.028000: qi_submit: iotlb_inv dmar0: 0xd2 0x0 "
	"0x0 0x0\n",
	/* claimed by two readers: dmesg for " kernel: ", ftrace for the event */
	"            bash-1       [000] .....     3.000000: map: IOMMU: kernel: iova=0x1000\n",
	"            bash-1       [000] .....     3.000001: print: kernel: hello\n",
	/* QEMU: a descriptor, its detail line, a detail line alone */
	"vtd_inv_desc invalidate desc type iotlb high 0x0 low 0x12\n",
	"vtd_inv_desc_iotlb_domain iotlb invalidate whole domain 0x1\n",
	"vtd_inv_desc_iotlb_global iotlb invalidate global\n",
	/* JSONL, with a text of its own */
	"{\"kind\":\"dma-fault\",\"ts\":1.5,\"sid\":\"00:03.0\",\"addr\":\"0x1000\",\"reason\":6,"
	"\"text\":\"a wording of ours\"}\n",
	"{\"kind\":\"inv\",\"line\":\"the line it came from\"}\n",
	/* bad and odd */
	"[  4.000000] DMAR:[fault reason 06] PTE Read access is not set\n",
	"            init-1       [000] .....     5.000000: map: IOMMU: iova=zz\n",
	"[  6.000000] DMAR: [DMA Read] Request device [00:03.0] fault addr 1000\r\n",
	"bin\001ary\n",
};
#define NPIECES (sizeof(pieces) / sizeof(pieces[0]))

/* Lines of every kind in a random order, with long lines and runs of first halves. */
static void mixed(struct buf *b, size_t size, int runs)
{
	static char longl[70000], giant[1300000];

	memset(longl, 'x', sizeof(longl) - 1);
	memset(giant, 'y', sizeof(giant) - 1);
	while (b->n < size) {
		unsigned k = rnd(1000);

		if (k == 0) {
			puts_(b, longl);
			puts_(b, "\n");
		} else if (k == 1 && !rnd(20)) {
			puts_(b, giant);
			puts_(b, "\n");
		} else if (k < 4 && runs) {
			unsigned n = 10 + rnd(40);

			while (n--)
				puts_(b, pieces[0]);
		} else if (k == 4) {
			put(b, "nul\0line\n", 9);
		} else {
			puts_(b, pieces[rnd(NPIECES)]);
		}
	}
}

/*
 * dmesg, ftrace, and lines both claim: which reader claims those depends on
 * the reader of the line before, and many blocks start with one.
 */
static void ambiguous(struct buf *b, size_t size)
{
	while (b->n < size) {
		unsigned k = rnd(10);

		puts_(b, pieces[k == 0 ? 4 : k == 1 ? 7 : 10]);
	}
}

/* Every other line the first half of a two-line fault: no cut is ever clean. */
static void halves(struct buf *b, size_t size)
{
	while (b->n < size) {
		puts_(b, pieces[0]);
		puts_(b, rnd(2) ? pieces[1] : pieces[0]);
	}
}

static void gzip_of(const struct buf *in, struct buf *out)
{
	z_stream z = { 0 };
	char tmp[65536];
	int rc;

	if (deflateInit2(&z, 1, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	z.next_in = (unsigned char *)in->p;
	z.avail_in = (unsigned)in->n;
	do {
		z.next_out = (unsigned char *)tmp;
		z.avail_out = sizeof(tmp);
		rc = deflate(&z, Z_FINISH);
		put(out, tmp, sizeof(tmp) - z.avail_out);
	} while (rc == Z_OK);
	deflateEnd(&z);
}

int main(void)
{
	static const char *const real[] = {
		DATA "legacy-strict.dmesg.txt", DATA "legacy-strict.ftrace.txt.gz",
		DATA "legacy-strict.qemu-trace.log.gz", DATA "scalable-lazy.dmesg.txt.gz",
	};
	struct buf r = { 0 }, m = { 0 }, a = { 0 }, h = { 0 }, z = { 0 }, one = { 0 };
	unsigned i;

	/* The real traces, together and repeated: the bench's mix, and QEMU's. */
	for (i = 0; i < sizeof(real) / sizeof(real[0]); i++)
		if (slurp(real[i], &one))
			ok(0, "read %s", real[i]);
	while (r.n < (6u << 20))
		put(&r, one.p, one.n);
	check("the real traces repeated to 6 MiB", &r, NULL, 16, 2, 40000);
	check("the real traces repeated to 6 MiB", &r, NULL, 16, 3, 40000);
	check("the real traces, as dmesg only", &r, "dmesg", 16, 2, 100);

	mixed(&m, 8u << 20, 1);
	check("8 MiB of mixed lines", &m, NULL, 4096, 2, 15000);
	check("8 MiB of mixed lines", &m, NULL, 4096, 4, 15000);
	check("8 MiB of mixed lines, 3 bad lines kept", &m, NULL, 3, 2, 15000);
	check("8 MiB of mixed lines, as dmesg", &m, "dmesg", 64, 2, 4000);
	check("8 MiB of mixed lines, as qemu", &m, "qemu", 64, 2, 5000);
	check("8 MiB of mixed lines, as jsonl", &m, "jsonl", 64, 2, 4000);

	ambiguous(&a, 12u << 20);
	check("12 MiB of dmesg, ftrace and lines both claim", &a, NULL, 64, 2, 10000);

	halves(&h, 3u << 20);
	check("3 MiB of two-line faults and orphaned halves", &h, NULL, 64, 2, 10000);

	gzip_of(&m, &z);
	check("the mixed lines gzipped", &z, NULL, 64, 2, 15000);
	z.n = z.n * 2 / 3;
	z.p[z.n - 100] ^= 0x55;
	check("the mixed lines gzipped, corrupt and cut short", &z, NULL, 64, 2, 10000);

	/* gzip cut short inside a last line that is too long already */
	z.n = 0;
	{
		static char tail[200000];

		memset(tail, 'z', sizeof(tail));
		put(&h, tail, sizeof(tail));
	}
	gzip_of(&h, &z);
	z.n -= 12;
	check("gzip cut short inside a long last line", &z, NULL, 64, 2, 10000);

	free(r.p);
	free(m.p);
	free(a.p);
	free(h.p);
	free(z.p);
	free(one.p);
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}
