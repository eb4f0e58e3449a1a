/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvtd -- the kernel's own symbol table and BTF, read out of its memory:
 * what a crash dump (or /proc/kcore) carries when nobody saved
 * /proc/kallsyms or /sys/kernel/btf/vmlinux.  VMCOREINFO names the kallsyms
 * tables (kernels since 6.0 export them for debuggers); the tables give
 * __start_BTF and __stop_BTF, between which the kernel keeps its BTF.
 *
 * The tables, as scripts/kallsyms.c lays them out:
 *   kallsyms_num_syms      the number of symbols;
 *   kallsyms_names         per symbol a length (one byte, or two when the
 *                          first has bit 7: low 7 bits first), then that
 *                          many token numbers; the first character of the
 *                          expansion is the symbol's type;
 *   kallsyms_token_table   256 NUL-terminated strings, one per token;
 *   kallsyms_token_index   256 16-bit offsets into the token table;
 *   kallsyms_offsets       32-bit per symbol; with base-relative kallsyms
 *                          and absolute per-cpu symbols (x86-64 SMP), a
 *                          non-negative offset is the address itself and a
 *                          negative one counts down from
 *   kallsyms_relative_base - 1.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "kernel-internal.h"

#define MAX_SYMS (1u << 22)		/* 4M: ten times a distribution kernel's */
#define MAX_NAMES (64u << 20)		/* bytes of compressed names */
#define MAX_BTF (64u << 20)
#define TOKEN_TABLE_MAX 8192		/* 256 short strings */
#define CHUNK 65536

/* A forward reader over a physically contiguous stretch of the kernel image. */
struct rd {
	struct vtd_mem *m;
	uint64_t pa, end;		/* next byte to fetch, and the bound */
	uint8_t buf[CHUNK];
	size_t have, at;
};

static int rd_byte(struct rd *r, uint8_t *b, struct vtd_error *err)
{
	if (r->at == r->have) {
		size_t n = CHUNK;
		int rc;

		if (r->pa >= r->end)
			return vtd_fail(err, VTD_EFORMAT, "kallsyms_names runs past %u MiB: not "
					"the kernel's symbol table", MAX_NAMES >> 20);
		if (r->end - r->pa < n)
			n = (size_t)(r->end - r->pa);
		/* A source may end inside the last chunk: fall back to one page. */
		if ((rc = vtd_mem_read(r->m, r->pa, r->buf, n, NULL)) && n > 4096) {
			n = 4096 - (size_t)(r->pa & 4095);
			rc = vtd_mem_read(r->m, r->pa, r->buf, n, err);
		} else if (rc) {
			rc = vtd_mem_read(r->m, r->pa, r->buf, n, err);
		}
		if (rc)
			return rc;
		r->pa += n;
		r->have = n;
		r->at = 0;
	}
	*b = r->buf[r->at++];
	return 0;
}

static int wanted(const char *name)
{
	for (int i = 0; i < VTD_KS_N; i++)
		if (!strcmp(name, vtd__ksym_names[i]))
			return i;
	return -1;
}

int vtd__ksyms_from_memory(struct vtd_mem *m, const char *vi, uint64_t phys_base,
			   struct vtd_ksyms *ks, struct vtd_error *err)
{
	static const char *const keys[] = {
		"SYMBOL(kallsyms_num_syms)", "SYMBOL(kallsyms_names)",
		"SYMBOL(kallsyms_token_table)", "SYMBOL(kallsyms_token_index)",
		"SYMBOL(kallsyms_offsets)", "SYMBOL(kallsyms_relative_base)",
	};
	uint64_t at[6], rel;
	uint16_t tix[256];
	char *tokens = NULL;
	int32_t *offs = NULL;
	struct rd *r = NULL;
	uint32_t nsyms;
	int rc = 0;

	/* Before the image is placed: the kernel image by phys_base alone, no direct map. */
	struct vtd_kvirt img = { .map.phys_base = phys_base };

	memset(ks, 0, sizeof(*ks));
	for (size_t i = 0; i < 6; i++)
		if (!vi || !vtd__vmci_get(vi, keys[i], 16, &at[i]))
			return vtd_fail(err, VTD_ENOTFOUND, "the source's VMCOREINFO has no %s "
					"(kernels before 6.0 do not export kallsyms): give the "
					"kernel's symbol table", keys[i]);
	if ((rc = vtd__kvirt_read(m, &img, at[0], &nsyms, 4, "kallsyms_num_syms", err)) ||
	    (rc = vtd__kvirt_read(m, &img, at[5], &rel, 8, "kallsyms_relative_base", err)) ||
	    (rc = vtd__kvirt_read(m, &img, at[3], tix, sizeof(tix), "kallsyms_token_index", err)))
		return rc;
	if (!nsyms || nsyms > MAX_SYMS)
		return vtd_fail(err, VTD_EFORMAT, "kallsyms_num_syms is %" PRIu32 ": not the "
				"kernel's symbol table", nsyms);
	tokens = malloc(TOKEN_TABLE_MAX + 1);
	offs = malloc((size_t)nsyms * 4);
	r = calloc(1, sizeof(*r));
	if (!tokens || !offs || !r) {
		rc = vtd_fail(err, VTD_ENOMEM, "out of memory for %" PRIu32 " symbols", nsyms);
		goto out;
	}
	/* The table may end within a page of the source's end: read what is there. */
	for (size_t n = TOKEN_TABLE_MAX; ; n /= 2) {
		if (!vtd__kvirt_read(m, &img, at[2], tokens, n, "kallsyms_token_table", NULL)) {
			memset(tokens + n, 0, TOKEN_TABLE_MAX + 1 - n);
			break;
		}
		if (n <= 512) {
			rc = vtd__kvirt_read(m, &img, at[2], tokens, n, "kallsyms_token_table", err);
			goto out;
		}
	}
	for (int t = 0; t < 256; t++)
		if (tix[t] >= TOKEN_TABLE_MAX) {
			rc = vtd_fail(err, VTD_EFORMAT, "kallsyms_token_index[%d] is %u: beyond "
				      "the token table", t, tix[t]);
			goto out;
		}
	if ((rc = vtd__kvirt_read(m, &img, at[4], offs, (size_t)nsyms * 4, "kallsyms_offsets", err)))
		goto out;
	r->m = m;
	if ((rc = vtd__kvirt_pa(&img, at[1], &r->pa, "kallsyms_names", err)))
		goto out;
	r->end = r->pa + MAX_NAMES;
	for (uint32_t i = 0; i < nsyms; i++) {
		char name[512];
		size_t nl = 0;
		uint8_t b, b2;
		unsigned len;
		uint64_t addr;
		int w;

		if ((rc = rd_byte(r, &b, err)))
			goto names;
		len = b;
		if (b & 0x80) {
			if ((rc = rd_byte(r, &b2, err)))
				goto names;
			len = (b & 0x7fu) | (unsigned)b2 << 7;
		}
		if (!len) {
			rc = vtd_fail(err, VTD_EFORMAT, "kallsyms_names: symbol %" PRIu32 " has "
				      "no name: not the kernel's symbol table", i);
			goto out;
		}
		while (len--) {
			const char *tok;

			if ((rc = rd_byte(r, &b, err)))
				goto names;
			for (tok = tokens + tix[b]; *tok; tok++)
				if (nl < sizeof(name) - 1)
					name[nl++] = *tok;
		}
		name[nl] = '\0';
		/* name[0] is the type. */
		if (nl < 2)
			continue;
		addr = offs[i] >= 0 ? (uint64_t)offs[i] : rel - 1 - (uint64_t)(int64_t)offs[i];
		if ((w = wanted(name + 1)) >= 0 && !ks->found[w]) {
			ks->addr[w] = addr;
			ks->found[w] = 1;
		}
	}
	goto out;
names:
	vtd_error_where(err, "kallsyms_names");
out:
	free(tokens);
	free(offs);
	free(r);
	return rc;
}

int vtd__kbtf_from_memory(struct vtd_mem *m, const struct vtd_kvirt *v,
			  const struct vtd_ksyms *ks, struct btf **out, struct vtd_error *err)
{
	uint64_t start = ks->addr[VTD_KS_START_BTF], stop = ks->addr[VTD_KS_STOP_BTF];
	void *data;
	size_t n;
	int rc;

	*out = NULL;
	if (!ks->found[VTD_KS_START_BTF] || !ks->found[VTD_KS_STOP_BTF] || stop <= start)
		return vtd_fail(err, VTD_ENOTFOUND, "the kernel's symbols have no __start_BTF/"
				"__stop_BTF (a kernel without CONFIG_DEBUG_INFO_BTF): give its "
				"BTF");
	if (stop - start > MAX_BTF)
		return vtd_fail(err, VTD_EFORMAT, "__start_BTF..__stop_BTF spans %" PRIu64
				" bytes: more than %u MiB", stop - start, MAX_BTF >> 20);
	n = (size_t)(stop - start);
	if (!(data = malloc(n)))
		return vtd_fail(err, VTD_ENOMEM, "out of memory for %zu bytes of BTF", n);
	rc = vtd__kvirt_read(m, v, start + v->map.kaslr, data, n, "__start_BTF", err);
	if (!rc) {
		errno = 0;
		if (!(*out = btf__new(data, (uint32_t)n)))
			rc = vtd_fail(err, VTD_EFORMAT, "the kernel's BTF at __start_BTF (0x%"
				      PRIx64 ", %zu bytes) does not parse (error %d)",
				      start + v->map.kaslr, n, errno);
	}
	free(data);
	return rc;
}
