/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtd-top -- --fail-if: METRIC OP NUMBER[UNIT] over the report's metrics */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "top.h"

static const struct {
	const char *s;
	int op;
} ops[] = {	/* two-character operators first */
	{ ">=", TOP_GE }, { "<=", TOP_LE }, { "==", TOP_EQ }, { "!=", TOP_NE },
	{ ">", TOP_GT }, { "<", TOP_LT },
};

/* The unit word's factor to the metric's own unit, or 0 when it does not fit the metric. */
static double unit_factor(int unit, const char *u)
{
	static const struct {
		int unit;
		const char *word;
		double f;
	} units[] = {
		{ VTD_TU_NS, "ns", 1 }, { VTD_TU_NS, "us", 1e3 }, { VTD_TU_NS, "ms", 1e6 },
		{ VTD_TU_NS, "s", 1e9 },
		{ VTD_TU_RATIO, "", 1 }, { VTD_TU_RATIO, "%", 0.01 },
		{ VTD_TU_BYTES, "", 1 }, { VTD_TU_BYTES, "K", 1024 },
		{ VTD_TU_BYTES, "M", 1024.0 * 1024 }, { VTD_TU_BYTES, "G", 1024.0 * 1024 * 1024 },
		{ VTD_TU_RATE, "", 1 }, { VTD_TU_RATE, "/s", 1 },
		{ VTD_TU_COUNT, "", 1 },
	};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (units[i].unit == unit && !strcmp(units[i].word, u))
			return units[i].f;
	return 0;
}

static const char *unit_words(int unit)
{
	switch (unit) {
	case VTD_TU_NS: return "a time needs a unit: ns, us, ms or s";
	case VTD_TU_RATIO: return "a ratio takes a fraction or a percentage (10%)";
	case VTD_TU_BYTES: return "bytes take K, M or G or none";
	case VTD_TU_RATE: return "a rate takes /s or nothing";
	default: return "a count takes no unit";
	}
}

int top_expr_parse(const char *text, struct top_expr *x, char *why, size_t n)
{
	const char *p = text, *name, *op = NULL;
	char metric[64], *end;
	size_t len, k;
	double f;
	const struct vtd_tstat_metric *m;

	memset(x, 0, sizeof(*x));
	x->text = text;
	while (isspace((unsigned char)*p))
		p++;
	name = p;
	while (isalnum((unsigned char)*p) || *p == '_' || *p == '.')
		p++;
	len = (size_t)(p - name);
	if (!len || len >= sizeof(metric)) {
		snprintf(why, n, "'%s': expected METRIC OP NUMBER, e.g. faults>0", text);
		return -1;
	}
	memcpy(metric, name, len);
	metric[len] = 0;
	if ((x->metric = vtd_tstat_metric_find(metric)) < 0) {
		snprintf(why, n, "'%s': unknown metric '%s' (--list-metrics lists them)", text, metric);
		return -1;
	}
	m = vtd_tstat_metric_at((unsigned)x->metric);
	while (isspace((unsigned char)*p))
		p++;
	for (k = 0; k < sizeof(ops) / sizeof(ops[0]) && !op; k++)
		if (!strncmp(p, ops[k].s, strlen(ops[k].s)))
			op = ops[k].s, x->op = ops[k].op;
	if (!op) {
		snprintf(why, n, "'%s': expected one of > >= < <= == != after '%s'", text, metric);
		return -1;
	}
	p += strlen(op);
	while (isspace((unsigned char)*p))
		p++;
	/* Digits, not strtod's words: "inf", "nan" and hex floats are no thresholds. */
	if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1])) &&
	    !(*p == '-' && (isdigit((unsigned char)p[1]) || p[1] == '.'))) {
		snprintf(why, n, "'%s': expected a number after '%s'", text, op);
		return -1;
	}
	x->limit = strtod(p, &end);
	if (end == p || (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) || !isfinite(x->limit)) {
		snprintf(why, n, "'%s': '%s' is not a number", text, p);
		return -1;
	}
	p = end;
	while (isspace((unsigned char)*p))
		p++;
	len = strlen(p);
	while (len && isspace((unsigned char)p[len - 1]))
		len--;
	if (len >= 8 || (len && memchr(p, 0, len))) {
		snprintf(why, n, "'%s': '%s' is not a unit of %s", text, p, metric);
		return -1;
	}
	char u[8];

	memcpy(u, p, len);
	u[len] = 0;
	if (!(f = unit_factor(m->unit, u))) {
		snprintf(why, n, "'%s': %s%s%s (%s)", text, *u ? "'" : "", *u ? u : "no unit",
			 *u ? "' does not fit" : "", unit_words(m->unit));
		return -1;
	}
	x->limit *= f;
	return 0;
}

int top_expr_crossed(const struct top_expr *x, double v)
{
	switch (x->op) {
	case TOP_GT: return v > x->limit;
	case TOP_GE: return v >= x->limit;
	case TOP_LT: return v < x->limit;
	case TOP_LE: return v <= x->limit;
	case TOP_EQ: return v == x->limit;
	case TOP_NE: return v != x->limit;
	}
	return 0;
}
