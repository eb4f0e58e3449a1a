/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qprobe -- the bare mode of vtdkit's real-peer harness: tables in the RAM
 * of a QEMU machine that runs no code, QEMU's intel-iommu pointed at them,
 * and DMA from QEMU's edu devices as the probe.  What QEMU does with each
 * DMA (bytes at a host address, or a fault record) is the judge of what our
 * tables mean; see tests/qemu/README.md.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fault.h"
#include "qtest.h"
#include "script.h"
#include "regs.h"
#include "text.h"

#define REGBASE		0xfed90000ull
#define R_VER		0x00
#define R_CAP		0x08
#define R_ECAP		0x10
#define R_GCMD		0x18
#define R_GSTS		0x1c
#define R_RTADDR	0x20
#define R_CCMD		0x28
#define R_FSTS		0x34
#define R_IQH		0x80
#define R_IQT		0x88
#define R_IQA		0x90

#define EDU_MAX		8
#define EDU_BAR_BASE	0xe0000000ull	/* inside q35's PCI hole, away from MMCONFIG */
#define EDU_BUF		0x40000ull	/* the device buffer in edu's own DMA space */
#define EDU_WSLOTS	2048		/* [0, 2048): pattern that write probes send */
#define EDU_BUFLEN	4095		/* a 4096-byte transfer trips edu's range check */
#define EDU_ID		0x11e81234u	/* device 0x11e8, vendor 0x1234 */
#define RP_SLOT		0x18		/* bus 0 slot of the first root port */

#define MSI_LO		0xfee00000ull	/* writes here are interrupts, not memory */
#define MSI_HI		0xfeefffffull

struct edu {
	unsigned bdf;
	unsigned rport;			/* root port index, for a device not on bus 0 */
	uint64_t bar, win_lo, win_hi;	/* its BAR0; the window of its bus */
	uint8_t pattern[EDU_WSLOTS];
	unsigned wpos, rpos;	/* next write-pattern slot, next read landing slot */
};

/* A read probe whose bytes are still in the device buffer. */
struct pending {
	struct json_object *res;
	struct edu *edu;
	unsigned off, len;
	int has_expect;
	uint8_t expect[EDU_WSLOTS];
};

enum {
	OPT_SCRATCH = 256, OPT_TIMEOUT, OPT_QEMU, OPT_TAP,
};

static const struct cli_opt options[] = {
	SCRIPT_MACHINE_OPTIONS,
	{ 'c', "caching-mode", NULL, "caching-mode=on", NULL },
	{ 'e', "edu", "BDF", "an edu device: 00:DD.F, or BB:00.F behind a root port "
	  "(repeatable; default 00:03.0)", NULL },
	{ 't', "trace", "FILE", "keep QEMU's vtd_* trace events in FILE", "file" },
	{ 'L', "qemu-log", "FILE", "QEMU's stderr into FILE", "file" },
	{ 'o', "output", "FILE", "write the results (JSONL) to FILE, atomically", "file" },
	{ OPT_SCRATCH, "scratch", "PA", "the harness's own 8 KiB: DMA bounce page and "
	  "invalidation queue (default: the top of RAM)", NULL },
	{ OPT_TIMEOUT, "timeout", "MS", "longest wait for one QEMU answer (default 20000)", NULL },
	{ OPT_QEMU, "qemu", "BIN", "QEMU binary (default qemu-system-x86_64)", "file" },
	{ OPT_TAP, "tap", NULL, "print one TAP line per probe with an expectation", NULL },
	{ 0, NULL, NULL, NULL, NULL },
};

struct opts {
	struct script_machine mach;
	int caching_mode, tap;
	const char *qemu, *trace, *qlog, *output;
	unsigned edus[EDU_MAX];
	unsigned nedu;
	uint64_t scratch;
	int timeout_ms;
};

struct machine {
	struct script sc;	/* for error locations */
	struct qtest *q;
	uint64_t cap, ecap;
	uint64_t fro, iro;	/* byte offsets of the fault records and IOTLB registers */
	unsigned nfr;
	uint64_t scratch;
	struct edu edu[EDU_MAX];
	unsigned nedu;
	struct pending *pend;
	unsigned npend, cappend;
	struct json_object *out;	/* array of result lines */
	unsigned disagree;
	FILE *trace;		/* QEMU's vtd_* events, read as they are written */
	int scalable;
	int qi;			/* the invalidation queue is set up and enabled */
	unsigned qtail;		/* next free descriptor slot */
};

/* ---- small helpers ------------------------------------------------------------ */

/* A register value built from named fields, through the register's layout. */
static uint64_t regv(const struct vtd_layout *l, ...)
{
	uint64_t v;
	va_list ap;

	va_start(ap, l);
	script_vregv(l, &v, ap);
	va_end(ap);
	return v;
}

/* A field of a little-endian structure, by name. */
static uint64_t fld(const struct vtd_layout *l, const void *buf, const char *name)
{
	const struct vtd_field *f = vtd_field_find(l, name);
	return f ? vtd_field_value(f, vtd_field_raw(f, buf)) : 0;
}

static uint64_t fld64(const struct vtd_layout *l, uint64_t v, const char *name)
{
	uint8_t b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	return fld(l, b, name);
}

static char *hexstr(const uint8_t *p, size_t n, char *buf)
{
	for (size_t i = 0; i < n; i++)
		sprintf(buf + 2 * i, "%02x", p[i]);
	buf[2 * n] = '\0';
	return buf;
}

static struct json_object *jhex(uint64_t v)
{
	char b[24];
	snprintf(b, sizeof(b), "0x%llx", (unsigned long long)v);
	return json_object_new_string(b);
}

static void bdf_str(unsigned bdf, char *b)
{
	sprintf(b, "%02x:%02x.%u", bdf >> 8, bdf >> 3 & 0x1f, bdf & 7);
}

#define fail(m, ...) script_fail(&(m)->sc, __VA_ARGS__)

static int qfail(struct machine *m, const struct vtd_error *e)
{
	return fail(m, EXIT_SOURCE, "QEMU: %s%s%s", e->where[0] ? e->where : "",
		    e->where[0] ? ": " : "", e->msg);
}

#define Q(call) do { struct vtd_error e_ = { 0 }; \
	if ((call) < 0) return qfail(m, &e_); } while (0)
#define E (&e_)

/* ---- the IOMMU ------------------------------------------------------------------ */

static int iommu_init(struct machine *m)
{
	Q(qtest_readq(m->q, REGBASE + R_CAP, &m->cap, E));
	Q(qtest_readq(m->q, REGBASE + R_ECAP, &m->ecap, E));
	m->fro = fld64(&vtd_l_reg_cap, m->cap, "FRO");
	m->nfr = (unsigned)fld64(&vtd_l_reg_cap, m->cap, "NFR");
	m->iro = fld64(&vtd_l_reg_ecap, m->ecap, "IRO");
	if (!m->cap || m->fro < 0x40 || m->fro > 0xff0 || m->iro < 0x40 || m->iro > 0xff0)
		return fail(m, EXIT_SOURCE, "no VT-d unit at 0x%llx (CAP 0x%llx, ECAP 0x%llx)",
			    REGBASE, (unsigned long long)m->cap, (unsigned long long)m->ecap);
	return 0;
}

/* Write GCMD and wait until GSTS shows 'want' under 'mask'. */
static int gcmd(struct machine *m, uint32_t cmd, uint32_t mask, uint32_t want)
{
	uint32_t sts = 0;

	Q(qtest_writel(m->q, REGBASE + R_GCMD, cmd, E));
	for (int i = 0; i < 1000; i++) {
		Q(qtest_readl(m->q, REGBASE + R_GSTS, &sts, E));
		if ((sts & mask) == want)
			return 0;
	}
	return fail(m, EXIT_SOURCE, "GSTS stuck at 0x%x after GCMD 0x%x", sts, cmd);
}

/*
 * Set or clear one GCMD command and wait for its GSTS status bit.  GCMD is
 * write-only, so the enables already on (GSTS) are repeated in every write.
 */
static int gcmd_bit(struct machine *m, const char *cmd, const char *status, int on)
{
	uint32_t sts;

	Q(qtest_readl(m->q, REGBASE + R_GSTS, &sts, E));
	uint32_t keep = (uint32_t)regv(&vtd_l_reg_gcmd,
				       "TE", fld64(&vtd_l_reg_gsts, sts, "TES"),
				       "QIE", fld64(&vtd_l_reg_gsts, sts, "QIES"),
				       "IRE", fld64(&vtd_l_reg_gsts, sts, "IRES"),
				       "CFI", fld64(&vtd_l_reg_gsts, sts, "CFIS"), NULL);
	uint32_t bit = (uint32_t)regv(&vtd_l_reg_gcmd, cmd, (uint64_t)1, NULL);
	uint32_t want = (uint32_t)regv(&vtd_l_reg_gsts, status, (uint64_t)1, NULL);
	return gcmd(m, on ? keep | bit : keep & ~bit, want, on ? want : 0);
}

static int set_te(struct machine *m, int on)
{
	return gcmd_bit(m, "TE", "TES", on);
}

static int enable(struct machine *m, uint64_t rtaddr)
{
	Q(qtest_writeq(m->q, REGBASE + R_RTADDR, rtaddr, E));
	int rc = gcmd_bit(m, "SRTP", "RTPS", 1);
	return rc ? rc : set_te(m, 1);
}

/* Register-based invalidation: write the command, wait for the busy bit to clear. */
static int reg_inv(struct machine *m, uint64_t off, uint64_t val, const char *busy,
		   const struct vtd_layout *l)
{
	uint64_t v = 0;

	Q(qtest_writeq(m->q, REGBASE + off, val, E));
	for (int i = 0; i < 1000; i++) {
		Q(qtest_readq(m->q, REGBASE + off, &v, E));
		if (!fld64(l, v, busy))
			return 0;
	}
	return fail(m, EXIT_SOURCE, "%s did not complete (0x%llx)", l->name,
		    (unsigned long long)v);
}

/* Collect and clear every pending fault record into a JSON array. */
static int take_faults(struct machine *m, struct json_object **faults, int *overflow)
{
	uint32_t fsts;

	*faults = json_object_new_array();
	Q(qtest_readl(m->q, REGBASE + R_FSTS, &fsts, E));
	*overflow = (int)fld64(&vtd_l_reg_fsts, fsts, "PFO");
	for (unsigned i = 0; i <= m->nfr; i++) {
		uint64_t a = REGBASE + m->fro + 16ull * i;
		uint8_t rec[16];
		Q(qtest_memread(m->q, a, rec, 16, E));
		if (!fld(&vtd_l_frcd, rec, "F"))
			continue;
		unsigned fr = (unsigned)fld(&vtd_l_frcd, rec, "FR");
		struct json_object *f = json_object_new_object();
		char b[16];
		snprintf(b, sizeof(b), "0x%02x", fr);
		json_object_object_add(f, "reason", json_object_new_string(b));
		json_object_object_add(f, "text", json_object_new_string(vtd_fault_linux_text(fr)));
		json_object_object_add(f, "addr", jhex(fld(&vtd_l_frcd, rec, "FI")));
		unsigned sid = (unsigned)fld(&vtd_l_frcd, rec, "SID");
		snprintf(b, sizeof(b), "0x%04x", sid);
		json_object_object_add(f, "sid", json_object_new_string(b));
		json_object_object_add(f, "type", json_object_new_string(
			fld(&vtd_l_frcd, rec, "T") ? "read" : "write"));
		if (fld(&vtd_l_frcd, rec, "PP"))
			json_object_object_add(f, "pasid", jhex(fld(&vtd_l_frcd, rec, "PV")));
		json_object_array_add(*faults, f);
		/* F is write-1-to-clear; it lives in the record's top bit. */
		Q(qtest_writel(m->q, a + 12, 0x80000000u, E));
	}
	Q(qtest_writel(m->q, REGBASE + R_FSTS, fsts, E));
	return 0;
}

/* How many lines naming 'event' QEMU traced since the last call. */
static int trace_since(struct machine *m, const char *event)
{
	char line[512];
	int n = 0;

	if (!m->trace)
		return 0;
	clearerr(m->trace);
	while (fgets(line, sizeof(line), m->trace))
		n += strstr(line, event) != NULL;
	return n;
}

/* ---- edu ------------------------------------------------------------------------- */

static int edu_dma(struct machine *m, struct edu *d, uint64_t src, uint64_t dst, unsigned len,
		   int to_ram)
{
	uint64_t cmd = 0;

	Q(qtest_writeq(m->q, d->bar + 0x80, src, E));
	Q(qtest_writeq(m->q, d->bar + 0x88, dst, E));
	Q(qtest_writeq(m->q, d->bar + 0x90, len, E));
	Q(qtest_writeq(m->q, d->bar + 0x98, to_ram ? 3 : 1, E));
	/* With -icount sleep=off the halted machine jumps to edu's timer at once. */
	for (int i = 0; i < 10000; i++) {
		Q(qtest_readq(m->q, d->bar + 0x98, &cmd, E));
		if (!(cmd & 1))
			return 0;
	}
	return fail(m, EXIT_SOURCE, "edu DMA did not complete");
}

static int edu_init(struct machine *m, struct edu *d, unsigned idx)
{
	uint32_t id, ident;

	if (d->bdf >> 8) {
		/*
		 * No firmware numbers the buses: give the root port its
		 * secondary bus and a 1 MiB window per device behind it, each
		 * bus's BARs being adjacent (see the BAR rank in main).
		 */
		unsigned rpbdf = (RP_SLOT + d->rport) << 3;
		uint32_t lo = (uint32_t)(d->win_lo >> 16) & 0xfff0, hi = (uint32_t)(d->win_hi >> 16) & 0xfff0;
		Q(qtest_cfg_writel(m->q, rpbdf, 0x18, (d->bdf >> 8) << 16 | (d->bdf >> 8) << 8, E));
		Q(qtest_cfg_writel(m->q, rpbdf, 0x20, hi << 16 | lo, E));
		Q(qtest_cfg_writel(m->q, rpbdf, 0x04, 0x0006, E));
	}
	Q(qtest_cfg_readl(m->q, d->bdf, 0, &id, E));
	if (id != EDU_ID) {
		char b[16];
		bdf_str(d->bdf, b);
		return fail(m, EXIT_SOURCE, "no edu device at %s (id 0x%08x)", b, id);
	}
	(void)idx;
	Q(qtest_cfg_writel(m->q, d->bdf, 0x10, (uint32_t)d->bar, E));
	Q(qtest_cfg_writel(m->q, d->bdf, 0x04, 0x0006, E));	/* memory + bus master */
	Q(qtest_readl(m->q, d->bar, &ident, E));
	if ((ident & 0xff) != 0xed)
		return fail(m, EXIT_SOURCE, "edu at BAR 0x%llx answers ident 0x%x",
			    (unsigned long long)d->bar, ident);
	/* A pattern no table or zeroed page holds: a landed write is unmistakable. */
	uint32_t x = 0x9e3779b9u * (d->bdf + 1);
	for (unsigned i = 0; i < EDU_WSLOTS; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		d->pattern[i] = (uint8_t)(x >> 8);
	}
	/* Translation is still off: the buffer is filled from scratch RAM as is. */
	Q(qtest_memwrite(m->q, m->scratch, d->pattern, EDU_WSLOTS, E));
	int rc = edu_dma(m, d, m->scratch, EDU_BUF, EDU_WSLOTS, 0);
	if (rc)
		return rc;
	uint8_t zero[EDU_BUFLEN - EDU_WSLOTS] = { 0 };
	Q(qtest_memwrite(m->q, m->scratch, zero, sizeof(zero), E));
	return edu_dma(m, d, m->scratch, EDU_BUF + EDU_WSLOTS, sizeof(zero), 0);
}

/*
 * The bytes of read probes are in the devices' buffers, which only a DMA
 * can reach: switch translation off, copy each buffer to scratch RAM, and
 * switch it back on.  Done at the end, or when a buffer fills up.
 */
static int flush_reads(struct machine *m)
{
	uint32_t sts;
	int rc;

	if (!m->npend)
		return 0;
	Q(qtest_readl(m->q, REGBASE + R_GSTS, &sts, E));
	int was_on = (int)fld64(&vtd_l_reg_gsts, sts, "TES");
	if (was_on && (rc = set_te(m, 0)))
		return rc;
	for (unsigned i = 0; i < m->nedu; i++) {
		struct edu *d = &m->edu[i];
		uint8_t buf[EDU_BUFLEN - EDU_WSLOTS];
		if (!d->rpos)
			continue;
		if ((rc = edu_dma(m, d, EDU_BUF + EDU_WSLOTS, m->scratch, d->rpos, 1)))
			return rc;
		Q(qtest_memread(m->q, m->scratch, buf, d->rpos, E));
		for (unsigned k = 0; k < m->npend; k++) {
			struct pending *p = &m->pend[k];
			char hex[2 * EDU_WSLOTS + 1];
			if (p->edu != d)
				continue;
			const uint8_t *got = buf + p->off - EDU_WSLOTS;
			json_object_object_add(p->res, "data",
					       json_object_new_string(hexstr(got, p->len, hex)));
			if (p->has_expect) {
				int match = !memcmp(got, p->expect, p->len);
				json_object_object_add(p->res, "match", json_object_new_boolean(match));
			}
		}
		d->rpos = 0;
	}
	m->npend = 0;
	return was_on ? set_te(m, 1) : 0;
}

/* ---- script operations ------------------------------------------------------------ */

static struct edu *find_edu(struct machine *m, const struct script_probe *p, int *rc)
{
	char s[8];

	*rc = 0;
	if (!p->has_bdf) {
		if (m->nedu == 1)
			return &m->edu[0];
		*rc = fail(m, EXIT_DATA, "missing \"bdf\" (several edu devices)");
		return NULL;
	}
	for (unsigned i = 0; i < m->nedu; i++)
		if (m->edu[i].bdf == p->sid)
			return &m->edu[i];
	script_bdf_str(p->sid, s);
	*rc = fail(m, EXIT_DATA, "no edu device at %s (add --edu %s)", s, s);
	return NULL;
}

static int be_probe(void *ctx, const struct script_probe *pr)
{
	static const char *const expects[] = {
		[EXPECT_OK] = "ok", [EXPECT_DROPPED] = "dropped", [EXPECT_SUPPRESSED] = "suppressed",
	};
	struct machine *m = ctx;
	uint64_t iova = pr->iova, len = pr->len, pa = pr->pa;
	int rc, has_pa = pr->has_pa, wr = pr->write;
	struct edu *d = find_edu(m, pr, &rc);
	const char *dir = wr ? "write" : "read";
	char b[2 * EDU_WSLOTS + 1], code[8];
	const char *expect = pr->expect == EXPECT_FAULT ? code : expects[pr->expect];

	snprintf(code, sizeof(code), "0x%02x", pr->code);
	if (!d)
		return rc;
	if (!len || len > EDU_WSLOTS - 1 || iova + len < iova)
		return fail(m, EXIT_DATA, "\"len\" must be 1 to %u", EDU_WSLOTS - 1);
	if (wr && iova <= MSI_HI && iova + len > MSI_LO)
		return fail(m, EXIT_DATA, "a write to 0x%llx is an interrupt message, not a probe",
			    (unsigned long long)iova);
	if (has_pa && ((pa <= MSI_HI && pa + len > MSI_LO) ||
		       (pa < m->scratch + 0x2000 && pa + len > m->scratch)))
		return fail(m, EXIT_DATA, "\"expect_pa\" 0x%llx is not plain RAM for this harness",
			    (unsigned long long)pa);

	struct json_object *r = json_object_new_object();
	json_object_array_add(m->out, r);
	json_object_object_add(r, "kind", json_object_new_string("probe"));
	json_object_object_add(r, "line", json_object_new_int((int)m->sc.line));
	if (pr->name)
		json_object_object_add(r, "name", json_object_new_string(pr->name));
	bdf_str(d->bdf, b);
	json_object_object_add(r, "bdf", json_object_new_string(b));
	json_object_object_add(r, "dir", json_object_new_string(dir));
	json_object_object_add(r, "iova", jhex(iova));
	json_object_object_add(r, "len", json_object_new_int((int)len));
	if (has_pa)
		json_object_object_add(r, "pa", jhex(pa));

	if (wr) {
		if (d->wpos + len > EDU_WSLOTS)
			d->wpos = 0;
		unsigned off = d->wpos;
		d->wpos += (unsigned)len;
		const uint8_t *pat = d->pattern + off;
		if (has_pa) {
			/* The opposite of what should land: stale bytes cannot pass. */
			uint8_t inv[EDU_WSLOTS];
			for (unsigned i = 0; i < len; i++)
				inv[i] = (uint8_t)~pat[i];
			Q(qtest_memwrite(m->q, pa, inv, len, E));
		}
		if ((rc = edu_dma(m, d, EDU_BUF + off, iova, (unsigned)len, 1)))
			return rc;
		if (has_pa) {
			uint8_t got[EDU_WSLOTS];
			Q(qtest_memread(m->q, pa, got, len, E));
			int match = !memcmp(got, pat, len);
			json_object_object_add(r, "data", json_object_new_string(hexstr(got, len, b)));
			json_object_object_add(r, "match", json_object_new_boolean(match));
		}
	} else {
		if (EDU_WSLOTS + d->rpos + len > EDU_BUFLEN && (rc = flush_reads(m)))
			return rc;
		if (m->npend == m->cappend) {
			unsigned cap = m->cappend ? 2 * m->cappend : 64;
			struct pending *np = realloc(m->pend, cap * sizeof(*np));
			if (!np)
				return fail(m, EXIT_INTERNAL, "out of memory");
			m->pend = np;
			m->cappend = cap;
		}
		struct pending *p = &m->pend[m->npend++];
		p->res = r;
		p->edu = d;
		p->off = EDU_WSLOTS + d->rpos;
		p->len = (unsigned)len;
		d->rpos += (unsigned)len;
		p->has_expect = has_pa;
		if (has_pa)
			Q(qtest_memread(m->q, pa, p->expect, len, E));
		if ((rc = edu_dma(m, d, iova, EDU_BUF + p->off, (unsigned)len, 0)))
			return rc;
	}

	struct json_object *faults;
	int overflow = 0;
	if ((rc = take_faults(m, &faults, &overflow)))
		return rc;
	int nf = (int)json_object_array_length(faults);
	json_object_object_add(r, "result", json_object_new_string(nf ? "fault" : "ok"));
	if (nf)
		json_object_object_add(r, "fault",
				       json_object_get(json_object_array_get_idx(faults, 0)));
	if (nf > 1)
		json_object_object_add(r, "more_faults", json_object_get(faults));
	json_object_put(faults);
	if (overflow)
		json_object_object_add(r, "overflow", json_object_new_boolean(1));
	/* Only the trace tells a fault that FPD suppressed from a silent drop. */
	int suppressed = trace_since(m, "vtd_fault_disabled");
	if (suppressed)
		json_object_object_add(r, "suppressed", json_object_new_int(suppressed));
	if (expect) {
		if (pr->expect == EXPECT_DROPPED && !has_pa)
			return fail(m, EXIT_DATA, "\"expect\": \"dropped\" needs \"expect_pa\"");
		json_object_object_add(r, "expect", json_object_new_string(expect));
	}
	return 0;
}

static int be_write(void *ctx, uint64_t pa, const uint8_t *buf, size_t len)
{
	struct machine *m = ctx;
	struct vtd_error e = { 0 };

	return qtest_memwrite(m->q, pa, buf, len, &e) < 0 ? qfail(m, &e) : 0;
}

static int be_load(void *ctx, const char *path, uint64_t pa)
{
	struct machine *m = ctx;
	uint8_t *data;
	size_t len;
	struct vtd_error e = { 0 };

	if (cli_read_file(path, 256u << 20, &data, &len, &e) < 0)
		return fail(m, EXIT_SOURCE, "%s: %s", path, e.msg);
	if (pa < m->scratch + 0x2000 && pa + len > m->scratch) {
		free(data);
		return fail(m, EXIT_USAGE, "%s at 0x%llx overlaps the harness's scratch pages at 0x%llx "
			    "(see --scratch)", path, (unsigned long long)pa,
			    (unsigned long long)m->scratch);
	}
	/* RAM starts zeroed: only pages with data need to cross the pipe. */
	for (size_t off = 0; off < len; off += 4096) {
		size_t n = len - off < 4096 ? len - off : 4096;
		size_t k = 0;
		while (k < n && !data[off + k])
			k++;
		if (k < n && qtest_memwrite(m->q, pa + off, data + off, n, &e) < 0) {
			free(data);
			return qfail(m, &e);
		}
	}
	free(data);
	return 0;
}

static int be_ccmd(void *ctx, uint64_t ccmd)
{
	return reg_inv(ctx, R_CCMD, ccmd, "ICC", &vtd_l_reg_ccmd);
}

static int be_iotlb(void *ctx, uint64_t iotlb, uint64_t iva)
{
	struct machine *m = ctx;

	Q(qtest_writeq(m->q, REGBASE + m->iro, iva, E));
	return reg_inv(m, m->iro + 8, iotlb, "IVT", &vtd_l_reg_iotlb);
}

static int be_regs(void *ctx)
{
	struct machine *m = ctx;
	static const struct { const char *name; unsigned off, size; } regs[] = {
		{ "ver", R_VER, 4 }, { "cap", R_CAP, 8 }, { "ecap", R_ECAP, 8 },
		{ "gsts", R_GSTS, 4 }, { "rtaddr", R_RTADDR, 8 }, { "fsts", R_FSTS, 4 },
	};
	struct json_object *r = json_object_new_object();

	json_object_array_add(m->out, r);
	json_object_object_add(r, "kind", json_object_new_string("regs"));
	json_object_object_add(r, "line", json_object_new_int((int)m->sc.line));
	for (size_t i = 0; i < VTD_NELEM(regs); i++) {
		uint64_t v = 0;
		uint32_t l;
		if (regs[i].size == 8) {
			Q(qtest_readq(m->q, REGBASE + regs[i].off, &v, E));
		} else {
			Q(qtest_readl(m->q, REGBASE + regs[i].off, &l, E));
			v = l;
		}
		json_object_object_add(r, regs[i].name, jhex(v));
	}
	return 0;
}

/* Queued invalidation: the queue lives in the harness's second scratch page. */
#define QI_SLOTS 128

static int qi_enable(struct machine *m)
{
	/* 256-bit descriptors in scalable mode, where they are the only kind. */
	Q(qtest_writeq(m->q, REGBASE + R_IQT, 0, E));
	Q(qtest_writeq(m->q, REGBASE + R_IQA, regv(&vtd_l_reg_iqa, "IQA",
		       (m->scratch + 0x1000) >> 12, "DW", (uint64_t)m->scalable, NULL), E));
	int rc = gcmd_bit(m, "QIE", "QIES", 1);
	if (!rc) {
		m->qi = 1;
		m->qtail = 0;
	}
	return rc;
}

static int be_qi(void *ctx, const uint8_t *desc, unsigned n)
{
	struct machine *m = ctx;
	unsigned size = m->sc.qi_width;
	int rc;

	if (!m->qi && (rc = qi_enable(m)))
		return rc;
	for (unsigned i = 0; i < n; i++) {
		Q(qtest_memwrite(m->q, m->scratch + 0x1000 + m->qtail * size, desc + i * size, size,
				 E));
		m->qtail = (m->qtail + 1) % QI_SLOTS;
	}
	/* QEMU runs the queue when the tail moves; the head catching up means done. */
	uint64_t iqt = regv(&vtd_l_reg_iqt, "QT", (uint64_t)m->qtail * size / 16, NULL), iqh = 0;
	uint32_t fsts = 0;
	Q(qtest_writeq(m->q, REGBASE + R_IQT, iqt, E));
	for (int i = 0; i < 1000; i++) {
		Q(qtest_readq(m->q, REGBASE + R_IQH, &iqh, E));
		Q(qtest_readl(m->q, REGBASE + R_FSTS, &fsts, E));
		if (iqh == iqt || fld64(&vtd_l_reg_fsts, fsts, "IQE"))
			break;
	}
	if (fld64(&vtd_l_reg_fsts, fsts, "IQE"))
		return fail(m, EXIT_SOURCE, "QEMU refused a queued descriptor (FSTS.IQE, head 0x%llx)",
			    (unsigned long long)iqh);
	if (iqh != iqt)
		return fail(m, EXIT_SOURCE, "the invalidation queue did not drain");
	return 0;
}

static int be_enable(void *ctx, uint64_t rtaddr)
{
	return enable(ctx, rtaddr);
}

static int be_disable(void *ctx)
{
	return set_te(ctx, 0);
}

static const struct script_backend qemu_backend = {
	.load = be_load, .write = be_write, .enable = be_enable, .disable = be_disable,
	.probe = be_probe, .ccmd = be_ccmd, .iotlb = be_iotlb, .qi = be_qi, .regs = be_regs,
};

/* ---- the machine ------------------------------------------------------------------- */


static int handle(struct cli *c, int key, const char *arg, void *ctx)
{
	struct opts *o = ctx;
	uint64_t v;
	int mr = script_machine_opt(c, key, arg, &o->mach);

	if (mr)
		return mr < 0 ? -1 : 0;
	switch (key) {
	case 'c': o->caching_mode = 1; break;
	case 'e':
		if (o->nedu == EDU_MAX || script_bdf(arg, &o->edus[o->nedu]) ||
		    (o->edus[o->nedu] >> 8 && o->edus[o->nedu] >> 3 & 0x1f) ||
		    (!(o->edus[o->nedu] >> 8) && (o->edus[o->nedu] >> 3) >= RP_SLOT)) {
			cli_error(c, EXIT_USAGE, "--edu '%s': at most %d devices, each 00:DD.F "
				  "(DD below %02x) or BB:00.F on another bus", arg, EDU_MAX, RP_SLOT);
			return -1;
		}
		o->nedu++;
		break;
	case 't': o->trace = arg; break;
	case 'L': o->qlog = arg; break;
	case 'o': o->output = arg; break;
	case OPT_SCRATCH:
		if (vtd_parse_u64(arg, &o->scratch) || o->scratch & 0xfff) {
			cli_error(c, EXIT_USAGE, "--scratch must be a 4 KiB aligned address");
			return -1;
		}
		break;
	case OPT_TIMEOUT:
		if (vtd_parse_u64(arg, &v) || !v || v > 600000) {
			cli_error(c, EXIT_USAGE, "--timeout must be 1 to 600000 ms");
			return -1;
		}
		o->timeout_ms = (int)v;
		break;
	case OPT_QEMU: o->qemu = arg; break;
	case OPT_TAP: o->tap = 1; break;
	}
	return 0;
}

/*
 * Does a probe's outcome agree with what its script line expected?  "ok": no
 * fault and the bytes where expected; "dropped": no fault and no bytes (QEMU
 * discards a DMA that an IOTLB hit forbids without recording a fault); a
 * reason code: that fault.  Read probes know their bytes only after the
 * final flush, so this runs at the end.
 */
static unsigned judge(struct json_object *out)
{
	unsigned bad = 0;

	for (size_t i = 0; i < json_object_array_length(out); i++) {
		struct json_object *r = json_object_array_get_idx(out, i), *x, *f;
		int has_match = json_object_object_get_ex(r, "match", &x);
		int match = has_match && json_object_get_boolean(x);
		int fault = json_object_object_get_ex(r, "fault", &f);
		const char *expect = json_object_object_get_ex(r, "expect", &x) ?
				     json_object_get_string(x) : NULL;
		int agree;

		if (!expect && !has_match)
			continue;
		if (!expect)
			agree = match;
		else if (!strcmp(expect, "ok"))
			agree = !fault && (!has_match || match);
		else if (!strcmp(expect, "dropped"))
			agree = !fault && has_match && !match &&
				!json_object_object_get_ex(r, "suppressed", &x);
		else if (!strcmp(expect, "suppressed"))
			agree = !fault && json_object_object_get_ex(r, "suppressed", &x) &&
				(!has_match || !match);
		else
			agree = fault && json_object_object_get_ex(f, "reason", &x) &&
				strtoull(json_object_get_string(x), NULL, 16) ==
				strtoull(expect, NULL, 0);
		json_object_object_add(r, "agree", json_object_new_boolean(agree));
		bad += !agree;
	}
	return bad;
}

static const char *jget(struct json_object *o, const char *key)
{
	struct json_object *x;
	return json_object_object_get_ex(o, key, &x) ? json_object_get_string(x) : NULL;
}

/* One TAP line per probe that carried an expectation, for the test suites. */
static void print_tap(struct json_object *out)
{
	for (size_t i = 0; i < json_object_array_length(out); i++) {
		struct json_object *r = json_object_array_get_idx(out, i), *f, *x;
		const char *expect = jget(r, "expect"), *match = jget(r, "match");
		if (!expect && !match)
			continue;
		int ok = json_object_object_get_ex(r, "agree", &x) && json_object_get_boolean(x);
		char got[160];
		if (json_object_object_get_ex(r, "fault", &f))
			snprintf(got, sizeof(got), "fault %s at %s (%s)", jget(f, "reason"),
				 jget(f, "addr"), jget(f, "text"));
		else
			snprintf(got, sizeof(got), "ok%s%s%s", match ? ", data at " : "",
				 match ? jget(r, "pa") : "",
				 match ? (!strcmp(match, "true") ? " matches" : " DIFFERS") : "");
		printf("%sok - %s: %s %s %s: expected %s, got %s\n", ok ? "" : "not ",
		       jget(r, "name") ? jget(r, "name") : jget(r, "line"), jget(r, "dir"),
		       jget(r, "bdf"), jget(r, "iova"), expect ? expect : "data", got);
	}
}

/* A BIOS that halts at the reset vector: no firmware touches the machine. */
static int make_bios(char *dir, char *path, size_t size)
{
	uint8_t img[65536] = { 0 };
	static const uint8_t halt[] = { 0xfa, 0xf4, 0xeb, 0xfd };	/* cli; hlt; jmp $-1 */
	memcpy(img + 0xfff0, halt, sizeof(halt));
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, size, "%s/HALT.bin", dir);
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t n = fwrite(img, 1, sizeof(img), f);
	return fclose(f) || n != sizeof(img) ? -1 : 0;
}

/* The root port that leads to 'bus': one per distinct bus, in order of appearance. */
static unsigned root_port(const struct opts *o, unsigned bus)
{
	unsigned rp = 0;

	for (unsigned i = 0; i < o->nedu; i++) {
		unsigned b = o->edus[i] >> 8, seen = 0;
		if (!b)
			continue;
		if (b == bus)
			return rp;
		for (unsigned k = 0; k < i; k++)
			seen |= o->edus[k] >> 8 == b;
		rp += !seen;
	}
	return rp;
}

static int start_qemu(struct machine *m, struct opts *o, const char *bios)
{
	char *argv[80], iommu[128], ram[32], devs[EDU_MAX][96], trace[4200];
	char rports[EDU_MAX][96] = { { 0 } };
	unsigned n = 0;

	snprintf(ram, sizeof(ram), "%lluM", (unsigned long long)(o->mach.ram >> 20));
	snprintf(iommu, sizeof(iommu), "intel-iommu%s%s%s",
		 o->mach.scalable ? ",x-scalable-mode=on" : "",
		 o->mach.aw_bits == 48 ? ",aw-bits=48" : o->mach.aw_bits == 39 ? ",aw-bits=39" : "",
		 o->caching_mode ? ",caching-mode=on" : "");
	argv[n++] = (char *)o->qemu;
	argv[n++] = (char *)"-machine";
	argv[n++] = (char *)"q35,kernel-irqchip=split";
	argv[n++] = (char *)"-nodefaults";
	argv[n++] = (char *)"-display";
	argv[n++] = (char *)"none";
	argv[n++] = (char *)"-m";
	argv[n++] = ram;
	argv[n++] = (char *)"-bios";
	argv[n++] = (char *)bios;
	/* With the CPU halted, virtual time leaps to the next timer: edu's DMA. */
	argv[n++] = (char *)"-icount";
	argv[n++] = (char *)"shift=0,sleep=off";
	argv[n++] = (char *)"-qtest-log";
	argv[n++] = (char *)"/dev/null";
	/* intel-iommu must come before the PCI devices it translates for. */
	argv[n++] = (char *)"-device";
	argv[n++] = iommu;
	/* Another bus is the secondary bus of a root port of its own. */
	for (unsigned i = 0; i < o->nedu; i++) {
		unsigned bus = o->edus[i] >> 8, slot = o->edus[i] >> 3 & 0x1f, fn = o->edus[i] & 7;
		unsigned multi = 0, rp = root_port(o, bus);
		for (unsigned k = 0; k < o->nedu; k++)
			multi |= k != i && o->edus[k] >> 3 == o->edus[i] >> 3;
		if (bus && !rports[rp][0]) {
			snprintf(rports[rp], sizeof(rports[rp]),
				 "pcie-root-port,id=rp%u,bus=pcie.0,addr=%02x.0,chassis=%u,slot=%u",
				 rp, RP_SLOT + rp, rp + 1, rp + 1);
			argv[n++] = (char *)"-device";
			argv[n++] = rports[rp];
		}
		char on[16] = "";
		if (bus)
			snprintf(on, sizeof(on), "bus=rp%u,", rp);
		snprintf(devs[i], sizeof(devs[i]), "edu,%saddr=%02x.%u,dma_mask=0xffffffffffffffff%s",
			 on, slot, fn, multi && !fn ? ",multifunction=on" : "");
		argv[n++] = (char *)"-device";
		argv[n++] = devs[i];
	}
	{
		snprintf(trace, sizeof(trace), "%s", o->trace);
		argv[n++] = (char *)"-trace";
		argv[n++] = (char *)"vtd_*";
		argv[n++] = (char *)"-D";
		argv[n++] = trace;
	}
	argv[n] = NULL;
	struct vtd_error e = { 0 };
	if (qtest_start(argv, o->qlog, o->timeout_ms, &m->q, &e) < 0)
		return fail(m, EXIT_SOURCE, "%s", e.msg);
	/* The first answer proves QEMU is up and speaks qtest. */
	uint32_t ver;
	int rdy = qtest_readl(m->q, REGBASE + R_VER, &ver, &e);
	m->trace = fopen(o->trace, "r");
	if (rdy < 0)
		return fail(m, EXIT_SOURCE, "QEMU did not start (%s%s%s)", e.msg,
			    o->qlog ? "; see " : "", o->qlog ? o->qlog : "");
	struct json_object *r = json_object_new_object();
	json_object_object_add(r, "kind", json_object_new_string("machine"));
	json_object_object_add(r, "iommu", json_object_new_string(iommu));
	json_object_object_add(r, "ver", jhex(ver));
	json_object_array_add(m->out, r);
	int rc = iommu_init(m);
	if (rc)
		return rc;
	json_object_object_add(r, "cap", jhex(m->cap));
	json_object_object_add(r, "ecap", jhex(m->ecap));
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { .qemu = "qemu-system-x86_64", .mach.ram = 256ull << 20, .timeout_ms = 20000 };
	struct cli c = {
		.prog = "qprobe", .opts = options,
		.usage = "Usage: qprobe [OPTIONS] SCRIPT.jsonl|-\n",
		.more = "Runs the operations of SCRIPT (one JSON object per line: probe, write, load,\n"
			"enable, disable, inv, qi, regs) against QEMU's intel-iommu and prints one JSON\n"
			"line per result.  Exit status: 0 ok, 1 a probe disagreed with its\n"
			"\"expect\"/\"expect_pa\", 2 usage, 3 bad script, 4 QEMU failed.\n",
	};
	struct machine m = { .sc = { .cli = &c } };
	char dir[] = "/tmp/qprobe.XXXXXX", bios[64];
	uint8_t *text = NULL;
	size_t len;
	struct vtd_error e = { 0 };
	int rc = 0;

	int first = cli_parse(&c, argc, argv, handle, &o);
	if (first < 0)
		return EXIT_USAGE;
	if (argc - first != 1) {
		cli_error(&c, EXIT_USAGE, "expected one SCRIPT operand ('-' for stdin)");
		return EXIT_USAGE;
	}
	if (!o.nedu)
		o.edus[o.nedu++] = 3 << 3;
	m.scratch = o.scratch ? o.scratch : o.mach.ram - 0x2000;
	if (m.scratch + 0x2000 > o.mach.ram) {
		cli_error(&c, EXIT_USAGE, "--scratch 0x%llx is outside the %llu MiB of RAM",
			  (unsigned long long)m.scratch, (unsigned long long)(o.mach.ram >> 20));
		return EXIT_USAGE;
	}
	m.sc.name = argv[first];
	if (cli_read_file(argv[first], 64u << 20, &text, &len, &e) < 0)
		return cli_report(&c, &e, -e.code);
	if (make_bios(dir, bios, sizeof(bios))) {
		free(text);
		cli_error(&c, EXIT_SOURCE, "cannot write the halt BIOS in %s: %s", dir, strerror(errno));
		return EXIT_SOURCE;
	}
	char tpath[64];
	if (!o.trace) {
		snprintf(tpath, sizeof(tpath), "%s/trace.log", dir);
		o.trace = tpath;
	}
	m.out = json_object_new_array();
	m.nedu = o.nedu;
	m.scalable = o.mach.scalable;
	/* 256-bit descriptors in scalable mode, where they are the only kind. */
	m.sc.qi_width = m.scalable ? 32 : 16;
	rc = start_qemu(&m, &o, bios);
	/* BARs in bus order, so that each bus's window is one range. */
	for (unsigned i = 0; i < o.nedu; i++) {
		unsigned rank = 0, bus = o.edus[i] >> 8;
		for (unsigned k = 0; k < o.nedu; k++)
			rank += (o.edus[k] >> 8) < bus || ((o.edus[k] >> 8) == bus && k < i);
		m.edu[i].bdf = o.edus[i];
		m.edu[i].bar = EDU_BAR_BASE + 0x100000ull * rank;
		m.edu[i].rport = root_port(&o, bus);
	}
	for (unsigned i = 0; i < o.nedu; i++) {
		m.edu[i].win_lo = m.edu[i].win_hi = m.edu[i].bar;
		for (unsigned k = 0; k < o.nedu; k++) {
			if (o.edus[k] >> 8 != o.edus[i] >> 8)
				continue;
			if (m.edu[k].bar < m.edu[i].win_lo)
				m.edu[i].win_lo = m.edu[k].bar;
			if (m.edu[k].bar > m.edu[i].win_hi)
				m.edu[i].win_hi = m.edu[k].bar;
		}
	}
	for (unsigned i = 0; !rc && i < o.nedu; i++)
		rc = edu_init(&m, &m.edu[i], i);
	for (unsigned i = 0; !rc && i < o.mach.nloads; i++)
		rc = script_load_spec(&m.sc, o.mach.loads[i], &qemu_backend, &m);
	if (!rc)
		rc = script_run(&m.sc, (char *)text, len, &qemu_backend, &m);
	/* The bytes of read probes are still in the devices' buffers. */
	if (!rc)
		rc = flush_reads(&m);
	qtest_stop(m.q);
	if (m.trace)
		fclose(m.trace);
	if (o.trace == tpath)
		unlink(tpath);
	unlink(bios);
	rmdir(dir);
	free(text);
	free(m.pend);
	if (!rc) {
		struct vtd_sbuf sb = { 0 };
		m.disagree = judge(m.out);
		for (size_t i = 0; i < json_object_array_length(m.out); i++)
			vtd_sbuf_addf(&sb, "%s\n", json_object_to_json_string_ext(
				json_object_array_get_idx(m.out, i), JSON_C_TO_STRING_PLAIN));
		const char *s = vtd_sbuf_str(&sb);
		if (o.tap)
			print_tap(m.out);
		if (o.output) {
			if (cli_write_file(o.output, s, strlen(s), &e) < 0)
				rc = cli_report(&c, &e, -e.code);
		} else if (!o.tap) {
			fputs(s, stdout);
		}
		vtd_sbuf_release(&sb);
		if (!rc && m.disagree)
			rc = EXIT_FINDING;
	}
	json_object_put(m.out);
	return rc;
}
