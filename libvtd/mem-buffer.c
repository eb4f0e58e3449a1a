/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- "buffer" source: writable RAM held in this process (tests, simulation) */
#include "mem-internal.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

static int buffer_map_spec(struct vtd_mem *m, const char *arg, struct vtd_error *err);

/* A range was added: memory reads differently (gen), and is one span or not. */
static void span_update(struct vtd_mem *m)
{
	const struct vtd_ranges *r = m->priv;

	m->gen++;
	m->span = r->n == 1 ? r->v[0].ctx : NULL;
	m->span_base = r->n == 1 ? r->v[0].base : 0;
	m->span_size = r->n == 1 ? r->v[0].size : 0;
}

static int buffer_open(struct vtd_mem *m, const char *arg, struct vtd_error *err)
{
	m->priv = calloc(1, sizeof(struct vtd_ranges));
	if (!m->priv)
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	return *arg ? buffer_map_spec(m, arg, err) : 0;
}

static void buffer_close(struct vtd_mem *m)
{
	struct vtd_ranges *r = m->priv;
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++)
		free(r->v[i].ctx);
	free(r->v);
	free(r);
}

int vtd_mem_buffer_map(struct vtd_mem *m, uint64_t base, const void *data, size_t size,
		       struct vtd_error *err)
{
	struct vtd_range rg = { .base = base, .size = size };
	int rc;

	if (m->ops != &vtd__mem_buffer)
		return vtd_fail(err, VTD_EINVAL, "not a buffer source");
	if (!size)
		return vtd_fail(err, VTD_EINVAL, "empty buffer range");
	rg.ctx = calloc(1, size);
	if (!rg.ctx)
		return vtd_fail(err, VTD_ENOMEM, "cannot allocate %zu bytes", size);
	if (data)
		memcpy(rg.ctx, data, size);
	rc = vtd__ranges_add(m->priv, &rg, err);
	if (rc) {
		free(rg.ctx);
		return rc;
	}
	span_update(m);
	return 0;
}

/* "SIZE@BASE[,SIZE@BASE...]": zeroed RAM. */
static int buffer_map_spec(struct vtd_mem *m, const char *arg, struct vtd_error *err)
{
	while (*arg) {
		char item[64], *at;
		size_t n = strcspn(arg, ",");
		uint64_t size, base = 0;
		int rc;

		if (n >= sizeof(item))
			return vtd_fail(err, VTD_EFORMAT, "buffer: bad range '%s'", arg);
		memcpy(item, arg, n);
		item[n] = 0;
		at = strchr(item, '@');
		if (at)
			*at++ = 0;
		if (vtd_parse_u64(item, &size) || (at && vtd_parse_u64(at, &base)) ||
		    size > (1ULL << 32))
			return vtd_fail(err, VTD_EFORMAT, "buffer: bad range '%.*s' (SIZE@BASE, at most 4 GiB)",
					(int)n, arg);
		rc = vtd_mem_buffer_map(m, base, NULL, (size_t)size, err);
		if (rc)
			return rc;
		arg += n + (arg[n] == ',');
	}
	return 0;
}

static int copy_out(const struct vtd_range *rg, uint64_t off, void *buf, size_t len, void *arg,
		    struct vtd_error *err)
{
	(void)arg;
	(void)err;
	memcpy(buf, (uint8_t *)rg->ctx + off, len);
	return 0;
}

static int copy_in(const struct vtd_range *rg, uint64_t off, void *buf, size_t len, void *arg,
		   struct vtd_error *err)
{
	(void)arg;
	(void)err;
	memcpy((uint8_t *)rg->ctx + off, buf, len);
	return 0;
}

static int buffer_read(struct vtd_mem *m, uint64_t pa, void *buf, size_t len,
		       struct vtd_error *err)
{
	return vtd__ranges_access(m->priv, pa, len, buf, copy_out, NULL, err);
}

static int buffer_write(struct vtd_mem *m, uint64_t pa, const void *buf, size_t len,
			struct vtd_error *err)
{
	/* Check the whole span first so that a failed write changes nothing. */
	uint64_t end = pa + len;
	uint64_t at = pa;

	while (at < end) {
		const struct vtd_range *g = vtd__ranges_find(m->priv, at);

		if (!g) {
			if (err) {
				err->has_addr = 1;
				err->addr = at;
			}
			return vtd_fail(err, VTD_EUNMAPPED, "physical address 0x%llx is not in the source",
					(unsigned long long)at);
		}
		at = g->base + g->size;
		if (at == 0)
			break;
	}
	return vtd__ranges_access(m->priv, pa, len, (void *)buf, copy_in, NULL, err);
}

static int buffer_next(struct vtd_mem *m, uint64_t from, uint64_t *base, uint64_t *size)
{
	return vtd__ranges_next(m->priv, from, base, size);
}

const uint8_t *vtd__mem_span(const struct vtd_mem *m, uint64_t pa, uint64_t *base,
			     uint64_t *size)
{
	const struct vtd_range *g;

	if (m->ops != &vtd__mem_buffer || !(g = vtd__ranges_find(m->priv, pa)))
		return NULL;
	*base = g->base;
	*size = g->size;
	return g->ctx;
}

const struct vtd_mem_ops vtd__mem_buffer = {
	.name = "buffer",
	.help = "SIZE@BASE[,SIZE@BASE...]: zeroed writable RAM inside the process",
	.open = buffer_open,
	.read = buffer_read,
	.write = buffer_write,
	.close = buffer_close,
	.next = buffer_next,
};
