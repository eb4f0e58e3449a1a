/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests of the trace readers: the real traces of tests/data/traces
 * (counted against grep), the provoked faults, trace.dat against ftrace
 * text, every dmesg era and ftrace format by hand, compressed input,
 * bad lines, foreign files, and the JSONL round trip.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "fault.h"
#include "tap.h"
#include "trace.h"

#define DATA "tests/data/traces/"

static char dir[] = "/tmp/vtd-t-trace.XXXXXX";

/*
 * libtracecmd 1.3 leaks a few bytes of an sscanf("%ms") per file it opens
 * (reproduced with tracecmd_open() and tracecmd_close() alone); its frames
 * have no frame pointers, so the report ends in vsscanf.  Not ours.
 */
__attribute__((visibility("default"))) const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libtracecmd.so\nleak:libtraceevent.so\nleak:__isoc99_vsscanf\n";
}

/* ---- collecting events ---------------------------------------------------------- */

struct evs {
	struct vtd_event *v;
	size_t n, cap;
	struct vtd_trace_stats st;
	char formats[64];
	int rc;			/* open or the last next */
	struct vtd_error err;
	struct vtd_trace_bad bad[32];
};

static void evs_free(struct evs *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free((char *)e->v[i].line);
		free((char *)e->v[i].text);
	}
	free(e->v);
	memset(e, 0, sizeof(*e));
}

static void evs_add(struct evs *e, const struct vtd_event *ev)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 256;
		e->v = realloc(e->v, e->cap * sizeof(*e->v));
	}
	e->v[e->n] = *ev;
	e->v[e->n].line = ev->line ? strdup(ev->line) : NULL;
	e->v[e->n].text = ev->text ? strdup(ev->text) : NULL;
	e->n++;
}

static void drain(struct vtd_trace *t, struct evs *e)
{
	struct vtd_event ev;

	while ((e->rc = vtd_trace_next(t, &ev, &e->err)) > 0)
		evs_add(e, &ev);
	vtd_trace_stats(t, &e->st);
	snprintf(e->formats, sizeof(e->formats), "%s", e->st.formats ? e->st.formats : "");
	for (unsigned i = 0; i < e->st.nfirst_bad && i < 32; i++)
		e->bad[i] = e->st.first_bad[i];
	vtd_trace_close(t);
}

static int load(const char *path, const char *fmt, struct evs *e)
{
	struct vtd_trace_opts o = { fmt, 32 };
	struct vtd_trace *t;

	memset(e, 0, sizeof(*e));
	e->rc = vtd_trace_open(path, &o, &t, &e->err);
	if (e->rc)
		return e->rc;
	drain(t, e);
	return e->rc;
}

static int load_mem(const void *buf, size_t len, const char *fmt, struct evs *e)
{
	struct vtd_trace_opts o = { fmt, 32 };
	struct vtd_trace *t;

	memset(e, 0, sizeof(*e));
	e->rc = vtd_trace_open_mem(buf, len, "mem", &o, &t, &e->err);
	if (e->rc)
		return e->rc;
	drain(t, e);
	return e->rc;
}

static size_t count(const struct evs *e, int kind)
{
	size_t n = 0;

	for (size_t i = 0; i < e->n; i++)
		n += e->v[i].kind == kind;
	return n;
}

static int str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Every member of the event model, text included; where it came from is not compared. */
static int same_event(const struct vtd_event *a, const struct vtd_event *b)
{
	return vtd_event_same(a, b) && str_eq(a->text, b->text);
}

/* Index of the first difference, or -1 when both sequences are the same. */
static long first_diff(const struct evs *a, const struct evs *b)
{
	size_t i;

	for (i = 0; i < a->n && i < b->n; i++)
		if (!same_event(&a->v[i], &b->v[i]))
			return (long)i;
	return a->n == b->n ? -1 : (long)i;
}

static void show(const char *what, const struct vtd_event *ev)
{
	char buf[VTD_EVENT_JSONL_MAX];

	if (vtd_event_jsonl(ev, 0, buf, sizeof(buf)) > 0)
		printf("#   %s: %s\n", what, buf);
}

/* ---- files -------------------------------------------------------------------- */

static void *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b = NULL;
	size_t n = 0, cap = 0, k;

	if (!f)
		return NULL;
	do {
		if (cap - n < 65536)
			b = realloc(b, cap = cap * 2 + 65536);
		k = fread(b + n, 1, cap - n, f);
		n += k;
	} while (k);
	fclose(f);
	*len = n;
	return b;
}

static void spit(const char *path, const void *b, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (f) {
		fwrite(b, 1, n, f);
		fclose(f);
	}
}

static void *gz(const void *in, size_t n, size_t *out_n)
{
	z_stream z;
	size_t cap = compressBound((uLong)n) + 64;
	uint8_t *out = malloc(cap);

	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);	/* gzip */
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	deflate(&z, Z_FINISH);
	*out_n = z.total_out;
	deflateEnd(&z);
	return out;
}

static void *zst(const void *in, size_t n, size_t *out_n)
{
	size_t cap = ZSTD_compressBound(n);
	void *out = malloc(cap);

	*out_n = ZSTD_compress(out, cap, in, n, 3);
	return out;
}

static void *gunzip_file(const char *path, size_t *n)
{
	gzFile g = gzopen(path, "rb");
	size_t cap = 0;
	char *b = NULL;
	int k;

	*n = 0;
	if (!g)
		return NULL;
	do {
		if (cap - *n < 65536)
			b = realloc(b, cap = cap * 2 + 65536);
		k = gzread(g, b + *n, (unsigned)(cap - *n));
		if (k > 0)
			*n += (size_t)k;
	} while (k > 0);
	gzclose(g);
	return b;
}

/* ---- the real traces ----------------------------------------------------------------- */

struct want {
	const char *file;
	size_t n[VTD_EV_KIND_N];
	const char *formats;
};

/*
 * The counts are what grep says of the uncompressed files:
 *   map       grep -c ' map: IOMMU:'          unmap grep -c ' unmap: IOMMU:'
 *   inv       grep -c ' qi_submit: '          attach grep -cE ' (attach_device_to_domain|add_device_to_group): '
 *   dmesg     dma-fault grep -c 'Request device \['   config grep -cE 'DRHD: handling fault status reg|: reg_base_addr '
 *   qemu      dma-fault grep -c ':vtd_dmar_fault '   inv grep -c ':vtd_inv_desc '
 *             fault-rec grep -c ':vtd_frr_new '
 *             config grep -cE ':vtd_(dmar_enable|ir_enable|inv_qi_enable|fsts_ppf|inv_qi_setup|
 *                    reg_dmar_root|reg_ir_root|context_cache_reset|iotlb_reset|switch_address_space) '
 * (the vtd_inv_desc_* detail lines each follow their vtd_inv_desc and add no event).
 */
static const struct want real[] = {
	{ DATA "legacy-strict.dmesg.txt", { [VTD_EV_DMA_FAULT] = 2, [VTD_EV_CONFIG] = 3 }, "dmesg" },
	{ DATA "scalable-lazy.dmesg.txt.gz", { [VTD_EV_DMA_FAULT] = 2, [VTD_EV_CONFIG] = 3 }, "dmesg" },
	{ DATA "legacy-strict.ftrace.txt.gz",
	  { [VTD_EV_MAP] = 865, [VTD_EV_UNMAP] = 247, [VTD_EV_INV] = 299, [VTD_EV_ATTACH] = 16 },
	  "ftrace" },
	{ DATA "scalable-lazy.ftrace.txt.zst",
	  { [VTD_EV_MAP] = 811, [VTD_EV_UNMAP] = 183, [VTD_EV_INV] = 91, [VTD_EV_ATTACH] = 16 },
	  "ftrace" },
	{ DATA "legacy-strict.trace.dat.gz",
	  { [VTD_EV_MAP] = 865, [VTD_EV_UNMAP] = 247, [VTD_EV_INV] = 299, [VTD_EV_ATTACH] = 16 },
	  "trace-cmd" },
	{ DATA "legacy-strict.qemu-trace.log.gz",
	  { [VTD_EV_DMA_FAULT] = 128, [VTD_EV_INV] = 696, [VTD_EV_FAULT_REC] = 2,
	    [VTD_EV_CONFIG] = 54 }, "qemu" },
	{ DATA "scalable-lazy.qemu-trace.log.zst",
	  { [VTD_EV_DMA_FAULT] = 128, [VTD_EV_INV] = 187, [VTD_EV_FAULT_REC] = 2,
	    [VTD_EV_CONFIG] = 54 }, "qemu" },
};

static void test_real_counts(void)
{
	for (size_t f = 0; f < VTD_NELEM(real); f++) {
		struct evs e;
		size_t total = 0;

		load(real[f].file, NULL, &e);
		ok(e.rc == 0, "%s: read to the end (%d %s)", real[f].file, e.rc, e.err.msg);
		for (int k = 1; k < VTD_EV_KIND_N; k++) {
			total += real[f].n[k];
			if (count(&e, k) != real[f].n[k] || real[f].n[k])
				is_u64(count(&e, k), real[f].n[k], "%s: %s events", real[f].file,
				       vtd_ev_kind_name(k));
		}
		is_u64(e.n, total, "%s: no events of other kinds", real[f].file);
		is_u64(e.st.bad, 0, "%s: no bad lines", real[f].file);
		is_u64(e.st.events, e.n, "%s: stats count the events", real[f].file);
		is_str(e.formats, real[f].formats, "%s: format", real[f].file);
		{
			size_t nl = 0;

			for (size_t i = 0; i < e.n; i++)
				nl += e.v[i].line && e.v[i].lineno;
			is_u64(nl, e.n, "%s: every event has its line and line number", real[f].file);
		}
		is_u64(e.st.lines, e.st.events + e.st.bad + e.st.skipped,
		       "%s: lines = events + bad + skipped", real[f].file);
		evs_free(&e);
	}
}

/* faults.txt: "FAULT dir=write iova=0x12340000 count=256 bdf=0000:00:03.0 uptime=12.24" */
struct provoked {
	uint64_t iova;
	int write;
	uint16_t sid;
};

static int read_faults(const char *path, struct provoked *p, int max)
{
	FILE *f = fopen(path, "r");
	char l[256], dirw[16];
	unsigned long long iova;
	unsigned seg, bus, dev, fn;
	int n = 0;

	if (!f)
		return 0;
	while (fgets(l, sizeof(l), f) && n < max)
		if (sscanf(l, "FAULT dir=%15s iova=%llx count=%*u bdf=%x:%x:%x.%x", dirw, &iova,
			   &seg, &bus, &dev, &fn) == 6) {
			p[n].iova = iova;
			p[n].write = !strcmp(dirw, "write");
			p[n].sid = (uint16_t)(bus << 8 | dev << 3 | fn);
			n++;
		}
	fclose(f);
	return n;
}

static void check_fault(const char *what, const struct vtd_event *ev, const struct provoked *p)
{
	/* edu writing to RAM without write permission: 0x05, reading without read: 0x06 */
	unsigned reason = p->write ? 0x05 : 0x06;

	is_u64(ev->sid, p->sid, "%s: sid", what);
	is_u64(ev->addr, p->iova, "%s: address", what);
	is_u64(ev->reason, reason, "%s: reason", what);
	is_u64(ev->access, p->write ? VTD_EVA_WRITE : VTD_EVA_READ, "%s: access", what);
	ok((ev->has & (VTD_EVH_SID | VTD_EVH_ADDR | VTD_EVH_REASON)) ==
	   (VTD_EVH_SID | VTD_EVH_ADDR | VTD_EVH_REASON), "%s: has sid, address, reason", what);
}

static void test_provoked_faults(void)
{
	static const char *const sc[] = { "legacy-strict", "scalable-lazy" };
	static const char *const dm[] = { DATA "legacy-strict.dmesg.txt",
					  DATA "scalable-lazy.dmesg.txt.gz" };
	static const char *const qe[] = { DATA "legacy-strict.qemu-trace.log.gz",
					  DATA "scalable-lazy.qemu-trace.log.zst" };

	for (int s = 0; s < 2; s++) {
		struct provoked p[2];
		char path[128], what[128];
		struct evs e;
		size_t i;
		int k, n;

		snprintf(path, sizeof(path), DATA "%s.faults.txt", sc[s]);
		n = read_faults(path, p, 2);
		is_u64(n, 2, "%s: two provoked faults", sc[s]);
		if (n != 2)
			continue;
		load(dm[s], NULL, &e);
		for (i = 0, k = 0; i < e.n; i++) {
			if (e.v[i].kind != VTD_EV_DMA_FAULT || k >= 2)
				continue;
			snprintf(what, sizeof(what), "%s dmesg fault %d", sc[s], k);
			check_fault(what, &e.v[i], &p[k]);
			is_str(e.v[i].text, vtd_fault_linux_text(e.v[i].reason),
			       "%s: Linux's wording", what);
			/* scalable mode prints "PASID 0x0", legacy "NO_PASID" */
			is_u64(!!(e.v[i].has & VTD_EVH_PASID), s == 1, "%s: PASID or none", what);
			k++;
		}
		is_u64(k, 2, "%s: dmesg has both faults", sc[s]);
		evs_free(&e);

		/* QEMU: every faulting request; the first at each address is the one */
		load(qe[s], NULL, &e);
		for (k = 0; k < 2; k++) {
			for (i = 0; i < e.n; i++)
				if (e.v[i].kind == VTD_EV_DMA_FAULT && e.v[i].addr == p[k].iova)
					break;
			snprintf(what, sizeof(what), "%s QEMU fault %d", sc[s], k);
			if (ok(i < e.n, "%s: found", what))
				check_fault(what, &e.v[i], &p[k]);
			for (i = 0; i < e.n; i++)
				if (e.v[i].kind == VTD_EV_FAULT_REC && e.v[i].addr == p[k].iova)
					break;
			snprintf(what, sizeof(what), "%s QEMU fault record %d", sc[s], k);
			if (ok(i < e.n, "%s: found", what))
				check_fault(what, &e.v[i], &p[k]);
		}
		evs_free(&e);
	}
}

static void test_trace_dat(void)
{
	struct evs txt, dat, plain;
	char path[256];
	size_t n;
	void *b;
	long d;

	load(DATA "legacy-strict.ftrace.txt.gz", NULL, &txt);
	/* compressed: copied to a temporary file for libtracecmd */
	load(DATA "legacy-strict.trace.dat.gz", NULL, &dat);
	is_u64(dat.n, 1427, "trace.dat: 1427 events (its own stats line says so)");
	d = first_diff(&txt, &dat);
	if (!ok(d < 0, "trace.dat and ftrace.txt give the same event sequence") &&
	    (size_t)d < txt.n && (size_t)d < dat.n) {
		printf("#   first difference at event %ld\n", d);
		show("ftrace", &txt.v[d]);
		show("trace.dat", &dat.v[d]);
	}
	is_str(dat.v ? dat.v[0].format : NULL, "trace-cmd", "trace.dat events say where they came from");
	/* plain: opened by libtracecmd itself */
	b = gunzip_file(DATA "legacy-strict.trace.dat.gz", &n);
	snprintf(path, sizeof(path), "%s/trace.dat", dir);
	spit(path, b, n);
	free(b);
	load(path, NULL, &plain);
	ok(plain.rc == 0 && first_diff(&dat, &plain) < 0, "plain trace.dat reads the same");
	evs_free(&plain);
	/* a trace.dat is no text of a forced text format */
	load(path, "dmesg", &plain);
	is_u64(plain.rc, -VTD_EFORMAT, "trace.dat read as dmesg: format error");
	evs_free(&plain);
	/*
	 * A cut trace.dat: an error, not a crash.  libtracecmd 1.3 faults when
	 * a handle whose data set-up failed is closed, so the reader leaves
	 * that handle alone (trace-cmd.c); the check runs in a child that ends
	 * with _exit(), so that the leak checker does not count that on purpose
	 * leak, and a crash is a failed check rather than the end of the test.
	 */
	b = slurp(path, &n);
	snprintf(path, sizeof(path), "%s/cut.dat", dir);
	spit(path, b, n / 3);
	free(b);
	fflush(stdout);
	{
		pid_t pid = fork();
		int status = -1;

		if (pid == 0) {
			load(path, NULL, &plain);
			_exit(plain.rc == -VTD_EFORMAT && strstr(plain.err.msg, "cut.dat") ? 0 : 1);
		}
		if (pid > 0)
			waitpid(pid, &status, 0);
		ok(pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
		   "a cut trace.dat is a format error naming the file, not a crash (status %d)",
		   status);
	}
	evs_free(&txt);
	evs_free(&dat);
}

/* ---- hand-made lines: every era ---------------------------------------------------- */

struct line_case {
	const char *what, *line;
	int kind;
	uint16_t sid, reason;
	uint64_t addr;		/* or the IR index */
	uint8_t access;
	int64_t pasid;		/* -1: none */
	uint64_t ts_ns;		/* 0: none */
};

#define FR_READ "PTE Read access is not set"

static const struct line_case dmesg_cases[] = {
	{ "4.x", "DMAR: [DMA Read] Request device [00:02.0] fault addr 7f0000 [fault reason 06] "
	  FR_READ, VTD_EV_DMA_FAULT, 0x10, 0x06, 0x7f0000, VTD_EVA_READ, -1, 0 },
	{ "4.x decimal reason 12", "DMAR: [DMA Write] Request device [3c:00.0] fault addr 3ff6e000 "
	  "[fault reason 12] non-zero reserved fields in PTE", VTD_EV_DMA_FAULT, 0x3c00, 0x0c,
	  0x3ff6e000, VTD_EVA_WRITE, -1, 0 },
	{ "4.x IR", "DMAR: [INTR-REMAP] Request device [00:1f.0] fault index 14 [fault reason 34] "
	  "Present field in the IRTE entry is clear", VTD_EV_IR_FAULT, 0xf8, 0x22, 0x14, 0, -1, 0 },
	{ "5.1-5.13 no PASID", "DMAR: [DMA Write] Request device [00:02.0] PASID ffffffff fault addr "
	  "7f001000 [fault reason 113] SM: Present bit in first-level paging entry is clear",
	  VTD_EV_DMA_FAULT, 0x10, 0x71, 0x7f001000, VTD_EVA_WRITE, -1, 0 },
	{ "5.1-5.13 PASID", "DMAR: [DMA Read] Request device [00:02.0] PASID 2 fault addr 7f001000 "
	  "[fault reason 113] SM: Present bit in first-level paging entry is clear",
	  VTD_EV_DMA_FAULT, 0x10, 0x71, 0x7f001000, VTD_EVA_READ, 2, 0 },
	{ "5.14", "DMAR: [DMA Read NO_PASID] Request device [0x00:0x02.0] fault addr 0x7f0000 "
	  "[fault reason 0x06] " FR_READ, VTD_EV_DMA_FAULT, 0x10, 0x06, 0x7f0000, VTD_EVA_READ, -1, 0 },
	{ "5.14 IR", "DMAR: [INTR-REMAP] Request device [0x00:0x1f.0] fault index 0x14 "
	  "[fault reason 0x22] Present field in the IRTE entry is clear", VTD_EV_IR_FAULT, 0xf8,
	  0x22, 0x14, 0, -1, 0 },
	{ ">=5.15", "[   12.346966] DMAR: [DMA Write NO_PASID] Request device [00:03.0] fault addr "
	  "0x12340000 [fault reason 0x05] PTE Write access is not set", VTD_EV_DMA_FAULT, 0x18, 0x05,
	  0x12340000, VTD_EVA_WRITE, -1, 12346966000 },
	{ ">=5.15 PASID", "DMAR: [DMA Write PASID 0x2] Request device [00:02.0] fault addr 0x7f001000 "
	  "[fault reason 0x71] SM: Present bit in first-level paging entry is clear",
	  VTD_EV_DMA_FAULT, 0x10, 0x71, 0x7f001000, VTD_EVA_WRITE, 2, 0 },
	{ ">=5.15 IR", "DMAR: [INTR-REMAP] Request device [00:1f.0] fault index 0x14 [fault reason "
	  "0x22] Present field in the IRTE entry is clear", VTD_EV_IR_FAULT, 0xf8, 0x22, 0x14, 0,
	  -1, 0 },
	{ "Unknown reason", "DMAR: [DMA Read NO_PASID] Request device [00:02.0] fault addr 0x1000 "
	  "[fault reason 0x91] Unknown", VTD_EV_DMA_FAULT, 0x10, 0x91, 0x1000, VTD_EVA_READ, -1, 0 },
	{ "journalctl -k", "Nov 21 10:00:00 host kernel: DMAR: [DMA Read NO_PASID] Request device "
	  "[01:00.0] fault addr 0xff0f0000 [fault reason 0x06] " FR_READ, VTD_EV_DMA_FAULT, 0x100,
	  0x06, 0xff0f0000, VTD_EVA_READ, -1, 0 },
	{ "kern.log", "Nov 21 10:00:00 host kernel: [    1.500000] DMAR: [DMA Read NO_PASID] Request "
	  "device [01:00.0] fault addr 0xff0f0000 [fault reason 0x06] " FR_READ, VTD_EV_DMA_FAULT,
	  0x100, 0x06, 0xff0f0000, VTD_EVA_READ, -1, 1500000000 },
	{ "journalctl -o short-monotonic", "[    2.250000] host kernel: DMAR: [DMA Read NO_PASID] "
	  "Request device [01:00.0] fault addr 0xff0f0000 [fault reason 0x06] " FR_READ,
	  VTD_EV_DMA_FAULT, 0x100, 0x06, 0xff0f0000, VTD_EVA_READ, -1, 2250000000 },
	{ "/dev/kmsg", "3,1234,5678901,-;DMAR: [DMA Read NO_PASID] Request device [01:00.0] fault "
	  "addr 0xff0f0000 [fault reason 0x06] " FR_READ, VTD_EV_DMA_FAULT, 0x100, 0x06,
	  0xff0f0000, VTD_EVA_READ, -1, 5678901000 },
	{ "dmesg -r", "<3>[    3.000001] DMAR: [DMA Read NO_PASID] Request device [01:00.0] fault "
	  "addr 0xff0f0000 [fault reason 0x06] " FR_READ, VTD_EV_DMA_FAULT, 0x100, 0x06,
	  0xff0f0000, VTD_EVA_READ, -1, 3000001000 },
};

static void test_dmesg_eras(void)
{
	for (size_t i = 0; i < VTD_NELEM(dmesg_cases); i++) {
		const struct line_case *c = &dmesg_cases[i];
		struct vtd_event ev;
		struct vtd_error err = { 0 };
		int rc = vtd_trace_parse_line(NULL, c->line, strlen(c->line), &ev, &err);

		if (!ok(rc == 1, "dmesg %s: an event (%d %s)", c->what, rc, err.msg))
			continue;
		is_u64(ev.kind, c->kind, "dmesg %s: kind", c->what);
		is_u64(ev.sid, c->sid, "dmesg %s: sid", c->what);
		is_u64(ev.reason, c->reason, "dmesg %s: reason", c->what);
		is_u64(c->kind == VTD_EV_IR_FAULT ? ev.index : ev.addr, c->addr,
		       "dmesg %s: address or index", c->what);
		is_u64(ev.access, c->access, "dmesg %s: access", c->what);
		is_u64(ev.has & VTD_EVH_PASID ? (int64_t)ev.pasid : -1, c->pasid, "dmesg %s: pasid",
		       c->what);
		is_u64(ev.has & VTD_EVH_TS ? ev.ts_ns : 0, c->ts_ns, "dmesg %s: time stamp", c->what);
		is_str(ev.text, vtd_fault_linux_text(c->reason), "dmesg %s: reason text", c->what);
		is_str(ev.format, "dmesg", "dmesg %s: format", c->what);
	}
}

/* The two-line form of old kernels needs a reader; so do table dumps in order. */
static void test_dmesg_reader(void)
{
	static const char text[] =
		"[    5.100000] dmar: DRHD: handling fault status reg 2\n"
		"[    5.100001] dmar: DMAR:[DMA Write] Request device [00:1a.0] fault addr 7ffff000 \n"
		"[    5.100002] DMAR:[fault reason 05] PTE Write access is not set\n"
		"DRHD: handling fault status reg 3\n"
		"INTR-REMAP: Request device [[00:1f.0] fault index 14\n"
		"INTR-REMAP:[fault reason 34] Present field in the IRTE entry is clear\n"
		"DMAR: [DMA Read NO_PASID] Request device [00:03.0] fault addr 0x12340000 "
		"[fault reason 0x06] PTE Read access is not set\n"
		"DMAR: Dump dmar0 table entries for IOVA 0x12340000\n"
		"DMAR: root entry: 0x0000000012345001\n"
		"DMAR: context entry: hi 0x0000000000000102, low 0x0000000012346001\n"
		"DMAR: pte level: 4, pte value: 0x0000000012347003\n"
		"DMAR: page table not present at level 3\n"
		"DMAR: scalable mode root entry: hi 0x0000000000000001, low 0x0000000012345001\n"
		"DMAR: pasid dir entry: 0x0000000012348001\n"
		"DMAR: pasid table entry[3]: 0x0000000000000049\n"
		"DMAR: pasid table is not present\n"
		"DMAR: root table entry is not present\n"
		"DMAR: dmar1: reg_base_addr fed91000 ver 1:0 cap d2008c40660462 ecap f050da\n"
		"DMAR: IOMMU enabled\n";
	static const struct {
		int kind;
		const char *text;	/* CONFIG: the name */
		uint64_t lineno, v;	/* address, index, or qw0 */
	} want[] = {
		{ VTD_EV_CONFIG, "fault-status", 1, 2 },
		{ VTD_EV_DMA_FAULT, "PTE Write access is not set", 2, 0x7ffff000 },
		{ VTD_EV_CONFIG, "fault-status", 4, 3 },
		{ VTD_EV_IR_FAULT, "Present field in the IRTE entry is clear", 5, 0x14 },
		{ VTD_EV_DMA_FAULT, "PTE Read access is not set", 7, 0x12340000 },
		{ VTD_EV_CONFIG, "dump", 8, 0x12340000 },
		{ VTD_EV_CONFIG, "root-entry", 9, 0x12345001 },
		{ VTD_EV_CONFIG, "context-entry", 10, 0x12346001 },
		{ VTD_EV_CONFIG, "pte", 11, 0x12347003 },
		{ VTD_EV_CONFIG, "pte-not-present", 12, 3 },
		{ VTD_EV_CONFIG, "root-entry", 13, 0x12345001 },
		{ VTD_EV_CONFIG, "pasid-dir-entry", 14, 0x12348001 },
		{ VTD_EV_CONFIG, "pasid-entry", 15, 0x49 },
		{ VTD_EV_CONFIG, "pasid-table-not-present", 16, 0 },
		{ VTD_EV_CONFIG, "root-not-present", 17, 0 },
		{ VTD_EV_CONFIG, "unit", 18, 0xfed91000 },
	};
	struct evs e;

	load_mem(text, sizeof(text) - 1, NULL, &e);
	is_u64(e.n, VTD_NELEM(want), "dmesg reader: events of every era and the dump");
	is_u64(e.st.bad, 0, "dmesg reader: no bad lines");
	is_u64(e.st.lines, 19, "dmesg reader: lines counted");
	for (size_t i = 0; i < e.n && i < VTD_NELEM(want); i++) {
		const struct vtd_event *ev = &e.v[i];
		uint64_t v = ev->kind == VTD_EV_IR_FAULT ? ev->index :
			     ev->has & VTD_EVH_ADDR ? ev->addr :
			     ev->has & VTD_EVH_DESC ? ev->qw[0] : ev->index;

		is_u64(ev->kind, want[i].kind, "dmesg reader event %zu: kind", i);
		is_str(ev->text, want[i].text, "dmesg reader event %zu: text", i);
		is_u64(ev->lineno, want[i].lineno, "dmesg reader event %zu: line number", i);
		is_u64(v, want[i].v, "dmesg reader event %zu: value", i);
	}
	if (e.n > 3) {
		is_u64(e.v[1].reason, 5, "two-line fault: decimal reason 05");
		is_u64(e.v[1].sid, 0xd0, "two-line fault: device 00:1a.0");
		is_u64(e.v[1].ts_ns, 5100001000, "two-line fault: time of the first line");
		ok(e.v[1].line && strstr(e.v[1].line, "fault addr 7ffff000") &&
		   strstr(e.v[1].line, "\n[    5.100002] DMAR:[fault reason 05]"),
		   "two-line fault: the event's line holds both lines");
		is_u64(e.v[3].reason, 0x22, "two-line IR fault: decimal reason 34 is 0x22");
		is_u64(e.v[3].sid, 0xf8, "two-line IR fault: the old '[[' device");
	}
	if (e.n > 10) {
		is_u64(e.v[7].qw[1], 0x102, "dump: context entry high word");
		is_u64(e.v[8].index, 4, "dump: PTE level");
		is_u64(e.v[10].qw[1], 1, "dump: scalable root entry high word");
		is_u64(e.v[12].index, 3, "dump: PASID entry index");
		is_str(e.v[5].unit, "dmar0", "dump: unit");
		is_u64(e.v[15].qw[0], 0xd2008c40660462, "unit line: CAP");
		is_u64(e.v[15].qw[1], 0xf050da, "unit line: ECAP");
	}
	evs_free(&e);
}

/* ---- ftrace formats ------------------------------------------------------------------ */

static void test_ftrace_formats(void)
{
	static const char *const head[] = {
		/* trace, trace_pipe: with the flags column */
		"          dd-146   [001] d..2.    11.250492: ",
		/* trace-cmd report: no flags, payload padded */
		"          dd-146   [001]    11.250492: ",
		/* older kernels: four flag characters; a task name with a blank */
		"     Web Content-146   [001] d..2    11.250492: ",
	};
	static const struct {
		const char *ev, *payload;
		int kind;
		uint64_t addr, size, paddr;
	} c[] = {
		{ "map", "IOMMU: iova=0x00000000fffa0000 - 0x00000000fffc0000 paddr=0x0000000000d2a000 "
		  "size=131072", VTD_EV_MAP, 0xfffa0000, 131072, 0xd2a000 },
		{ "map", "IOMMU: iova=0x00000000fffa0000 paddr=0x0000000000d2a000 size=131072",
		  VTD_EV_MAP, 0xfffa0000, 131072, 0xd2a000 },
		{ "unmap", "IOMMU: iova=0x00000000fffa0000 - 0x00000000fffc0000 size=131072 "
		  "unmapped_size=131072", VTD_EV_UNMAP, 0xfffa0000, 131072, 0 },
		{ "unmap", "IOMMU: iova=0x00000000fffa0000 size=131072 unmapped_size=262144",
		  VTD_EV_UNMAP, 0xfffa0000, 262144, 0 },
		{ "map_single", "dev=0000:00:02.0 dev_addr=0xfffff000 phys_addr=0x12345000 size=4096",
		  VTD_EV_MAP, 0xfffff000, 4096, 0x12345000 },
		{ "unmap_sg", "dev=0000:00:02.0 dev_addr=0xfffff000 size=8192", VTD_EV_UNMAP,
		  0xfffff000, 8192, 0 },
	};
	char line[512];

	for (size_t h = 0; h < VTD_NELEM(head); h++)
		for (size_t i = 0; i < VTD_NELEM(c); i++) {
			struct vtd_event ev;
			struct vtd_error err = { 0 };
			int rc;

			snprintf(line, sizeof(line), "%s%s: %s%s", head[h], c[i].ev,
				 h == 1 ? "         " : "", c[i].payload);
			rc = vtd_trace_parse_line("ftrace", line, strlen(line), &ev, &err);
			if (!ok(rc == 1, "ftrace %s form %zu (%zu): an event (%s)", c[i].ev, h, i,
				err.msg))
				continue;
			is_u64(ev.kind, c[i].kind, "ftrace %s (%zu/%zu): kind", c[i].ev, h, i);
			is_u64(ev.addr, c[i].addr, "ftrace %s (%zu/%zu): iova", c[i].ev, h, i);
			is_u64(ev.size, c[i].size, "ftrace %s (%zu/%zu): size", c[i].ev, h, i);
			is_u64(ev.paddr, c[i].paddr, "ftrace %s (%zu/%zu): paddr", c[i].ev, h, i);
			is_u64(ev.cpu, 1, "ftrace %s (%zu/%zu): cpu", c[i].ev, h, i);
			is_u64(ev.ts_ns, 11250492000, "ftrace %s (%zu/%zu): time", c[i].ev, h, i);
		}
}

static struct vtd_event one(const char *line, int want_rc, const char *what)
{
	struct vtd_event ev;
	struct vtd_error err = { 0 };
	int rc = vtd_trace_parse_line(NULL, line, strlen(line), &ev, &err);

	ok(rc == want_rc, "%s: parse gives %d (%d %s)", what, want_rc, rc, err.msg);
	if (rc != 1)
		memset(&ev, 0, sizeof(ev));
	return ev;
}

#define FT "  kworker/0:1-23  [000] .....    12.345678: "

static void test_ftrace_events(void)
{
	struct vtd_event ev;

	ev = one(FT "qi_submit: p_iotlb_inv dmar0: 0x200050036 0x7f001042 0x0 0x0", 1, "p_iotlb_inv");
	is_u64(ev.inv_type, VTD_INV_PIOTLB, "p_iotlb_inv: type");
	is_u64(ev.inv_gran, VTD_GRAN_PAGE, "p_iotlb_inv: page granularity");
	is_u64(ev.did, 5, "p_iotlb_inv: did");
	is_u64(ev.pasid, 2, "p_iotlb_inv: pasid");
	is_u64(ev.addr, 0x7f001000, "p_iotlb_inv: address");
	is_u64(ev.am, 2, "p_iotlb_inv: am");
	is_u64(ev.ih, 1, "p_iotlb_inv: ih");
	is_u64(ev.size, 0x4000, "p_iotlb_inv: 2^am pages");
	is_str(ev.unit, "dmar0", "p_iotlb_inv: unit");
	is_u64(ev.nqw, 4, "p_iotlb_inv: four words kept");

	ev = one(FT "qi_submit: iotlb_inv dmar0: 0x600f2 0xfffa0005 0x0 0x0", 1, "iotlb_inv page");
	is_u64(ev.inv_type, VTD_INV_IOTLB, "iotlb_inv: type");
	is_u64(ev.did, 6, "iotlb_inv: did");
	is_u64(ev.size, 32 * 4096, "iotlb_inv: am 5 is 32 pages");
	ev = one(FT "qi_submit: iotlb_inv dmar0: 0x12 0x0 0x0 0x0", 1, "iotlb_inv global");
	is_u64(ev.inv_gran, VTD_GRAN_GLOBAL, "iotlb_inv: global");
	ok(!(ev.has & (VTD_EVH_DID | VTD_EVH_ADDR)), "iotlb_inv global: no did, no address");
	ev = one(FT "qi_submit: cc_inv dmar0: 0x1000050031 0x0 0x0 0x0", 1, "cc_inv device");
	is_u64(ev.inv_type, VTD_INV_CC, "cc_inv: type");
	is_u64(ev.inv_gran, VTD_GRAN_DEVICE, "cc_inv: device");
	is_u64(ev.sid, 0x10, "cc_inv: sid");
	is_u64(ev.did, 5, "cc_inv: did");
	ev = one(FT "qi_submit: dev_tlb_inv dmar0: 0x1000000003 0x7f001001 0x0 0x0", 1, "dev_tlb_inv");
	is_u64(ev.inv_type, VTD_INV_DEVTLB, "dev_tlb_inv: type");
	is_u64(ev.sid, 0x10, "dev_tlb_inv: sid");
	is_u64(ev.size, 0x4000, "dev_tlb_inv: S and page bit 0 set: 16 KiB");
	is_u64(ev.addr, 0x7f000000, "dev_tlb_inv: aligned address");
	ev = one(FT "qi_submit: iec_inv dmar0: 0x800000014 0x0 0x0 0x0", 1, "iec_inv");
	is_u64(ev.inv_type, VTD_INV_IEC, "iec_inv: type");
	is_u64(ev.inv_gran, VTD_GRAN_INDEX, "iec_inv: index");
	is_u64(ev.index, 8, "iec_inv: index 8");
	ev = one(FT "qi_submit: pc_inv dmar0: 0x300050017 0x0 0x0 0x0", 1, "pc_inv");
	is_u64(ev.inv_type, VTD_INV_PC, "pc_inv: type");
	is_u64(ev.inv_gran, VTD_GRAN_PASID, "pc_inv: pasid");
	is_u64(ev.pasid, 3, "pc_inv: pasid 3");
	ev = one(FT "qi_submit: p_dev_tlb_inv dmar0: 0x200100008 0x7f000001 0x0 0x0", 1,
		 "p_dev_tlb_inv");
	is_u64(ev.inv_type, VTD_INV_PDEVTLB, "p_dev_tlb_inv: type");
	is_u64(ev.inv_gran, VTD_GRAN_DEVICE, "p_dev_tlb_inv: G set, every PASID");
	is_u64(ev.sid, 0x10, "p_dev_tlb_inv: sid");
	ev = one(FT "qi_submit: page_grp_resp dmar0: 0x200100019 0x14 0x0 0x0", 1, "page_grp_resp");
	is_u64(ev.inv_type, VTD_INV_PGRP_RESP, "page_grp_resp: type");
	is_u64(ev.sid, 0x10, "page_grp_resp: rid");
	is_u64(ev.pasid, 2, "page_grp_resp: pasid");
	ev = one(FT "qi_submit: inv_wait dmar0: 0x200000025 0x5a21c04 0x0 0x0", 1, "inv_wait");
	is_u64(ev.inv_type, VTD_INV_WAIT, "inv_wait: type");
	ev = one(FT "qi_submit: 0xb dmar0: 0xb 0x0 0x0 0x0", 1, "unknown descriptor type");
	is_u64(ev.inv_type, 0, "unknown descriptor: raw words only");
	ok(ev.has & VTD_EVH_DESC, "unknown descriptor: words kept");

	ev = one(FT "prq_report: dmar0/0000:00:02.0 seq# 7: rid=0x10 addr=0x7f001 rw--l pasid=0x2 "
		 "index=0x5", 1, "prq_report");
	is_u64(ev.kind, VTD_EV_PAGE_REQ, "prq_report: kind");
	is_u64(ev.addr, 0x7f001000, "prq_report: page number to address");
	is_u64(ev.access, VTD_EVA_READ | VTD_EVA_WRITE, "prq_report: rw");
	is_u64(ev.pasid, 2, "prq_report: pasid");
	is_u64(ev.index, 5, "prq_report: group index");
	is_str(ev.device, "0000:00:02.0", "prq_report: device");
	is_u64(ev.sid, 0x10, "prq_report: sid");

	ev = one(FT "cache_tag_assign: dmar0/0000:00:02.0 type iotlb did 3 pasid 0 ref 1", 1,
		 "cache_tag_assign");
	is_u64(ev.kind, VTD_EV_ATTACH, "cache_tag_assign: attach");
	is_u64(ev.did, 3, "cache_tag_assign: did");
	ev = one(FT "cache_tag_unassign: dmar0/0000:00:02.0 type devtlb did 3 pasid 0 ref 0", 1,
		 "cache_tag_unassign");
	is_u64(ev.kind, VTD_EV_DETACH, "cache_tag_unassign: detach");
	ev = one(FT "cache_tag_flush_all: dmar0/0000:00:02.0 type iotlb did 3 pasid 0 ref 1", 1,
		 "cache_tag_flush_all");
	is_u64(ev.kind, VTD_EV_INV, "cache_tag_flush_all: inv");
	is_u64(ev.inv_gran, VTD_GRAN_DOMAIN, "cache_tag_flush_all: domain");
	ev = one(FT "cache_tag_flush_range: dmar0 0000:00:02.0[0] type iotlb did 3 "
		 "[0x1000-0x2fff] addr 0x0 pages 0x4 mask 0x2", 1, "cache_tag_flush_range");
	is_u64(ev.inv_gran, VTD_GRAN_PAGE, "cache_tag_flush_range: page");
	is_u64(ev.size, 0x4000, "cache_tag_flush_range: pages");
	is_u64(ev.am, 2, "cache_tag_flush_range: mask");

	ev = one(FT "io_page_fault: IOMMU:intel-iommu 0000:00:02.0 iova=0x000000007f001000 "
		 "flags=0x0001", 1, "io_page_fault");
	is_u64(ev.kind, VTD_EV_IO_PAGE_FAULT, "io_page_fault: kind");
	is_u64(ev.access, VTD_EVA_WRITE, "io_page_fault: write");
	is_u64(ev.addr, 0x7f001000, "io_page_fault: iova");

	ev = one(FT "detach_device_from_domain: IOMMU: device=0000:00:02.0", 1, "detach");
	is_u64(ev.kind, VTD_EV_DETACH, "detach: kind");
	ev = one(FT "remove_device_from_group: IOMMU: groupID=4 device=0000:00:06.0", 1,
		 "remove from group");
	is_u64(ev.kind, VTD_EV_DETACH, "remove from group: detach");
	is_u64(ev.group, 4, "remove from group: group");
	is_u64(ev.sid, 0x30, "remove from group: sid");

	one(FT "sched_switch: prev_comm=a prev_pid=1", 0, "another event is not one of ours");
	one("# tracer: nop", 0, "ftrace header");
	one(FT "map: IOMMU: iova=zz", -VTD_EFORMAT, "a broken map line");
}

/* ---- QEMU ------------------------------------------------------------------------ */

static void test_qemu(void)
{
	static const char text[] =
		"vtd_inv_desc invalidate desc type iotlb high 0x7f001000 low 0x500f2\n"
		"vtd_inv_desc_iotlb_pages iotlb invalidate domain 0x5 addr 0x7f001000 mask 0x0\n"
		"vtd_inv_desc_iotlb_domain iotlb invalidate whole domain 0x7\n"
		"vtd_inv_desc_cc_device context invalidate device 00:02.00\n"
		"1@2.000003:vtd_iotlb_page_hit IOTLB page hit sid 0x10 iova 0x1000 slpte 0x2003 domain 0x1\n"
		"1@2.000004:vtd_iotlb_page_update IOTLB page update sid 0x10 iova 0x2000 slpte 0x3003 domain 0x1\n"
		"vtd_dmar_translate dev 00:02.00 iova 0x1000 -> gpa 0x2000 mask 0xfff\n"
		"vtd_dmar_fault sid 0x10 fault 12 addr 0x3000 write 0\n"
		"vtd_reg_dmar_root addr 0x71fc000 scalable 1\n"
		"vtd_reg_write addr 0x18 size 0x4 value 0x1\n";
	struct evs e;

	load_mem(text, sizeof(text) - 1, NULL, &e);
	is_u64(e.n, 8, "qemu: events (the detail line after its descriptor adds none)");
	if (e.n == 8) {
		is_u64(e.v[0].inv_gran, VTD_GRAN_PAGE, "qemu vtd_inv_desc: decoded words");
		is_u64(e.v[0].did, 5, "qemu vtd_inv_desc: did");
		is_u64(e.v[1].inv_gran, VTD_GRAN_DOMAIN, "qemu detail line on its own: domain");
		is_u64(e.v[1].did, 7, "qemu detail line on its own: did");
		is_u64(e.v[2].inv_type, VTD_INV_CC, "qemu cc device: type");
		is_u64(e.v[2].sid, 0x10, "qemu cc device: sid");
		is_u64(e.v[3].kind, VTD_EV_IOTLB_HIT, "qemu: iotlb hit");
		is_u64(e.v[3].ts_ns, 2000003000, "qemu: <tid>@<sec>.<usec> time");
		is_u64(e.v[4].kind, VTD_EV_IOTLB_MISS, "qemu: iotlb update is a miss");
		is_u64(e.v[5].kind, VTD_EV_TRANSLATE, "qemu: translate");
		is_u64(e.v[5].paddr, 0x2000, "qemu translate: gpa");
		is_u64(e.v[5].size, 0x1000, "qemu translate: mask + 1");
		is_u64(e.v[6].reason, 0x0c, "qemu fault: decimal reason 12");
		is_u64(e.v[6].access, VTD_EVA_READ, "qemu fault: read");
		is_str(e.v[7].text, "root", "qemu: root pointer is config");
		is_u64(e.v[7].index, 1, "qemu root: scalable");
	}
	is_str(e.formats, "qemu", "qemu: format");
	evs_free(&e);
}

/* ---- compression, stdin, bad and foreign input ------------------------------------------- */

static void test_compressed(void)
{
	size_t n, gn, zn;
	char *plain = slurp(DATA "legacy-strict.dmesg.txt", &n), path[256];
	void *g = gz(plain, n, &gn), *z = zst(plain, n, &zn);
	struct evs a, b, c;
	int fd, saved;

	load_mem(plain, n, NULL, &a);
	load_mem(g, gn, NULL, &b);
	load_mem(z, zn, NULL, &c);
	ok(a.n == 5 && first_diff(&a, &b) < 0, "gzip input gives what plain input gives");
	ok(first_diff(&a, &c) < 0, "zstd input gives what plain input gives");
	evs_free(&b);
	/* concatenated gzip members are one stream */
	{
		char *two = malloc(2 * gn);

		memcpy(two, g, gn);
		memcpy(two + gn, g, gn);
		load_mem(two, 2 * gn, NULL, &b);
		is_u64(b.n, 2 * a.n, "two gzip members: both read");
		free(two);
		evs_free(&b);
	}
	/* standard input */
	snprintf(path, sizeof(path), "%s/dmesg.gz", dir);
	spit(path, g, gn);
	fd = open(path, O_RDONLY);
	saved = dup(0);
	dup2(fd, 0);
	close(fd);
	load("-", NULL, &b);
	dup2(saved, 0);
	close(saved);
	ok(b.rc == 0 && first_diff(&a, &b) < 0, "'-' reads standard input (gzip on a pipe or file)");
	evs_free(&b);
	/* truncated: an error that names the file, never a silent short read */
	snprintf(path, sizeof(path), "%s/cut.txt.gz", dir);
	spit(path, g, gn / 2);
	load(path, NULL, &b);
	is_u64(b.rc, -VTD_ETRUNC, "truncated gzip: an error (%s)", b.err.msg);
	ok(strstr(b.err.msg, path) != NULL, "truncated gzip: the message names the file");
	evs_free(&b);
	snprintf(path, sizeof(path), "%s/cut.txt.zst", dir);
	spit(path, z, zn - 10);
	load(path, NULL, &b);
	is_u64(b.rc, -VTD_ETRUNC, "truncated zstd: an error (%s)", b.err.msg);
	evs_free(&b);
	/* corrupt gzip data */
	((uint8_t *)g)[gn / 2] ^= 0xff;
	((uint8_t *)g)[gn / 2 + 1] ^= 0x55;
	load_mem(g, gn, NULL, &b);
	ok(b.rc < 0, "corrupt gzip: an error (%d %s)", b.rc, b.err.msg);
	evs_free(&b);
	evs_free(&a);
	evs_free(&c);
	free(plain);
	free(g);
	free(z);
}

static void test_bad_lines(void)
{
	char *text = malloc(200000), *p = text;
	struct evs e;
	static const uint64_t bad_lines[] = { 3, 4, 5, 6, 7, 9, 10 };

	p += sprintf(p, "[    1.000000] DMAR: [DMA Read NO_PASID] Request device [00:03.0] fault addr "
		     "0x1000 [fault reason 0x06] PTE Read access is not set\n");
	p += sprintf(p, FT "map: IOMMU: iova=0x0000000000001000 - 0x0000000000002000 "
		     "paddr=0x0000000000003000 size=4096\n");
	p += sprintf(p, "DMAR: [DMA Read NO_PASID] Request device [zz:03.0] fault addr 0x1 "
		     "[fault reason 0x05] x\n");
	p += sprintf(p, "%s\n", "\x01\x02\x03 binary\x7f");
	memset(p, 'A', 70000);
	p += 70000;
	*p++ = '\n';
	p += sprintf(p, FT "qi_submit: iotlb_inv dmar0: 0x12\n");
	p += sprintf(p, "vtd_dmar_fault sid 0x18 fault X addr 0x1 write 1\n");
	p += sprintf(p, "12@1.000000:vtd_dmar_fault sid 0x18 fault 5 addr 0x12340000 write 1\n");
	p += sprintf(p, "{\"kind\":\"nope\"}\n");
	p += sprintf(p, "DMAR:[DMA Read] Request device [00:02.0] fault addr 7f0000 \n");
	p += sprintf(p, "[    2.000000] DMAR: [DMA Write NO_PASID] Request device [00:03.0] fault addr "
		     "0x2000 [fault reason 0x05] PTE Write access is not set\n");
	p += sprintf(p, "an ordinary line\n");
	load_mem(text, (size_t)(p - text), NULL, &e);
	is_u64(e.rc, 0, "bad lines are never fatal");
	is_u64(e.n, 4, "bad lines: the good events are all there");
	is_u64(e.st.bad, VTD_NELEM(bad_lines), "bad lines: counted");
	is_u64(e.st.lines, 12, "bad lines: every line counted");
	is_u64(e.st.skipped, 1, "bad lines: the ordinary line is skipped, not bad");
	for (size_t i = 0; i < VTD_NELEM(bad_lines) && i < e.st.nfirst_bad; i++)
		is_u64(e.bad[i].lineno, bad_lines[i], "bad line %zu: line number (%s)", i,
		       e.bad[i].why);
	if (e.n == 4) {
		is_u64(e.v[0].lineno, 1, "event line numbers: dmesg");
		is_u64(e.v[1].lineno, 2, "event line numbers: ftrace");
		is_u64(e.v[2].lineno, 8, "event line numbers: after a 70000-byte line");
		is_u64(e.v[3].lineno, 11, "event line numbers: after an orphaned first half");
	}
	is_str(e.formats, "dmesg+ftrace+qemu+jsonl", "bad lines: the formats seen");
	ok(strstr(e.bad[2].why, "longer") != NULL, "bad lines: the long line says so");
	evs_free(&e);
	free(text);
}

static void test_foreign(void)
{
	static const uint8_t png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
				       'I', 'H', 'D', 'R', 0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0 };
	struct evs e;

	load("/etc/services", NULL, &e);
	is_u64(e.rc, -VTD_EFORMAT, "/etc/services is no trace");
	ok(strstr(e.err.msg, "/etc/services") != NULL, "the format error names the file");
	load_mem(png, sizeof(png), NULL, &e);
	is_u64(e.rc, -VTD_EFORMAT, "a PNG is no trace");
	load(DATA "no-such-file", NULL, &e);
	is_u64(e.rc, -VTD_EIO, "a missing file is an I/O error");
	ok(strstr(e.err.msg, "no-such-file") != NULL, "the I/O error names the file");
	load("tests/data", NULL, &e);
	ok(e.rc < 0, "a directory is an error");
	load_mem("", 0, NULL, &e);
	ok(e.rc == 0 && e.n == 0, "empty input: an empty trace");
	load_mem("x", 1, "nope", &e);
	is_u64(e.rc, -VTD_ENOTFOUND, "an unknown format name");
	load(DATA "legacy-strict.dmesg.txt", "qemu", &e);
	is_u64(e.rc, -VTD_EFORMAT, "dmesg read as QEMU: nothing of the format");
	load(DATA "legacy-strict.dmesg.txt", "dmesg", &e);
	is_u64(e.n, 5, "a forced format reads");
	is_str(e.formats, "dmesg", "a forced format is the one seen");
	evs_free(&e);
	load(DATA "scalable-lazy.qemu-trace.log.zst", "qemu", &e);
	is_u64(e.n, 371, "a forced QEMU format reads");
	is_str(e.formats, "qemu", "a forced QEMU format is the one seen");
	evs_free(&e);
}

/* ---- JSONL ------------------------------------------------------------------------------ */

static void round_trip(const char *what, const struct evs *in, int with_line)
{
	size_t cap = 1 << 20, len = 0;
	char *text = malloc(cap);
	struct evs back;
	size_t lines_same = 0;

	for (size_t i = 0; i < in->n; i++) {
		char buf[VTD_EVENT_JSONL_MAX + 6 * 1100];
		int n = vtd_event_jsonl(&in->v[i], with_line, buf, sizeof(buf));

		if (n < 0)
			continue;
		if (len + (size_t)n + 2 > cap)
			text = realloc(text, cap *= 2);
		memcpy(text + len, buf, (size_t)n);
		len += (size_t)n;
		text[len++] = '\n';
	}
	load_mem(text, len, NULL, &back);
	is_u64(back.n, in->n, "JSONL %s: every event comes back", what);
	is_u64(back.st.bad, 0, "JSONL %s: no bad lines", what);
	ok(first_diff(in, &back) < 0, "JSONL %s: the same events", what);
	for (size_t i = 0; i < back.n && i < in->n; i++)
		lines_same += str_eq(back.v[i].line, in->v[i].line);
	if (with_line)
		is_u64(lines_same, in->n, "JSONL %s: the lines come back", what);
	is_str(back.formats, "jsonl", "JSONL %s: read as jsonl", what);
	evs_free(&back);
	free(text);
}

static void test_jsonl(void)
{
	static const char *const files[] = {
		DATA "legacy-strict.dmesg.txt", DATA "scalable-lazy.ftrace.txt.zst",
		DATA "legacy-strict.qemu-trace.log.gz",
	};
	struct evs e;
	struct vtd_event ev, back;
	char buf[VTD_EVENT_JSONL_MAX];
	struct vtd_error err;

	for (size_t f = 0; f < VTD_NELEM(files); f++) {
		load(files[f], NULL, &e);
		round_trip(files[f], &e, f != 1);
		evs_free(&e);
	}
	/* hand-made events: every member */
	memset(&ev, 0, sizeof(ev));
	ev.kind = VTD_EV_PAGE_REQ;
	ev.has = VTD_EVH_TS | VTD_EVH_CPU | VTD_EVH_SID | VTD_EVH_PASID | VTD_EVH_ADDR |
		 VTD_EVH_SIZE | VTD_EVH_PADDR | VTD_EVH_REASON | VTD_EVH_DID | VTD_EVH_DESC |
		 VTD_EVH_INDEX | VTD_EVH_GROUP;
	ev.ts_ns = INT64_MAX;
	ev.cpu = 7;
	strcpy(ev.unit, "dmar\"1");
	strcpy(ev.device, "0000:00:02.0\\x");
	ev.sid = 0xffff;
	ev.pasid = 0xfffff;
	ev.addr = UINT64_MAX;
	ev.size = 1;
	ev.paddr = 0x8000000000000000ull;
	ev.reason = 0x06;
	ev.access = 0xf;
	ev.did = 0xffff;
	ev.inv_type = VTD_INV_PGRP_RESP;
	ev.inv_gran = VTD_GRAN_INDEX;
	ev.am = 63;
	ev.ih = 1;
	ev.nqw = 4;
	ev.qw[0] = 1, ev.qw[3] = UINT64_MAX;
	ev.index = UINT64_MAX;
	ev.group = UINT32_MAX;
	ev.text = "PTE Read access is not set";
	{
		int n = vtd_event_jsonl(&ev, 0, buf, sizeof(buf));
		int rc = vtd_trace_parse_line("jsonl", buf, (size_t)(n > 0 ? n : 0), &back, &err);

		ok(n > 0 && rc == 1 && same_event(&ev, &back), "JSONL: every member round-trips");
		if (n > 0)
			printf("#   %s\n", buf);
		is_u64(vtd_event_jsonl(&ev, 0, buf, 40), -VTD_ERANGE, "JSONL: a short buffer");
	}
	one("{\"kind\":\"map\",\"addr\":12}", -VTD_EFORMAT, "JSONL: an address must be a hex string");
	one("{\"kind\":\"map\"} x", -VTD_EFORMAT, "JSONL: trailing text");
	one("{\"addr\":\"0x1\"}", -VTD_EFORMAT, "JSONL: no kind");
	one("{\"kind\":\"map\",\"sid\":\"00:20.0\"}", -VTD_EFORMAT, "JSONL: device 0x20");
	one("{\"kind\":\"map\",\"future\":[1,2]}", 1, "JSONL: unknown members are ignored");
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_real_counts();
	test_provoked_faults();
	test_trace_dat();
	test_dmesg_eras();
	test_dmesg_reader();
	test_ftrace_formats();
	test_ftrace_events();
	test_qemu();
	test_compressed();
	test_bad_lines();
	test_foreign();
	test_jsonl();
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd))
			printf("# could not remove %s\n", dir);
	}
	return tap_done();
}
