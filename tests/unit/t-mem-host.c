/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests: the running machine's memory sources, "devmem:" and
 * "kcore:", on files standing in for /dev/mem and /proc/kcore (a kcore
 * built here with its quirks: segments without a physical address, the
 * kernel text over RAM), and on the real ones when this machine lets us.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mem.h"
#include "runs.h"
#include "tap.h"

static char dir[] = "/tmp/vtd-t-mem-host.XXXXXX";

/* An environment limit, not a failure: a TAP skip. */
static void skip(const char *what, const char *why)
{
	ok(1, "%s # SKIP %s", what, why);
}

static const char *path_in(const char *name)
{
	static char p[4][256];
	static unsigned k;
	char *out = p[k++ % 4];

	snprintf(out, sizeof(p[0]), "%s/%s", dir, name);
	return out;
}

static int write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600), rc;

	if (fd < 0)
		return -1;
	rc = write(fd, data, len) == (ssize_t)len ? 0 : -1;
	close(fd);
	return rc;
}

static struct vtd_mem *open_ok(const char *spec, struct vtd_error *err)
{
	struct vtd_mem *m = NULL;

	memset(err, 0, sizeof(*err));
	if (vtd_mem_open(spec, &m, err))
		return NULL;
	return m;
}

static int open_rc(const char *spec, struct vtd_error *err)
{
	struct vtd_mem *m = NULL;
	int rc;

	memset(err, 0, sizeof(*err));
	rc = vtd_mem_open(spec, &m, err);
	vtd_mem_close(m);
	return rc;
}

/*
 * Open 'spec' as an unprivileged user in a child, so that a root test run
 * still sees what a user sees; the code and message come back through a
 * pipe.  -1000 when that cannot be arranged.
 */
static int open_as_nobody(const char *spec, char *msg, size_t n)
{
	int pfd[2], rc = -1000, status;
	pid_t pid;

	msg[0] = 0;
	if (pipe(pfd))
		return -1000;
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1000;
	}
	if (!pid) {
		struct vtd_error err;
		char out[sizeof(err.msg) + 16];
		int r;

		close(pfd[0]);
		if (geteuid() == 0 && (setgid(65534) || setuid(65534)))
			_exit(2);
		r = open_rc(spec, &err);
		snprintf(out, sizeof(out), "%d %s", r, err.msg);
		if (write(pfd[1], out, strlen(out) + 1) < 0)
			_exit(3);
		_exit(0);
	}
	close(pfd[1]);
	{
		char in[512] = "";
		ssize_t r = read(pfd[0], in, sizeof(in) - 1);
		char *sp;

		if (r > 0) {
			in[r] = 0;
			rc = (int)strtol(in, &sp, 10);
			snprintf(msg, n, "%s", *sp ? sp + 1 : "");
		}
	}
	close(pfd[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		rc = -1000;
	return rc;
}

static void test_devmem_file(void)
{
	uint8_t img[0x2000], got[32];
	char spec[300];
	struct vtd_mem *m;
	struct vtd_error err;
	uint64_t base, size;
	int rc;

	for (size_t i = 0; i < sizeof(img); i++)
		img[i] = (uint8_t)(i * 7);
	ok(write_file(path_in("mem"), img, sizeof(img)) == 0, "write a file to stand in for /dev/mem");
	snprintf(spec, sizeof(spec), "devmem:%s", path_in("mem"));
	m = open_ok(spec, &err);
	ok(m != NULL, "devmem: on a regular file opens: %s", err.msg);
	if (!m)
		return;
	is_str(vtd_mem_name(m), "devmem", "backend name");
	ok(vtd_mem_read(m, 0x1ff0, got, 16, &err) == 0 && !memcmp(got, img + 0x1ff0, 16),
	   "reads at the physical address as file offset");
	memset(&err, 0, sizeof(err));
	rc = vtd_mem_read(m, 0x1ff8, got, 16, &err);
	ok(rc == -VTD_EUNMAPPED && err.has_addr && err.addr == 0x2000,
	   "a short read is a hole at the first missing address: %s", err.msg);
	ok(vtd_mem_read(m, 0x8000000000000000ULL, got, 8, &err) == -VTD_EUNMAPPED,
	   "an address pread cannot reach is a hole: %s", err.msg);
	ok(vtd_mem_write(m, 0, got, 8, &err) == -VTD_ENOTSUP, "devmem is read-only");
	ok(vtd_mem_next(m, 0, &base, &size) == -VTD_ENOTSUP, "devmem cannot enumerate");
	vtd_mem_close(m);

	snprintf(spec, sizeof(spec), "devmem:%s", path_in("nosuch"));
	ok(open_rc(spec, &err) == -VTD_EIO && err.sys_errno == ENOENT && strstr(err.msg, "nosuch"),
	   "a missing file: %s", err.msg);
	snprintf(spec, sizeof(spec), "devmem:%s", dir);
	m = open_ok(spec, &err);
	memset(&err, 0, sizeof(err));
	ok(m && vtd_mem_read(m, 0, got, 8, &err) == -VTD_EIO && err.sys_errno == EISDIR &&
	   strstr(err.msg, "0x0"), "a failed read names the address: %s", err.msg);
	vtd_mem_close(m);

	/* What a user without the right sees: the one-line explanation. */
	{
		char msg[300];

		snprintf(spec, sizeof(spec), "devmem:%s", path_in("mem"));
		rc = open_as_nobody(spec, msg, sizeof(msg));
		if (rc == -1000)
			skip("devmem: permission message", "cannot run a child as an unprivileged user");
		else if (rc == 0)
			skip("devmem: permission message", "the unprivileged user may read the file");
		else
			ok(rc == -VTD_EPERM && strstr(msg, "STRICT_DEVMEM") && strstr(msg, "kcore:"),
			   "devmem: refused open says why and what to try: %s", msg);
	}
}

/* One program header of a synthetic kcore. */
struct kseg {
	uint32_t type;
	uint64_t vaddr, paddr, size;
	uint8_t fill;
	uint64_t off;		/* non-zero: this p_offset, no bytes written */
};

#define PAGE_OFFSET 0xffff888000000000ULL
#define KTEXT 0xffffffff81000000ULL
#define NO_PADDR (~0ULL)

/*
 * The kcore layout by hand: ELF header, program headers, then each
 * segment's bytes (filled with its 'fill' byte) from offset 0x1000 on.
 */
static int make_kcore(const char *path, const struct kseg *s, size_t n)
{
	Elf64_Ehdr eh = { 0 };
	Elf64_Phdr ph[16];
	uint64_t off = 0x1000;
	uint8_t page[0x1000];
	int fd, rc = 0;

	if (n > 16)
		return -1;
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_CORE;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = (Elf64_Half)n;
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		memset(&ph[i], 0, sizeof(ph[i]));
		ph[i].p_type = s[i].type;
		ph[i].p_flags = PF_R | PF_W | PF_X;
		ph[i].p_offset = s[i].off ? s[i].off : off;
		ph[i].p_vaddr = s[i].vaddr;
		ph[i].p_paddr = s[i].paddr;
		ph[i].p_filesz = ph[i].p_memsz = s[i].size;
		ph[i].p_align = 0x1000;
		memset(page, s[i].fill, sizeof(page));
		if (s[i].off)
			continue;
		for (uint64_t k = 0; k < s[i].size && !rc; k += sizeof(page)) {
			size_t w = s[i].size - k < sizeof(page) ? (size_t)(s[i].size - k) : sizeof(page);

			rc = pwrite(fd, page, w, (off_t)(off + k)) == (ssize_t)w ? 0 : -1;
		}
		off += (s[i].size + 0xff) & ~0xffULL;
	}
	if (!rc && (pwrite(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
		    pwrite(fd, ph, n * sizeof(ph[0]), sizeof(eh)) != (ssize_t)(n * sizeof(ph[0]))))
		rc = -1;
	close(fd);
	return rc;
}

static void test_kcore_file(void)
{
	/*
	 * As /proc/kcore lists them: notes, text (inside RAM 2), vmalloc and
	 * vmemmap without a physical address, two RAM ranges; and one more
	 * segment reaching past RAM 2's end, of which only the rest remains.
	 * Modules below PAGE_OFFSET sit at a wrapped, impossible offset.
	 */
	const struct kseg segs[] = {
		{ PT_NOTE, 0, 0, 0x100, 0x00 },
		{ PT_LOAD, KTEXT, 0x12000, 0x2000, 0x77 },
		{ PT_LOAD, 0xffffc90000000000ULL, NO_PADDR, 0x3000, 0x99 },
		{ PT_LOAD, 0xffffea0000000000ULL, NO_PADDR, 0x1000, 0x98 },
		{ PT_LOAD, PAGE_OFFSET + 0x10000, 0x10000, 0x8000, 0xa2 },
		{ PT_LOAD, PAGE_OFFSET, 0x0, 0x4000, 0xa1 },
		{ PT_LOAD, 0xffffffffa0000000ULL, 0x17000, 0x2000, 0x33 },
		{ PT_LOAD, 0xffff800000000000ULL, NO_PADDR, 0x1000, 0, 0xfffff88000001000ULL },
	};
	const struct kseg none[] = {
		{ PT_LOAD, 0xffffc90000000000ULL, NO_PADDR, 0x1000, 0x99 },
	};
	char spec[300];
	struct vtd_mem *m;
	struct vtd_error err;
	uint8_t got[16];
	uint64_t base, size;

	ok(make_kcore(path_in("kcore"), segs, sizeof(segs) / sizeof(segs[0])) == 0,
	   "build a kcore-like ELF core");
	snprintf(spec, sizeof(spec), "kcore:%s", path_in("kcore"));
	m = open_ok(spec, &err);
	ok(m != NULL, "kcore: opens it: %s", err.msg);
	if (!m)
		return;
	is_str(vtd_mem_name(m), "kcore", "backend name");
	is_str(runs(m), "0x0+0x4000 0x10000+0x9000",
	       "next: RAM only, each physical page once, vmalloc, vmemmap and modules left out");
	ok(vtd_mem_read(m, 0x12000, got, 16, &err) == 0 && got[0] == 0xa2 && got[15] == 0xa2,
	   "the text's physical pages read through the direct map");
	ok(vtd_mem_read(m, 0x17ff8, got, 16, &err) == 0 && got[7] == 0xa2 && got[8] == 0x33,
	   "a segment over RAM's end keeps only what RAM does not hold");
	ok(vtd_mem_read(m, 0x3ff0, got, 16, &err) == 0 && got[0] == 0xa1,
	   "RAM listed last, placed first");
	memset(&err, 0, sizeof(err));
	ok(vtd_mem_read(m, 0x4000, got, 8, &err) == -VTD_EUNMAPPED && err.has_addr,
	   "a gap between RAM ranges is a hole: %s", err.msg);
	ok(vtd_mem_read(m, 0xffffc90000000000ULL, got, 8, &err) == -VTD_EUNMAPPED,
	   "vmalloc's virtual address is no physical address");
	ok(vtd_mem_write(m, 0, got, 8, &err) == -VTD_ENOTSUP, "kcore is read-only");
	ok(vtd_mem_next(m, 0x19000, &base, &size) == 0, "next past the last run: none");
	vtd_mem_close(m);

	snprintf(spec, sizeof(spec), "elf:%s", path_in("kcore"));
	ok(open_rc(spec, &err) == -VTD_EFORMAT, "the elf source refuses the same file: %s",
	   err.msg);
	ok(make_kcore(path_in("kcore-none"), none, 1) == 0 &&
	   (snprintf(spec, sizeof(spec), "kcore:%s", path_in("kcore-none")),
	    open_rc(spec, &err) == -VTD_EFORMAT && strstr(err.msg, "physical address")),
	   "a kcore without physical addresses refused: %s", err.msg);
	snprintf(spec, sizeof(spec), "kcore:%s", path_in("nosuch"));
	ok(open_rc(spec, &err) == -VTD_EIO && err.sys_errno == ENOENT, "a missing file: %s",
	   err.msg);
}

/*
 * Random overlapping segments, some in the direct map: the source holds
 * exactly their union, and each byte reads from a segment that covers it,
 * one in the direct map when there is one.
 */
#define UNITS 192	/* 0x100-byte units the segments may reach */

static void test_kcore_random(void)
{
	uint64_t rng = 0x2545f4914f6cdd1dULL;
	unsigned bad = 0, trials = 100;

	for (unsigned t = 0; t < trials; t++) {
		struct kseg s[8];
		size_t n = 1 + t % 8;
		uint8_t cover[UNITS];	/* per 0x100 bytes: 0x80 a direct segment's, 0x10 another's */
		char spec[300], want[512], got_s[512];
		struct vtd_mem *m;
		struct vtd_error err;
		size_t o = 0;

		for (size_t i = 0; i < n; i++) {
			rng ^= rng << 13;
			rng ^= rng >> 7;
			rng ^= rng << 17;
			s[i].type = PT_LOAD;
			s[i].paddr = (rng % 48) * 0x100;
			s[i].size = (1 + (rng >> 8) % 16) * 0x100;
			/* Direct map when bit 20 says so; else one of two other mappings. */
			s[i].vaddr = s[i].paddr + ((rng >> 20 & 1) ? PAGE_OFFSET
						   : (rng >> 21 & 1) ? KTEXT : 0xffffffffa0000000ULL);
			s[i].fill = (uint8_t)(((rng >> 20 & 1) ? 0x80 : 0x10) + i);
			s[i].off = 0;
		}
		/* The direct map holds the most bytes: one RAM segment larger than all others. */
		s[0].vaddr = s[0].paddr + PAGE_OFFSET;
		s[0].size = 0x8000;
		s[0].fill = 0x80;
		memset(cover, 0, sizeof(cover));
		for (size_t i = 0; i < n; i++)
			for (uint64_t u = s[i].paddr / 0x100; u < (s[i].paddr + s[i].size) / 0x100; u++)
				if (!cover[u] || (s[i].fill & 0x80))
					cover[u] = (s[i].fill & 0x80) ? 0x80 : 0x10;
		want[0] = 0;
		for (unsigned u = 0; u < UNITS;) {
			unsigned v = u;

			while (v < UNITS && cover[v])
				v++;
			if (v > u)
				o += (size_t)snprintf(want + o, sizeof(want) - o, "%s0x%x+0x%x",
						      o ? " " : "", u * 0x100, (v - u) * 0x100);
			u = v > u ? v : u + 1;
		}
		if (make_kcore(path_in("kcore-r"), s, n)) {
			bad++;
			continue;
		}
		snprintf(spec, sizeof(spec), "kcore:%s", path_in("kcore-r"));
		m = open_ok(spec, &err);
		if (!m) {
			printf("# trial %u: %s\n", t, err.msg);
			bad++;
			continue;
		}
		snprintf(got_s, sizeof(got_s), "%s", runs(m));
		if (strcmp(got_s, want)) {
			printf("# trial %u: runs %s, want %s\n", t, got_s, want);
			bad++;
		}
		for (unsigned u = 0; u < UNITS; u++) {
			uint8_t b;

			if (cover[u] && (vtd_mem_read(m, u * 0x100 + 0x80, &b, 1, &err) ||
					 (b & 0x80) != (cover[u] & 0x80))) {
				printf("# trial %u: 0x%x reads 0x%x, want a %s segment's\n", t,
				       u * 0x100 + 0x80, b, cover[u] & 0x80 ? "direct" : "other");
				bad++;
				break;
			}
		}
		vtd_mem_close(m);
	}
	unlink(path_in("kcore-r"));
	ok(!bad, "kcore: %u random sets of overlapping segments: union held, direct map read first",
	   trials);
}

/* The machine's own /proc/kcore (and /dev/mem), when this process may read them. */
static void test_live(void)
{
	struct vtd_mem *k, *d;
	struct vtd_error err;
	uint64_t from = 0, base = 0, size = 0;
	uint8_t a[4096], b[4096];
	unsigned nruns = 0;
	int rc = 0;

	if (access("/proc/kcore", R_OK)) {
		char why[128];

		snprintf(why, sizeof(why), "/proc/kcore not readable here (%s)", strerror(errno));
		skip("kcore: finds RAM ranges", why);
		skip("kcore: reads the first page of RAM", why);
		skip("kcore: agrees with /dev/mem", why);
		return;
	}
	k = open_ok("kcore:", &err);
	if (!k) {
		if (err.code == VTD_EPERM || err.code == VTD_EIO) {
			skip("kcore: finds RAM ranges", err.msg);
			skip("kcore: reads the first page of RAM", err.msg);
			skip("kcore: agrees with /dev/mem", err.msg);
		} else {
			ok(0, "kcore: opens /proc/kcore: %s", err.msg);
		}
		return;
	}
	while (nruns < 100000 && (rc = vtd_mem_next(k, from, &base, &size)) == 1) {
		nruns++;
		if (!(base + size))
			break;
		from = base + size;
	}
	ok(nruns > 0 && rc >= 0, "kcore: finds %u RAM ranges", nruns);
	if (!nruns)
		return;
	vtd_mem_next(k, 0, &base, &size);
	memset(&err, 0, sizeof(err));
	ok(vtd_mem_read(k, base, a, sizeof(a) < size ? sizeof(a) : size, &err) == 0,
	   "kcore: reads the first page of RAM at 0x%llx: %s", (unsigned long long)base, err.msg);
	d = open_ok("devmem:", &err);
	if (!d) {
		skip("kcore: agrees with /dev/mem", err.msg);
	} else {
		memset(&err, 0, sizeof(err));
		if (vtd_mem_read(d, base, b, sizeof(b) < size ? sizeof(b) : size, &err))
			skip("kcore: agrees with /dev/mem", err.msg);
		else
			ok(!memcmp(a, b, sizeof(a) < size ? sizeof(a) : size),
			   "kcore: the first page of RAM reads as /dev/mem has it");
		vtd_mem_close(d);
	}
	vtd_mem_close(k);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_devmem_file();
	test_kcore_file();
	test_kcore_random();
	test_live();
	unlink(path_in("mem"));
	unlink(path_in("kcore"));
	unlink(path_in("kcore-none"));
	rmdir(dir);
	return tap_done();
}
