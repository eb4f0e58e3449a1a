/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtd-compile -- the ELF output: an x86-64 relocatable object holding the image */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emit.h"

#define SECTION_NAME ".vtd_tables"

/* Section indexes, in file order. */
enum { SEC_TABLES = 1, SEC_STACK, SEC_SYMTAB, SEC_STRTAB, SEC_SHSTRTAB, NSEC };

/* A string table being built: offsets into 'b'. */
struct strtab {
	char *b;
	size_t len, cap;
	int oom;
};

static size_t str_add(struct strtab *t, const char *s)
{
	size_t n = strlen(s) + 1, at = t->len;

	if (t->len + n > t->cap) {
		size_t cap = t->cap ? t->cap : 256;
		char *b;

		while (cap < t->len + n)
			cap *= 2;
		if (!(b = realloc(t->b, cap))) {
			t->oom = 1;
			return 0;
		}
		t->b = b;
		t->cap = cap;
	}
	memcpy(t->b + t->len, s, n);
	t->len += n;
	return at;
}

/* NAME + suffix into the string table; the offset. */
static size_t str_add2(struct strtab *t, const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + strlen(c) + 1, off;
	char *s = malloc(n);

	if (!s) {
		t->oom = 1;
		return 0;
	}
	snprintf(s, n, "%s%s%s", a, b, c);
	off = str_add(t, s);
	free(s);
	return off;
}

struct syms {
	Elf64_Sym *v;
	size_t n, cap;
	int oom;
};

static void sym_add(struct syms *s, size_t name, unsigned char info, uint16_t shndx,
		    uint64_t value, uint64_t size)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		Elf64_Sym *v = realloc(s->v, cap * sizeof(*v));

		if (!v) {
			s->oom = 1;
			return;
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = (Elf64_Sym){
		.st_name = (Elf64_Word)name,
		.st_info = info,
		.st_other = STV_DEFAULT,
		.st_shndx = shndx,
		.st_value = value,
		.st_size = size,
	};
}

static Elf_Scn *new_section(Elf *e, size_t name, Elf64_Word type, Elf64_Xword flags,
			    void *buf, size_t size, Elf64_Xword align, Elf64_Xword entsize)
{
	Elf_Scn *scn = elf_newscn(e);
	Elf64_Shdr *sh;
	Elf_Data *d;

	if (!scn || !(sh = elf64_getshdr(scn)))
		return NULL;
	sh->sh_name = (Elf64_Word)name;
	sh->sh_type = type;
	sh->sh_flags = flags;
	sh->sh_addralign = align;
	sh->sh_entsize = entsize;
	if (!(d = elf_newdata(scn)))
		return NULL;
	d->d_buf = buf;
	d->d_size = size;
	d->d_align = align;
	d->d_off = 0;
	d->d_version = EV_CURRENT;
	d->d_type = type == SHT_SYMTAB ? ELF_T_SYM : ELF_T_BYTE;
	return scn;
}

int emit_elf_fd(int fd, const struct vtd_plan *p, const struct vtd_image *img,
		const struct emit_opts *o, struct vtd_error *err)
{
	const char *name = emit_name(o);
	struct strtab str = {0}, shstr = {0};
	struct syms syms = {0};
	size_t sh_name[NSEC];
	Elf64_Ehdr *eh;
	Elf_Scn *scn;
	Elf *e = NULL;
	int rc;

	if ((rc = emit_check(p, img, o, err)))
		return rc;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return vtd_fail(err, VTD_EINTERNAL, "libelf: %s", elf_errmsg(-1));

	/* Section names. */
	str_add(&shstr, "");
	sh_name[SEC_TABLES] = str_add(&shstr, SECTION_NAME);
	sh_name[SEC_STACK] = str_add(&shstr, ".note.GNU-stack");
	sh_name[SEC_SYMTAB] = str_add(&shstr, ".symtab");
	sh_name[SEC_STRTAB] = str_add(&shstr, ".strtab");
	sh_name[SEC_SHSTRTAB] = str_add(&shstr, ".shstrtab");

	/* Symbols: the null one and the section's (local), then the globals. */
	str_add(&str, "");
	sym_add(&syms, 0, 0, SHN_UNDEF, 0, 0);
	sym_add(&syms, 0, ELF64_ST_INFO(STB_LOCAL, STT_SECTION), SEC_TABLES, 0, 0);
#define GLOBAL ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT)
	sym_add(&syms, str_add(&str, name), GLOBAL, SEC_TABLES, 0, img->size);
	if (emit_in_image(img, img->rtaddr & ~(uint64_t)0xfff))
		sym_add(&syms, str_add2(&str, name, "_root", ""), GLOBAL, SEC_TABLES,
			(img->rtaddr & ~(uint64_t)0xfff) - img->base, 4096);
	for (size_t i = 0; i < p->ndomains; i++) {
		uint64_t top = img->domain_top ? img->domain_top[i] : 0;
		char *d;

		if (!emit_in_image(img, top))
			continue;
		if (!(d = emit_sym(p->domains[i].name, 0))) {
			syms.oom = 1;
			break;
		}
		sym_add(&syms, str_add2(&str, name, "_domain_", d), GLOBAL, SEC_TABLES,
			top - img->base, 4096);
		free(d);
	}
	if (img->irta && emit_in_image(img, img->irta & ~(uint64_t)0xfff)) {
		uint64_t off = (img->irta & ~(uint64_t)0xfff) - img->base;
		uint64_t size = (uint64_t)16 << ((img->irta & 0xf) + 1);

		if (size > img->size - off)
			size = img->size - off;
		sym_add(&syms, str_add2(&str, name, "_irt", ""), GLOBAL, SEC_TABLES, off, size);
	}
#undef GLOBAL
	if (str.oom || shstr.oom || syms.oom) {
		rc = vtd_fail(err, VTD_ENOMEM, "out of memory");
		goto out;
	}

	rc = -VTD_EINTERNAL;
	if (!(e = elf_begin(fd, ELF_C_WRITE, NULL)) || !(eh = elf64_newehdr(e)))
		goto elf_err;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh->e_type = ET_REL;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_shstrndx = SEC_SHSTRTAB;

	if (!new_section(e, sh_name[SEC_TABLES], SHT_PROGBITS, SHF_ALLOC, img->bytes, img->size,
			 4096, 0) ||
	    !new_section(e, sh_name[SEC_STACK], SHT_PROGBITS, 0, NULL, 0, 1, 0) ||
	    !(scn = new_section(e, sh_name[SEC_SYMTAB], SHT_SYMTAB, 0, syms.v,
				syms.n * sizeof(Elf64_Sym), 8, sizeof(Elf64_Sym))))
		goto elf_err;
	{
		Elf64_Shdr *sh = elf64_getshdr(scn);

		sh->sh_link = SEC_STRTAB;
		sh->sh_info = 2;	/* the first global symbol */
	}
	if (!new_section(e, sh_name[SEC_STRTAB], SHT_STRTAB, 0, str.b, str.len, 1, 0) ||
	    !new_section(e, sh_name[SEC_SHSTRTAB], SHT_STRTAB, 0, shstr.b, shstr.len, 1, 0))
		goto elf_err;
	if (elf_update(e, ELF_C_WRITE) < 0)
		goto elf_err;
	rc = 0;
	goto out;
elf_err:
	rc = vtd_fail(err, elf_errno() == 0 ? VTD_EINTERNAL : VTD_EIO, "libelf: %s",
		      elf_errmsg(-1));
out:
	if (e)
		elf_end(e);
	free(str.b);
	free(shstr.b);
	free(syms.v);
	return rc;
}

int emit_elf(FILE *f, const struct vtd_plan *p, const struct vtd_image *img,
	     const struct emit_opts *o, struct vtd_error *err)
{
	struct stat st;
	char buf[65536];
	FILE *tmp;
	size_t n;
	int fd, rc;

	if ((rc = emit_check(p, img, o, err)))
		return rc;
	if (fflush(f))
		return vtd_fail(err, VTD_EIO, "write failed: %s", strerror(errno));
	fd = fileno(f);
	/* An empty regular file open for reading and writing: libelf writes it. */
	if (fd >= 0 && !fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size == 0 &&
	    lseek(fd, 0, SEEK_CUR) == 0 && (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR) {
		if ((rc = emit_elf_fd(fd, p, img, o, err)))
			return rc;
		if (fseek(f, 0, SEEK_END))
			return vtd_fail(err, VTD_EIO, "seek failed: %s", strerror(errno));
		return 0;
	}
	/* Anything else: build it aside, then copy. */
	if (!(tmp = tmpfile()))
		return vtd_fail(err, VTD_EIO, "cannot create a temporary file: %s", strerror(errno));
	if ((rc = emit_elf_fd(fileno(tmp), p, img, o, err)))
		goto out;
	rewind(tmp);
	while ((n = fread(buf, 1, sizeof(buf), tmp)) > 0)
		if (fwrite(buf, 1, n, f) != n)
			break;
	if (ferror(tmp) || ferror(f) || fflush(f))
		rc = vtd_fail(err, VTD_EIO, "write failed: %s", strerror(errno));
out:
	fclose(tmp);
	return rc;
}
