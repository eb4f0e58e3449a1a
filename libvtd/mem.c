/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- memory-source registry, spec parsing and the shared range map */
#include "mem-internal.h"

#include <errno.h>

#include <stdlib.h>
#include <string.h>

static const struct vtd_mem_ops *const backends[] = {
	&vtd__mem_image,
	&vtd__mem_buffer,
	&vtd__mem_elf,
	&vtd__mem_kdump,
	&vtd__mem_devmem,
	&vtd__mem_kcore,
};

const struct vtd_mem_ops *vtd_mem_backend_at(unsigned idx)
{
	return idx < sizeof(backends) / sizeof(backends[0]) ? backends[idx] : NULL;
}

static int open_with(const struct vtd_mem_ops *ops, const char *arg, struct vtd_mem **out,
		     struct vtd_error *err)
{
	struct vtd_mem *m = calloc(1, sizeof(*m));
	int rc;

	if (!m)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	m->ops = ops;
	rc = ops->open(m, arg, err);
	if (rc) {
		/* A backend that failed half-way leaves its state for close(). */
		if (m->priv)
			ops->close(m);
		free(m);
		return rc;
	}
	*out = m;
	return 0;
}

int vtd_mem_open(const char *spec, struct vtd_mem **out, struct vtd_error *err)
{
	const char *colon = strchr(spec, ':');
	unsigned i;

	*out = NULL;
	if (colon) {
		size_t n = (size_t)(colon - spec);

		for (i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
			if (strlen(backends[i]->name) == n && !strncmp(backends[i]->name, spec, n))
				return open_with(backends[i], colon + 1, out, err);
		/* "C:\..." never happens here; a colon that names no backend is a mistake. */
		return vtd_fail(err, VTD_ENOTFOUND, "unknown memory source '%.*s'", (int)n, spec);
	}
	return open_with(&vtd__mem_image, spec, out, err);
}

int vtd_mem_open_buffer(struct vtd_mem **out, struct vtd_error *err)
{
	return open_with(&vtd__mem_buffer, "", out, err);
}

int vtd_mem_read(struct vtd_mem *m, uint64_t pa, void *buf, size_t len, struct vtd_error *err)
{
	if (len && pa + len - 1 < pa)
		return vtd_fail(err, VTD_EUNMAPPED, "read at 0x%llx wraps around",
				(unsigned long long)pa);
	return m->ops->read(m, pa, buf, len, err);
}

int vtd_mem_write(struct vtd_mem *m, uint64_t pa, const void *buf, size_t len,
		  struct vtd_error *err)
{
	int rc;

	if (!m->ops->write)
		return vtd_fail(err, VTD_ENOTSUP, "memory source '%s' is read-only", m->ops->name);
	if (len && pa + len - 1 < pa)
		return vtd_fail(err, VTD_EUNMAPPED, "write at 0x%llx wraps around",
				(unsigned long long)pa);
	rc = m->ops->write(m, pa, buf, len, err);
	if (!rc)
		m->gen++;
	return rc;
}

int vtd_mem_next(struct vtd_mem *m, uint64_t from, uint64_t *base, uint64_t *size)
{
	if (!m->ops->next)
		return -VTD_ENOTSUP;
	return m->ops->next(m, from, base, size);
}

const char *vtd_mem_vmcoreinfo(struct vtd_mem *m)
{
	return m->ops->vmcoreinfo ? m->ops->vmcoreinfo(m) : NULL;
}

const char *vtd_mem_name(const struct vtd_mem *m)
{
	return m->ops->name;
}

void vtd_mem_close(struct vtd_mem *m)
{
	if (!m)
		return;
	m->ops->close(m);
	free(m);
}

/* ---- range map ------------------------------------------------------------ */

int vtd__ranges_add(struct vtd_ranges *r, const struct vtd_range *add, struct vtd_error *err)
{
	size_t i;

	if (!add->size || add->base + add->size - 1 < add->base)
		return vtd_fail(err, VTD_EINVAL, "empty or wrapping range at 0x%llx",
				(unsigned long long)add->base);
	for (i = 0; i < r->n; i++)
		if (add->base < r->v[i].base + r->v[i].size && r->v[i].base < add->base + add->size)
			return vtd_fail(err, VTD_EINVAL,
					"range 0x%llx-0x%llx overlaps 0x%llx-0x%llx",
					(unsigned long long)add->base,
					(unsigned long long)(add->base + add->size - 1),
					(unsigned long long)r->v[i].base,
					(unsigned long long)(r->v[i].base + r->v[i].size - 1));
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 4;
		struct vtd_range *v = realloc(r->v, cap * sizeof(*v));

		if (!v)
			return vtd_fail(err, VTD_ENOMEM, "out of memory");
		r->v = v;
		r->cap = cap;
	}
	/* Keep sorted by base so lookups can bisect. */
	for (i = r->n; i > 0 && r->v[i - 1].base > add->base; i--)
		r->v[i] = r->v[i - 1];
	r->v[i] = *add;
	r->n++;
	return 0;
}

const struct vtd_range *vtd__ranges_find(const struct vtd_ranges *r, uint64_t pa)
{
	size_t lo = 0, hi = r->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct vtd_range *g = &r->v[mid];

		if (pa < g->base)
			hi = mid;
		else if (pa - g->base >= g->size)
			lo = mid + 1;
		else
			return g;
	}
	return NULL;
}

int vtd__ranges_next(const struct vtd_ranges *r, uint64_t from, uint64_t *base,
		      uint64_t *size)
{
	size_t lo = 0, hi = r->n;
	uint64_t start, last;

	/* The first range whose last byte is at or above 'from'. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->v[mid].base + (r->v[mid].size - 1) < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == r->n)
		return 0;
	start = r->v[lo].base > from ? r->v[lo].base : from;
	last = r->v[lo].base + (r->v[lo].size - 1);
	/*
	 * Ranges that touch are one run of memory to a caller: two image files
	 * back to back are no gap.  A run reaching the top of the address
	 * space from 0 would have a size of 2^64: it stops one range short.
	 */
	for (lo++; lo < r->n && last != UINT64_MAX && r->v[lo].base == last + 1; lo++) {
		uint64_t l = r->v[lo].base + (r->v[lo].size - 1);

		if (start == 0 && l == UINT64_MAX)
			break;
		last = l;
	}
	*base = start;
	*size = last - start + 1;
	return 1;
}

int vtd__ranges_access(const struct vtd_ranges *r, uint64_t pa, size_t len, void *buf,
		       int (*one)(const struct vtd_range *rg, uint64_t off, void *buf,
				  size_t len, void *arg, struct vtd_error *err),
		       void *arg, struct vtd_error *err)
{
	uint8_t *p = buf;

	while (len) {
		const struct vtd_range *g = vtd__ranges_find(r, pa);
		uint64_t off, take;
		int rc;

		if (!g) {
			if (err) {
				err->has_addr = 1;
				err->addr = pa;
			}
			return vtd_fail(err, VTD_EUNMAPPED, "physical address 0x%llx is not in the source",
					(unsigned long long)pa);
		}
		off = pa - g->base;
		take = g->size - off;
		if (take > len)
			take = len;
		rc = one(g, off, p, (size_t)take, arg, err);
		if (rc)
			return rc;
		p += take;
		pa += take;
		len -= (size_t)take;
	}
	return 0;
}

int vtd__mem_sys_fail(struct vtd_error *err, const char *what, const char *path)
{
	int e = errno;
	int rc = vtd_fail(err, e == EACCES || e == EPERM ? VTD_EPERM : VTD_EIO, "%s '%s': %s",
			  what, path, strerror(e));

	if (err)
		err->sys_errno = e;
	return rc;
}
