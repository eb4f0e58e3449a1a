/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvtd -- the kernel log reader: DMAR fault lines of every kernel era,
 * from dmesg, the journal, syslog files and /dev/kmsg records.
 *
 * Formats (vtd-facts 6.1): before 5.14 the reason is decimal and the
 * address has no 0x; 5.1-5.13 print "PASID %x" after the device (ffffffff:
 * none); 5.14 brought "[DMA Read NO_PASID]" / "[DMA Write PASID 0x2]" and
 * hex reasons; kernels before ~4.x print one fault as two lines, the second
 * "DMAR:[fault reason 06] ...".  CONFIG_DMAR_DEBUG table dumps after a fault
 * become CONFIG events, one per line, so the reader stays streaming: a
 * consumer that wants the walk of a fault takes the CONFIG events that
 * follow it up to the next fault.
 */
#include <stdio.h>

#include "trace-internal.h"

/*
 * Strip what the log tooling puts before a message: a syslog level "<6>",
 * a /dev/kmsg record head "6,1234,5678901,-;", a journal or syslog head
 * "Nov 21 10:00:00 host kernel: ", and the "[    1.234567]" time stamp, in
 * the orders the tools combine them.  1 when any was there.
 */
static int prefix(struct sc *s, struct vtd_event *ev)
{
	int pref = 0, round;
	uint64_t v, us;

	if (sc_is(s, '<')) {
		struct sc t = *s;

		t.p++;
		if (sc_dec(&t, &v) && sc_ch(&t, '>'))
			*s = t, pref = 1;
	}
	if (sc_more(s) && *s->p >= '0' && *s->p <= '9') {
		struct sc t = *s;

		if (sc_dec(&t, &v) && sc_ch(&t, ',') && sc_dec(&t, &v) && sc_ch(&t, ',') &&
		    sc_dec(&t, &us) && sc_ch(&t, ',')) {
			const char *semi = memchr(t.p, ';', (size_t)(t.e - t.p) < 64 ?
						  (size_t)(t.e - t.p) : 64);

			if (semi && us < UINT64_MAX / 1000) {
				s->p = semi + 1;
				ev->ts_ns = us * 1000;
				ev->has |= VTD_EVH_TS;
				return 1;
			}
		}
	}
	for (round = 0; round < 2; round++) {
		if (sc_is(s, '[')) {
			struct sc t = *s;
			uint64_t ns;

			t.p++;
			sc_sp(&t);
			if (sc_ts(&t, &ns) && sc_ch(&t, ']')) {
				sc_sp(&t);
				*s = t;
				ev->ts_ns = ns;
				ev->has |= VTD_EVH_TS;
				pref = 1;
			}
		}
		/*
		 * journal / syslog: "Nov 21 10:00:00 host kernel: " at the start,
		 * "host kernel: " after a time stamp (short-monotonic)
		 */
		if (sc_more(s) && *s->p != 'D' && *s->p != 'd' && *s->p != 'I' && *s->p != '[') {
			const char *k = NULL;

			if (round == 0 && !pref) {
				size_t n = (size_t)(s->e - s->p) < 96 ? (size_t)(s->e - s->p) : 96;

				k = memmem(s->p, n, " kernel: ", 9);
			} else {
				size_t n = (size_t)(s->e - s->p) < 64 ? (size_t)(s->e - s->p) : 64;
				const char *sp = tr_chr(s->p, s->p + n, ' ');

				if (sp && s->e - sp >= 9 && !memcmp(sp, " kernel: ", 9))
					k = sp;
			}
			if (k) {
				s->p = k + 9;
				pref = 1;
				continue;
			}
		}
		break;
	}
	return pref;
}

static int bad(struct vtd_error *err, const char *why)
{
	return vtd_fail(err, VTD_EFORMAT, "%s", why);
}

/* "[00:03.0]" or "[0x00:0x03.0]" (5.14), after "Request device [". */
static int bdf(struct sc *s, struct vtd_event *ev)
{
	uint64_t b, d, f;

	sc_ch(s, '[');	/* old IR lines print "[[" */
	if (!sc_hex(s, &b) || !sc_ch(s, ':') || !sc_hex(s, &d) || !sc_ch(s, '.') ||
	    !sc_dec(s, &f) || !sc_ch(s, ']') || b > 0xff || d > 0x1f || f > 7)
		return 0;
	ev->sid = (uint16_t)(b << 8 | d << 3 | f);
	ev->has |= VTD_EVH_SID;
	return 1;
}

/* "[fault reason 06] text" (decimal before 5.14) or "[fault reason 0x06] text". */
static int reason(struct sc *s, struct vtd_event *ev, struct vtd_error *err)
{
	uint64_t r;

	if (!sc_num(s, &r) || !sc_ch(s, ']') || r > 0xff)
		return bad(err, "bad fault reason");
	sc_sp(s);
	ev->reason = (uint16_t)r;
	ev->has |= VTD_EVH_REASON;
	if (vtd__tr_text(ev, s->p, s->e))
		return bad(err, "fault reason text longer than 255 bytes");
	return TR_EVENT;
}

/* The old second line completes the first. */
static int second_half(struct tr_state *st, struct sc *s, const char *line, size_t len,
		       struct vtd_event *ev, struct vtd_error *err)
{
	uint64_t ts = ev->ts_ns;
	size_t n = strlen(st->dm_line);
	int rc;

	*ev = st->dm_ev;
	if (!(ev->has & VTD_EVH_TS) && ts)
		ev->ts_ns = ts, ev->has |= VTD_EVH_TS;
	st->dm_pend = 0;
	rc = reason(s, ev, err);
	if (rc < 0) {
		/* both halves are bad, so that every line is counted once */
		vtd__trace_note_bad(st->t, st->dm_pend_lineno, st->dm_line, n,
				    "its '[fault reason' line does not parse");
		return rc;
	}
	if (n + 1 + len < sizeof(st->dm_line)) {
		st->dm_line[n] = '\n';
		memcpy(st->dm_line + n + 1, line, len + 1);
	}
	ev->line = st->dm_line;
	ev->lineno = st->dm_pend_lineno;
	return TR_EVENT;
}

/* After "Request device [": the rest of every era's fault line. */
static int fault(struct tr_state *st, struct sc *s, int ir, const char *line, size_t len,
		 uint64_t lineno, struct vtd_event *ev, struct vtd_error *err)
{
	uint64_t v;

	if (!bdf(s, ev))
		return bad(err, "bad device in a DMAR fault line");
	sc_sp(s);
	if (sc_lit(s, "PASID ")) {	/* 5.1 - 5.13 */
		if (!sc_hex(s, &v) || (v > 0xfffff && v != 0xffffffff))
			return bad(err, "bad PASID in a DMAR fault line");
		if (v != 0xffffffff)
			ev->pasid = (uint32_t)v, ev->has |= VTD_EVH_PASID;
		sc_sp(s);
	}
	if (sc_lit(s, "fault addr ")) {
		if (!sc_hex(s, &ev->addr))
			return bad(err, "bad fault address");
		ev->has |= VTD_EVH_ADDR;
	} else if (sc_lit(s, "fault index ")) {
		if (!sc_hex(s, &ev->index))
			return bad(err, "bad fault index");
		ev->has |= VTD_EVH_INDEX;
		ir = 1;
	} else {
		return bad(err, "DMAR fault line without 'fault addr' or 'fault index'");
	}
	ev->kind = ir ? VTD_EV_IR_FAULT : VTD_EV_DMA_FAULT;
	sc_sp(s);
	if (!sc_more(s)) {
		/* The first of the old two lines: wait for "[fault reason". */
		st->dm_ev = *ev;
		st->dm_ev.line = NULL;
		st->dm_pend = 1;
		st->dm_pend_lineno = lineno;
		tr_copy(st->dm_line, sizeof(st->dm_line), line, len);
		return TR_HELD;
	}
	if (!sc_lit(s, "[fault reason "))
		return bad(err, "DMAR fault line without '[fault reason'");
	return reason(s, ev, err);
}

/* "[DMA Read NO_PASID]", "[DMA Write PASID 0x2]", "[DMA Read]", "[INTR-REMAP]". */
static int fault_head(struct tr_state *st, struct sc *s, const char *line, size_t len,
		      uint64_t lineno, struct vtd_event *ev, struct vtd_error *err)
{
	uint64_t v;
	int ir = 0;

	if (sc_lit(s, "INTR-REMAP]")) {
		ir = 1;
	} else {
		if (sc_lit(s, "DMA Read"))
			ev->access = VTD_EVA_READ;
		else if (sc_lit(s, "DMA Write"))
			ev->access = VTD_EVA_WRITE;
		else
			return TR_SKIP;	/* "[Firmware Bug]: ..." and the like */
		if (sc_lit(s, " NO_PASID")) {
			/* no PASID */
		} else if (sc_lit(s, " PASID ")) {
			if (!sc_hex(s, &v) || v > 0xfffff)
				return bad(err, "bad PASID in a DMAR fault line");
			ev->pasid = (uint32_t)v;
			ev->has |= VTD_EVH_PASID;
		}
		if (!sc_ch(s, ']'))
			return bad(err, "bad request type in a DMAR fault line");
	}
	sc_sp(s);
	if (!sc_lit(s, "Request device ["))
		return bad(err, "DMAR fault line without 'Request device'");
	return fault(st, s, ir, line, len, lineno, ev, err);
}

/* One table-dump line of CONFIG_DMAR_DEBUG (vtd-facts 6.1), or 0. */
static int dump_line(struct sc *s, struct vtd_event *ev, struct vtd_error *err)
{
	static const struct {
		const char *lit;
		const char *what;
	} absent[] = {
		{ "root table is not present", "root-not-present" },
		{ "root table entry is not present", "root-not-present" },
		{ "context table is not present", "context-not-present" },
		{ "context table entry is not present", "context-not-present" },
		{ "legacy mode page table is not present", "pgtable-not-present" },
		{ "scalable mode page table is not present", "pgtable-not-present" },
		{ "pasid directory table is not present", "pasid-dir-not-present" },
		{ "pasid directory entry is not present", "pasid-dir-not-present" },
		{ "pasid table is not present", "pasid-table-not-present" },
	};
	static const struct {
		const char *lit;
		const char *what;
		uint8_t words;
	} entries[] = {
		{ "scalable mode root entry: hi ", "root-entry", 2 },
		{ "root entry: ", "root-entry", 1 },
		{ "context entry: hi ", "context-entry", 2 },
		{ "pasid dir entry: ", "pasid-dir-entry", 1 },
	};
	const char *w;
	size_t n, i;
	uint64_t v;

	ev->kind = VTD_EV_CONFIG;
	if (sc_lit(s, "Dump ")) {
		if (!sc_word(s, 0, &w, &n) || !sc_lit(s, " table entries for IOVA ") ||
		    !sc_hex(s, &ev->addr))
			return bad(err, "bad table-dump head");
		tr_copy(ev->unit, sizeof(ev->unit), w, n);
		ev->has |= VTD_EVH_ADDR;
		ev->text = "dump";
		return TR_EVENT;
	}
	for (i = 0; i < VTD_NELEM(entries); i++) {
		if (!sc_lit_(s, entries[i].lit, strlen(entries[i].lit)))
			continue;
		ev->text = entries[i].what;
		ev->nqw = entries[i].words;
		ev->has |= VTD_EVH_DESC;
		/* two words print high first */
		if (entries[i].words == 2 ?
		    !sc_hex(s, &ev->qw[1]) || !sc_lit(s, ", low ") || !sc_hex(s, &ev->qw[0]) :
		    !sc_hex(s, &ev->qw[0]))
			return bad(err, "bad table-dump entry");
		return TR_EVENT;
	}
	if (sc_lit(s, "pasid table entry[")) {
		if (!sc_dec(s, &ev->index) || !sc_lit(s, "]: ") || !sc_hex(s, &ev->qw[0]))
			return bad(err, "bad table-dump PASID entry");
		ev->text = "pasid-entry";
		ev->nqw = 1;
		ev->has |= VTD_EVH_DESC | VTD_EVH_INDEX;
		return TR_EVENT;
	}
	if (sc_lit(s, "pte level: ")) {
		if (!sc_dec(s, &ev->index) || !sc_lit(s, ", pte value: ") || !sc_hex(s, &ev->qw[0]))
			return bad(err, "bad table-dump PTE");
		ev->text = "pte";
		ev->nqw = 1;
		ev->has |= VTD_EVH_DESC | VTD_EVH_INDEX;
		return TR_EVENT;
	}
	if (sc_lit(s, "page table not present at level ") || sc_lit(s, "PTE not present at level ")) {
		if (!sc_dec(s, &v))
			return bad(err, "bad table-dump level");
		ev->text = "pte-not-present";
		ev->index = v;
		ev->has |= VTD_EVH_INDEX;
		return TR_EVENT;
	}
	for (i = 0; i < VTD_NELEM(absent); i++) {
		n = strlen(absent[i].lit);
		if ((size_t)(s->e - s->p) >= n && !memcmp(s->p, absent[i].lit, n)) {
			ev->text = absent[i].what;
			return TR_EVENT;
		}
	}
	ev->kind = 0;
	return 0;
}

/* "dmar0: reg_base_addr fed90000 ver 1:0 cap d2008c22260206 ecap f00f4a" */
static int unit_line(struct sc *s, struct vtd_event *ev)
{
	struct sc t = *s;
	const char *w;
	size_t n;
	uint64_t v;

	if (!sc_word(&t, ':', &w, &n) || !sc_lit(&t, ": reg_base_addr ") ||
	    !sc_hex(&t, &ev->addr) || !sc_lit(&t, " ver ") || !sc_hex(&t, &v) ||
	    !sc_ch(&t, ':') || !sc_hex(&t, &v) || !sc_lit(&t, " cap ") ||
	    !sc_hex(&t, &ev->qw[0]) || !sc_lit(&t, " ecap ") || !sc_hex(&t, &ev->qw[1]))
		return 0;
	tr_copy(ev->unit, sizeof(ev->unit), w, n);
	ev->kind = VTD_EV_CONFIG;
	ev->text = "unit";
	ev->nqw = 2;
	ev->has |= VTD_EVH_ADDR | VTD_EVH_DESC;
	return 1;
}

static int dmesg_parse(struct tr_state *st, const char *line, size_t len, uint64_t lineno,
		       struct vtd_event *ev, struct vtd_error *err)
{
	struct sc s = { line, line + len };
	int pref = prefix(&s, ev), tagged = 0, ir = 0, rc;
	uint64_t v;

	/* pr_fmt tags: "DMAR: " (and "dmar: DMAR:" in 3.x), "INTR-REMAP:" */
	for (;;) {
		if (sc_lit(&s, "DMAR:") || sc_lit(&s, "dmar:")) {
			tagged = 1;
		} else if (sc_lit(&s, "INTR-REMAP:")) {
			tagged = ir = 1;
		} else {
			break;
		}
		sc_sp(&s);
	}
	if (st->dm_pend) {
		if (sc_lit(&s, "[fault reason "))
			return second_half(st, &s, line, len, ev, err);
		st->dm_pend = 0;
		vtd__trace_note_bad(st->t, st->dm_pend_lineno, st->dm_line, strlen(st->dm_line),
				    "fault line without its '[fault reason' line");
	}
	if (!tagged) {
		if (sc_lit(&s, "DRHD: handling fault status reg "))
			goto fsts;	/* kernels without a pr_fmt */
		return pref ? TR_SKIP : TR_NOTMINE;
	}
	if (sc_ch(&s, '['))
		return sc_starts(&s, "fault reason ") ?
			bad(err, "'[fault reason' line without its fault line") :
			fault_head(st, &s, line, len, lineno, ev, err);
	if (sc_lit(&s, "Request device ["))	/* the old IR first line */
		return fault(st, &s, ir, line, len, lineno, ev, err);
	if (sc_lit(&s, "DRHD: handling fault status reg ")) {
fsts:
		if (!sc_hex(&s, &v))
			return bad(err, "bad fault status");
		ev->kind = VTD_EV_CONFIG;
		ev->text = "fault-status";
		ev->index = v;
		ev->has |= VTD_EVH_INDEX;
		return TR_EVENT;
	}
	rc = dump_line(&s, ev, err);
	if (rc)
		return rc;
	if (unit_line(&s, ev))
		return TR_EVENT;
	return TR_SKIP;
}

const struct tr_reader vtd__tr_dmesg = { "dmesg", dmesg_parse };
