/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Benchmark of the descriptor engine against the obvious alternative in the
 * same run: hand-written shift-and-mask extraction of the same fields over
 * the same bytes (the practical limit for a table-driven decoder).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "bench.h"
#include "layout.h"
#include "tables.h"
#include "text.h"

#define N (1u << 20)

int main(void)
{
	const struct vtd_layout *l = &vtd_l_context_legacy;
	uint8_t *tab = malloc((size_t)N * 16);
	uint64_t sink = 0, x = 88172645463325252ULL;
	double t0, hand, eng, chk, txt, js;
	unsigned i, f, m = N / 16;

	if (!tab)
		return 1;
	for (i = 0; i < N * 16u; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		tab[i] = (uint8_t)x;
	}

	t0 = now();
	for (i = 0; i < N; i++) {
		uint64_t lo = rd64(tab + 16 * i), hi = rd64(tab + 16 * i + 8);

		sink += (lo & 1) + ((lo >> 1) & 1) + ((lo >> 2) & 3) + (lo & ~0xfffULL) + (hi & 7) +
			((hi >> 3) & 0xf) + ((hi >> 8) & 0xffff);
	}
	hand = now() - t0;

	t0 = now();
	for (i = 0; i < N; i++)
		for (f = 0; f < l->nfields; f++)
			sink += vtd_field_value(&l->fields[f], vtd_field_raw(&l->fields[f], tab + 16 * i));
	eng = now() - t0;

	t0 = now();
	for (i = 0; i < N; i++)
		sink += vtd_layout_check(l, tab + 16 * i, 16, NULL, NULL, 0);
	chk = now() - t0;

	t0 = now();
	for (i = 0; i < m; i++) {
		struct vtd_sbuf sb = VTD_SBUF_INIT;

		vtd_text_render(&sb, l, tab + 16 * i, 16, VTD_TEXT_ONELINE);
		sink += sb.len;
		vtd_sbuf_release(&sb);
	}
	txt = now() - t0;

	t0 = now();
	for (i = 0; i < m; i++) {
		struct json_object *o = vtd_json_from_bytes(l, tab + 16 * i, 16, 0);

		sink += (uint64_t)json_object_object_length(o);
		json_object_put(o);
	}
	js = now() - t0;

	printf("context entries decoded (all 7 fields), %u entries:\n", N);
	printf("  hand-written shift/mask   %8.1f M entries/s  (baseline)\n", N / hand / 1e6);
	printf("  descriptor engine         %8.1f M entries/s  (%.2fx of baseline)\n", N / eng / 1e6,
	       hand / eng);
	printf("  validation (reserved/HAW) %8.1f M entries/s\n", N / chk / 1e6);
	printf("  one-line text             %8.2f M entries/s\n", m / txt / 1e6);
	printf("  JSON objects (json-c)     %8.2f M entries/s\n", m / js / 1e6);
	fprintf(stderr, "(checksum %llu)\n", (unsigned long long)sink);
	free(tab);
	return 0;
}
