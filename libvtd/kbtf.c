/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- structure member offsets from the kernel's BTF (through libbpf) */
#include "kernel-internal.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
 * Structures are read whole, so their size is what one read costs; the
 * largest the reader wants (struct intel_iommu) is about 1 KiB.
 */
#define STRUCT_MAX (64u * 1024)

/* Anonymous members nest a few deep in practice; a hostile file might loop. */
#define ANON_DEPTH 8

int vtd__kbtf_open(const char *path, struct btf **out, struct vtd_error *err)
{
	char why[128];
	struct btf *b;
	int fd, e;

	/* The file's own trouble first: libbpf's errno cannot tell it from bad content. */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		if (err)
			err->sys_errno = e;
		return vtd_fail(err, e == EACCES || e == EPERM ? VTD_EPERM : VTD_EIO,
				"cannot open BTF '%s': %s", path, strerror(e));
	}
	close(fd);
	errno = 0;
	b = btf__parse(path, NULL);
	if (!b) {
		/* libbpf's own codes (LIBBPF_ERRNO__FORMAT, ...) are beyond strerror(). */
		if (libbpf_strerror(errno ? errno : EINVAL, why, sizeof(why)))
			snprintf(why, sizeof(why), "error %d", errno);
		return vtd_fail(err, VTD_EFORMAT,
				"'%s' is neither raw BTF nor an ELF file with a .BTF section (%s)",
				path, why);
	}
	*out = b;
	return 0;
}

int vtd__kbtf_struct(const struct btf *b, struct vtd_kstruct *st, struct vtd_error *err)
{
	const struct btf_type *t;
	int32_t id = btf__find_by_name_kind(b, st->name, BTF_KIND_STRUCT);

	if (id <= 0 || !(t = btf__type_by_id(b, (uint32_t)id)))
		return vtd_fail(err, VTD_EFORMAT, "the BTF has no struct %s (not this kernel's "
				"BTF, or a kernel without the intel-iommu driver?)", st->name);
	if (!t->size || t->size > STRUCT_MAX)
		return vtd_fail(err, VTD_EFORMAT, "struct %s: size %u is not in [1, %u]", st->name,
				t->size, STRUCT_MAX);
	st->id = id;
	st->size = t->size;
	return 0;
}

/*
 * 'member' among the members of composite type 'id', at 'base' bits, or in
 * one of its anonymous members: 1 found, 0 not.
 */
static int find(const struct btf *b, uint32_t id, const char *member, uint32_t base, int depth,
		struct vtd_kfield *f)
{
	const struct btf_type *t = btf__type_by_id(b, id);
	const struct btf_member *mb;
	uint16_t n;

	if (!t || !btf_is_composite(t) || depth > ANON_DEPTH)
		return 0;
	mb = btf_members(t);
	n = btf_vlen(t);
	for (uint16_t i = 0; i < n; i++) {
		const char *name = btf__name_by_offset(b, mb[i].name_off);
		uint32_t off = base + btf_member_bit_offset(t, i);
		int rid;

		if (off < base)
			return 0;
		if (name && *name) {
			const struct btf_type *rt;
			long long size;

			if (strcmp(name, member))
				continue;
			rid = btf__resolve_type(b, mb[i].type);
			size = btf__resolve_size(b, mb[i].type);
			if (rid < 0 || size <= 0 || size > STRUCT_MAX || !(rt = btf__type_by_id(b, (uint32_t)rid)))
				return 0;
			f->bit_off = off;
			f->bits = btf_member_bitfield_size(t, i);
			f->size = (uint32_t)size;
			/* The old encoding: the int type itself says where its bits are. */
			if (!f->bits && btf_is_int(rt) &&
			    (btf_int_offset(rt) || btf_int_bits(rt) != size * 8)) {
				f->bit_off += btf_int_offset(rt);
				f->bits = btf_int_bits(rt);
			}
			return 1;
		}
		rid = btf__resolve_type(b, mb[i].type);
		if (rid > 0 && find(b, (uint32_t)rid, member, off, depth + 1, f))
			return 1;
	}
	return 0;
}

int vtd__kbtf_field(const struct btf *b, const struct vtd_kstruct *st, const char *member,
		    int scalar, struct vtd_kfield *f, struct vtd_error *err)
{
	uint64_t end;

	memset(f, 0, sizeof(*f));
	if (!find(b, (uint32_t)st->id, member, 0, 0, f))
		return vtd_fail(err, VTD_EFORMAT, "the BTF has no member %s.%s", st->name, member);
	end = f->bits ? (uint64_t)f->bit_off + f->bits : (uint64_t)f->bit_off + 8ull * f->size;
	if ((!f->bits && f->bit_off % 8) || f->bits > 64 || end > 8ull * st->size ||
	    (scalar && !f->bits && f->size > 8))
		return vtd_fail(err, VTD_EFORMAT,
				"the BTF's %s.%s (bit %u, %u bytes, %u bits) is not a member the "
				"reader can use in a %u-byte structure", st->name, member,
				f->bit_off, f->size, f->bits, st->size);
	return 0;
}

uint64_t vtd__kfield_get(const uint8_t *blob, const struct vtd_kfield *f)
{
	uint64_t v = 0;

	if (f->bits) {
		for (uint32_t i = 0; i < f->bits; i++) {
			uint32_t bit = f->bit_off + i;

			v |= (uint64_t)(blob[bit / 8] >> (bit % 8) & 1) << i;
		}
		return v;
	}
	/* Little-endian, whatever the host: the dumped machine is x86. */
	for (uint32_t i = f->size < 8 ? f->size : 8; i > 0; i--)
		v = v << 8 | blob[f->bit_off / 8 + i - 1];
	return v;
}
