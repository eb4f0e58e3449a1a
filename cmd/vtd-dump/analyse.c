/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtd-dump -- --check (vtd_lint), --reachable (vtd_reachable), --scan (vtd_scan_roots) */
#include <inttypes.h>
#include <string.h>

#include "dmar.h"
#include "dump.h"
#include "script.h"

/* ---- --check -------------------------------------------------------------------------- */

static const char *const lint_names[] = {
	[VTD_LINT_RSVD] = "reserved", [VTD_LINT_AW] = "aw", [VTD_LINT_DID_SHARED] = "did-shared",
	[VTD_LINT_MSI] = "msi", [VTD_LINT_TABLE_DMA] = "table-dma", [VTD_LINT_RMRR] = "rmrr",
	[VTD_LINT_PT] = "pass-through", [VTD_LINT_IRTE_SVT] = "irte-svt",
	[VTD_LINT_FEATURE] = "feature",
};

static const char *lint_name(int k)
{
	return k > 0 && (size_t)k < sizeof(lint_names) / sizeof(lint_names[0]) && lint_names[k]
	       ? lint_names[k] : "other";
}

struct lctx {
	struct dump *d;
	struct json_object *arr;
};

static int on_finding(const struct vtd_lint_finding *f, void *ctx)
{
	struct lctx *l = ctx;
	char bdf[16];

	if (l->arr) {
		struct json_object *j = json_object_new_object();

		json_object_object_add(j, "kind", json_object_new_string(lint_name(f->kind)));
		json_object_object_add(j, "addr", cli_json_hex(f->addr));
		if (f->has_sid)
			json_object_object_add(j, "bdf", json_object_new_string(
				script_bdf_str(f->sid, bdf)));
		json_object_object_add(j, "path", json_object_new_string(f->path));
		json_object_object_add(j, "message", json_object_new_string(f->msg));
		json_object_array_add(l->arr, j);
		return 0;
	}
	fprintf(l->d->f, "%s: 0x%" PRIx64, lint_name(f->kind), f->addr);
	if (f->path[0])
		fprintf(l->d->f, " %s", f->path);
	if (f->has_sid)
		fprintf(l->d->f, " (%s)", script_bdf_str(f->sid, bdf));
	fprintf(l->d->f, ": %s\n", f->msg);
	return 0;
}

long check_unit(struct dump *d, const struct unit *u, struct json_object *arr,
		struct vtd_error *err)
{
	struct vtd_lint_opts lo = { .cap = u->cap, .ecap = u->ecap, .haw = u->haw };
	struct lctx l = { d, arr };
	struct vtd_rmrr *rm;
	const char *from;
	size_t nrm;
	long n;
	int rc;

	if ((rc = dmar_unit_rmrrs(d, u, &rm, &nrm, &from, err)))
		return rc;
	lo.rmrr = rm;
	lo.nrmrr = nrm;
	n = vtd_lint(d->mem, u->rtaddr, u->irta, &lo, on_finding, &l, err);
	vtd_dmar_rmrrs_free(rm, nrm);
	if (n < 0 || d->o->quiet)
		return n;
	fprintf(stderr, "%s: %s: %ld finding%s", d->c->prog, u->name, n, n == 1 ? "" : "s");
	if (from)
		fprintf(stderr, " (%zu RMRR%s from %s)", nrm, nrm == 1 ? "" : "s", from);
	fputc('\n', stderr);
	return n;
}

/* ---- --reachable ------------------------------------------------------------------------ */

int reach_unit(struct dump *d, const struct unit *u, const struct vtd_plan *p,
	       struct json_object *arr, struct vtd_error *err)
{
	const struct dopts *o = d->o;
	struct vtd_reach *r;
	size_t n;
	int rc;
	char bdf[16], a[24], b[24];

	if ((rc = vtd_reachable(p, &r, &n, err)))
		return rc;
	if (!arr)
		fprintf(d->f, "%s: rtaddr 0x%" PRIx64 "\n", u->name, u->rtaddr);
	for (size_t i = 0; i < n; i++) {
		const struct vtd_reach *x = &r[i];

		if (!dev_selected(o, x->sid))
			continue;
		if (o->has_pasid && (!x->has_pasid || x->pasid != o->pasid))
			continue;
		script_bdf_str(x->sid, bdf);
		if (arr) {
			struct json_object *j = json_object_new_object(), *rs = json_object_new_array();
			char perm[4];

			json_object_object_add(j, "bdf", json_object_new_string(bdf));
			if (x->has_pasid)
				json_object_object_add(j, "pasid", json_object_new_int64(x->pasid));
			json_object_object_add(j, "all", json_object_new_boolean(x->all));
			json_object_object_add(j, "total", json_object_new_int64((int64_t)x->total));
			json_object_object_add(j, "writable",
					       json_object_new_int64((int64_t)x->writable));
			for (size_t k = 0; k < x->n; k++) {
				struct json_object *e = json_object_new_object();

				json_object_object_add(e, "base", cli_json_hex(x->ranges[k].base));
				json_object_object_add(e, "size", cli_json_hex(x->ranges[k].size));
				perm_str(x->ranges[k].perm, perm);
				json_object_object_add(e, "perm", json_object_new_string(perm));
				json_object_array_add(rs, e);
			}
			json_object_object_add(j, "ranges", rs);
			json_object_array_add(arr, j);
			continue;
		}
		fprintf(d->f, "  %s", bdf);
		if (x->has_pasid)
			fprintf(d->f, " pasid 0x%x", x->pasid);
		if (x->all) {
			fprintf(d->f, ": all of memory (pass-through)\n");
			continue;
		}
		cli_size_str(x->total, a, sizeof(a));
		cli_size_str(x->writable, b, sizeof(b));
		fprintf(d->f, ": %zu range%s, %s reachable, %s writable\n", x->n, x->n == 1 ? "" : "s",
			a, b);
		for (size_t k = 0; k < x->n; k++) {
			char perm[4];

			cli_size_str(x->ranges[k].size, a, sizeof(a));
			perm_str(x->ranges[k].perm, perm);
			fprintf(d->f, "    0x%" PRIx64 "-0x%" PRIx64 " %s %s\n", x->ranges[k].base,
				x->ranges[k].base + x->ranges[k].size - 1, a, perm);
		}
	}
	vtd_reach_free(r, n);
	return 0;
}

/* ---- --scan ------------------------------------------------------------------------------- */

struct sctx {
	struct dump *d;
	struct json_object *arr;
	long n;
	uint64_t best;
};

static int on_hit(const struct vtd_scan_hit *h, void *ctx)
{
	struct sctx *s = ctx;

	if (!s->n)
		s->best = h->rtaddr;
	s->n++;
	if (s->arr) {
		struct json_object *j = json_object_new_object();

		json_object_object_add(j, "rank", json_object_new_int64(s->n));
		json_object_object_add(j, "pa", cli_json_hex(h->pa));
		json_object_object_add(j, "rtaddr", cli_json_hex(h->rtaddr));
		json_object_object_add(j, "mode", json_object_new_string(h->scalable ? "scalable"
										     : "legacy"));
		json_object_object_add(j, "score", json_object_new_int((int)h->score));
		json_object_object_add(j, "roots", json_object_new_int((int)h->roots));
		json_object_object_add(j, "contexts", json_object_new_int((int)h->contexts));
		json_object_object_add(j, "tables", json_object_new_int((int)h->tables));
		json_object_object_add(j, "why", json_object_new_string(h->why));
		json_object_array_add(s->arr, j);
		return 0;
	}
	fprintf(s->d->f, "%2ld. 0x%" PRIx64 " %s score %u: rtaddr 0x%" PRIx64 "; %s\n", s->n, h->pa,
		h->scalable ? "scalable" : "legacy", h->score, h->rtaddr, h->why);
	return 0;
}

long scan_source(struct dump *d, const struct unit *u, struct json_object *arr, uint64_t *best,
		 struct vtd_error *err)
{
	struct vtd_scan_opts so = { .cap = u->cap, .ecap = u->ecap, .haw = u->haw };
	struct sctx s = { d, arr, 0, 0 };
	int rc = vtd_scan_roots(d->mem, &so, on_hit, &s, err);

	if (rc < 0)
		return rc;
	*best = s.best;
	return s.n;
}
