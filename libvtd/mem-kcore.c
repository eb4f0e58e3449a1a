/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvtd -- "kcore" source: the running kernel's /proc/kcore, an ELF core
 * read through the elf source's code, by physical address.
 *
 * Its PT_LOAD segments map kernel virtual memory.  The kernel gives RAM
 * (the direct map) and its own text a real p_paddr, everything else
 * (vmalloc, modules, vmemmap) p_paddr -1; the text segment shows again
 * physical memory a RAM segment already shows.
 */
#include "mem-internal.h"

#include <stdlib.h>
#include <string.h>

/*
 * A kcore lists a segment per RAM range plus a few: far fewer than this.
 * The cap keeps the overlap resolution below (quadratic) cheap on a
 * hostile file.
 */
#define KCORE_MAX_SEGMENTS 4096u

/* Segments in the order they claim memory: preferred ones first. */
struct claim {
	const struct vtd_elf_seg *s;
	int direct;			/* in the direct map */
};

static int by_preference(const void *a, const void *b)
{
	const struct claim *x = a, *y = b;

	if (x->direct != y->direct)
		return y->direct - x->direct;
	if (x->s->size != y->s->size)
		return x->s->size > y->s->size ? -1 : 1;
	return x->s->idx < y->s->idx ? -1 : x->s->idx > y->s->idx;
}

static int by_offset(const void *a, const void *b)
{
	const struct vtd_range *x = a, *y = b;

	return x->base < y->base ? -1 : x->base > y->base;
}

/*
 * The direct map's offset (p_vaddr - p_paddr): the one most bytes share.
 * Every RAM segment has it (PAGE_OFFSET); the text segment has another
 * (the kernel image's mapping) and holds far fewer bytes than RAM.
 * 'tmp' has room for n.
 */
static uint64_t direct_offset(const struct vtd_elf_seg *s, size_t n, struct vtd_range *tmp)
{
	uint64_t best = 0, best_bytes = 0;
	size_t i, j;

	for (i = 0; i < n; i++) {
		tmp[i].base = s[i].vaddr - s[i].paddr;
		tmp[i].size = s[i].size;
	}
	qsort(tmp, n, sizeof(*tmp), by_offset);
	for (i = 0; i < n; i = j) {
		uint64_t bytes = 0;

		/* Sizes are file extents: their sum cannot wrap. */
		for (j = i; j < n && tmp[j].base == tmp[i].base; j++)
			bytes += tmp[j].size;
		if (bytes > best_bytes) {
			best = tmp[i].base;
			best_bytes = bytes;
		}
	}
	return best;
}

/* Add [base, last] of segment 's' to the sorted map 'r' (room is there). */
static void put(struct vtd_ranges *r, const struct vtd_elf_seg *s, uint64_t base, uint64_t last)
{
	size_t i = r->n;

	while (i > 0 && r->v[i - 1].base > base)
		i--;
	memmove(&r->v[i + 1], &r->v[i], (r->n - i) * sizeof(r->v[0]));
	r->v[i].base = base;
	r->v[i].size = last - base + 1;
	r->v[i].off = s->off + (base - s->paddr);
	r->v[i].ctx = NULL;
	r->n++;
}

/*
 * Each physical byte once: segments claim memory in order of preference
 * (direct map first, then larger first), each keeping only what no
 * earlier one claimed.  n segments cut at most 2n - 1 pieces.
 */
static int place_once(struct vtd_mem *m, struct vtd_elf_seg *s, size_t n,
		      struct vtd_ranges *out, const char *path, struct vtd_error *err)
{
	struct claim *c;
	struct vtd_range *gap;
	uint64_t direct;
	size_t i, j;

	if (!n)
		return vtd_fail(err, VTD_EFORMAT,
				"%s: '%s': no segment has a physical address (every p_paddr is -1)",
				m->ops->name, path);
	if (n > KCORE_MAX_SEGMENTS)
		return vtd_fail(err, VTD_EFORMAT,
				"%s: '%s': %zu segments with a physical address, more than a kcore "
				"has (limit %u)", m->ops->name, path, n, KCORE_MAX_SEGMENTS);
	c = calloc(n, sizeof(*c));
	gap = calloc(2 * n, sizeof(*gap));
	out->v = calloc(2 * n, sizeof(*out->v));
	if (!c || !gap || !out->v) {
		free(c);
		free(gap);
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	}
	out->cap = 2 * n;
	direct = direct_offset(s, n, gap);
	for (i = 0; i < n; i++) {
		c[i].s = &s[i];
		c[i].direct = s[i].vaddr - s[i].paddr == direct;
	}
	qsort(c, n, sizeof(*c), by_preference);
	for (i = 0; i < n; i++) {
		const struct vtd_elf_seg *g = c[i].s;
		uint64_t at = g->paddr, last = g->paddr + g->size - 1;
		size_t ngap = 0, lo = 0, hi = out->n;
		int covered = 0;

		/*
		 * The gaps the claimed pieces leave in [at, last]; they are sorted
		 * and disjoint, so the first that may meet it is found by halving.
		 */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (out->v[mid].base + (out->v[mid].size - 1) < at)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (j = lo; j < out->n && !covered; j++) {
			const struct vtd_range *p = &out->v[j];
			uint64_t plast = p->base + p->size - 1;

			if (plast < at)
				continue;
			if (p->base > last)
				break;
			if (p->base > at) {
				gap[ngap].base = at;
				gap[ngap++].size = p->base - at;
			}
			if (plast >= last)
				covered = 1;
			else
				at = plast + 1;
		}
		if (!covered) {
			gap[ngap].base = at;
			gap[ngap++].size = last - at + 1;
		}
		for (j = 0; j < ngap; j++)
			put(out, g, gap[j].base, gap[j].base + gap[j].size - 1);
	}
	free(c);
	free(gap);
	return 0;
}

static int kcore_open(struct vtd_mem *m, const char *arg, struct vtd_error *err)
{
	return vtd__elf_open(m, *arg ? arg : "/proc/kcore", VTD_ELF_PADDR, place_once, err);
}

const struct vtd_mem_ops vtd__mem_kcore = {
	.name = "kcore",
	.help = "[FILE]: the running kernel's memory through /proc/kcore (or FILE), RAM by "
		"physical address (root)",
	.open = kcore_open,
	.read = vtd__elf_read,
	.close = vtd__elf_close,
	.next = vtd__elf_next,
	.vmcoreinfo = vtd__elf_vmcoreinfo,
};
