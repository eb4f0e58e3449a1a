/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- quick entry checks and a key set, for scanning and linting */
#include <stdlib.h>
#include <string.h>

#include "analyse-internal.h"
#include "regs.h"
#include "tables.h"

void vtd__qchk_init(struct qchk *q, const struct vtd_layout *l, unsigned haw)
{
	uint8_t mask[8 * QCHK_WORDS] = { 0 };

	memset(q, 0, sizeof(*q));
	q->l = l;
	q->nw = l->size / 8;
	if (q->nw > QCHK_WORDS)
		q->nw = QCHK_WORDS;
	vtd_layout_rsvd_mask(l, q->nw * 8, mask);
	for (unsigned w = 0; w < q->nw; w++)
		q->rsvd[w] = le64(mask + 8 * w);
	/* The same rule as vtd_layout_check: values of a not-present entry do not count. */
	if (l->nfields && l->fields[0].lsb == 0 && l->fields[0].kind == VTD_FLAG &&
	    !strcmp(l->fields[0].name, "P"))
		q->p = &l->fields[0];
	q->haw_bits = haw < 64 ? haw : 0;
	for (unsigned i = 0; i < l->nfields; i++) {
		const struct vtd_field *f = &l->fields[i];
		uint64_t bad = 0;

		if (f->kind == VTD_ADDR && (f->flags & VTD_FF_HAW) && q->haw_bits &&
		    q->haw_bits >= f->shift && q->nhaw < QCHK_FIELDS)
			q->haw[q->nhaw++] = f;
		if (f->width > 6)
			continue;
		if (f->flags & VTD_FF_FIXED) {
			bad = ~0ULL >> (64 - (1u << f->width));
			bad &= ~(1ULL << f->fixed);
		} else if (f->kind == VTD_ENUM) {
			for (const struct vtd_value *v = f->values; v && v->name; v++)
				if ((v->flags & VTD_VF_RESERVED) && v->raw < 64)
					bad |= 1ULL << v->raw;
		}
		if (bad && q->nen < QCHK_FIELDS) {
			q->en[q->nen] = f;
			q->enbad[q->nen++] = bad;
		}
	}
}

int vtd__qchk_ok(const struct qchk *q, const uint8_t *e)
{
	int present;

	for (unsigned w = 0; w < q->nw; w++)
		if (le64(e + 8 * w) & q->rsvd[w])
			return 0;
	present = !q->p || vtd_field_raw(q->p, e);
	for (unsigned i = 0; i < q->nen; i++) {
		if (!present && !(q->en[i]->flags & VTD_FF_FIXED))
			continue;
		if (q->enbad[i] >> vtd_field_raw(q->en[i], e) & 1)
			return 0;
	}
	for (unsigned i = 0; present && i < q->nhaw; i++)
		if (vtd_field_value(q->haw[i], vtd_field_raw(q->haw[i], e)) >> q->haw_bits)
			return 0;
	return 1;
}

static const struct vtd_field *fld(const struct vtd_layout *l, const char *name, int *bad)
{
	const struct vtd_field *f = vtd_field_find(l, name);

	if (!f)
		*bad = 1;
	return f;
}

int vtd__achk_init(struct achk *a, uint64_t cap, uint64_t ecap, unsigned haw,
		   struct vtd_error *err)
{
	int rc, bad = 0;
	uint8_t b[8];

	memset(a, 0, sizeof(*a));
	if ((rc = vtd__bfields(&a->F, err)))
		return rc;
	vtd_caps_of(cap, ecap, haw, &a->c);
	vtd__qchk_init(&a->rl, &vtd_l_root_legacy, haw);
	vtd__qchk_init(&a->rs, &vtd_l_root_sm, haw);
	vtd__qchk_init(&a->cl, &vtd_l_context_legacy, haw);
	vtd__qchk_init(&a->cs, &vtd_l_context_sm, haw);
	vtd__qchk_init(&a->pd, &vtd_l_pasid_dir, haw);
	vtd__qchk_init(&a->pe, &vtd_l_pasid_entry, haw);
	vtd__qchk_init(&a->irr, &vtd_l_irte_remapped, haw);
	vtd__qchk_init(&a->irp, &vtd_l_irte_posted, haw);
	for (int fs = 0; fs < 2; fs++)
		for (int lv = 1; lv <= 5; lv++)
			for (int leaf = 0; leaf < 2; leaf++)
				if (a->F.pg[fs][lv][leaf].l)
					vtd__qchk_init(&a->pg[fs][lv][leaf], a->F.pg[fs][lv][leaf].l,
						       haw);
	a->irr_svt = fld(&vtd_l_irte_remapped, "SVT", &bad);
	a->irr_im = fld(&vtd_l_irte_remapped, "IM", &bad);
	const struct vtd_field *pi = fld(&vtd_l_reg_cap, "PI", &bad);

	if (bad)
		return vtd_fail(err, VTD_EINTERNAL, "a field the analyses read is not described");
	put_le64(b, cap);
	a->pi = (uint8_t)vtd_field_raw(pi, b);
	return 0;
}

/* ---- key set ------------------------------------------------------------------------ */

static size_t slot(uint64_t k, size_t cap)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (size_t)k & (cap - 1);
}

int vtd__uset_has(const struct uset *s, uint64_t k)
{
	if (!s->cap)
		return 0;
	for (size_t i = slot(k, s->cap);; i = (i + 1) & (s->cap - 1)) {
		if (s->v[i] == k)
			return 1;
		if (!s->v[i])
			return 0;
	}
}

int vtd__uset_add(struct uset *s, uint64_t k)
{
	if ((s->n + 1) * 2 > s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 64;
		uint64_t *nv = calloc(nc, sizeof(*nv));

		if (!nv)
			return -1;
		for (size_t i = 0; i < s->cap; i++) {
			if (!s->v[i])
				continue;
			size_t j = slot(s->v[i], nc);

			while (nv[j])
				j = (j + 1) & (nc - 1);
			nv[j] = s->v[i];
		}
		free(s->v);
		s->v = nv;
		s->cap = nc;
	}
	for (size_t i = slot(k, s->cap);; i = (i + 1) & (s->cap - 1)) {
		if (s->v[i] == k)
			return 0;
		if (!s->v[i]) {
			s->v[i] = k;
			s->n++;
			return 1;
		}
	}
}

void vtd__uset_clear(struct uset *s)
{
	if (s->v)
		memset(s->v, 0, s->cap * sizeof(*s->v));
	s->n = 0;
}

void vtd__uset_free(struct uset *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}
