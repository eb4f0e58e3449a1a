/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvtd -- the QEMU trace reader: vtd_* events of the "log" backend, with
 * or without the "<tid>@<sec>.<usec>:" head (vtd-facts 6.4).
 *
 * QEMU reports each queued descriptor twice: vtd_inv_desc with its raw
 * words, then a line of detail (vtd_inv_desc_iotlb_pages, ...).  The raw
 * words make the event (decoded through the descriptor layouts); the
 * detail line right after it adds nothing and is skipped.  A detail line
 * on its own (a log that enabled only those events) is an event by itself.
 */
#include "trace-internal.h"

static int bad(struct vtd_error *err, const char *ev, const char *why)
{
	return vtd_fail(err, VTD_EFORMAT, "%s: %s", ev, why);
}

/* "%02x:%02x.%02x" or "%02x:%02x.%x" */
static int bdf(struct sc *s, struct vtd_event *ev)
{
	uint64_t b, d, f;

	if (!sc_hex(s, &b) || !sc_ch(s, ':') || !sc_hex(s, &d) || !sc_ch(s, '.') ||
	    !sc_hex(s, &f) || b > 0xff || d > 0x1f || f > 7)
		return 0;
	ev->sid = (uint16_t)(b << 8 | d << 3 | f);
	ev->has |= VTD_EVH_SID;
	return 1;
}

/* vtd_inv_desc "invalidate desc type iotlb high 0x0 low 0xd2" */
static int inv_desc(struct tr_state *st, struct sc *s, uint64_t lineno, struct vtd_event *ev,
		    struct vtd_error *err)
{
	const char *w;
	size_t n;

	if (!sc_lit(s, "invalidate desc type ") || !sc_word(s, 0, &w, &n) ||
	    !sc_lit(s, " high ") || !sc_hex(s, &ev->qw[1]) || !sc_lit(s, " low ") ||
	    !sc_hex(s, &ev->qw[0]))
		return bad(err, "vtd_inv_desc", "bad descriptor");
	ev->nqw = 2;
	ev->kind = VTD_EV_INV;
	vtd__tr_inv_decode(&st->inv, ev);
	st->q_inv_type = ev->inv_type ? ev->inv_type : -1;
	st->q_inv_lineno = lineno;
	return TR_EVENT;
}

/* The detail lines: "vtd_inv_desc_<what>" after the prefix. */
static int inv_detail(struct tr_state *st, const char *what, size_t wn, struct sc *s,
		      uint64_t lineno, struct vtd_event *ev, struct vtd_error *err)
{
	struct sc w = { what, what + wn };
	uint64_t a, b, c, d;
	int type = 0, gran = 0;

	if (sc_lit(&w, "cc_")) {
		type = VTD_INV_CC;
		if (sc_lit(&w, "global")) {
			gran = VTD_GRAN_GLOBAL;
		} else if (sc_lit(&w, "domain")) {
			if (!sc_lit(s, "context invalidate domain ") || !sc_hex(s, &a))
				return bad(err, "vtd_inv_desc_cc_domain", "bad domain");
			gran = VTD_GRAN_DOMAIN;
			ev->did = (uint16_t)a, ev->has |= VTD_EVH_DID;
		} else if (sc_lit(&w, "devices")) {
			if (!sc_lit(s, "context invalidate devices sid ") || !sc_hex(s, &a) ||
			    !sc_lit(s, " fmask ") || !sc_hex(s, &b) || a > 0xffff)
				return bad(err, "vtd_inv_desc_cc_devices", "bad sid");
			gran = VTD_GRAN_DEVICE;
			ev->sid = (uint16_t)a, ev->has |= VTD_EVH_SID;
		} else if (sc_lit(&w, "device")) {
			if (!sc_lit(s, "context invalidate device ") || !bdf(s, ev))
				return bad(err, "vtd_inv_desc_cc_device", "bad device");
			gran = VTD_GRAN_DEVICE;
		}
	} else if (sc_lit(&w, "iotlb_")) {
		type = VTD_INV_IOTLB;
		if (sc_lit(&w, "global")) {
			gran = VTD_GRAN_GLOBAL;
		} else if (sc_lit(&w, "domain")) {
			if (!sc_lit(s, "iotlb invalidate whole domain ") || !sc_hex(s, &a))
				return bad(err, "vtd_inv_desc_iotlb_domain", "bad domain");
			gran = VTD_GRAN_DOMAIN;
			ev->did = (uint16_t)a, ev->has |= VTD_EVH_DID;
		} else if (sc_lit(&w, "pages") || sc_lit(&w, "pasid_pages")) {
			if (!sc_lit(s, "iotlb invalidate domain ") || !sc_hex(s, &a) ||
			    !sc_lit(s, " addr ") || !sc_hex(s, &b) || !sc_lit(s, " mask ") ||
			    !sc_hex(s, &c) || c > 63)
				return bad(err, "vtd_inv_desc_iotlb_pages", "bad range");
			if (sc_lit(s, " pasid ")) {
				if (!sc_hex(s, &d) || d > 0xfffff)
					return bad(err, "vtd_inv_desc_iotlb_pasid_pages", "bad pasid");
				type = VTD_INV_PIOTLB;
				ev->pasid = (uint32_t)d, ev->has |= VTD_EVH_PASID;
			}
			gran = VTD_GRAN_PAGE;
			ev->did = (uint16_t)a;
			ev->addr = b;
			ev->am = (uint8_t)c;
			ev->size = c < 52 ? 4096ull << c : 0;
			ev->has |= VTD_EVH_DID | VTD_EVH_ADDR | VTD_EVH_SIZE;
		} else if (sc_lit(&w, "pasid")) {
			if (!sc_lit(s, "iotlb invalidate domain ") || !sc_hex(s, &a) ||
			    !sc_lit(s, " pasid ") || !sc_hex(s, &d) || d > 0xfffff)
				return bad(err, "vtd_inv_desc_iotlb_pasid", "bad pasid");
			type = VTD_INV_PIOTLB;
			gran = VTD_GRAN_PASID;
			ev->did = (uint16_t)a;
			ev->pasid = (uint32_t)d;
			ev->has |= VTD_EVH_DID | VTD_EVH_PASID;
		}
	} else if (sc_lit(&w, "iec")) {
		if (!sc_lit(s, "granularity ") || !sc_hex(s, &a) || !sc_lit(s, " index ") ||
		    !sc_hex(s, &b) || !sc_lit(s, " mask ") || !sc_hex(s, &c) || c > 63)
			return bad(err, "vtd_inv_desc_iec", "bad granularity, index or mask");
		type = VTD_INV_IEC;
		gran = a ? VTD_GRAN_INDEX : VTD_GRAN_GLOBAL;
		if (a) {
			ev->index = b;
			ev->am = (uint8_t)c;
			ev->has |= VTD_EVH_INDEX;
		}
	} else if (sc_lit(&w, "wait")) {
		type = VTD_INV_WAIT;
	}
	if (!type || sc_more(&w))
		return TR_SKIP;		/* vtd_inv_desc_invalid and other news */
	if (st->q_inv_lineno && st->q_inv_lineno + 1 == lineno &&
	    (st->q_inv_type == type ||
	     (st->q_inv_type == VTD_INV_PIOTLB && type == VTD_INV_IOTLB) ||
	     (st->q_inv_type == VTD_INV_IOTLB && type == VTD_INV_PIOTLB))) {
		st->q_inv_lineno = 0;
		return TR_SKIP;		/* the detail of the descriptor just emitted */
	}
	ev->kind = VTD_EV_INV;
	ev->inv_type = (uint8_t)type;
	ev->inv_gran = (uint8_t)gran;
	return TR_EVENT;
}

/* vtd_iotlb_page_hit / _update "IOTLB page hit sid 0x18 iova 0x1000 slpte 0x... domain 0x1" */
static int iotlb(struct sc *s, struct vtd_event *ev, int kind, struct vtd_error *err)
{
	uint64_t sid, pte, did;

	if (!sc_lit(s, "IOTLB page ") || !(sc_lit(s, "hit ") || sc_lit(s, "update ")) ||
	    !sc_lit(s, "sid ") || !sc_hex(s, &sid) || !sc_lit(s, " iova ") ||
	    !sc_hex(s, &ev->addr) || !sc_lit(s, " slpte ") || !sc_hex(s, &pte) ||
	    !sc_lit(s, " domain ") || !sc_hex(s, &did) || sid > 0xffff || did > 0xffff)
		return bad(err, "vtd_iotlb_page", "bad entry");
	ev->kind = (uint16_t)kind;
	ev->sid = (uint16_t)sid;
	ev->did = (uint16_t)did;
	ev->qw[0] = pte;
	ev->nqw = 1;
	ev->has |= VTD_EVH_SID | VTD_EVH_DID | VTD_EVH_ADDR | VTD_EVH_DESC;
	return TR_EVENT;
}

/* A CONFIG event with one number after a literal. */
static int config_num(struct sc *s, struct vtd_event *ev, const char *lit, const char *what,
		      struct vtd_error *err)
{
	if (!sc_lit_(s, lit, strlen(lit)) || !sc_num(s, &ev->index))
		return bad(err, what, "bad value");
	ev->kind = VTD_EV_CONFIG;
	ev->text = what;
	ev->has |= VTD_EVH_INDEX;
	return TR_EVENT;
}

/* A CONFIG event "addr 0x... <lit> <number>". */
static int config_addr(struct sc *s, struct vtd_event *ev, const char *lit, const char *what,
		       struct vtd_error *err)
{
	if (!sc_lit(s, "addr ") || !sc_hex(s, &ev->addr) || !sc_lit_(s, lit, strlen(lit)) ||
	    !sc_num(s, &ev->index))
		return bad(err, what, "bad address or value");
	ev->kind = VTD_EV_CONFIG;
	ev->text = what;
	ev->has |= VTD_EVH_ADDR | VTD_EVH_INDEX;
	return TR_EVENT;
}

static int qemu_event(struct tr_state *st, const char *name, size_t nlen, struct sc *s,
		      uint64_t lineno, struct vtd_event *ev, struct vtd_error *err)
{
	struct sc nm = { name, name + nlen };
	uint64_t a, b, c;

#define IS(lit) (nlen == sizeof(lit) - 1 && tr_same(name, lit, sizeof(lit) - 1))
	if (IS("vtd_dmar_fault")) {
		/* the reason is decimal here */
		if (!sc_lit(s, "sid ") || !sc_hex(s, &a) || !sc_lit(s, " fault ") ||
		    !sc_dec(s, &b) || !sc_lit(s, " addr ") || !sc_hex(s, &ev->addr) ||
		    !sc_lit(s, " write ") || !sc_dec(s, &c) || a > 0xffff || b > 0xff)
			return bad(err, "vtd_dmar_fault", "bad fault");
		ev->kind = (uint16_t)vtd__tr_fault_kind((unsigned)b);
		ev->sid = (uint16_t)a;
		ev->reason = (uint16_t)b;
		ev->access = c ? VTD_EVA_WRITE : VTD_EVA_READ;
		ev->has |= VTD_EVH_SID | VTD_EVH_REASON | VTD_EVH_ADDR;
		return TR_EVENT;
	}
	if (IS("vtd_frr_new")) {
		if (!sc_lit(s, "index ") || !sc_dec(s, &c) || !sc_lit(s, " high ") ||
		    !sc_hex(s, &b) || !sc_lit(s, " low ") || !sc_hex(s, &a))
			return bad(err, "vtd_frr_new", "bad record");
		ev->kind = VTD_EV_FAULT_REC;
		vtd__tr_frcd_decode(ev, a, b);
		ev->index = c;
		ev->has |= VTD_EVH_INDEX;
		return TR_EVENT;
	}
	if (IS("vtd_inv_desc"))
		return inv_desc(st, s, lineno, ev, err);
	if (sc_lit(&nm, "vtd_inv_desc_"))
		return inv_detail(st, nm.p, (size_t)(nm.e - nm.p), s, lineno, ev, err);
	if (IS("vtd_iotlb_page_hit"))
		return iotlb(s, ev, VTD_EV_IOTLB_HIT, err);
	if (IS("vtd_iotlb_page_update"))
		return iotlb(s, ev, VTD_EV_IOTLB_MISS, err);
	if (IS("vtd_dmar_translate")) {
		if (!sc_lit(s, "dev ") || !bdf(s, ev) || !sc_lit(s, " iova ") ||
		    !sc_hex(s, &ev->addr) || !sc_lit(s, " -> gpa ") || !sc_hex(s, &ev->paddr) ||
		    !sc_lit(s, " mask ") || !sc_hex(s, &a) || a == UINT64_MAX)
			return bad(err, "vtd_dmar_translate", "bad translation");
		ev->kind = VTD_EV_TRANSLATE;
		ev->size = a + 1;
		ev->has |= VTD_EVH_ADDR | VTD_EVH_PADDR | VTD_EVH_SIZE;
		return TR_EVENT;
	}
	if (IS("vtd_dmar_enable"))
		return config_num(s, ev, "enable ", "dmar-enable", err);
	if (IS("vtd_ir_enable"))
		return config_num(s, ev, "enable ", "ir-enable", err);
	if (IS("vtd_inv_qi_enable"))
		return config_num(s, ev, "enabled ", "qi-enable", err);
	if (IS("vtd_fsts_ppf"))
		return config_num(s, ev, "FSTS PPF bit set to ", "fault-pending", err);
	if (IS("vtd_inv_qi_setup"))
		return config_addr(s, ev, " size ", "qi-setup", err);
	if (IS("vtd_reg_dmar_root"))
		return config_addr(s, ev, " scalable ", "root", err);
	if (IS("vtd_reg_ir_root"))
		return config_addr(s, ev, " size ", "ir-root", err);
	if (IS("vtd_context_cache_reset") || IS("vtd_iotlb_reset")) {
		ev->kind = VTD_EV_CONFIG;
		ev->text = name[4] == 'c' ? "cc-reset" : "iotlb-reset";
		return TR_EVENT;
	}
	if (IS("vtd_switch_address_space")) {
		if (!sc_lit(s, "Device ") || !bdf(s, ev) ||
		    !sc_lit(s, " switching address space (iommu enabled=") || !sc_dec(s, &ev->index))
			return bad(err, "vtd_switch_address_space", "bad device");
		ev->kind = VTD_EV_CONFIG;
		ev->text = "switch-as";
		ev->has |= VTD_EVH_INDEX;
		return TR_EVENT;
	}
#undef IS
	return TR_SKIP;
}

static int qemu_parse(struct tr_state *st, const char *line, size_t len, uint64_t lineno,
		      struct vtd_event *ev, struct vtd_error *err)
{
	struct sc s = { line, line + len };
	const char *name;
	size_t nlen;
	uint64_t tid, ns;

	/* "<tid>@<sec>.<usec>:" when message time stamps are on */
	if (sc_more(&s) && *s.p >= '0' && *s.p <= '9') {
		if (!sc_dec(&s, &tid) || !sc_ch(&s, '@') || !sc_ts(&s, &ns) || !sc_ch(&s, ':'))
			return TR_NOTMINE;
		ev->ts_ns = ns;
		ev->has |= VTD_EVH_TS;
	}
	if (!sc_starts(&s, "vtd_") && !sc_starts(&s, "x86_iommu_"))
		return TR_NOTMINE;
	name = s.p;
	s.p = tr_chr(s.p, s.e, ' ');
	if (!s.p)
		s.p = s.e;
	nlen = (size_t)(s.p - name);
	sc_ch(&s, ' ');
	return qemu_event(st, name, nlen, &s, lineno, ev, err);
}

const struct tr_reader vtd__tr_qemu = { "qemu", qemu_parse };
