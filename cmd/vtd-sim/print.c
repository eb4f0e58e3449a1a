/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtd-sim -- answers as text, --explain walks, JSON lines, TAP, statistics */
#include <inttypes.h>
#include <string.h>

#include "fault.h"
#include "json.h"
#include "sim.h"
#include "text.h"

static const char *const kind_names[] = {
	[VTD_XK_NONE] = "none", [VTD_XK_DISABLED] = "translation-disabled",
	[VTD_XK_PASSTHROUGH] = "pass-through", [VTD_XK_TRANSLATED] = "translated-request",
	[VTD_XK_SECOND] = "second-stage", [VTD_XK_FIRST] = "first-stage",
	[VTD_XK_NESTED] = "nested", [VTD_XK_PAGE_REQUEST] = "page-request",
};

static const char *const at_names[] = {
	[VTD_AT_UNTRANSLATED] = "untranslated", [VTD_AT_TRANSLATION_REQ] = "translation-request",
	[VTD_AT_TRANSLATED] = "translated", [VTD_AT_PAGE_REQUEST] = "page-request",
};

static const char *const cache_names[VTD_CACHE_N] = {
	[VTD_CACHE_CONTEXT] = "context", [VTD_CACHE_PASID] = "pasid",
	[VTD_CACHE_IOTLB] = "iotlb", [VTD_CACHE_PSC] = "paging-structure",
	[VTD_CACHE_DEVTLB] = "device-tlb",
};

static const char *kind_name(unsigned k)
{
	return k < VTD_NELEM(kind_names) && kind_names[k] ? kind_names[k] : "unknown";
}

static const char *access_name(unsigned acc)
{
	return acc & VTD_ACC_X ? "exec" : acc & VTD_ACC_W ? "write" : "read";
}

static void perm_str(unsigned p, char *b)
{
	b[0] = p & VTD_ACC_R ? 'r' : '-';
	b[1] = p & VTD_ACC_W ? 'w' : '-';
	b[2] = p & VTD_ACC_X ? 'x' : '-';
	b[3] = '\0';
}

/* "ok", "fault", "suppressed" or "dropped". */
static const char *result_word(const struct vtd_translation *t, const struct vtd_cache_info *ci)
{
	if (ci && ci->dropped)
		return "dropped";
	if (!t->fault)
		return "ok";
	return t->suppressed ? "suppressed" : "fault";
}

/*
 * What a request that did not fault came to without a translation (a page
 * request, which the unit queues; one to a unit that is off), else NULL.
 */
static const char *untranslated_word(const struct vtd_translation *t)
{
	if (t->fault || t->page_size)
		return NULL;
	return t->kind == VTD_XK_PAGE_REQUEST ? "queued" : "nothing translated";
}

/* The outcome in a few words: "ok 0x300000", "0x05", "suppressed 0x02", "ok queued". */
static void outcome(const struct sim_result *r, char *b, size_t n)
{
	const struct vtd_translation *t = r->t;
	const char *w = result_word(t, r->ci), *none = untranslated_word(t);

	if (none)
		snprintf(b, n, "ok %s", none);
	else if (!t->fault)
		snprintf(b, n, "ok 0x%" PRIx64, t->out);
	else if (!strcmp(w, "fault"))
		snprintf(b, n, "0x%02x", t->fault);
	else
		snprintf(b, n, "%s 0x%02x", w, t->fault);
}

static void expectation(const struct sim_result *r, char *b, size_t n)
{
	switch (r->expect) {
	case EXPECT_FAULT:
		snprintf(b, n, "0x%02x", r->code);
		break;
	case EXPECT_SUPPRESSED:
		snprintf(b, n, "suppressed");
		break;
	case EXPECT_DROPPED:
		snprintf(b, n, "dropped");
		break;
	default:
		if (r->has_out)
			snprintf(b, n, "ok 0x%" PRIx64, r->want_out);
		else
			snprintf(b, n, "ok");
	}
}

static void request_words(const struct sim_result *r, char *b, size_t n)
{
	const struct vtd_request *rq = r->rq;
	char bdf[8];
	int k = snprintf(b, n, "%s %s 0x%" PRIx64, script_bdf_str(rq->sid, bdf),
			 access_name(rq->access), rq->addr);

	if (r->len && k > 0 && (size_t)k < n)
		k += snprintf(b + k, n - (size_t)k, "+%" PRIu64, r->len);
	if (rq->has_pasid && k > 0 && (size_t)k < n)
		k += snprintf(b + k, n - (size_t)k, " pasid=0x%x", rq->pasid);
	if (rq->priv && k > 0 && (size_t)k < n)
		k += snprintf(b + k, n - (size_t)k, " priv");
	if (rq->at && k > 0 && (size_t)k < n)
		snprintf(b + k, n - (size_t)k, " at=%s",
			 rq->at < VTD_NELEM(at_names) && at_names[rq->at] ? at_names[rq->at] : "?");
}

static void explain_text(struct sim *s, const struct sim_result *r)
{
	const struct vtd_translation *t = r->t;
	const struct vtd_cache_info *ci = r->ci;
	struct vtd_sbuf sb = VTD_SBUF_INIT;

	if (ci && ci->hit < VTD_CACHE_N)
		fprintf(s->out, "  answered by the %s: no table was read\n", cache_names[ci->hit]);
	for (unsigned c = 0; ci && c < VTD_CACHE_N; c++)
		if (ci->used >> c & 1)
			fprintf(s->out, "  %s cache supplied its entries: they were not read again\n",
				cache_names[c]);
	for (unsigned i = 0; i < t->nsteps; i++) {
		const struct vtd_walk_step *st = &t->steps[i];

		const char *txt;
		size_t n;

		sb.len = 0;
		vtd_text_render(&sb, st->layout, st->raw, st->layout->size, VTD_TEXT_ONELINE);
		txt = sb.oom ? "(out of memory)" : vtd_sbuf_str(&sb);
		n = strlen(txt);
		while (n && txt[n - 1] == '\n')
			n--;
		fprintf(s->out, "  %s[0x%x] @0x%" PRIx64 ": %.*s\n", st->layout->name, st->index,
			st->pa, (int)n, txt);
	}
	vtd_sbuf_release(&sb);
	if (ci && ci->stale) {
		if (ci->fresh_fault)
			fprintf(s->out, "  STALE: the entry at 0x%" PRIx64 " changed in memory, which "
				"now faults 0x%02x\n", ci->stale_pa, ci->fresh_fault);
		else
			fprintf(s->out, "  STALE: the entry at 0x%" PRIx64 " changed in memory, which "
				"now maps 0x%" PRIx64 "\n", ci->stale_pa, ci->fresh_out);
	}
}

static void print_text(struct sim *s, const struct sim_result *r)
{
	const struct vtd_translation *t = r->t;
	const struct vtd_cache_info *ci = r->ci;
	char req[128], perm[4], size[24], want[48];

	request_words(r, req, sizeof(req));
	if (r->name)
		fprintf(s->out, "%s: ", r->name);
	if (untranslated_word(t)) {
		fprintf(s->out, "%s: ok, %s (%s", req, untranslated_word(t), kind_name(t->kind));
	} else if (!t->fault) {
		perm_str(t->perm, perm);
		cli_size_str(t->page_size, size, sizeof(size));
		fprintf(s->out, "%s: ok 0x%" PRIx64 " (%s %s, did %u, level %u, %s", req, t->out, size,
			perm, t->did, t->level, kind_name(t->kind));
	} else {
		const struct vtd_fault_reason *fr = vtd_fault_reason(t->fault);
		const char *text = vtd_fault_linux_text(t->fault);

		if (!strcmp(text, "Unknown") && fr)
			text = fr->name;
		if (ci && ci->dropped)
			fprintf(s->out, "%s: dropped: the cached translation denies it (0x%02x %s), "
				"and no fault is recorded (", req, t->fault, text);
		else
			fprintf(s->out, "%s: %s 0x%02x %s (at 0x%" PRIx64 "%s%s", req,
				result_word(t, ci), t->fault, text, t->fault_addr,
				t->kind ? ", " : "", t->kind ? kind_name(t->kind) : "");
		if (t->unbacked)
			fprintf(s->out, ", not in the memory source");
	}
	if (ci && ci->hit < VTD_CACHE_N)
		fprintf(s->out, "; %s hit", cache_names[ci->hit]);
	if (ci && ci->stale)
		fprintf(s->out, "; STALE");
	fprintf(s->out, ")");
	if ((r->expect || r->has_out) && !r->agree) {
		expectation(r, want, sizeof(want));
		fprintf(s->out, "  MISMATCH: expected %s", want);
	}
	fputc('\n', s->out);
	if (s->o->explain)
		explain_text(s, r);
}

/* Fault reasons as everywhere else: two hex digits. */
static struct json_object *jcode(unsigned code)
{
	char b[8];

	snprintf(b, sizeof(b), "0x%02x", code);
	return json_object_new_string(b);
}

static struct json_object *cache_set(unsigned mask)
{
	struct json_object *a = json_object_new_array();

	for (unsigned c = 0; c < VTD_CACHE_N; c++)
		if (mask >> c & 1)
			json_object_array_add(a, json_object_new_string(cache_names[c]));
	return a;
}

static void print_json(struct sim *s, const struct sim_result *r)
{
	const struct vtd_translation *t = r->t;
	const struct vtd_cache_info *ci = r->ci;
	const struct vtd_request *rq = r->rq;
	struct json_object *o = json_object_new_object(), *x;
	char bdf[8], perm[4], want[48];

	if (s->sc.line)
		json_object_object_add(o, "line", json_object_new_int((int)s->sc.line));
	if (r->name)
		json_object_object_add(o, "name", json_object_new_string(r->name));
	json_object_object_add(o, "bdf", json_object_new_string(script_bdf_str(rq->sid, bdf)));
	json_object_object_add(o, "access", json_object_new_string(access_name(rq->access)));
	json_object_object_add(o, "addr", cli_json_hex(rq->addr));
	if (r->len)
		json_object_object_add(o, "len", json_object_new_int64((int64_t)r->len));
	if (rq->has_pasid)
		json_object_object_add(o, "pasid", json_object_new_int((int)rq->pasid));
	if (rq->priv)
		json_object_object_add(o, "priv", json_object_new_boolean(1));
	json_object_object_add(o, "result", json_object_new_string(result_word(t, ci)));
	json_object_object_add(o, "kind", json_object_new_string(kind_name(t->kind)));
	if (!t->fault) {
		perm_str(t->perm, perm);
		json_object_object_add(o, "out", cli_json_hex(t->out));
		json_object_object_add(o, "page_size", json_object_new_int64((int64_t)t->page_size));
		json_object_object_add(o, "perm", json_object_new_string(perm));
		json_object_object_add(o, "did", json_object_new_int(t->did));
		json_object_object_add(o, "level", json_object_new_int(t->level));
		json_object_object_add(o, "snoop", json_object_new_boolean(t->snoop));
		if (t->accessed || t->dirty) {
			json_object_object_add(o, "sets_accessed", json_object_new_boolean(t->accessed));
			json_object_object_add(o, "sets_dirty", json_object_new_boolean(t->dirty));
		}
	} else {
		const struct vtd_fault_reason *fr = vtd_fault_reason(t->fault);

		x = json_object_new_object();
		json_object_object_add(x, "reason", jcode(t->fault));
		if (fr)
			json_object_object_add(x, "name", json_object_new_string(fr->name));
		json_object_object_add(x, "linux", json_object_new_string(
			vtd_fault_linux_text(t->fault)));
		json_object_object_add(x, "addr", cli_json_hex(t->fault_addr));
		if (t->unbacked)
			json_object_object_add(x, "unbacked", json_object_new_boolean(1));
		json_object_object_add(o, "fault", x);
	}
	if (t->has_pasid)
		json_object_object_add(o, "pasid_entry", json_object_new_int((int)t->pasid));
	if (ci) {
		x = json_object_new_object();
		if (ci->hit < VTD_CACHE_N)
			json_object_object_add(x, "hit", json_object_new_string(cache_names[ci->hit]));
		json_object_object_add(x, "used", cache_set(ci->used));
		json_object_object_add(x, "filled", cache_set(ci->filled));
		json_object_object_add(x, "stale", json_object_new_boolean(ci->stale));
		if (ci->stale) {
			json_object_object_add(x, "stale_pa", cli_json_hex(ci->stale_pa));
			if (ci->fresh_fault)
				json_object_object_add(x, "fresh_fault", jcode(ci->fresh_fault));
			else
				json_object_object_add(x, "fresh_out", cli_json_hex(ci->fresh_out));
		}
		json_object_object_add(o, "cache", x);
	}
	if (s->o->explain) {
		struct json_object *steps = json_object_new_array();

		for (unsigned i = 0; i < t->nsteps; i++) {
			const struct vtd_walk_step *st = &t->steps[i];
			struct json_object *j = json_object_new_object();

			json_object_object_add(j, "struct", json_object_new_string(st->layout->name));
			json_object_object_add(j, "pa", cli_json_hex(st->pa));
			json_object_object_add(j, "index", json_object_new_int((int)st->index));
			if (st->level)
				json_object_object_add(j, "level", json_object_new_int(st->level));
			json_object_object_add(j, "fields", vtd_json_from_bytes(st->layout, st->raw,
									     st->layout->size, 0));
			json_object_array_add(steps, j);
		}
		json_object_object_add(o, "steps", steps);
	}
	if (r->expect || r->has_out) {
		expectation(r, want, sizeof(want));
		json_object_object_add(o, "expect", json_object_new_string(want));
		json_object_object_add(o, "match", json_object_new_boolean(r->agree));
	}
	cli_fprint_json(s->out, o, 0);
	json_object_put(o);
}

static void print_tap(struct sim *s, const struct sim_result *r)
{
	char what[48], want[48], path[1024], req[128];

	if (!r->expect && !r->has_out)
		return;
	outcome(r, what, sizeof(what));
	expectation(r, want, sizeof(want));
	request_words(r, req, sizeof(req));
	fprintf(s->out, "%sok - %s: predicted %s%s, expected %s\n", r->agree ? "" : "not ",
		r->name ? r->name : req, what, r->ci && r->ci->stale ? " (stale)" : "", want);
	s->ntap++;
	if (!r->agree) {
		/* The walk of memory as it is now, with its steps, says where it went. */
		struct vtd_unit u = s->u;
		struct vtd_error e = { 0 };

		u.no_steps = 0;
		if (vtd_translate(&u, r->rq, &s->t2, &e) == 0) {
			vtd_translation_path(&s->t2, path, sizeof(path));
			fprintf(s->out, "#   %s, memory now: %s\n", req, path);
		}
	}
}

void sim_print_result(struct sim *s, const struct sim_result *r)
{
	if (s->o->tap)
		print_tap(s, r);
	else if (s->o->json)
		print_json(s, r);
	else if (!s->o->quiet)
		print_text(s, r);
}

void sim_print_end(struct sim *s)
{
	if (s->o->tap)
		fprintf(s->out, "1..%u\n", s->ntap);
}

static const char *plural(uint64_t n, const char *one, const char *more)
{
	return n == 1 ? one : more;
}

void sim_print_stats(struct sim *s)
{
	const struct vtd_cache_stats *cs = s->cache ? vtd_cache_stats(s->cache) : NULL;
	const struct sim_tally *n = &s->n;

	if (s->o->json) {
		struct json_object *o = json_object_new_object(), *st = json_object_new_object();

		json_object_object_add(st, "requests", json_object_new_int64((int64_t)n->requests));
		json_object_object_add(st, "ok", json_object_new_int64((int64_t)n->ok));
		json_object_object_add(st, "faults", json_object_new_int64((int64_t)n->faults));
		json_object_object_add(st, "suppressed", json_object_new_int64((int64_t)n->suppressed));
		json_object_object_add(st, "dropped", json_object_new_int64((int64_t)n->dropped));
		json_object_object_add(st, "stale", json_object_new_int64((int64_t)n->stale));
		if (n->expected) {
			json_object_object_add(st, "expected", json_object_new_int64((int64_t)n->expected));
			json_object_object_add(st, "mismatched",
					       json_object_new_int64((int64_t)n->mismatched));
		}
		if (cs) {
			struct json_object *c = json_object_new_object();

			for (unsigned k = 0; k < VTD_CACHE_N; k++) {
				struct json_object *e = json_object_new_object();

				json_object_object_add(e, "hits", json_object_new_int64((int64_t)cs->hits[k]));
				json_object_object_add(e, "misses",
						       json_object_new_int64((int64_t)cs->misses[k]));
				json_object_object_add(e, "fills", json_object_new_int64((int64_t)cs->fills[k]));
				json_object_object_add(e, "evictions",
						       json_object_new_int64((int64_t)cs->evictions[k]));
				json_object_object_add(e, "invalidated",
						       json_object_new_int64((int64_t)cs->invalidated[k]));
				json_object_object_add(c, cache_names[k], e);
			}
			json_object_object_add(c, "walks", json_object_new_int64((int64_t)cs->walks));
			json_object_object_add(c, "invalidations",
					       json_object_new_int64((int64_t)cs->descriptors));
			json_object_object_add(st, "cache", c);
		}
		json_object_object_add(o, "stats", st);
		cli_fprint_json(s->out, o, 0);
		json_object_put(o);
		return;
	}
	fprintf(s->out, "# %" PRIu64 " %s: %" PRIu64 " ok, %" PRIu64 " faulted, %" PRIu64
		" suppressed, %" PRIu64 " dropped, %" PRIu64 " stale", n->requests,
		plural(n->requests, "request", "requests"), n->ok, n->faults, n->suppressed,
		n->dropped, n->stale);
	if (n->expected)
		fprintf(s->out, "; %" PRIu64 " of %" PRIu64 " expectations met", n->expected -
			n->mismatched, n->expected);
	fputc('\n', s->out);
	if (!cs)
		return;
	fprintf(s->out, "# %-17s %12s %12s %12s %12s %12s\n", "cache", "hits", "misses", "fills",
		"evictions", "invalidated");
	for (unsigned k = 0; k < VTD_CACHE_N; k++)
		fprintf(s->out, "# %-17s %12" PRIu64 " %12" PRIu64 " %12" PRIu64 " %12" PRIu64
			" %12" PRIu64 "\n", cache_names[k], cs->hits[k], cs->misses[k], cs->fills[k],
			cs->evictions[k], cs->invalidated[k]);
	fprintf(s->out, "# %" PRIu64 " %s, %" PRIu64 " %s\n", cs->walks,
		plural(cs->walks, "walk", "walks"), cs->descriptors,
		plural(cs->descriptors, "invalidation", "invalidations"));
}
