/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- "elf" source: ELF64 core dumps (QEMU dump-guest-memory, kdump) by physical address */
#include "mem-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * A core can list as many segments as it likes (PN_XNUM lifts the 16-bit
 * count); a source is a handful of RAM blocks, so more than this is a
 * corrupt or hostile file, and the cap keeps the range map's memory bounded.
 */
#define ELF_MAX_SEGMENTS 65536u

struct elfcore {
	struct vtd_ranges ranges;
	int fd;
};

static int by_base(const void *a, const void *b)
{
	const struct vtd_range *x = a, *y = b;

	/* Ties broken by header index, so an overlap is always reported alike. */
	if (x->base != y->base)
		return x->base < y->base ? -1 : 1;
	return (uintptr_t)x->ctx < (uintptr_t)y->ctx ? -1 : (uintptr_t)x->ctx > (uintptr_t)y->ctx;
}

/*
 * The PT_LOAD segments of an open ELF descriptor, checked against the file
 * size, into ec->ranges.  The map is built here rather than through
 * vtd__ranges_add, whose per-add overlap scan would be quadratic at the
 * segment cap: sort once, then refuse any overlap between neighbours.
 */
static int load_segments(struct elfcore *ec, Elf *e, const char *path, uint64_t fsize,
			 struct vtd_error *err)
{
	GElf_Ehdr eh;
	size_t phnum, i, n = 0;
	struct vtd_range *v;

	if (elf_kind(e) != ELF_K_ELF)
		return vtd_fail(err, VTD_EFORMAT, "elf: '%s' is not an ELF file", path);
	if (gelf_getclass(e) != ELFCLASS64)
		return vtd_fail(err, VTD_EFORMAT, "elf: '%s': e_ident[EI_CLASS] is not ELFCLASS64",
				path);
	if (!gelf_getehdr(e, &eh))
		return vtd_fail(err, VTD_EFORMAT, "elf: '%s': bad ELF header: %s", path,
				elf_errmsg(-1));
	if (eh.e_type != ET_CORE)
		return vtd_fail(err, VTD_EFORMAT, "elf: '%s': e_type is %u, not ET_CORE", path,
				(unsigned)eh.e_type);
	/*
	 * e_phnum as the header says, not elf_getphdrnum(), which answers 0
	 * for a table past the end of the file; only PN_XNUM needs libelf
	 * (the count then sits in section header 0).
	 */
	phnum = eh.e_phnum;
	if (phnum == PN_XNUM && elf_getphdrnum(e, &phnum))
		return vtd_fail(err, VTD_EFORMAT, "elf: '%s': bad extended e_phnum: %s", path,
				elf_errmsg(-1));
	if (!phnum)
		return vtd_fail(err, VTD_EFORMAT, "elf: '%s': no program headers (e_phnum 0)", path);
	if (phnum > ELF_MAX_SEGMENTS)
		return vtd_fail(err, VTD_EFORMAT, "elf: '%s': e_phnum %zu exceeds the limit of %u",
				path, phnum, ELF_MAX_SEGMENTS);
	if (eh.e_phentsize != sizeof(Elf64_Phdr))
		return vtd_fail(err, VTD_EFORMAT, "elf: '%s': e_phentsize %u, expected %zu", path,
				(unsigned)eh.e_phentsize, sizeof(Elf64_Phdr));
	/* phnum is capped, so the product cannot overflow; the sum can. */
	if (eh.e_phoff > fsize || phnum * sizeof(Elf64_Phdr) > fsize - eh.e_phoff)
		return vtd_fail(err, VTD_EFORMAT,
				"elf: '%s': program header table (e_phoff 0x%llx, %zu entries) "
				"runs past the end of the file (size 0x%llx)", path,
				(unsigned long long)eh.e_phoff, phnum, (unsigned long long)fsize);
	v = calloc(phnum, sizeof(*v));
	if (!v)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	ec->ranges.v = v;
	ec->ranges.cap = phnum;
	for (i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(e, (int)i, &ph))
			return vtd_fail(err, VTD_EFORMAT, "elf: '%s': program header %zu: %s", path, i,
					elf_errmsg(-1));
		if (ph.p_type != PT_LOAD)
			continue;
		if (ph.p_filesz > ph.p_memsz)
			return vtd_fail(err, VTD_EFORMAT,
					"elf: '%s': segment %zu: p_filesz 0x%llx exceeds p_memsz 0x%llx",
					path, i, (unsigned long long)ph.p_filesz,
					(unsigned long long)ph.p_memsz);
		/* The p_memsz - p_filesz tail was not dumped: a hole, not zeros. */
		if (!ph.p_filesz)
			continue;
		if (ph.p_offset > fsize || ph.p_filesz > fsize - ph.p_offset)
			return vtd_fail(err, VTD_EFORMAT,
					"elf: '%s': segment %zu: p_offset 0x%llx + p_filesz 0x%llx "
					"is past the end of the file (size 0x%llx)", path, i,
					(unsigned long long)ph.p_offset,
					(unsigned long long)ph.p_filesz, (unsigned long long)fsize);
		if (ph.p_paddr + ph.p_filesz - 1 < ph.p_paddr)
			return vtd_fail(err, VTD_EFORMAT,
					"elf: '%s': segment %zu: p_paddr 0x%llx + p_filesz 0x%llx wraps "
					"around", path, i, (unsigned long long)ph.p_paddr,
					(unsigned long long)ph.p_filesz);
		v[n].base = ph.p_paddr;
		v[n].size = ph.p_filesz;
		v[n].off = ph.p_offset;
		/* The header index, for naming a segment in the overlap message below. */
		v[n].ctx = (void *)(uintptr_t)i;
		n++;
	}
	if (!n)
		return vtd_fail(err, VTD_EFORMAT, "elf: '%s': no PT_LOAD segment holds file data",
				path);
	qsort(v, n, sizeof(*v), by_base);
	for (i = 1; i < n; i++)
		if (v[i].base - v[i - 1].base < v[i - 1].size)
			return vtd_fail(err, VTD_EFORMAT,
					"elf: '%s': segment %zu (0x%llx-0x%llx) overlaps segment "
					"%zu (0x%llx-0x%llx)", path, (size_t)(uintptr_t)v[i].ctx,
					(unsigned long long)v[i].base,
					(unsigned long long)(v[i].base + v[i].size - 1),
					(size_t)(uintptr_t)v[i - 1].ctx,
					(unsigned long long)v[i - 1].base,
					(unsigned long long)(v[i - 1].base + v[i - 1].size - 1));
	ec->ranges.n = n;
	return 0;
}

static void elf_close(struct vtd_mem *m)
{
	struct elfcore *ec = m->priv;

	if (!ec)
		return;
	if (ec->fd >= 0)
		close(ec->fd);
	free(ec->ranges.v);
	free(ec);
}

static int elf_open(struct vtd_mem *m, const char *arg, struct vtd_error *err)
{
	struct elfcore *ec = calloc(1, sizeof(*ec));
	struct stat st;
	Elf *e;
	int rc;

	if (!ec)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	m->priv = ec;
	ec->fd = -1;
	if (!*arg) {
		rc = vtd_fail(err, VTD_EFORMAT, "elf: no file given (elf:FILE)");
		goto fail;
	}
	/* libelf refuses to work until told which ELF version the caller speaks. */
	if (elf_version(EV_CURRENT) == EV_NONE) {
		rc = vtd_fail(err, VTD_EINTERNAL, "elf: libelf is out of date: %s", elf_errmsg(-1));
		goto fail;
	}
	ec->fd = open(arg, O_RDONLY | O_CLOEXEC);
	if (ec->fd < 0) {
		rc = vtd__mem_sys_fail(err, "cannot open", arg);
		goto fail;
	}
	if (fstat(ec->fd, &st) || !S_ISREG(st.st_mode)) {
		rc = S_ISREG(st.st_mode) ? vtd__mem_sys_fail(err, "cannot stat", arg)
					 : vtd_fail(err, VTD_EIO, "elf: '%s' is not a regular file", arg);
		goto fail;
	}
	/*
	 * ELF_C_READ, not ELF_C_READ_MMAP: libelf then reads only the headers
	 * (with pread), never maps or loads a multi-gigabyte dump.
	 */
	e = elf_begin(ec->fd, ELF_C_READ, NULL);
	if (!e) {
		rc = vtd_fail(err, VTD_EFORMAT, "elf: '%s': %s", arg, elf_errmsg(-1));
		goto fail;
	}
	rc = load_segments(ec, e, arg, (uint64_t)st.st_size, err);
	/* Nothing of libelf is kept: reads go straight to the file. */
	elf_end(e);
	if (rc)
		goto fail;
	return 0;
fail:
	elf_close(m);
	m->priv = NULL;
	return rc;
}

static int read_piece(const struct vtd_range *rg, uint64_t off, void *buf, size_t len, void *arg,
		      struct vtd_error *err)
{
	struct elfcore *ec = arg;
	uint8_t *p = buf;

	/* Validated at open: rg->off + rg->size fits the file, so this cannot wrap. */
	off += rg->off;
	while (len) {
		ssize_t r = pread(ec->fd, p, len, (off_t)off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int rc = r < 0 ? vtd__mem_sys_fail(err, "cannot read", "elf core")
				       : vtd_fail(err, VTD_EIO, "elf core file shrank while reading");

			if (err) {
				err->has_addr = 1;
				err->addr = rg->base + (off - rg->off);
			}
			return rc;
		}
		p += r;
		off += (uint64_t)r;
		len -= (size_t)r;
	}
	return 0;
}

static int elf_read(struct vtd_mem *m, uint64_t pa, void *buf, size_t len, struct vtd_error *err)
{
	struct elfcore *ec = m->priv;

	return vtd__ranges_access(&ec->ranges, pa, len, buf, read_piece, ec, err);
}

const struct vtd_mem_ops vtd__mem_elf = {
	.name = "elf",
	.help = "FILE: an ELF64 core dump (QEMU dump-guest-memory, kdump), by physical address",
	.open = elf_open,
	.read = elf_read,
	.close = elf_close,
};
