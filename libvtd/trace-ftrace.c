/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvtd -- the ftrace text reader: "trace", "trace_pipe" and "trace-cmd
 * report" lines of the iommu and intel_iommu events, old and new formats
 * (vtd-facts 6.3).  trace.dat records are rendered to this text and come
 * through here too (trace-cmd.c), so there is one parser of event payloads.
 */
#include "trace-internal.h"

static int bad(struct vtd_error *err, const char *ev, const char *why)
{
	return vtd_fail(err, VTD_EFORMAT, "%s: %s", ev, why);
}

/* "0000:00:03.0" up to a blank (or the end). */
static int device(struct sc *s, struct vtd_event *ev, char stop)
{
	const char *w;
	size_t n;

	if (!sc_word(s, stop, &w, &n))
		return 0;
	vtd__tr_device(ev, w, n);
	return 1;
}

/* "dmar0/0000:00:03.0" */
static int unit_dev(struct sc *s, struct vtd_event *ev)
{
	const char *w;
	size_t n;

	if (!sc_word(s, '/', &w, &n) || !sc_ch(s, '/'))
		return 0;
	tr_copy(ev->unit, sizeof(ev->unit), w, n);
	return device(s, ev, 0);
}

/*
 * intel_iommu:qi_submit "iotlb_inv dmar0: 0x12 0x0 0x0 0x0".  This and map
 * are most of a trace: flatten puts sc_hex inline, which the compiler
 * would not do for its size.
 */
static __attribute__((flatten)) int qi_submit(struct tr_state *st, struct sc *s,
					       struct vtd_event *ev, struct vtd_error *err)
{
	const char *w;
	size_t n;
	unsigned i;

	if (!sc_word(s, 0, &w, &n) || !sc_sp1(s) || !sc_word(s, ':', &w, &n) || !sc_ch(s, ':'))
		return bad(err, "qi_submit", "no descriptor type and unit");
	tr_copy(ev->unit, sizeof(ev->unit), w, n);
	for (i = 0; i < 4; i++)
		if (!sc_sp1(s) || !sc_hex(s, &ev->qw[i]))
			return bad(err, "qi_submit", "fewer than four descriptor words");
	ev->nqw = 4;
	ev->kind = VTD_EV_INV;
	vtd__tr_inv_decode(&st->inv, ev);
	return TR_EVENT;
}

/* intel_iommu:prq_report "dmar0/0000:00:02.0 seq# 1: rid=0x10 addr=0x7f001 rw--l pasid=0x1 index=0x2" */
static int prq_report(struct sc *s, struct vtd_event *ev, struct vtd_error *err)
{
	static const struct {
		char c;
		uint8_t access;
	} flags[5] = { { 'r', VTD_EVA_READ }, { 'w', VTD_EVA_WRITE }, { 'x', VTD_EVA_EXEC },
		       { 'p', VTD_EVA_PRIV }, { 'l', 0 } };
	uint64_t v, rid, page, pasid, idx;
	unsigned i;

	if (!unit_dev(s, ev) || !sc_lit(s, " seq# ") || !sc_dec(s, &v) || !sc_lit(s, ": rid=") ||
	    !sc_hex(s, &rid) || !sc_lit(s, " addr=") || !sc_hex(s, &page) || !sc_ch(s, ' '))
		return bad(err, "prq_report", "bad request");
	for (i = 0; i < 5; i++) {
		if (sc_ch(s, flags[i].c))
			ev->access |= flags[i].access;
		else if (!sc_ch(s, '-'))
			return bad(err, "prq_report", "bad access flags");
	}
	if (!sc_lit(s, " pasid=") || !sc_hex(s, &pasid) || !sc_lit(s, " index=") ||
	    !sc_hex(s, &idx) || rid > 0xffff || page >> 52 || pasid > 0xfffff)
		return bad(err, "prq_report", "bad request");
	ev->kind = VTD_EV_PAGE_REQ;
	ev->sid = (uint16_t)rid;
	/* the kernel prints the page number, not the address */
	ev->addr = page << 12;
	ev->pasid = (uint32_t)pasid;
	ev->index = idx;
	ev->has |= VTD_EVH_SID | VTD_EVH_ADDR | VTD_EVH_PASID | VTD_EVH_INDEX;
	return TR_EVENT;
}

static int tag_type(struct sc *s, struct vtd_event *ev, int64_t pasid)
{
	if (sc_lit(s, "nesting_iotlb") || sc_lit(s, "iotlb"))
		ev->inv_type = pasid > 0 ? VTD_INV_PIOTLB : VTD_INV_IOTLB;
	else if (sc_lit(s, "nesting_devtlb") || sc_lit(s, "devtlb"))
		ev->inv_type = pasid > 0 ? VTD_INV_PDEVTLB : VTD_INV_DEVTLB;
	else
		return 0;
	return 1;
}

static void did_pasid(struct vtd_event *ev, int64_t did, int64_t pasid)
{
	ev->did = (uint16_t)did;
	ev->has |= VTD_EVH_DID;
	if (pasid > 0)
		ev->pasid = (uint32_t)pasid, ev->has |= VTD_EVH_PASID;
}

/* cache_tag_assign|unassign|flush_all "dmar0/0000:00:02.0 type iotlb did 1 pasid 0 ref 1" */
static int cache_tag(struct sc *s, struct vtd_event *ev, int kind, struct vtd_error *err)
{
	int64_t did, pasid, ref;
	struct sc t;

	if (!unit_dev(s, ev) || !sc_lit(s, " type "))
		return bad(err, "cache_tag", "bad tag");
	t = *s;
	while (sc_more(&t) && *t.p != ' ')
		t.p++;
	if (!sc_lit(&t, " did ") || !sc_sdec(&t, &did) || !sc_lit(&t, " pasid ") ||
	    !sc_sdec(&t, &pasid) || !sc_lit(&t, " ref ") || !sc_sdec(&t, &ref) ||
	    !tag_type(s, ev, pasid) || did < 0 || did > 0xffff || pasid > 0xfffff)
		return bad(err, "cache_tag", "bad tag");
	did_pasid(ev, did, pasid);
	ev->kind = (uint16_t)kind;
	if (kind == VTD_EV_INV)
		ev->inv_gran = pasid > 0 ? VTD_GRAN_PASID : VTD_GRAN_DOMAIN;
	else
		ev->inv_type = 0;
	return TR_EVENT;
}

/* cache_tag_flush_range[_np] "dmar0 0000:00:02.0[0] type iotlb did 1 [0x1000-0x1fff] addr 0x1000 pages 0x1 mask 0x0" */
static int cache_tag_range(struct sc *s, struct vtd_event *ev, struct vtd_error *err)
{
	const char *w;
	size_t n;
	int64_t pasid, did;
	uint64_t a, b, pages, mask;

	if (!sc_word(s, 0, &w, &n) || !sc_sp(s))
		return bad(err, "cache_tag_flush_range", "no unit");
	tr_copy(ev->unit, sizeof(ev->unit), w, n);
	if (!device(s, ev, '[') || !sc_ch(s, '[') || !sc_sdec(s, &pasid) || !sc_lit(s, "] type ") ||
	    !tag_type(s, ev, pasid) || !sc_lit(s, " did ") || !sc_sdec(s, &did) ||
	    !sc_lit(s, " [") || !sc_hex(s, &a) || !sc_ch(s, '-') || !sc_hex(s, &b) ||
	    !sc_lit(s, "] addr ") || !sc_hex(s, &ev->addr) || !sc_lit(s, " pages ") ||
	    !sc_hex(s, &pages) || !sc_lit(s, " mask ") || !sc_hex(s, &mask) ||
	    did < 0 || did > 0xffff || pages >> 52 || mask > 63 || pasid > 0xfffff)
		return bad(err, "cache_tag_flush_range", "bad range");
	did_pasid(ev, did, pasid);
	ev->kind = VTD_EV_INV;
	ev->inv_gran = VTD_GRAN_PAGE;
	ev->size = pages << 12;
	ev->am = (uint8_t)mask;
	ev->has |= VTD_EVH_ADDR | VTD_EVH_SIZE;
	return TR_EVENT;
}

/*
 * iommu:map "IOMMU: iova=0x... - 0x... paddr=0x... size=4096" (old: no
 * " - end"); flat for sc_hex as qi_submit
 */
static __attribute__((flatten)) int map(struct sc *s, struct vtd_event *ev, int unmap,
					 struct vtd_error *err)
{
	uint64_t end, size;

	if (!sc_lit(s, "IOMMU: iova=") || !sc_hex(s, &ev->addr))
		return bad(err, unmap ? "unmap" : "map", "no iova");
	if (sc_lit(s, " - ") && !sc_hex(s, &end))
		return bad(err, unmap ? "unmap" : "map", "bad end of range");
	if (!unmap) {
		if (!sc_lit(s, " paddr=") || !sc_hex(s, &ev->paddr) || !sc_lit(s, " size=") ||
		    !sc_dec_short(s, &ev->size))
			return bad(err, "map", "bad paddr or size");
		ev->has |= VTD_EVH_PADDR;
	} else {
		/* what was unmapped, which can exceed the request (large pages) */
		if (!sc_lit(s, " size=") || !sc_dec_short(s, &size) ||
		    !sc_lit(s, " unmapped_size=") || !sc_dec_short(s, &ev->size))
			return bad(err, "unmap", "bad size");
	}
	ev->kind = unmap ? VTD_EV_UNMAP : VTD_EV_MAP;
	ev->has |= VTD_EVH_ADDR | VTD_EVH_SIZE;
	return TR_EVENT;
}

/* 5.x intel_iommu map_single etc. "dev=0000:00:02.0 dev_addr=0x... phys_addr=0x... size=4096" */
static int dma_map(struct sc *s, struct vtd_event *ev, int unmap, struct vtd_error *err)
{
	if (!sc_lit(s, "dev=") || !device(s, ev, 0) || !sc_lit(s, " dev_addr=") ||
	    !sc_hex(s, &ev->addr))
		return bad(err, "map_single", "bad device or address");
	if (!unmap) {
		if (!sc_lit(s, " phys_addr=") || !sc_hex(s, &ev->paddr))
			return bad(err, "map_single", "bad phys_addr");
		ev->has |= VTD_EVH_PADDR;
	}
	if (!sc_lit(s, " size=") || !sc_dec_short(s, &ev->size))
		return bad(err, "map_single", "bad size");
	ev->kind = unmap ? VTD_EV_UNMAP : VTD_EV_MAP;
	ev->has |= VTD_EVH_ADDR | VTD_EVH_SIZE;
	return TR_EVENT;
}

/* iommu:io_page_fault "IOMMU:intel-iommu 0000:00:02.0 iova=0x... flags=0x0001" */
static int io_page_fault(struct sc *s, struct vtd_event *ev, struct vtd_error *err)
{
	const char *w;
	size_t n;
	uint64_t flags;

	if (!sc_lit(s, "IOMMU:") || !sc_word(s, 0, &w, &n) || !sc_sp(s) || !device(s, ev, 0) ||
	    !sc_lit(s, " iova=") || !sc_hex(s, &ev->addr) || !sc_lit(s, " flags=") ||
	    !sc_hex(s, &flags))
		return bad(err, "io_page_fault", "bad fault");
	ev->kind = VTD_EV_IO_PAGE_FAULT;
	/* IOMMU_FAULT_WRITE is bit 0; a clear bit means a read */
	ev->access = flags & 1 ? VTD_EVA_WRITE : VTD_EVA_READ;
	ev->has |= VTD_EVH_ADDR;
	return TR_EVENT;
}

/* attach/detach "IOMMU: device=..." and group "IOMMU: groupID=5 device=..." */
static int attach(struct sc *s, struct vtd_event *ev, int kind, int group, struct vtd_error *err)
{
	uint64_t g;

	if (!sc_lit(s, "IOMMU: "))
		return bad(err, "attach", "no 'IOMMU:'");
	if (group) {
		if (!sc_lit(s, "groupID=") || !sc_dec(s, &g) || !sc_ch(s, ' ') || g > UINT32_MAX)
			return bad(err, "group", "bad groupID");
		ev->group = (uint32_t)g;
		ev->has |= VTD_EVH_GROUP;
	}
	if (!sc_lit(s, "device=") || !device(s, ev, 0))
		return bad(err, "attach", "no device");
	ev->kind = (uint16_t)kind;
	return TR_EVENT;
}

enum {
	E_NONE, E_QI, E_PRQ, E_TAG_A, E_TAG_U, E_TAG_ALL, E_TAG_R, E_MAP, E_UNMAP, E_DMAP,
	E_DUNMAP, E_IOPF, E_ATT, E_DET, E_GADD, E_GREM,
};

/*
 * Our events by name, E_NONE for others: by length first, so that a line
 * of another event costs a compare or two and not one per name.
 */
static int event_id(const char *name, size_t n)
{
#define EV(lit, id) \
	do { \
		if (tr_same(name, lit, sizeof(lit) - 1)) \
			return id; \
	} while (0)
	switch (n) {
	case 3: EV("map", E_MAP); break;
	case 5: EV("unmap", E_UNMAP); break;
	case 6: EV("map_sg", E_DMAP); break;
	case 8: EV("unmap_sg", E_DUNMAP); break;
	case 9: EV("qi_submit", E_QI); break;
	case 10: EV("prq_report", E_PRQ); EV("map_single", E_DMAP); break;
	case 12: EV("unmap_single", E_DUNMAP); break;
	case 13: EV("io_page_fault", E_IOPF); break;
	case 16: EV("cache_tag_assign", E_TAG_A); break;
	case 17: EV("bounce_map_single", E_DMAP); break;
	case 18: EV("cache_tag_unassign", E_TAG_U); break;
	case 19:
		EV("cache_tag_flush_all", E_TAG_ALL);
		EV("bounce_unmap_single", E_DUNMAP);
		EV("add_device_to_group", E_GADD);
		break;
	case 21: EV("cache_tag_flush_range", E_TAG_R); break;
	case 23: EV("attach_device_to_domain", E_ATT); break;
	case 24:
		EV("cache_tag_flush_range_np", E_TAG_R);
		EV("remove_device_from_group", E_GREM);
		break;
	case 25: EV("detach_device_from_domain", E_DET); break;
	}
#undef EV
	return E_NONE;
}

static int payload(struct tr_state *st, int id, struct sc *s, struct vtd_event *ev,
		   struct vtd_error *err)
{
	switch (id) {
	case E_QI: return qi_submit(st, s, ev, err);
	case E_PRQ: return prq_report(s, ev, err);
	case E_TAG_A: return cache_tag(s, ev, VTD_EV_ATTACH, err);
	case E_TAG_U: return cache_tag(s, ev, VTD_EV_DETACH, err);
	case E_TAG_ALL: return cache_tag(s, ev, VTD_EV_INV, err);
	case E_TAG_R: return cache_tag_range(s, ev, err);
	case E_MAP: return map(s, ev, 0, err);
	case E_UNMAP: return map(s, ev, 1, err);
	case E_DMAP: return dma_map(s, ev, 0, err);
	case E_DUNMAP: return dma_map(s, ev, 1, err);
	case E_IOPF: return io_page_fault(s, ev, err);
	case E_ATT: return attach(s, ev, VTD_EV_ATTACH, 0, err);
	case E_DET: return attach(s, ev, VTD_EV_DETACH, 0, err);
	case E_GADD: return attach(s, ev, VTD_EV_ATTACH, 1, err);
	case E_GREM: return attach(s, ev, VTD_EV_DETACH, 1, err);
	}
	return TR_SKIP;
}

/*
 * The CPU column "[000]" after "TASK-PID" (and the optional TGID column
 * "(  123)"): the task name may hold blanks and brackets, the column is
 * the first bracketed number preceded by a blank.
 */
static const char *cpu_column(const char *p, const char *e, uint64_t *cpu)
{
	const char *q = p;

	while ((q = tr_chr(q, e, '['))) {
		struct sc s = { q + 1, e };

		if (q > p && q[-1] == ' ' && sc_dec_short(&s, cpu) && sc_ch(&s, ']') &&
		    (sc_is(&s, ' ') || sc_is(&s, '\t')))
			return s.p;
		q++;
	}
	return NULL;
}

static int ftrace_parse(struct tr_state *st, const char *line, size_t len, uint64_t lineno,
			struct vtd_event *ev, struct vtd_error *err)
{
	struct sc s = { line, line + len };
	const char *w, *name;
	size_t n, nlen;
	uint64_t cpu, ts;
	int id;

	(void)lineno;
	if (line[0] == '#')
		return sc_starts(&s, "# tracer:") || sc_starts(&s, "# entries-in-buffer") ?
			TR_SKIP : TR_NOTMINE;
	if (sc_starts(&s, "cpus=") || sc_starts(&s, "CPU "))
		return sc_starts(&s, "cpus=") ? TR_SKIP : TR_NOTMINE;
	if (len < 20 || line[0] == '[')
		return TR_NOTMINE;
	s.p = cpu_column(line, s.e, &cpu);
	if (!s.p)
		return TR_NOTMINE;
	sc_sp1(&s);
	/*
	 * the irqs-off/need-resched/... column is there unless trace-cmd
	 * report; a time stamp starts with a digit, the flags never do
	 */
	if (!sc_more(&s) || *s.p < '0' || *s.p > '9' || !sc_ts(&s, &ts) ||
	    !sc_ch(&s, ':')) {
		if (!sc_word(&s, 0, &w, &n) || !sc_sp(&s) || !sc_ts(&s, &ts) ||
		    !sc_ch(&s, ':'))
			return TR_NOTMINE;
	}
	if (!sc_sp1(&s) || !sc_word(&s, ':', &name, &nlen) || !sc_ch(&s, ':'))
		return TR_NOTMINE;
	/* trace-cmd report pads the payload into a column */
	sc_sp1(&s);
	id = event_id(name, nlen);
	if (id == E_NONE)
		return TR_SKIP;		/* another event */
	if (cpu > INT32_MAX)
		return vtd_fail(err, VTD_EFORMAT, "%.*s: %s", (int)nlen, name, "bad CPU number");
	ev->ts_ns = ts;
	ev->cpu = (int32_t)cpu;
	ev->has |= VTD_EVH_TS | VTD_EVH_CPU;
	return payload(st, id, &s, ev, err);
}

const struct tr_reader vtd__tr_ftrace = { "ftrace", ftrace_parse };
