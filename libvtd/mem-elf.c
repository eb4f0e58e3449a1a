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
	const char *name;		/* the backend's */
	char *path;			/* a copy for messages: the caller's spec may not last */
	char *vmcoreinfo;		/* the VMCOREINFO note's text, or NULL */
};

/*
 * The PT_LOAD segments with file data of an open ELF descriptor, checked
 * against the file size and the address space, into a fresh array '*out'
 * of '*n'.
 */
static int read_segments(const char *name, Elf *e, const char *path, uint64_t fsize,
			 unsigned flags, struct vtd_elf_seg **out, size_t *n, struct vtd_error *err)
{
	GElf_Ehdr eh;
	size_t phnum, i;
	struct vtd_elf_seg *v;

	if (elf_kind(e) != ELF_K_ELF)
		return vtd_fail(err, VTD_EFORMAT, "%s: '%s' is not an ELF file", name, path);
	if (gelf_getclass(e) != ELFCLASS64)
		return vtd_fail(err, VTD_EFORMAT, "%s: '%s': e_ident[EI_CLASS] is not ELFCLASS64",
				name, path);
	if (!gelf_getehdr(e, &eh))
		return vtd_fail(err, VTD_EFORMAT, "%s: '%s': bad ELF header: %s", name, path,
				elf_errmsg(-1));
	if (eh.e_type != ET_CORE)
		return vtd_fail(err, VTD_EFORMAT, "%s: '%s': e_type is %u, not ET_CORE", name,
				path, (unsigned)eh.e_type);
	/*
	 * e_phnum as the header says, not elf_getphdrnum(), which answers 0
	 * for a table past the end of the file; only PN_XNUM needs libelf
	 * (the count then sits in section header 0).
	 */
	phnum = eh.e_phnum;
	if (phnum == PN_XNUM && elf_getphdrnum(e, &phnum))
		return vtd_fail(err, VTD_EFORMAT, "%s: '%s': bad extended e_phnum: %s", name,
				path, elf_errmsg(-1));
	if (!phnum)
		return vtd_fail(err, VTD_EFORMAT, "%s: '%s': no program headers (e_phnum 0)",
				name, path);
	if (phnum > ELF_MAX_SEGMENTS)
		return vtd_fail(err, VTD_EFORMAT, "%s: '%s': e_phnum %zu exceeds the limit of %u",
				name, path, phnum, ELF_MAX_SEGMENTS);
	if (eh.e_phentsize != sizeof(Elf64_Phdr))
		return vtd_fail(err, VTD_EFORMAT, "%s: '%s': e_phentsize %u, expected %zu", name,
				path, (unsigned)eh.e_phentsize, sizeof(Elf64_Phdr));
	/* phnum is capped, so the product cannot overflow; the sum can. */
	if (eh.e_phoff > fsize || phnum * sizeof(Elf64_Phdr) > fsize - eh.e_phoff)
		return vtd_fail(err, VTD_EFORMAT,
				"%s: '%s': program header table (e_phoff 0x%llx, %zu entries) "
				"runs past the end of the file (size 0x%llx)", name, path,
				(unsigned long long)eh.e_phoff, phnum, (unsigned long long)fsize);
	v = calloc(phnum, sizeof(*v));
	if (!v)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	*out = v;
	*n = 0;
	for (i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(e, (int)i, &ph))
			return vtd_fail(err, VTD_EFORMAT, "%s: '%s': program header %zu: %s", name,
					path, i, elf_errmsg(-1));
		if (ph.p_type != PT_LOAD)
			continue;
		if (ph.p_filesz > ph.p_memsz)
			return vtd_fail(err, VTD_EFORMAT,
					"%s: '%s': segment %zu: p_filesz 0x%llx exceeds p_memsz 0x%llx",
					name, path, i, (unsigned long long)ph.p_filesz,
					(unsigned long long)ph.p_memsz);
		/* The p_memsz - p_filesz tail was not dumped: a hole, not zeros. */
		if (!ph.p_filesz)
			continue;
		/* Virtual-only memory may sit at any offset (below PAGE_OFFSET: wrapped). */
		if ((flags & VTD_ELF_PADDR) && ph.p_paddr == UINT64_MAX)
			continue;
		if (ph.p_offset > fsize || ph.p_filesz > fsize - ph.p_offset)
			return vtd_fail(err, VTD_EFORMAT,
					"%s: '%s': segment %zu: p_offset 0x%llx + p_filesz 0x%llx "
					"is past the end of the file (size 0x%llx)", name, path, i,
					(unsigned long long)ph.p_offset,
					(unsigned long long)ph.p_filesz, (unsigned long long)fsize);
		if (ph.p_paddr + ph.p_filesz - 1 < ph.p_paddr)
			return vtd_fail(err, VTD_EFORMAT,
					"%s: '%s': segment %zu: p_paddr 0x%llx + p_filesz 0x%llx wraps "
					"around", name, path, i, (unsigned long long)ph.p_paddr,
					(unsigned long long)ph.p_filesz);
		v[*n].paddr = ph.p_paddr;
		v[*n].vaddr = ph.p_vaddr;
		v[*n].off = ph.p_offset;
		v[*n].size = ph.p_filesz;
		v[*n].idx = i;
		(*n)++;
	}
	return 0;
}

static int by_paddr(const void *a, const void *b)
{
	const struct vtd_elf_seg *x = a, *y = b;

	/* Ties broken by header index, so an overlap is always reported alike. */
	if (x->paddr != y->paddr)
		return x->paddr < y->paddr ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * The elf source's placement: every segment as it is.  Sorted once, then
 * any overlap between neighbours refused (a per-add scan through
 * vtd__ranges_add would be quadratic at the segment cap).
 */
static int place_all(struct vtd_mem *m, struct vtd_elf_seg *s, size_t n,
		     struct vtd_ranges *out, const char *path, struct vtd_error *err)
{
	const char *name = m->ops->name;
	size_t i;

	if (!n)
		return vtd_fail(err, VTD_EFORMAT, "%s: '%s': no PT_LOAD segment holds file data",
				name, path);
	qsort(s, n, sizeof(*s), by_paddr);
	for (i = 1; i < n; i++)
		if (s[i].paddr - s[i - 1].paddr < s[i - 1].size)
			return vtd_fail(err, VTD_EFORMAT,
					"%s: '%s': segment %zu (0x%llx-0x%llx) overlaps segment "
					"%zu (0x%llx-0x%llx)", name, path, s[i].idx,
					(unsigned long long)s[i].paddr,
					(unsigned long long)(s[i].paddr + s[i].size - 1), s[i - 1].idx,
					(unsigned long long)s[i - 1].paddr,
					(unsigned long long)(s[i - 1].paddr + s[i - 1].size - 1));
	out->v = calloc(n, sizeof(*out->v));
	if (!out->v)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	out->cap = n;
	for (i = 0; i < n; i++) {
		out->v[i].base = s[i].paddr;
		out->v[i].size = s[i].size;
		out->v[i].off = s[i].off;
	}
	out->n = n;
	return 0;
}

static uint32_t note32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * The desc of the note named "VMCOREINFO" in one PT_NOTE segment's bytes,
 * as a fresh NUL-terminated string; NULL when there is none.  Notes are
 * {namesz, descsz, type} then name and desc, each padded to 4 bytes (what
 * the kernel, kexec-tools and QEMU write for ELF64 cores alike).
 */
static char *note_vmcoreinfo(const uint8_t *p, size_t len)
{
	size_t at = 0;

	while (len - at >= 12) {
		uint32_t namesz = note32(p + at), descsz = note32(p + at + 4);
		size_t name = at + 12, npad = ((size_t)namesz + 3) & ~(size_t)3;
		size_t desc = name + npad, dpad = ((size_t)descsz + 3) & ~(size_t)3;
		char *s;

		/* Sizes are 32-bit and the segment at most 1 MiB: no sum wraps. */
		if (npad > len - name || descsz > len - desc)
			return NULL;
		if ((namesz == 11 || namesz == 10) && !memcmp(p + name, "VMCOREINFO", 10) &&
		    (namesz == 10 || !p[name + 10])) {
			s = malloc((size_t)descsz + 1);
			if (!s)
				return NULL;
			memcpy(s, p + desc, descsz);
			s[descsz] = 0;
			return s;
		}
		if (dpad > len - desc)
			return NULL;
		at = desc + dpad;
	}
	return NULL;
}

/*
 * The first VMCOREINFO note of the core's PT_NOTE segments.  Anything odd
 * (a segment past the end of the file, a note that overruns its segment,
 * a failed read) means no VMCOREINFO, never a failed open: the memory
 * itself may still be fine.
 */
static char *find_vmcoreinfo(int fd, Elf *e, uint64_t fsize)
{
	size_t phnum, i;
	char *s = NULL;

	if (elf_getphdrnum(e, &phnum))
		return NULL;
	for (i = 0; i < phnum && !s; i++) {
		GElf_Phdr ph;
		uint8_t *buf;
		ssize_t r;

		if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_NOTE || !ph.p_filesz ||
		    ph.p_filesz > VTD_VMCOREINFO_MAX || ph.p_offset > fsize ||
		    ph.p_filesz > fsize - ph.p_offset)
			continue;
		buf = malloc(ph.p_filesz);
		if (!buf)
			return NULL;
		do
			r = pread(fd, buf, ph.p_filesz, (off_t)ph.p_offset);
		while (r < 0 && errno == EINTR);
		if (r == (ssize_t)ph.p_filesz)
			s = note_vmcoreinfo(buf, ph.p_filesz);
		free(buf);
	}
	return s;
}

const char *vtd__elf_vmcoreinfo(struct vtd_mem *m)
{
	const struct elfcore *ec = m->priv;

	return ec->vmcoreinfo;
}

void vtd__elf_close(struct vtd_mem *m)
{
	struct elfcore *ec = m->priv;

	if (!ec)
		return;
	if (ec->fd >= 0)
		close(ec->fd);
	free(ec->ranges.v);
	free(ec->path);
	free(ec->vmcoreinfo);
	free(ec);
}

int vtd__elf_open(struct vtd_mem *m, const char *path, unsigned flags, vtd_elf_place_fn *place,
		  struct vtd_error *err)
{
	const char *name = m->ops->name;
	struct elfcore *ec = calloc(1, sizeof(*ec));
	struct vtd_elf_seg *segs = NULL;
	size_t nsegs = 0;
	struct stat st;
	Elf *e;
	int rc;

	if (!ec)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	m->priv = ec;
	ec->fd = -1;
	ec->name = name;
	ec->path = strdup(path);
	if (!ec->path) {
		rc = vtd_fail(err, VTD_ENOMEM, "out of memory");
		goto fail;
	}
	/* libelf refuses to work until told which ELF version the caller speaks. */
	if (elf_version(EV_CURRENT) == EV_NONE) {
		rc = vtd_fail(err, VTD_EINTERNAL, "%s: libelf is out of date: %s", name,
			      elf_errmsg(-1));
		goto fail;
	}
	ec->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (ec->fd < 0) {
		rc = vtd__mem_sys_fail(err, "cannot open", path);
		goto fail;
	}
	if (fstat(ec->fd, &st) || !S_ISREG(st.st_mode)) {
		rc = S_ISREG(st.st_mode) ? vtd__mem_sys_fail(err, "cannot stat", path)
					 : vtd_fail(err, VTD_EIO, "%s: '%s' is not a regular file",
						    name, path);
		goto fail;
	}
	/*
	 * ELF_C_READ, not ELF_C_READ_MMAP: libelf then reads only the headers
	 * (with pread), never maps or loads a multi-gigabyte dump.
	 */
	e = elf_begin(ec->fd, ELF_C_READ, NULL);
	if (!e) {
		rc = vtd_fail(err, VTD_EFORMAT, "%s: '%s': %s", name, path, elf_errmsg(-1));
		goto fail;
	}
	rc = read_segments(name, e, path, (uint64_t)st.st_size, flags, &segs, &nsegs, err);
	if (!rc)
		ec->vmcoreinfo = find_vmcoreinfo(ec->fd, e, (uint64_t)st.st_size);
	/* Nothing of libelf is kept: reads go straight to the file. */
	elf_end(e);
	if (!rc)
		rc = place(m, segs, nsegs, &ec->ranges, path, err);
	free(segs);
	if (rc)
		goto fail;
	return 0;
fail:
	vtd__elf_close(m);
	m->priv = NULL;
	return rc;
}

static int elf_open(struct vtd_mem *m, const char *arg, struct vtd_error *err)
{
	if (!*arg)
		return vtd_fail(err, VTD_EFORMAT, "elf: no file given (elf:FILE)");
	return vtd__elf_open(m, arg, 0, place_all, err);
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
			int rc = r < 0 ? vtd__mem_sys_fail(err, "cannot read", ec->path)
				       : vtd_fail(err, VTD_EIO, "%s: '%s' shrank while reading",
						  ec->name, ec->path);

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

int vtd__elf_read(struct vtd_mem *m, uint64_t pa, void *buf, size_t len, struct vtd_error *err)
{
	struct elfcore *ec = m->priv;

	return vtd__ranges_access(&ec->ranges, pa, len, buf, read_piece, ec, err);
}

int vtd__elf_next(struct vtd_mem *m, uint64_t from, uint64_t *base, uint64_t *size)
{
	struct elfcore *ec = m->priv;

	return vtd__ranges_next(&ec->ranges, from, base, size);
}

const struct vtd_mem_ops vtd__mem_elf = {
	.name = "elf",
	.help = "FILE: an ELF64 core dump (QEMU dump-guest-memory, kdump), by physical address",
	.open = elf_open,
	.read = vtd__elf_read,
	.close = vtd__elf_close,
	.next = vtd__elf_next,
	.vmcoreinfo = vtd__elf_vmcoreinfo,
};
