/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-dump -- the default answer: unit -> bus -> device -> context entry ->
 * PASID entries -> domain -> mappings, as text or JSON, from the plan
 * vtd_plan_read made of the tables (devices, domains and coalesced
 * mappings), with the entries themselves read again for their addresses.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "pci-names.h"
#include "fault.h"
#include "json.h"
#include "script.h"
#include "tables.h"
#include "text.h"

void perm_str(unsigned p, char *b)
{
	b[0] = p & VTD_ACC_R ? 'r' : '-';
	b[1] = p & VTD_ACC_W ? 'w' : '-';
	b[2] = p & VTD_ACC_X ? 'x' : '-';
	b[3] = '\0';
}

void entry_line(const struct vtd_layout *l, const uint8_t *raw, char *b, size_t n)
{
	entry_line_len(l, raw, l->size, b, n);
}

void entry_line_len(const struct vtd_layout *l, const uint8_t *raw, size_t len, char *b,
		    size_t n)
{
	struct vtd_sbuf sb = VTD_SBUF_INIT;
	const char *t;
	size_t k;

	vtd_text_render(&sb, l, raw, len, VTD_TEXT_ONELINE);
	t = sb.oom ? "(out of memory)" : vtd_sbuf_str(&sb);
	/* The renderer starts with "name: "; the caller names the entry itself. */
	k = strlen(l->name);
	if (!strncmp(t, l->name, k) && t[k] == ':' && t[k + 1] == ' ')
		t += k + 2;
	snprintf(b, n, "%s", t);
	for (k = strlen(b); k && (b[k - 1] == '\n' || b[k - 1] == ' '); k--)
		b[k - 1] = '\0';
	/* Continuation lines of a long entry become one line. */
	for (char *p = b; (p = strchr(p, '\n'));) {
		char *q = p + 1;

		while (*q == ' ')
			q++;
		*p = ' ';
		memmove(p + 1, q, strlen(q) + 1);
	}
	vtd_sbuf_release(&sb);
}

uint64_t field_of(const struct vtd_layout *l, const uint8_t *b, const char *key)
{
	const struct vtd_field *f = vtd_field_find(l, key);

	return f ? vtd_field_value(f, vtd_field_raw(f, b)) : 0;
}

void entry_jsonw(struct jsonw *w, const struct vtd_layout *l, uint64_t pa, unsigned idx,
		 const uint8_t *raw, size_t len)
{
	jsonw_start_object(w);
	jsonw_kstring(w, "struct", l->name);
	jsonw_khex(w, "pa", pa);
	jsonw_kint(w, "index", idx);
	jsonw_kjson(w, "fields", vtd_json_from_bytes(l, raw, len, 0));
	jsonw_end_object(w);
}

int dev_selected(const struct dopts *o, uint16_t sid)
{
	if (!o->ndevs)
		return 1;
	for (unsigned i = 0; i < o->ndevs; i++)
		if (o->devs[i] == sid)
			return 1;
	return 0;
}

/* ---- the entries behind a device ------------------------------------------------------ */

struct ents {
	uint64_t root_pa, ctx_pa;
	unsigned root_idx, ctx_idx;
	const struct vtd_layout *rl, *cl;
	uint8_t root[16], ctx[32];
	int has_root, has_ctx;
};

static int scalable(const struct unit *u)
{
	return (u->rtaddr >> 10 & 3) == 1;
}

static void ents_read(struct dump *d, const struct unit *u, uint16_t sid, struct ents *x)
{
	unsigned bus = sid >> 8, devfn = sid & 0xff;
	uint64_t ctp;

	memset(x, 0, sizeof(*x));
	x->rl = scalable(u) ? &vtd_l_root_sm : &vtd_l_root_legacy;
	x->cl = scalable(u) ? &vtd_l_context_sm : &vtd_l_context_legacy;
	x->root_idx = bus;
	x->root_pa = (u->rtaddr & ~(uint64_t)0xfff) + bus * 16;
	if (vtd_mem_read(d->mem, x->root_pa, x->root, 16, NULL))
		return;
	x->has_root = 1;
	if (!scalable(u)) {
		ctp = field_of(x->rl, x->root, "ctp");
		x->ctx_idx = devfn;
		x->ctx_pa = ctp + devfn * 16;
	} else {
		ctp = field_of(x->rl, x->root, devfn < 128 ? "lctp" : "uctp");
		x->ctx_idx = devfn & 0x7f;
		x->ctx_pa = ctp + (devfn & 0x7f) * 32;
	}
	if (!vtd_mem_read(d->mem, x->ctx_pa, x->ctx, x->cl->size, NULL))
		x->has_ctx = 1;
}

/* The PASID-table entry of 'pasid' under a scalable context entry; 0 when read. */
static int pasid_entry(struct dump *d, const uint8_t *ctx, uint32_t pasid, uint64_t *pa,
		       uint8_t pe[64])
{
	uint64_t dir = field_of(&vtd_l_context_sm, ctx, "pasiddirptr"), de_pa = dir + (pasid >> 6) * 8;
	uint8_t de[8];

	if (vtd_mem_read(d->mem, de_pa, de, 8, NULL) || !field_of(&vtd_l_pasid_dir, de, "p"))
		return -1;
	*pa = field_of(&vtd_l_pasid_dir, de, "smptblptr") + (pasid & 63) * 64;
	return vtd_mem_read(d->mem, *pa, pe, 64, NULL);
}

/* ---- mappings ---------------------------------------------------------------------------- */

/* A display range: plan mappings contiguous in input and output with equal rights. */
struct drange {
	uint64_t iova, pa, size;
	unsigned perm;
	uint8_t snoop, user, raw;
	unsigned pages;		/* page sizes used: bit 0 4K, 1 2M, 2 1G */
};

static unsigned page_bit(uint64_t page)
{
	return page == 1ull << 30 ? 4 : page == 1ull << 21 ? 2 : 1;
}

/* The next display range from maps[*i]; *i moves past it. */
static void next_range(const struct vtd_bdomain *dm, size_t *i, struct drange *r)
{
	const struct vtd_bmap *m = &dm->maps[*i];

	r->iova = m->iova;
	r->pa = m->pa;
	r->size = m->size;
	r->perm = m->perm;
	r->snoop = m->snoop;
	r->user = m->user;
	r->raw = m->nraw != 0;
	r->pages = page_bit(m->page);
	for ((*i)++; *i < dm->nmaps; (*i)++) {
		const struct vtd_bmap *n = &dm->maps[*i];

		if (n->iova != r->iova + r->size || n->pa != r->pa + r->size || n->perm != r->perm ||
		    n->snoop != r->snoop || n->user != r->user || (n->nraw != 0) != r->raw)
			break;
		r->size += n->size;
		r->pages |= page_bit(n->page);
	}
}

/* The page sizes of a range, by the bits page_bit() sets. */
static const char *const pages_names[8] = {
	"", "4K", "2M", "4K,2M", "1G", "4K,1G", "2M,1G", "4K,2M,1G",
};

static int range_shown(const struct dopts *o, const struct drange *r)
{
	return !o->has_addr || (o->addr >= r->iova && o->addr - r->iova < r->size);
}

static char *put_str(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

static char *put_hex(char *p, uint64_t v)
{
	char t[16];
	int n = 0;

	do
		t[n++] = "0123456789abcdef"[v & 15];
	while (v >>= 4);
	*p++ = '0';
	*p++ = 'x';
	while (n)
		*p++ = t[--n];
	return p;
}

/*
 * One line a range: with a million ranges this is most of the tree's
 * time, so the line is put together by hand and written once.
 */
static void range_text(FILE *f, const struct drange *r, const char *ind)
{
	char line[256], sz[24], perm[4], *p = line;

	cli_size_str(r->size, sz, sizeof(sz));
	perm_str(r->perm, perm);
	p = put_str(p, ind);
	p = put_hex(p, r->iova);
	*p++ = '-';
	p = put_hex(p, r->iova + r->size - 1);
	p = put_str(p, " -> ");
	p = put_hex(p, r->pa);
	*p++ = '-';
	p = put_hex(p, r->pa + r->size - 1);
	*p++ = ' ';
	p = put_str(p, sz);
	*p++ = ' ';
	p = put_str(p, perm);
	*p++ = ' ';
	p = put_str(p, pages_names[r->pages & 7]);
	p = put_str(p, r->snoop ? " snoop" : "");
	p = put_str(p, r->user ? " user" : "");
	p = put_str(p, r->raw ? " raw" : "");
	*p++ = '\n';
	fwrite(line, 1, (size_t)(p - line), f);
}

/* ---- what a device shows ---------------------------------------------------------------- */

/* One translating entry of a device: the legacy context, RID_PASID's, or a PASID's. */
struct path {
	int pasid;		/* -1: the device's legacy context entry */
	int is_rid;		/* the RID_PASID entry: requests without PASID */
	const struct vtd_bpasid *pe;	/* NULL: the device's own 'domain' */
	int ss, fs;		/* domain indexes, -1 */
	uint16_t did;
	const char *what;	/* "second stage", "pass-through", ... */
};

static const char *const pgtt_words[] = { "?", "first stage", "second stage", "nested",
					   "pass-through" };

static int paths_of(const struct vtd_plan *p, const struct vtd_bdevice *dv, struct path *v,
		    size_t max)
{
	size_t n = 0;

	if (!p->scalable) {
		v[n] = (struct path){ -1, 0, NULL, dv->domain, -1, 0,
				      dv->kind == VTD_BDEV_PASSTHROUGH ? "pass-through" :
				      dv->kind == VTD_BDEV_BLOCKED ? "blocked" : "second stage" };
		if (dv->domain >= 0)
			v[n].did = p->domains[dv->domain].did;
		return 1;
	}
	if (dv->kind == VTD_BDEV_PASSTHROUGH || dv->domain >= 0 || dv->kind == VTD_BDEV_BLOCKED) {
		v[n] = (struct path){ (int)dv->rid_pasid, 1, NULL, dv->domain, -1, 0,
				      dv->kind == VTD_BDEV_PASSTHROUGH ? "pass-through" :
				      dv->kind == VTD_BDEV_BLOCKED ? "blocked" : "second stage" };
		if (dv->domain >= 0)
			v[n].did = p->domains[dv->domain].did;
		n++;
	}
	for (size_t i = 0; i < dv->npasids && n < max; i++) {
		const struct vtd_bpasid *x = &dv->pasids[i];

		v[n] = (struct path){ (int)x->pasid, x->pasid == dv->rid_pasid, x, x->ss_domain,
				      x->fs_domain, x->did, x->pgtt <= 4 ? pgtt_words[x->pgtt] : "?" };
		if (x->ss_domain >= 0)
			v[n].did = p->domains[x->ss_domain].did;
		n++;
	}
	return (int)n;
}

static int path_shown(const struct dopts *o, const struct path *pt)
{
	if (o->has_pasid && (pt->pasid < 0 || (uint32_t)pt->pasid != o->pasid))
		return 0;
	if (o->has_did && (pt->did != o->did || !strcmp(pt->what, "blocked")))
		return 0;
	return 1;
}

/* A selected device's paths, or 0 when --device, --pasid or --domain hide all of them. */
static int shown_paths(const struct dopts *o, const struct vtd_plan *p,
		       const struct vtd_bdevice *dv, struct path *v, size_t max)
{
	int np;

	if (!dev_selected(o, dv->sid))
		return 0;
	np = paths_of(p, dv, v, max);
	for (int k = 0; k < np; k++)
		if (path_shown(o, &v[k]))
			return np;
	return 0;
}

/* The walk of --address for one path: read, else write when read is refused. */
static int walk(struct dump *d, const struct unit *u, uint16_t sid, const struct path *pt,
		struct vtd_translation *t, unsigned *acc)
{
	struct vtd_unit un = { .mem = d->mem, .rtaddr = u->rtaddr, .cap = u->cap, .ecap = u->ecap,
			       .haw = u->haw, .enabled = 1 };
	struct vtd_request rq = { .sid = sid, .addr = d->o->addr, .access = VTD_ACC_R };
	struct vtd_error e = { 0 };
	static struct vtd_translation t2;

	if (pt->pasid >= 0 && !pt->is_rid) {
		rq.has_pasid = 1;
		rq.pasid = (uint32_t)pt->pasid;
	}
	if (vtd_unit_prepare(&un, &e) || vtd_translate(&un, &rq, t, &e))
		return -1;
	*acc = VTD_ACC_R;
	if (t->fault) {
		rq.access = VTD_ACC_W;
		if (!vtd_translate(&un, &rq, &t2, &e) && !t2.fault) {
			*t = t2;
			*acc = VTD_ACC_W;
		}
	}
	return 0;
}

static void walk_text(struct dump *d, const struct unit *u, uint16_t sid, const struct path *pt,
		      const char *ind)
{
	static struct vtd_translation t;
	unsigned acc;
	char line[1024];

	if (walk(d, u, sid, pt, &t, &acc)) {
		fprintf(d->f, "%swalk of 0x%" PRIx64 ": the engine could not run\n", ind, d->o->addr);
		return;
	}
	if (!t.fault) {
		char sz[24], perm[4];

		cli_size_str(t.page_size, sz, sizeof(sz));
		perm_str(t.perm, perm);
		fprintf(d->f, "%swalk: %s 0x%" PRIx64 ": ok 0x%" PRIx64 " (%s %s, did %u, level %u)\n",
			ind, acc == VTD_ACC_W ? "write" : "read", d->o->addr, t.out, sz, perm, t.did,
			t.level);
	} else {
		const struct vtd_fault_reason *fr = vtd_fault_reason(t.fault);

		fprintf(d->f, "%swalk: read 0x%" PRIx64 ": fault 0x%02x %s (at 0x%" PRIx64 ")\n", ind,
			d->o->addr, t.fault, fr ? fr->name : "unknown", t.fault_addr);
	}
	for (unsigned i = 0; i < t.nsteps; i++) {
		const struct vtd_walk_step *st = &t.steps[i];

		entry_line(st->layout, st->raw, line, sizeof(line));
		fprintf(d->f, "%s  %s[0x%x] @0x%" PRIx64 ": %s\n", ind, st->layout->name, st->index,
			st->pa, line);
	}
}

/* An entry read from the tables: {"struct", "pa", "index", "fields"}. */
static struct json_object *entry_json(const struct vtd_layout *l, uint64_t pa, unsigned idx,
				      const uint8_t *raw)
{
	struct json_object *j = json_object_new_object();

	json_object_object_add(j, "struct", json_object_new_string(l->name));
	json_object_object_add(j, "pa", cli_json_hex(pa));
	json_object_object_add(j, "index", json_object_new_int((int)idx));
	json_object_object_add(j, "fields", vtd_json_from_bytes(l, raw, l->size, 0));
	return j;
}

static struct json_object *walk_json(struct dump *d, const struct unit *u, uint16_t sid,
				     const struct path *pt)
{
	static struct vtd_translation t;
	struct json_object *j = json_object_new_object(), *steps;
	unsigned acc;
	char perm[4];

	json_object_object_add(j, "address", cli_json_hex(d->o->addr));
	if (walk(d, u, sid, pt, &t, &acc)) {
		json_object_object_add(j, "result", json_object_new_string("error"));
		return j;
	}
	json_object_object_add(j, "access", json_object_new_string(acc == VTD_ACC_W ? "write"
											: "read"));
	if (!t.fault) {
		json_object_object_add(j, "result", json_object_new_string("ok"));
		json_object_object_add(j, "out", cli_json_hex(t.out));
		json_object_object_add(j, "page_size", json_object_new_int64((int64_t)t.page_size));
		perm_str(t.perm, perm);
		json_object_object_add(j, "perm", json_object_new_string(perm));
		json_object_object_add(j, "did", json_object_new_int(t.did));
	} else {
		const struct vtd_fault_reason *fr = vtd_fault_reason(t.fault);
		char code[8];

		snprintf(code, sizeof(code), "0x%02x", t.fault);
		json_object_object_add(j, "result", json_object_new_string("fault"));
		json_object_object_add(j, "reason", json_object_new_string(code));
		if (fr)
			json_object_object_add(j, "name", json_object_new_string(fr->name));
		json_object_object_add(j, "fault_addr", cli_json_hex(t.fault_addr));
	}
	steps = json_object_new_array();
	for (unsigned i = 0; i < t.nsteps; i++) {
		const struct vtd_walk_step *st = &t.steps[i];

		json_object_array_add(steps, entry_json(st->layout, st->pa, st->index, st->raw));
	}
	json_object_object_add(j, "steps", steps);
	return j;
}

/* ---- text ----------------------------------------------------------------------------------- */

static const char *stage_word(const struct vtd_bdomain *dm)
{
	return dm->stage == VTD_STAGE_FIRST ? "first stage" : "second stage";
}

static void domain_text(struct dump *d, const struct vtd_plan *p, int idx, const char *role,
			char (*first_user)[16], const char *user, const char *ind)
{
	const struct vtd_bdomain *dm = &p->domains[idx];
	struct drange r;
	uint64_t total = 0;
	size_t i = 0, n = 0;
	char sz[24], ind2[40];

	while (i < dm->nmaps) {
		next_range(dm, &i, &r);
		total += r.size;
		n++;
	}
	cli_size_str(total, sz, sizeof(sz));
	fprintf(d->f, "%s%sdomain %d: ", ind, role, idx);
	if (dm->stage == VTD_STAGE_SECOND)
		fprintf(d->f, "DID %u, ", dm->did);
	fprintf(d->f, "%s, %u levels, %zu range%s, %s mapped", stage_word(dm), dm->levels, n,
		n == 1 ? "" : "s", sz);
	if (first_user[idx][0] && !d->o->has_addr) {
		fprintf(d->f, ": as under %s\n", first_user[idx]);
		return;
	}
	fputc('\n', d->f);
	if (!first_user[idx][0])
		snprintf(first_user[idx], sizeof(first_user[idx]), "%s", user);
	snprintf(ind2, sizeof(ind2), "%s  ", ind);
	for (i = 0; i < dm->nmaps;) {
		next_range(dm, &i, &r);
		if (range_shown(d->o, &r))
			range_text(d->f, &r, ind2);
	}
}

int tree_text(struct dump *d, const struct unit *u, const struct vtd_plan *p)
{
	const struct dopts *o = d->o;
	char (*first_user)[16] = calloc(p->ndomains ? p->ndomains : 1, sizeof(*first_user));
	int bus = -1, shown = 0;
	char line[1024], bdf[16], name[256];

	if (!first_user) {
		cli_error(d->c, EXIT_INTERNAL, "out of memory");
		return EXIT_INTERNAL;
	}
	fprintf(d->f, "%s: rtaddr 0x%" PRIx64 ", %s mode, root table 0x%" PRIx64, u->name,
		u->rtaddr, p->scalable ? "scalable" : "legacy", u->rtaddr & ~(uint64_t)0xfff);
	if (u->irta)
		fprintf(d->f, ", irta 0x%" PRIx64 " (%zu IRTEs)", u->irta, p->nirtes);
	if (u->has_te && !u->te)
		fprintf(d->f, ", translation disabled");
	fprintf(d->f, "; %zu device%s, %zu domain%s\n", p->ndevices, p->ndevices == 1 ? "" : "s",
		p->ndomains, p->ndomains == 1 ? "" : "s");
	regs_text(d, u);
	for (size_t i = 0; i < p->ndevices; i++) {
		const struct vtd_bdevice *dv = &p->devices[i];
		struct path pv[64];
		int np = shown_paths(o, p, dv, pv, 64);
		struct ents x;

		if (!np)
			continue;
		shown++;
		ents_read(d, u, dv->sid, &x);
		if ((dv->sid >> 8) != bus) {
			bus = dv->sid >> 8;
			entry_line(x.rl, x.root, line, sizeof(line));
			fprintf(d->f, "  bus 0x%02x: %s[0x%x] @0x%" PRIx64 ": %s\n", bus, x.rl->name,
				x.root_idx, x.root_pa, line);
		}
		script_bdf_str(dv->sid, bdf);
		fprintf(d->f, "    %s", bdf);
		if (d->live && cli_pci_name(dv->sid, name, sizeof(name)))
			fprintf(d->f, " %s", name);
		fputc('\n', d->f);
		if (x.has_ctx) {
			entry_line(x.cl, x.ctx, line, sizeof(line));
			fprintf(d->f, "      %s[0x%x] @0x%" PRIx64 ": %s\n", x.cl->name, x.ctx_idx,
				x.ctx_pa, line);
		}
		for (int k = 0; k < np; k++) {
			const struct path *pt = &pv[k];
			const char *ind = "      ";

			if (!path_shown(o, pt))
				continue;
			if (p->scalable) {
				uint64_t pa;
				uint8_t pe[64];

				ind = "        ";
				if (!pasid_entry(d, x.ctx, (uint32_t)pt->pasid, &pa, pe)) {
					entry_line(&vtd_l_pasid_entry, pe, line, sizeof(line));
					fprintf(d->f, "      pasid 0x%x%s @0x%" PRIx64 ": %s: %s\n",
						pt->pasid, pt->is_rid ? " (RID_PASID)" : "", pa,
						pt->what, line);
				} else {
					fprintf(d->f, "      pasid 0x%x%s: %s\n", pt->pasid,
						pt->is_rid ? " (RID_PASID)" : "", pt->what);
				}
			} else if (strcmp(pt->what, "second stage")) {
				fprintf(d->f, "      %s\n", pt->what);
			}
			if (pt->fs >= 0)
				domain_text(d, p, pt->fs, pt->ss >= 0 ? "first-stage " : "", first_user,
					    bdf, ind);
			if (pt->ss >= 0)
				domain_text(d, p, pt->ss, pt->fs >= 0 ? "second-stage " : "", first_user,
					    bdf, ind);
			if (o->has_addr)
				walk_text(d, u, dv->sid, pt, ind);
		}
	}
	if (!shown && (o->ndevs || o->has_pasid || o->has_did))
		fprintf(d->f, "  no device matches --device, --pasid or --domain\n");
	irt_text(d, u, p);
	iq_text(d, u);
	free(first_user);
	return EXIT_OK;
}

/* ---- JSON, streamed: memory stays flat however many mappings there are -------------------- */

static void range_jsonw(struct jsonw *w, const struct drange *r)
{
	char perm[4];

	jsonw_start_object(w);
	jsonw_khex(w, "iova", r->iova);
	jsonw_khex(w, "pa", r->pa);
	jsonw_khex(w, "size", r->size);
	perm_str(r->perm, perm);
	jsonw_kstring(w, "perm", perm);
	jsonw_key(w, "pages");
	jsonw_start_array(w);
	if (r->pages & 1)
		jsonw_string(w, "4K");
	if (r->pages & 2)
		jsonw_string(w, "2M");
	if (r->pages & 4)
		jsonw_string(w, "1G");
	jsonw_end_array(w);
	if (r->snoop)
		jsonw_kbool(w, "snoop", 1);
	if (r->user)
		jsonw_kbool(w, "user", 1);
	if (r->raw)
		jsonw_kbool(w, "raw", 1);
	jsonw_end_object(w);
}

static void path_jsonw(struct dump *d, const struct unit *u, const struct vtd_bdevice *dv,
		       const struct ents *x, const struct path *pt, uint8_t *used, struct jsonw *w)
{
	jsonw_start_object(w);
	if (pt->pasid >= 0) {
		uint64_t epa;
		uint8_t pe[64];

		jsonw_kint(w, "pasid", pt->pasid);
		jsonw_kbool(w, "rid_pasid", pt->is_rid);
		if (!pasid_entry(d, x->ctx, (uint32_t)pt->pasid, &epa, pe)) {
			jsonw_key(w, "entry");
			entry_jsonw(w, &vtd_l_pasid_entry, epa, (unsigned)pt->pasid & 63, pe, 64);
		}
	}
	jsonw_kstring(w, "translation", pt->what);
	if (pt->ss >= 0) {
		jsonw_kint(w, "ss_domain", pt->ss);
		used[pt->ss] = 1;
	}
	if (pt->fs >= 0) {
		jsonw_kint(w, "fs_domain", pt->fs);
		used[pt->fs] = 1;
	}
	if (pt->ss >= 0 || pt->pe)
		jsonw_kint(w, "did", pt->did);
	if (d->o->has_addr)
		jsonw_kjson(w, "walk", walk_json(d, u, dv->sid, pt));
	jsonw_end_object(w);
}

static void device_jsonw(struct dump *d, const struct unit *u, const struct vtd_plan *p,
			 const struct vtd_bdevice *dv, uint8_t *used, struct jsonw *w)
{
	struct path pv[64];
	int np = shown_paths(d->o, p, dv, pv, 64);
	char bdf[16], name[256];
	struct ents x;

	if (!np)
		return;
	ents_read(d, u, dv->sid, &x);
	jsonw_start_object(w);
	jsonw_kstring(w, "bdf", script_bdf_str(dv->sid, bdf));
	if (d->live && cli_pci_name(dv->sid, name, sizeof(name)))
		jsonw_kstring(w, "name", name);
	if (x.has_root) {
		jsonw_key(w, "root");
		entry_jsonw(w, x.rl, x.root_pa, x.root_idx, x.root, x.rl->size);
	}
	if (x.has_ctx) {
		jsonw_key(w, "context");
		entry_jsonw(w, x.cl, x.ctx_pa, x.ctx_idx, x.ctx, x.cl->size);
	}
	jsonw_key(w, "translations");
	jsonw_start_array(w);
	for (int k = 0; k < np; k++)
		if (path_shown(d->o, &pv[k]))
			path_jsonw(d, u, dv, &x, &pv[k], used, w);
	jsonw_end_array(w);
	jsonw_end_object(w);
}

void tree_json(struct dump *d, const struct unit *u, const struct vtd_plan *p, struct jsonw *w)
{
	uint8_t *used = calloc(p->ndomains ? p->ndomains : 1, 1);
	static uint8_t none[1];

	/* Out of memory: no domain is listed, the rest still is. */
	if (!used)
		used = none;
	regs_json(u, w);
	jsonw_key(w, "devices");
	jsonw_start_array(w);
	for (size_t i = 0; i < p->ndevices; i++)
		device_jsonw(d, u, p, &p->devices[i], used == none ? none : used, w);
	jsonw_end_array(w);
	jsonw_key(w, "domains");
	jsonw_start_array(w);
	for (size_t k = 0; used != none && k < p->ndomains; k++) {
		const struct vtd_bdomain *dm = &p->domains[k];
		struct drange r;
		size_t i = 0;

		if (!used[k])
			continue;
		jsonw_start_object(w);
		jsonw_kint(w, "index", (int64_t)k);
		if (dm->stage == VTD_STAGE_SECOND)
			jsonw_kint(w, "did", dm->did);
		jsonw_kstring(w, "stage", dm->stage == VTD_STAGE_FIRST ? "first" : "second");
		jsonw_kint(w, "levels", dm->levels);
		jsonw_key(w, "mappings");
		jsonw_start_array(w);
		while (i < dm->nmaps) {
			next_range(dm, &i, &r);
			if (range_shown(d->o, &r))
				range_jsonw(w, &r);
		}
		jsonw_end_array(w);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	irt_json(d, u, p, w);
	iq_json(d, u, w);
	if (used != none)
		free(used);
}
