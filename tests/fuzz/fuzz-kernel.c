/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target: vtd_kernel_units over a symbol file and a memory image
 * from the input, with a fixed synthetic BTF.  Input:
 *
 *   SYMBOL TEXT "\n@@VMCI@@\n" VMCOREINFO TEXT "\n@@MEM@@\n" MEMORY
 *
 * An empty SYMBOL TEXT reads the kernel's own kallsyms tables out of the
 * memory (VMCOREINFO names them); "@" does that and takes the BTF from
 * the memory too.
 * MEMORY is RAM from physical 0.  With an empty VMCOREINFO part the memory
 * is a buffer source (the kernel is placed by linux_banner); otherwise an
 * ELF core with that note and the memory as one segment.  Whatever the
 * input: an answer or an error with a message, never a crash, a hang or a
 * leak; an answer holds at most 1024 units with NUL-terminated names.
 */
#include <bpf/btf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kernel.h"
#include "mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MEM_MAX (1u << 20)

/* The layout the seeds in tests/fuzz/corpus/kernel/ were made for (offsets in bytes). */
static int add_types(struct btf *b)
{
	int i32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	int u32 = btf__add_int(b, "unsigned int", 4, 0);
	int u64 = btf__add_int(b, "long long unsigned int", 8, 0);
	int u16 = btf__add_int(b, "short unsigned int", 2, 0);
	int u8 = btf__add_int(b, "unsigned char", 1, 0);
	int ptr = btf__add_ptr(b, 0), lh, arr, anon, un, rc = 0;

	lh = btf__add_struct(b, "list_head", 16);
	rc |= btf__add_field(b, "next", ptr, 0, 0);
	rc |= btf__add_field(b, "prev", ptr, 64, 0);
	arr = btf__add_array(b, i32, u8, 13);
	btf__add_struct(b, "dmar_drhd_unit", 64);
	rc |= btf__add_field(b, "list", lh, 0, 0);
	rc |= btf__add_field(b, "reg_base_addr", u64, 24 * 8, 0);
	rc |= btf__add_field(b, "segment", u16, 52 * 8, 0);
	rc |= btf__add_field(b, "include_all", u8, 54 * 8, 1);
	rc |= btf__add_field(b, "ignored", u8, 54 * 8 + 1, 1);
	rc |= btf__add_field(b, "iommu", ptr, 56 * 8, 0);
	anon = btf__add_struct(b, NULL, 16);
	rc |= btf__add_field(b, "domain_ids", ptr, 0, 0);
	rc |= btf__add_field(b, "root_entry", ptr, 64, 0);
	un = btf__add_union(b, NULL, 16);
	rc |= btf__add_field(b, NULL, anon, 0, 0);
	btf__add_struct(b, "intel_iommu", 128);
	rc |= btf__add_field(b, "reg_phys", u64, 8 * 8, 0);
	rc |= btf__add_field(b, "cap", u64, 24 * 8, 0);
	rc |= btf__add_field(b, "ecap", u64, 32 * 8, 0);
	rc |= btf__add_field(b, "gcmd", u32, 48 * 8, 0);
	rc |= btf__add_field(b, "seq_id", i32, 52 * 8, 0);
	rc |= btf__add_field(b, "name", arr, 66 * 8, 0);
	rc |= btf__add_field(b, NULL, un, 80 * 8, 0);
	rc |= btf__add_field(b, "qi", ptr, 96 * 8, 0);
	rc |= btf__add_field(b, "ir_table", ptr, 112 * 8, 0);
	btf__add_struct(b, "q_inval", 40);
	rc |= btf__add_field(b, "desc", ptr, 8 * 8, 0);
	rc |= btf__add_field(b, "free_head", i32, 24 * 8, 0);
	btf__add_struct(b, "ir_table", 16);
	rc |= btf__add_field(b, "base", ptr, 0, 0);
	return rc;
}

/* The BTF, written once per process into a memory file kept open. */
static const char *btf_path(void)
{
	static char path[64];
	struct btf *b;
	const void *raw;
	uint32_t n;
	int fd;

	if (path[0])
		return path;
	b = btf__new_empty();
	fd = memfd_create("btf", MFD_CLOEXEC);
	if (!b || fd < 0 || add_types(b) || !(raw = btf__raw_data(b, &n)) ||
	    write(fd, raw, n) != (ssize_t)n)
		abort();
	btf__free(b);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return path;
}

static int memfile(const char *name, const void *p, size_t n, char *path, size_t pn)
{
	int fd = memfd_create(name, MFD_CLOEXEC);

	if (fd < 0 || (n && write(fd, p, n) != (ssize_t)n))
		abort();
	snprintf(path, pn, "/proc/self/fd/%d", fd);
	return fd;
}

static void le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

/* An ELF64 core: a PT_NOTE holding the VMCOREINFO note, the memory at physical 0. */
static int core_file(const char *vmci, size_t vlen, const uint8_t *mem, size_t mlen,
		     char *path, size_t pn)
{
	size_t notesz = 12 + 12 + ((vlen + 3) & ~(size_t)3), off_note = 64 + 2 * 56;
	size_t off_mem = off_note + notesz, total = off_mem + mlen;
	uint8_t *f = calloc(1, total), *ph = f + 64;
	int fd;

	if (!f)
		abort();
	memcpy(f, "\177ELF\2\1\1", 7);
	le(f + 16, 4, 2);
	le(f + 18, 62, 2);
	le(f + 20, 1, 4);
	le(f + 32, 64, 8);
	le(f + 52, 64, 2);
	le(f + 54, 56, 2);
	le(f + 56, 2, 2);
	le(ph, 4, 4);
	le(ph + 8, off_note, 8);
	le(ph + 32, notesz, 8);
	le(ph + 56, 1, 4);
	le(ph + 56 + 8, off_mem, 8);
	le(ph + 56 + 32, mlen, 8);
	le(ph + 56 + 40, mlen, 8);
	le(f + off_note, 11, 4);
	le(f + off_note + 4, vlen, 4);
	memcpy(f + off_note + 12, "VMCOREINFO", 11);
	memcpy(f + off_note + 24, vmci, vlen);
	memcpy(f + off_mem, mem, mlen);
	fd = memfile("core", f, total, path, pn);
	free(f);
	return fd;
}

static const uint8_t *split(const uint8_t *p, size_t n, const char *mark, size_t *len)
{
	size_t ml = strlen(mark);

	for (size_t i = 0; i + ml <= n; i++)
		if (!memcmp(p + i, mark, ml)) {
			*len = i;
			return p + i + ml;
		}
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *vmci, *mem;
	size_t slen, vlen, mlen;
	char spath[64], cpath[64], spec[80];
	struct vtd_kernel_opts o = { .btf = btf_path(), .symbols = spath };
	struct vtd_kernel_map map;
	struct vtd_kunit *u = NULL;
	struct vtd_mem *m = NULL;
	struct vtd_error err;
	size_t n = 0;
	int sfd, cfd = -1, rc;

	if (!(vmci = split(data, size, "\n@@VMCI@@\n", &slen)) ||
	    !(mem = split(vmci, size - (size_t)(vmci - data), "\n@@MEM@@\n", &vlen)))
		return 0;
	mlen = size - (size_t)(mem - data);
	if (!mlen || mlen > MEM_MAX)
		return 0;
	sfd = memfile("syms", data, slen, spath, sizeof(spath));
	if (!slen || (slen == 1 && data[0] == '@'))
		o.symbols = NULL;
	if (slen == 1 && data[0] == '@')
		o.btf = NULL;
	if (vlen) {
		cfd = core_file((const char *)vmci, vlen, mem, mlen, cpath, sizeof(cpath));
		snprintf(spec, sizeof(spec), "elf:%s", cpath);
		if (vtd_mem_open(spec, &m, &err))
			abort();
	} else if (vtd_mem_open_buffer(&m, NULL) || vtd_mem_buffer_map(m, 0, mem, mlen, NULL)) {
		abort();
	}
	vtd_error_clear(&err);
	rc = vtd_kernel_units(m, &o, &u, &n, &map, &err);
	if (rc) {
		if (u || n || err.code != -rc || !err.msg[0])
			abort();
	} else {
		if (n > 1024 || (n && !u) || !memchr(map.how, 0, sizeof(map.how)))
			abort();
		for (size_t i = 0; i < n; i++)
			if (!memchr(u[i].name, 0, sizeof(u[i].name)) ||
			    !memchr(u[i].mode_from, 0, sizeof(u[i].mode_from)))
				abort();
	}
	free(u);
	vtd_mem_close(m);
	close(sfd);
	if (cfd >= 0)
		close(cfd);
	return 0;
}
