/* SPDX-License-Identifier: BSD-2-Clause */
/* libvtd -- the remapping-hardware registers, one layout each (spec 11.4) */
#include "layout-defs.h"
#include "regs.h"

/*
 * Registers are described like any other structure so that the generic
 * engine decodes, encodes and checks them; a 32-bit register is a 4-byte
 * structure.  Access semantics ride in the field flags: the engine ignores
 * them, but a tool that writes registers needs to know that a W1C bit
 * clears and a WO field reads back as zero.
 *
 * Bits the current specification calls "deprecated, must be zero" are still
 * declared when Linux or FreeBSD name them (ISOCH, ECS, DIS, the old PASID
 * bit, FSTS.PRO): hardware built to the older revisions sets them, and
 * reporting them as reserved would flag healthy machines.
 *
 * Section numbers follow the flat 11.4.x numbering of the revision 3.x
 * chapter; they were written from memory, not checked against a copy.
 */

#define RO	VTD_FF_RO
#define WO	VTD_FF_WO
#define W1C	VTD_FF_W1C

/* The shorthand of layout-defs.h with an access flag added. */
#define RFLAG(b, nm, k, fl, d) FIELDX(b, b, VTD_FLAG, nm, k, d, .flags = (fl))
#define RUINT(hi, lo, nm, k, fl, d) FIELDX(hi, lo, VTD_UINT, nm, k, d, .flags = (fl))
#define RHEX(hi, lo, nm, k, fl, d) FIELDX(hi, lo, VTD_HEX, nm, k, d, .flags = (fl))
#define RCODED(hi, lo, nm, k, cod, fl, d) \
	FIELDX(hi, lo, VTD_CODED, nm, k, d, .coding = (cod), .flags = (fl))
#define RENUM(hi, lo, nm, k, vals, fl, d) \
	FIELDX(hi, lo, VTD_ENUM, nm, k, d, .values = (vals), .flags = (fl))
#define RBITSET(hi, lo, nm, k, vals, fl, d) \
	FIELDX(hi, lo, VTD_BITSET, nm, k, d, .values = (vals), .flags = (fl))

#define REG(ident, nm, ttl, sec, sz, flds) \
	VTD_LAYOUT(ident, nm, ttl, "register", sec, sz, 0, flds)

/* ---- codings shared by several registers -------------------------------- */

static const struct vtd_coding c_nd = { 1, 2, 4, "domains" };	/* 2^(4 + 2*ND) */
static const struct vtd_coding c_width = { 0, 1, 1, "bits" };	/* field + 1 */
/* Offsets kept in 16-byte units; page-request slots are 32 bytes. */
static const struct vtd_coding c_off16 = { 0, 16, 0, "bytes" };
static const struct vtd_coding c_off32 = { 0, 32, 0, "bytes" };
static const struct vtd_coding c_records = { 0, 1, 1, "records" };
static const struct vtd_coding c_pages = { 1, 1, 0, "pages" };	/* 2^field 4 KiB pages */
static const struct vtd_coding c_irt = { 1, 1, 1, "entries" };	/* 2^(S + 1) */

/* ---- 0x00 VER ----------------------------------------------------------- */

static const struct vtd_field f_ver[] = {
	RUINT(3, 0, "MIN", "min", RO, "minor version of the specification implemented"),
	RUINT(7, 4, "MAX", "max", RO, "major version of the specification implemented"),
};
REG(vtd_l_reg_ver, "ver", "Version register", "11.4.1", 4, f_ver);

/* ---- 0x08 CAP ----------------------------------------------------------- */

/* Bit numbers within the field, not within the register. */
static const struct vtd_value v_sagaw[] = {
	{ 1, "39-bit", "3-level second-stage tables", 0 },
	{ 2, "48-bit", "4-level second-stage tables", 0 },
	{ 3, "57-bit", "5-level second-stage tables", 0 },
	VTD_VALUES_END
};

static const struct vtd_value v_sslps[] = {
	{ 0, "2M", "2 MiB second-stage pages", 0 },
	{ 1, "1G", "1 GiB second-stage pages", 0 },
	VTD_VALUES_END
};

static const struct vtd_field f_cap[] = {
	RCODED(2, 0, "ND", "nd", &c_nd, RO, "number of domain ids supported"),
	RFLAG(3, "AFL", "afl", RO, "advanced fault logging (deprecated)"),
	RFLAG(4, "RWBF", "rwbf", RO, "software must flush the write buffer"),
	RFLAG(5, "PLMR", "plmr", RO, "protected low-memory region supported"),
	RFLAG(6, "PHMR", "phmr", RO, "protected high-memory region supported"),
	RFLAG(7, "CM", "cm", RO, "caching mode: not-present entries may be cached"),
	RBITSET(12, 8, "SAGAW", "sagaw", v_sagaw, RO, "supported second-stage address widths"),
	RCODED(21, 16, "MGAW", "mgaw", &c_width, RO, "maximum guest address width"),
	RFLAG(22, "ZLR", "zlr", RO, "zero-length DMA reads are supported"),
	RFLAG(23, "ISOCH", "isoch", RO, "isochrony (older specifications; reserved now)"),
	RCODED(33, 24, "FRO", "fro", &c_off16, RO, "offset of the first fault-recording register"),
	RBITSET(37, 34, "SSLPS", "sslps", v_sslps, RO,
		"second-stage large page sizes (formerly SLLPS)"),
	RFLAG(39, "PSI", "psi", RO, "page-selective IOTLB invalidation"),
	RCODED(47, 40, "NFR", "nfr", &c_records, RO, "number of fault-recording registers"),
	RUINT(53, 48, "MAMV", "mamv", RO, "largest address mask for page-selective invalidation"),
	RFLAG(54, "DWD", "dwd", RO, "write draining on IOTLB invalidation"),
	RFLAG(55, "DRD", "drd", RO, "read draining on IOTLB invalidation"),
	RFLAG(56, "FS1GP", "fs1gp", RO, "first-stage 1 GiB pages (formerly FL1GP)"),
	RFLAG(59, "PI", "pi", RO, "posted interrupts"),
	RFLAG(60, "FS5LP", "fs5lp", RO, "first-stage 5-level paging (formerly FL5LP)"),
	RFLAG(61, "ECMDS", "ecmds", RO, "enhanced command interface"),
	RFLAG(62, "ESIRTPS", "esirtps", RO, "SIRTP also invalidates interrupt caches"),
	RFLAG(63, "ESRTPS", "esrtps", RO, "SRTP also invalidates translation caches"),
};
REG(vtd_l_reg_cap, "cap", "Capability register", "11.4.2", 8, f_cap);

/* ---- 0x10 ECAP ---------------------------------------------------------- */

static const struct vtd_field f_ecap[] = {
	RFLAG(0, "C", "c", RO, "legacy-mode page walks snoop the processor caches"),
	RFLAG(1, "QI", "qi", RO, "queued invalidation"),
	RFLAG(2, "DT", "dt", RO, "device-TLBs (ATS)"),
	RFLAG(3, "IR", "ir", RO, "interrupt remapping"),
	RFLAG(4, "EIM", "eim", RO, "extended interrupt mode (32-bit x2APIC ids)"),
	RFLAG(6, "PT", "pt", RO, "pass-through translation type"),
	RFLAG(7, "SC", "sc", RO, "snoop control"),
	RCODED(17, 8, "IRO", "iro", &c_off16, RO, "offset of the IOTLB registers (IVA first)"),
	RUINT(23, 20, "MHMV", "mhmv", RO, "largest handle mask for interrupt-entry invalidation"),
	RFLAG(24, "ECS", "ecs", RO, "extended context (deprecated)"),
	RFLAG(25, "MTS", "mts", RO, "memory-type support (MTRRs, PAT)"),
	RFLAG(26, "NEST", "nest", RO, "nested translation"),
	RFLAG(27, "DIS", "dis", RO, "deferred invalidation (deprecated)"),
	RFLAG(28, "OLDPASID", "oldpasid", RO,
	      "PASID support of pre-3.0 specifications (deprecated; Linux ignores it)"),
	RFLAG(29, "PRS", "prs", RO, "page requests"),
	RFLAG(30, "ERS", "ers", RO, "execute requests"),
	RFLAG(31, "SRS", "srs", RO, "supervisor requests"),
	RFLAG(33, "NWFS", "nwfs", RO, "no-write flag"),
	RFLAG(34, "EAFS", "eafs", RO, "extended accessed flag"),
	RCODED(39, 35, "PSS", "pss", &c_width, RO, "PASID width"),
	RFLAG(40, "PASID", "pasid", RO, "requests with PASID"),
	RFLAG(41, "DIT", "dit", RO, "device-TLB invalidation throttling"),
	RFLAG(42, "PDS", "pds", RO, "page-request drain"),
	RFLAG(43, "SMTS", "smts", RO, "scalable-mode translation"),
	RFLAG(44, "VCS", "vcs", RO, "virtual command interface"),
	RFLAG(45, "SSADS", "ssads", RO, "second-stage accessed/dirty bits (formerly SLADS)"),
	RFLAG(46, "SSTS", "ssts", RO, "second-stage translation (formerly SLTS)"),
	RFLAG(47, "FSTS", "fsts", RO, "first-stage translation (formerly FLTS)"),
	RFLAG(48, "SMPWC", "smpwc", RO, "scalable-mode page walks snoop the processor caches"),
	RFLAG(49, "RPS", "rps", RO, "RID_PASID field in scalable-mode context entries"),
	RFLAG(51, "PMS", "pms", RO, "performance monitoring"),
	RFLAG(52, "ADMS", "adms", RO, "abort-DMA translation table mode"),
	RFLAG(53, "RPRIVS", "rprivs", RO, "RID_PRIV field in scalable-mode context entries"),
};
REG(vtd_l_reg_ecap, "ecap", "Extended capability register", "11.4.3", 8, f_ecap);

/* ---- 0x18 GCMD, 0x1C GSTS ----------------------------------------------- */

/* Each command bit has a status twin in GSTS; software writes GSTS | bit. */
static const struct vtd_field f_gcmd[] = {
	RFLAG(23, "CFI", "cfi", WO, "allow compatibility-format interrupts"),
	RFLAG(24, "SIRTP", "sirtp", WO, "latch IRTA as the interrupt remapping table"),
	RFLAG(25, "IRE", "ire", WO, "enable interrupt remapping"),
	RFLAG(26, "QIE", "qie", WO, "enable queued invalidation"),
	RFLAG(27, "WBF", "wbf", WO, "flush the write buffer"),
	RFLAG(28, "EAFL", "eafl", WO, "enable advanced fault logging (deprecated)"),
	RFLAG(29, "SFL", "sfl", WO, "latch AFLOG as the fault log (deprecated)"),
	RFLAG(30, "SRTP", "srtp", WO, "latch RTADDR as the root table"),
	RFLAG(31, "TE", "te", WO, "enable DMA remapping"),
};
REG(vtd_l_reg_gcmd, "gcmd", "Global command register", "11.4.4", 4, f_gcmd);

static const struct vtd_field f_gsts[] = {
	RFLAG(23, "CFIS", "cfis", RO, "compatibility-format interrupts allowed"),
	RFLAG(24, "IRTPS", "irtps", RO, "interrupt remapping table pointer latched"),
	RFLAG(25, "IRES", "ires", RO, "interrupt remapping enabled"),
	RFLAG(26, "QIES", "qies", RO, "queued invalidation enabled"),
	RFLAG(27, "WBFS", "wbfs", RO, "write-buffer flush in progress"),
	RFLAG(28, "AFLS", "afls", RO, "advanced fault logging enabled (deprecated)"),
	RFLAG(29, "FLS", "fls", RO, "fault log pointer latched (deprecated)"),
	RFLAG(30, "RTPS", "rtps", RO, "root table pointer latched"),
	RFLAG(31, "TES", "tes", RO, "DMA remapping enabled"),
};
REG(vtd_l_reg_gsts, "gsts", "Global status register", "11.4.5", 4, f_gsts);

/* ---- 0x20 RTADDR -------------------------------------------------------- */

static const struct vtd_value v_ttm[] = {
	{ 0, "legacy", "legacy-mode root and context tables", 0 },
	{ 1, "scalable", "scalable-mode root and context tables", 0 },
	{ 2, "reserved", "reserved", VTD_VF_RESERVED },
	{ 3, "abort-dma", "every DMA request is blocked (needs ECAP.ADMS)", 0 },
	VTD_VALUES_END
};

static const struct vtd_field f_rtaddr[] = {
	ENUM(11, 10, "TTM", "ttm", v_ttm, "translation table mode"),
	ADDR(63, 12, "RTA", "rta", "root table address"),
};
REG(vtd_l_reg_rtaddr, "rtaddr", "Root table address register", "11.4.6", 8, f_rtaddr);

/* ---- 0x28 CCMD ---------------------------------------------------------- */

/*
 * Zero is not a valid request granularity, but it is what a unit that was
 * never sent a register-based command (every unit using queued
 * invalidation) reads back, so it is named rather than flagged.
 */
static const struct vtd_value v_ccmd_g[] = {
	{ 0, "none", "no request (not valid with ICC set)", 0 },
	{ 1, "global", "all context entries", 0 },
	{ 2, "domain", "entries of one domain", 0 },
	{ 3, "device", "entries of one source id (masked by FM)", 0 },
	VTD_VALUES_END
};

static const struct vtd_field f_ccmd[] = {
	UINT(15, 0, "DID", "did", "domain to invalidate"),
	RHEX(31, 16, "SID", "sid", WO, "source id to invalidate"),
	RUINT(33, 32, "FM", "fm", WO, "low bits of SID to ignore (0-3)"),
	RENUM(60, 59, "CAIG", "caig", v_ccmd_g, RO, "granularity actually used"),
	ENUM(62, 61, "CIRG", "cirg", v_ccmd_g, "granularity requested"),
	FLAG(63, "ICC", "icc", "invalidation requested; clears when done"),
};
REG(vtd_l_reg_ccmd, "ccmd", "Context command register", "11.4.7", 8, f_ccmd);

/* ---- IRO+0 IVA, IRO+8 IOTLB --------------------------------------------- */

static const struct vtd_value v_iotlb_g[] = {
	{ 0, "none", "no request (not valid with IVT set; as IAIG: request rejected)", 0 },
	{ 1, "global", "all mappings", 0 },
	{ 2, "domain", "mappings of one domain", 0 },
	{ 3, "page", "pages of one domain given by IVA", 0 },
	VTD_VALUES_END
};

static const struct vtd_field f_iotlb[] = {
	UINT(47, 32, "DID", "did", "domain to invalidate"),
	FLAG(48, "DW", "dw", "drain writes first"),
	FLAG(49, "DR", "dr", "drain reads first"),
	RENUM(58, 57, "IAIG", "iaig", v_iotlb_g, RO, "granularity actually used"),
	ENUM(61, 60, "IIRG", "iirg", v_iotlb_g, "granularity requested"),
	FLAG(63, "IVT", "ivt", "invalidation requested; clears when done"),
};
REG(vtd_l_reg_iotlb, "iotlb", "IOTLB invalidate register", "11.4.8.1", 8, f_iotlb);

/* The address is an input (DMA) address: the host address width does not apply. */
static const struct vtd_field f_iva[] = {
	RUINT(5, 0, "AM", "am", WO, "address mask: invalidate 2^AM pages"),
	RFLAG(6, "IH", "ih", WO, "only leaf entries changed"),
	FIELDX(63, 12, VTD_ADDR, "ADDR", "addr", "first page to invalidate",
	       .shift = 12, .flags = WO),
};
REG(vtd_l_reg_iva, "iva", "Invalidate address register", "11.4.8.2", 8, f_iva);

/* ---- 0x34 FSTS and the event-interrupt register quartets ---------------- */

static const struct vtd_field f_fsts[] = {
	RFLAG(0, "PFO", "pfo", W1C, "a fault was lost: all records were full"),
	RFLAG(1, "PPF", "ppf", RO, "some fault record has F set"),
	RFLAG(2, "AFO", "afo", W1C, "advanced fault log overflowed (deprecated)"),
	RFLAG(3, "APF", "apf", W1C, "advanced fault log has a fault (deprecated)"),
	RFLAG(4, "IQE", "iqe", W1C, "invalidation queue error (see IQERCD)"),
	RFLAG(5, "ICE", "ice", W1C, "invalid device-TLB completion"),
	RFLAG(6, "ITE", "ite", W1C, "device-TLB invalidation timed out"),
	RFLAG(7, "PRO", "pro", W1C, "page request overflow (older specifications)"),
	RUINT(15, 8, "FRI", "fri", RO, "index of the first pending fault record"),
};
REG(vtd_l_reg_fsts, "fsts", "Fault status register", "11.4.9", 4, f_fsts);

/*
 * Fault, invalidation-completion and page-request events each have the
 * same control/data/address/upper-address quartet.
 */
static const struct vtd_field f_evctl[] = {
	RFLAG(30, "IP", "ip", RO, "an interrupt is held back by IM"),
	FLAG(31, "IM", "im", "interrupt masked"),
};
static const struct vtd_field f_evdata[] = {
	HEX(15, 0, "IMD", "imd", "interrupt message data"),
};
static const struct vtd_field f_evaddr[] = {
	ADDRS(31, 2, 2, "MA", "ma", "interrupt message address (dword aligned)"),
};
static const struct vtd_field f_evuaddr[] = {
	HEX(31, 0, "MUA", "mua", "upper 32 bits of the message address (x2APIC)"),
};

REG(vtd_l_reg_fectl, "fectl", "Fault event control register", "11.4.10", 4, f_evctl);
REG(vtd_l_reg_fedata, "fedata", "Fault event data register", "11.4.11", 4, f_evdata);
REG(vtd_l_reg_feaddr, "feaddr", "Fault event address register", "11.4.12", 4, f_evaddr);
REG(vtd_l_reg_feuaddr, "feuaddr", "Fault event upper address register", "11.4.13", 4,
    f_evuaddr);

/* ---- 0x58 AFLOG (deprecated) -------------------------------------------- */

static const struct vtd_field f_aflog[] = {
	CODED(11, 9, "FLS", "fls", &c_pages, "size of the fault log"),
	ADDR(63, 12, "FLA", "fla", "fault log address"),
};
REG(vtd_l_reg_aflog, "aflog", "Advanced fault log register", "11.4.15", 8, f_aflog);

/* ---- 0x64 PMEN and the protected memory ranges -------------------------- */

static const struct vtd_field f_pmen[] = {
	RFLAG(0, "PRS", "prs", RO, "protected regions are in force"),
	FLAG(31, "EPM", "epm", "enable the protected memory regions"),
};
REG(vtd_l_reg_pmen, "pmen", "Protected memory enable register", "11.4.16", 4, f_pmen);

/*
 * The regions are at least 2 MiB aligned, so bits 20:0 are always reserved;
 * hardware may reserve more (software finds out by writing all ones), which
 * then simply read as zero here.
 */
static const struct vtd_field f_plmbase[] = {
	ADDRS(31, 21, 21, "PLMB", "plmb", "protected low-memory base"),
};
static const struct vtd_field f_plmlimit[] = {
	ADDRS(31, 21, 21, "PLML", "plml", "last 2 MiB of protected low memory"),
};
static const struct vtd_field f_phmbase[] = {
	ADDR(63, 21, "PHMB", "phmb", "protected high-memory base"),
};
static const struct vtd_field f_phmlimit[] = {
	ADDR(63, 21, "PHML", "phml", "last 2 MiB of protected high memory"),
};
REG(vtd_l_reg_plmbase, "plmbase", "Protected low-memory base register", "11.4.17", 4,
    f_plmbase);
REG(vtd_l_reg_plmlimit, "plmlimit", "Protected low-memory limit register", "11.4.18", 4,
    f_plmlimit);
REG(vtd_l_reg_phmbase, "phmbase", "Protected high-memory base register", "11.4.19", 8,
    f_phmbase);
REG(vtd_l_reg_phmlimit, "phmlimit", "Protected high-memory limit register", "11.4.20", 8,
    f_phmlimit);

/* ---- 0x80 invalidation queue -------------------------------------------- */

/*
 * Head and tail are byte offsets into the queue in 16-byte units whatever
 * the descriptor width; with 256-bit descriptors the tail must be even.
 */
static const struct vtd_field f_iqh[] = {
	RCODED(18, 4, "QH", "qh", &c_off16, RO, "offset of the next descriptor to fetch"),
};
static const struct vtd_field f_iqt[] = {
	CODED(18, 4, "QT", "qt", &c_off16, "offset past the last descriptor submitted"),
};
REG(vtd_l_reg_iqh, "iqh", "Invalidation queue head register", "11.4.21", 8, f_iqh);
REG(vtd_l_reg_iqt, "iqt", "Invalidation queue tail register", "11.4.22", 8, f_iqt);

static const struct vtd_value v_dw[] = {
	{ 0, "128-bit", "128-bit descriptors", 0 },
	{ 1, "256-bit", "256-bit descriptors (scalable mode)", 0 },
	VTD_VALUES_END
};

static const struct vtd_field f_iqa[] = {
	CODED(2, 0, "QS", "qs", &c_pages, "queue size"),
	ENUM(11, 11, "DW", "dw", v_dw, "descriptor width"),
	ADDR(63, 12, "IQA", "iqa", "invalidation queue base address"),
};
REG(vtd_l_reg_iqa, "iqa", "Invalidation queue address register", "11.4.23", 8, f_iqa);

static const struct vtd_field f_ics[] = {
	RFLAG(0, "IWC", "iwc", W1C, "a wait descriptor with IF set completed"),
};
REG(vtd_l_reg_ics, "ics", "Invalidation completion status register", "11.4.24", 4, f_ics);

REG(vtd_l_reg_iectl, "iectl", "Invalidation event control register", "11.4.25", 4, f_evctl);
REG(vtd_l_reg_iedata, "iedata", "Invalidation event data register", "11.4.26", 4, f_evdata);
REG(vtd_l_reg_ieaddr, "ieaddr", "Invalidation event address register", "11.4.27", 4,
    f_evaddr);
REG(vtd_l_reg_ieuaddr, "ieuaddr", "Invalidation event upper address register", "11.4.28", 4,
    f_evuaddr);

static const struct vtd_value v_iqei[] = {
	{ 0, "none", "no detail available", 0 },
	{ 1, "tail", "invalid queue tail (IQT)", 0 },
	{ 2, "fetch", "descriptor fetch failed", 0 },
	{ 3, "type", "invalid descriptor type", 0 },
	{ 4, "reserved", "reserved bits set in a descriptor", 0 },
	{ 5, "width", "descriptor width not allowed by IQA.DW", 0 },
	{ 6, "align", "IQT not 256-bit aligned with IQA.DW set", 0 },
	{ 7, "ttm", "descriptor does not fit the translation table mode", 0 },
	VTD_VALUES_END
};

static const struct vtd_field f_iqercd[] = {
	RENUM(3, 0, "IQEI", "iqei", v_iqei, RO, "why FSTS.IQE was set"),
	RHEX(47, 32, "ITESID", "itesid", RO, "source id of the timed-out device-TLB"),
	RHEX(63, 48, "ICESID", "icesid", RO, "source id of the invalid completion"),
};
REG(vtd_l_reg_iqercd, "iqercd", "Invalidation queue error record register", "11.4.29", 8,
    f_iqercd);

/* ---- 0xB8 IRTA ---------------------------------------------------------- */

static const struct vtd_field f_irta[] = {
	CODED(3, 0, "S", "s", &c_irt, "size of the interrupt remapping table"),
	FLAG(11, "EIME", "eime", "x2APIC (32-bit) destination ids"),
	ADDR(63, 12, "IRTA", "irta", "interrupt remapping table address"),
};
REG(vtd_l_reg_irta, "irta", "Interrupt remapping table address register", "11.4.30", 8,
    f_irta);

/* ---- 0xC0 page request queue -------------------------------------------- */

static const struct vtd_field f_pqh[] = {
	CODED(18, 5, "PQH", "pqh", &c_off32, "offset of the next request software reads"),
};
static const struct vtd_field f_pqt[] = {
	CODED(18, 5, "PQT", "pqt", &c_off32, "offset where hardware writes the next request"),
};
static const struct vtd_field f_pqa[] = {
	CODED(2, 0, "PQS", "pqs", &c_pages, "queue size"),
	ADDR(63, 12, "PQA", "pqa", "page request queue base address"),
};
static const struct vtd_field f_prs[] = {
	RFLAG(0, "PPR", "ppr", W1C, "page requests are pending"),
	RFLAG(1, "PRO", "pro", W1C, "a page request was lost: queue full"),
};
REG(vtd_l_reg_pqh, "pqh", "Page request queue head register", "11.4.31", 8, f_pqh);
REG(vtd_l_reg_pqt, "pqt", "Page request queue tail register", "11.4.32", 8, f_pqt);
REG(vtd_l_reg_pqa, "pqa", "Page request queue address register", "11.4.33", 8, f_pqa);
REG(vtd_l_reg_prs, "prs", "Page request status register", "11.4.34", 4, f_prs);
REG(vtd_l_reg_pectl, "pectl", "Page request event control register", "11.4.35", 4, f_evctl);
REG(vtd_l_reg_pedata, "pedata", "Page request event data register", "11.4.36", 4, f_evdata);
REG(vtd_l_reg_peaddr, "peaddr", "Page request event address register", "11.4.37", 4,
    f_evaddr);
REG(vtd_l_reg_peuaddr, "peuaddr", "Page request event upper address register", "11.4.38", 4,
    f_evuaddr);

/* ---- 0x100 MTRRs: the processor's MTRR formats, mirrored ----------------- */

static const struct vtd_value v_memtype[] = {
	{ 0, "uc", "uncacheable", 0 },
	{ 1, "wc", "write combining", 0 },
	{ 4, "wt", "write through", 0 },
	{ 5, "wp", "write protected", 0 },
	{ 6, "wb", "write back", 0 },
	VTD_VALUES_END
};

static const struct vtd_field f_mtrrcap[] = {
	RUINT(7, 0, "VCNT", "vcnt", RO, "number of variable-range MTRRs"),
	RFLAG(8, "FIX", "fix", RO, "fixed-range MTRRs supported"),
	RFLAG(10, "WC", "wc", RO, "write-combining type supported"),
};
REG(vtd_l_reg_mtrrcap, "mtrrcap", "MTRR capability register", "11.4.39", 8, f_mtrrcap);

static const struct vtd_field f_mtrrdef[] = {
	ENUM(7, 0, "TYPE", "type", v_memtype, "memory type outside every range"),
	FLAG(10, "FE", "fe", "fixed-range MTRRs enabled"),
	FLAG(11, "E", "e", "MTRRs enabled"),
};
REG(vtd_l_reg_mtrrdef, "mtrrdef", "MTRR default type register", "11.4.40", 8, f_mtrrdef);

/* Eight sub-ranges per register, lowest address in the lowest byte. */
static const struct vtd_field f_mtrr_fix[] = {
	ENUM(7, 0, "TYPE0", "type0", v_memtype, "type of sub-range 0"),
	ENUM(15, 8, "TYPE1", "type1", v_memtype, "type of sub-range 1"),
	ENUM(23, 16, "TYPE2", "type2", v_memtype, "type of sub-range 2"),
	ENUM(31, 24, "TYPE3", "type3", v_memtype, "type of sub-range 3"),
	ENUM(39, 32, "TYPE4", "type4", v_memtype, "type of sub-range 4"),
	ENUM(47, 40, "TYPE5", "type5", v_memtype, "type of sub-range 5"),
	ENUM(55, 48, "TYPE6", "type6", v_memtype, "type of sub-range 6"),
	ENUM(63, 56, "TYPE7", "type7", v_memtype, "type of sub-range 7"),
};
REG(vtd_l_reg_mtrr_fix, "mtrr-fix", "Fixed-range MTRR", "11.4.41", 8, f_mtrr_fix);

static const struct vtd_field f_mtrr_physbase[] = {
	ENUM(7, 0, "TYPE", "type", v_memtype, "memory type of the range"),
	ADDR(63, 12, "PHYSBASE", "physbase", "range base"),
};
static const struct vtd_field f_mtrr_physmask[] = {
	FLAG(11, "V", "v", "range enabled"),
	ADDR(63, 12, "PHYSMASK", "physmask", "range mask"),
};
REG(vtd_l_reg_mtrr_physbase, "mtrr-physbase", "Variable-range MTRR base", "11.4.42", 8,
    f_mtrr_physbase);
REG(vtd_l_reg_mtrr_physmask, "mtrr-physmask", "Variable-range MTRR mask", "11.4.42", 8,
    f_mtrr_physmask);

const struct vtd_layout *const vtd__layouts_regs[] = {
	&vtd_l_reg_ver, &vtd_l_reg_cap, &vtd_l_reg_ecap, &vtd_l_reg_gcmd, &vtd_l_reg_gsts,
	&vtd_l_reg_rtaddr, &vtd_l_reg_ccmd, &vtd_l_reg_iva, &vtd_l_reg_iotlb,
	&vtd_l_reg_fsts, &vtd_l_reg_fectl, &vtd_l_reg_fedata, &vtd_l_reg_feaddr,
	&vtd_l_reg_feuaddr, &vtd_l_reg_aflog, &vtd_l_reg_pmen, &vtd_l_reg_plmbase,
	&vtd_l_reg_plmlimit, &vtd_l_reg_phmbase, &vtd_l_reg_phmlimit, &vtd_l_reg_iqh,
	&vtd_l_reg_iqt, &vtd_l_reg_iqa, &vtd_l_reg_ics, &vtd_l_reg_iectl, &vtd_l_reg_iedata,
	&vtd_l_reg_ieaddr, &vtd_l_reg_ieuaddr, &vtd_l_reg_iqercd, &vtd_l_reg_irta,
	&vtd_l_reg_pqh, &vtd_l_reg_pqt, &vtd_l_reg_pqa, &vtd_l_reg_prs, &vtd_l_reg_pectl,
	&vtd_l_reg_pedata, &vtd_l_reg_peaddr, &vtd_l_reg_peuaddr, &vtd_l_reg_mtrrcap,
	&vtd_l_reg_mtrrdef, &vtd_l_reg_mtrr_fix, &vtd_l_reg_mtrr_physbase,
	&vtd_l_reg_mtrr_physmask,
	NULL,
};
