/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtd-top -- the whole-trace report: text for people, JSON for CI (formats/vtd-top.md) */
#include <math.h>
#include <string.h>

#include "fault.h"
#include "jsonw.h"
#include "top.h"

void top_ts_str(uint64_t ns, char *b, size_t n)
{
	snprintf(b, n, "%llu.%06llu", (unsigned long long)(ns / 1000000000u),
		 (unsigned long long)(ns % 1000000000u / 1000u));
}

void top_value_str(int unit, double v, char *b, size_t n)
{
	switch (unit) {
	case VTD_TU_NS:
		if (v < 1e3)
			snprintf(b, n, "%.0fns", v);
		else if (v < 1e6)
			snprintf(b, n, "%.3gus", v / 1e3);
		else if (v < 1e9)
			snprintf(b, n, "%.3gms", v / 1e6);
		else
			snprintf(b, n, "%.3gs", v / 1e9);
		break;
	case VTD_TU_RATIO: snprintf(b, n, "%.1f%%", v * 100); break;
	case VTD_TU_RATE: snprintf(b, n, "%.3g/s", v); break;
	case VTD_TU_BYTES:
		if (v >= 0 && v == floor(v) && v < 1.8e19)
			cli_size_str((uint64_t)v, b, n);
		else
			snprintf(b, n, "%.0f", v);
		break;
	default:
		snprintf(b, n, v == floor(v) ? "%.0f" : "%.2f", v);
	}
}

const char *top_access_str(unsigned access)
{
	return access & VTD_EVA_WRITE ? "write" : access & VTD_EVA_EXEC ? "exec" :
	       access & VTD_EVA_READ ? "read" : "-";
}

/*
 * A template whose {metric} fields become the metric's value in its unit:
 * the line says what it shows, with no argument list to keep in step with
 * it.
 */
void top_mfmt(const struct vtd_tstat *s, const char *t, char *b, size_t n)
{
	size_t o = 0;

	while (*t && o + 1 < n) {
		const char *close = *t == '{' ? strchr(t, '}') : NULL;
		char name[64], v[32];
		int i;

		if (!close || (size_t)(close - t - 1) >= sizeof(name)) {
			b[o++] = *t++;
			continue;
		}
		memcpy(name, t + 1, (size_t)(close - t - 1));
		name[close - t - 1] = 0;
		i = vtd_tstat_metric_find(name);
		top_value_str(i < 0 ? VTD_TU_COUNT : vtd_tstat_metric_at((unsigned)i)->unit,
			      i < 0 ? 0 : vtd_tstat_value(s, (unsigned)i), v, sizeof(v));
		o += (size_t)snprintf(b + o, n - o, "%s", v);
		if (o >= n)
			o = n - 1;
		t = close + 1;
	}
	b[o < n ? o : n - 1] = 0;
}

static void mprint(FILE *f, const struct vtd_tstat *s, const char *t)
{
	char b[1024];

	top_mfmt(s, t, b, sizeof(b));
	fputs(b, f);
}

static void print_files(FILE *f, const struct top_files *fl)
{
	for (unsigned i = 0; i < fl->n; i++)
		fprintf(f, "%s%s", i ? " " : "", fl->path[i]);
}

static void text_faults(FILE *f, const struct top_run *r)
{
	const struct vtd_tstat *s = r->st;
	const struct vtd_tstat_fault *v;
	const struct vtd_tstat_key *k;
	size_t n = vtd_tstat_faults(s, &v), nk;
	mprint(f, s, "faults: {faults} (dma {faults.dma}, ir {faults.ir}), {faults.distinct} distinct, "
	       "{faults.devices} devices, {faults.storms} storms, peak {faults.peak_rate}\n");
	if (!n)
		return;
	fprintf(f, "  %-14s %-6s %-6s %-5s %-18s %8s  %-12s %s\n", "DEVICE", "PASID", "REASON",
		"ACC", "PAGE", "COUNT", "FIRST", "LAST");
	for (size_t i = 0; i < n; i++) {
		char pasid[16] = "-", reason[8], first[24], last[24];

		if (v[i].has_pasid)
			snprintf(pasid, sizeof(pasid), "%#x", v[i].pasid);
		snprintf(reason, sizeof(reason), "0x%02x", v[i].reason);
		top_ts_str(v[i].first_ns, first, sizeof(first));
		top_ts_str(v[i].last_ns, last, sizeof(last));
		fprintf(f, "  %-14s %-6s %-6s %-5s %#-18llx %8llu  %-12s %s\n",
			v[i].device[0] ? v[i].device : "(other)", pasid, reason,
			top_access_str(v[i].access), (unsigned long long)v[i].page,
			(unsigned long long)v[i].count, first, last);
		if (r->ex && v[i].device[0] && v[i].kind == VTD_EV_DMA_FAULT) {
			char verdict[160], path[1024];

			if (top_explain_fault(r->ex, &v[i], verdict, sizeof(verdict), path, sizeof(path)))
				fprintf(f, "    tables: %s\n      %s\n", verdict, path);
		}
	}
	nk = vtd_tstat_table(s, VTD_TT_FAULT_REASON, &k);
	fprintf(f, "  by reason:");
	for (size_t i = 0; i < nk; i++) {
		unsigned code = 0;
		const char *why = sscanf(k[i].name, "0x%x", &code) == 1 ?
				  vtd_fault_linux_text(code) : NULL;

		fprintf(f, "%s %s %llu%s%s%s", i ? "," : "", k[i].name[0] ? k[i].name : "(other)",
			(unsigned long long)k[i].n, why ? " (" : "", why ? why : "", why ? ")" : "");
	}
	nk = vtd_tstat_table(s, VTD_TT_FAULT_DEVICE, &k);
	fprintf(f, "\n  by device:");
	for (size_t i = 0; i < nk; i++)
		fprintf(f, "%s %s %llu", i ? "," : "", k[i].name[0] ? k[i].name : "(other)",
			(unsigned long long)k[i].n);
	fprintf(f, "\n");
}

static void text_keys(FILE *f, const struct vtd_tstat *s, int table, const char *what)
{
	const struct vtd_tstat_key *k;
	size_t n = vtd_tstat_table(s, table, &k);

	if (!n)
		return;
	fprintf(f, "  %s:", what);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s %s %llu (page %llu, wide %llu)", i ? "," : "",
			k[i].name[0] ? k[i].name : "(other)", (unsigned long long)k[i].n,
			(unsigned long long)k[i].page, (unsigned long long)k[i].wide);
	fprintf(f, "\n");
}

static void text_inv(FILE *f, const struct vtd_tstat *s)
{
	int any = 0;

	mprint(f, s, "invalidations: {inv} ({inv.rate}), {inv.wait} waits; IOTLB {inv.iotlb}: "
	       "{inv.page} page-selective, {inv.domain} domain-wide ({inv.domain_share}), "
	       "{inv.per_unmap} per unmap\n");
	for (int t = 0; t < VTD_INV_TYPE_N; t++)
		for (int g = 0; g < VTD_GRAN_N; g++) {
			uint64_t n = vtd_tstat_inv(s, t, g);

			if (!n)
				continue;
			fprintf(f, "%s %s/%s %llu", any++ ? "," : "  by type:",
				t ? vtd_inv_type_name(t) : "?", g ? vtd_inv_gran_name(g) : "-",
				(unsigned long long)n);
		}
	if (any)
		fprintf(f, "\n");
	any = 0;
	for (unsigned am = 0; am < 64; am++) {
		uint64_t n = vtd_tstat_inv_am(s, am);

		if (!n)
			continue;
		char size[16];

		cli_size_str(4096ull << (am < 52 ? am : 52), size, sizeof(size));
		fprintf(f, "%s %s %llu", any++ ? "," : "  page-selective ranges:", size,
			(unsigned long long)n);
	}
	if (any)
		fprintf(f, "\n");
	text_keys(f, s, VTD_TT_INV_DID, "by domain");
	text_keys(f, s, VTD_TT_INV_PASID, "by PASID");
}

static void text_window(FILE *f, const struct vtd_tstat *s)
{
	fprintf(f, "mode: %s", vtd_tstat_mode_name(vtd_tstat_mode(s)));
	mprint(f, s, " (unmaps covered: {unmap_to_inv.by_page} by page-selective, "
	       "{unmap_to_inv.by_domain} by domain-wide invalidations)\n"
	       "unmap to IOTLB invalidation (stale window): {unmap_to_inv.count} covered, "
	       "{unmap_to_inv.pending} pending at the end, {unmap_to_inv.dropped} dropped\n"
	       "  p50 {unmap_to_inv.p50}, p90 {unmap_to_inv.p90}, p99 {unmap_to_inv.p99}, "
	       "max {unmap_to_inv.max}, mean {unmap_to_inv.mean}\n"
	       "  inside the window: {stale.dma} DMA, {stale.faults} faults\n");
}

static void text_churn(FILE *f, const struct vtd_tstat *s)
{
	mprint(f, s, "churn: {map} maps ({map.rate}), {unmap} unmaps, live peak {live.peak} "
	       "({live.bytes_peak}), at the end {live.end} ({live.bytes_end})\n"
	       "  lifetime: {lifetime.count} seen, p50 {lifetime.p50}, p99 {lifetime.p99}, "
	       "max {lifetime.max}\n"
	       "  IOVA reuse: {reuse.count}, p50 {reuse.p50} ({reuse.maps.p50} maps between), "
	       "p99 {reuse.p99} ({reuse.maps.p99} maps); {untracked} unmaps of unknown maps\n");
}

static void text_baseline(FILE *f, const struct top_run *r)
{
	unsigned changed = 0;
	int mb = vtd_tstat_mode(r->base), mc = vtd_tstat_mode(r->st);

	fprintf(f, "\nbaseline: ");
	print_files(f, &r->o->base);
	fprintf(f, "\n");
	if (mb != mc)
		fprintf(f, "  mode: %s -> %s\n", vtd_tstat_mode_name(mb), vtd_tstat_mode_name(mc)),
			changed++;
	for (unsigned i = 0; i < vtd_tstat_nmetrics(); i++) {
		const struct vtd_tstat_metric *m = vtd_tstat_metric_at(i);
		double b = vtd_tstat_value(r->base, i), c = vtd_tstat_value(r->st, i);
		char sb[32], sc[32], pct[32] = "";

		if (b == c)
			continue;
		top_value_str(m->unit, b, sb, sizeof(sb));
		top_value_str(m->unit, c, sc, sizeof(sc));
		if (b != 0)
			snprintf(pct, sizeof(pct), " (%+.1f%%)", (c - b) / fabs(b) * 100);
		if (*pct)
			fprintf(f, "  %-24s %12s -> %-12s%s\n", m->name, sb, sc, pct);
		else
			fprintf(f, "  %-24s %12s -> %s\n", m->name, sb, sc);
		changed++;
	}
	if (!changed)
		fprintf(f, "  no metric changed\n");
}

static void text_thresholds(FILE *f, const struct top_run *r)
{
	if (r->o->nexpr)
		fprintf(f, "\nthresholds:\n");
	for (unsigned i = 0; i < r->o->nexpr; i++) {
		const struct top_expr *x = &r->o->expr[i];
		const struct vtd_tstat_metric *m = vtd_tstat_metric_at((unsigned)x->metric);
		char v[32];

		top_value_str(m->unit, vtd_tstat_value(r->st, (unsigned)x->metric), v, sizeof(v));
		fprintf(f, "  %s: %s (%s %s)\n", x->text, r->crossed[i] ? "CROSSED" : "ok", m->name, v);
	}
}

void top_report_text(FILE *f, const struct top_run *r)
{
	const struct vtd_tstat *s = r->st;
	fprintf(f, "vtd-top report: ");
	print_files(f, &r->o->files);
	mprint(f, s, "\ntrace: {events} events");
	fprintf(f, " (%s)", r->formats[0] ? r->formats : "none");
	mprint(f, s, ", {duration}, {bad_lines} bad lines\n");
	text_faults(f, r);
	text_inv(f, s);
	text_window(f, s);
	text_churn(f, s);
	if (r->base)
		text_baseline(f, r);
	text_thresholds(f, r);
}

/* ---- JSON ------------------------------------------------------------------------------ */

/* A number as json-c prints it: integers as integers. */
static void jnum(struct jsonw *w, const char *key, double v)
{
	if (v == floor(v) && fabs(v) < 9007199254740992.0)
		jsonw_kint(w, key, (int64_t)v);
	else
		jsonw_kjson(w, key, json_object_new_double(v));
}

void top_json_metrics(struct jsonw *w, const struct vtd_tstat *s)
{
	jsonw_key(w, "metrics");
	jsonw_start_object(w);
	for (unsigned i = 0; i < vtd_tstat_nmetrics(); i++)
		jnum(w, vtd_tstat_metric_at(i)->name, vtd_tstat_value(s, i));
	jsonw_end_object(w);
}

static void json_keys(struct jsonw *w, const struct vtd_tstat *s, int table, const char *key,
		      int inv)
{
	const struct vtd_tstat_key *k;
	size_t n = vtd_tstat_table(s, table, &k);

	jsonw_key(w, key);
	jsonw_start_array(w);
	for (size_t i = 0; i < n; i++) {
		jsonw_start_object(w);
		if (k[i].name[0])
			jsonw_kstring(w, "key", k[i].name);
		else
			jsonw_kbool(w, "other", 1);
		jsonw_kint(w, "count", (int64_t)k[i].n);
		if (inv) {
			jsonw_kint(w, "page", (int64_t)k[i].page);
			jsonw_kint(w, "wide", (int64_t)k[i].wide);
		}
		jsonw_kint(w, "first_ns", (int64_t)k[i].first_ns);
		jsonw_kint(w, "last_ns", (int64_t)k[i].last_ns);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
}

static void json_faults(struct jsonw *w, const struct top_run *r)
{
	const struct vtd_tstat_fault *v;
	size_t n = vtd_tstat_faults(r->st, &v);

	jsonw_key(w, "faults");
	jsonw_start_array(w);
	for (size_t i = 0; i < n; i++) {
		jsonw_start_object(w);
		if (!v[i].device[0]) {
			jsonw_kbool(w, "other", 1);
		} else {
			jsonw_kstring(w, "kind", vtd_ev_kind_name(v[i].kind));
			jsonw_kstring(w, "device", v[i].device);
			if (v[i].has_pasid)
				jsonw_kint(w, "pasid", v[i].pasid);
			jsonw_kint(w, "reason", v[i].reason);
			jsonw_kstring(w, "access", top_access_str(v[i].access));
			jsonw_khex(w, "page", v[i].page);
		}
		jsonw_kint(w, "count", (int64_t)v[i].count);
		jsonw_kint(w, "first_ns", (int64_t)v[i].first_ns);
		jsonw_kint(w, "last_ns", (int64_t)v[i].last_ns);
		if (r->ex && v[i].device[0] && v[i].kind == VTD_EV_DMA_FAULT) {
			char verdict[160], path[1024];

			if (top_explain_fault(r->ex, &v[i], verdict, sizeof(verdict), path,
					      sizeof(path))) {
				jsonw_key(w, "tables");
				jsonw_start_object(w);
				jsonw_kstring(w, "verdict", verdict);
				jsonw_kstring(w, "walk", path);
				jsonw_end_object(w);
			}
		}
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
}

static void json_inv(struct jsonw *w, const struct vtd_tstat *s)
{
	jsonw_key(w, "invalidations");
	jsonw_start_array(w);
	for (int t = 0; t < VTD_INV_TYPE_N; t++)
		for (int g = 0; g < VTD_GRAN_N; g++) {
			uint64_t n = vtd_tstat_inv(s, t, g);

			if (!n)
				continue;
			jsonw_start_object(w);
			jsonw_kstring(w, "type", t ? vtd_inv_type_name(t) : "unknown");
			jsonw_kstring(w, "granularity", g ? vtd_inv_gran_name(g) : "none");
			jsonw_kint(w, "count", (int64_t)n);
			jsonw_end_object(w);
		}
	jsonw_end_array(w);
	jsonw_key(w, "page_ranges");
	jsonw_start_array(w);
	for (unsigned am = 0; am < 64; am++)
		if (vtd_tstat_inv_am(s, am)) {
			jsonw_start_object(w);
			jsonw_kint(w, "am", am);
			jsonw_kint(w, "count", (int64_t)vtd_tstat_inv_am(s, am));
			jsonw_end_object(w);
		}
	jsonw_end_array(w);
	json_keys(w, s, VTD_TT_INV_DID, "domains", 1);
	json_keys(w, s, VTD_TT_INV_PASID, "pasids", 1);
}

static void json_files(struct jsonw *w, const char *key, const struct top_files *f)
{
	jsonw_key(w, key);
	jsonw_start_array(w);
	for (unsigned i = 0; i < f->n; i++)
		jsonw_string(w, f->path[i]);
	jsonw_end_array(w);
}

void top_report_json(FILE *f, const struct top_run *r)
{
	struct jsonw *w = jsonw_new(f, r->o->pretty);

	if (!w)
		return;
	jsonw_start_object(w);
	jsonw_kstring(w, "format", "vtd-top/1");
	json_files(w, "files", &r->o->files);
	jsonw_kstring(w, "readers", r->formats);
	jsonw_kstring(w, "mode", vtd_tstat_mode_name(vtd_tstat_mode(r->st)));
	top_json_metrics(w, r->st);
	json_faults(w, r);
	json_keys(w, r->st, VTD_TT_FAULT_DEVICE, "fault_devices", 0);
	json_keys(w, r->st, VTD_TT_FAULT_REASON, "fault_reasons", 0);
	json_inv(w, r->st);
	if (r->base) {
		jsonw_key(w, "baseline");
		jsonw_start_object(w);
		json_files(w, "files", &r->o->base);
		jsonw_kstring(w, "readers", r->base_formats);
		jsonw_kstring(w, "mode", vtd_tstat_mode_name(vtd_tstat_mode(r->base)));
		top_json_metrics(w, r->base);
		jsonw_end_object(w);
	}
	jsonw_key(w, "thresholds");
	jsonw_start_array(w);
	for (unsigned i = 0; i < r->o->nexpr; i++) {
		jsonw_start_object(w);
		jsonw_kstring(w, "expr", r->o->expr[i].text);
		jsonw_kstring(w, "metric", vtd_tstat_metric_at((unsigned)r->o->expr[i].metric)->name);
		jnum(w, "value", vtd_tstat_value(r->st, (unsigned)r->o->expr[i].metric));
		jnum(w, "limit", r->o->expr[i].limit);
		jsonw_kbool(w, "crossed", r->crossed[i]);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	jsonw_end_object(w);
	jsonw_free(w);
}
