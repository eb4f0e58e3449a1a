/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libvtd -- DMAR fault and invalidation traces: one event model, and
 * streaming readers for every format engineers have (dmesg and the
 * journal, ftrace text, trace-cmd's trace.dat, QEMU's vtd_* trace log, our
 * JSONL), auto-detected, plain or gzip/zstd-compressed, mixed in one file.
 */
#ifndef VTD_TRACE_H
#define VTD_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

enum vtd_ev_kind {
	VTD_EV_DMA_FAULT = 1,	/* a DMA-remapping fault (dmesg, QEMU vtd_dmar_fault, FRCD) */
	VTD_EV_IR_FAULT,	/* an interrupt-remapping fault */
	VTD_EV_PAGE_REQ,	/* a page request (intel_iommu:prq_report) */
	VTD_EV_IO_PAGE_FAULT,	/* iommu:io_page_fault (the core's report) */
	VTD_EV_INV,		/* an invalidation descriptor submitted or processed */
	VTD_EV_MAP,		/* iommu:map, intel_iommu map_* */
	VTD_EV_UNMAP,		/* iommu:unmap, intel_iommu unmap_* */
	VTD_EV_ATTACH,		/* attach_device_to_domain, add_device_to_group */
	VTD_EV_DETACH,		/* detach_device_from_domain, remove_device_from_group */
	VTD_EV_IOTLB_HIT,	/* QEMU vtd_iotlb_page_hit */
	VTD_EV_IOTLB_MISS,	/* QEMU vtd_iotlb_page_update: a walk filled the IOTLB */
	VTD_EV_TRANSLATE,	/* QEMU vtd_dmar_translate: a completed translation */
	VTD_EV_CONFIG,		/* enable/disable, root/IRT/queue set-up, fault-status and
				 * CONFIG_DMAR_DEBUG table-dump lines: 'text' names which
				 * (formats/trace-event.md lists the names) */
	VTD_EV_FAULT_REC,	/* QEMU vtd_frr_new: a fault written to a fault recording
				 * register (what software sees), decoded from the FRCD
				 * words; vtd_dmar_fault fires for every faulting request,
				 * recorded or not */
	VTD_EV_KIND_N
};

/* Short stable name of a kind ("dma-fault", "inv", ...); the JSONL "kind". */
VTD_API const char *vtd_ev_kind_name(int kind);
/* The kind of a name; 0 when unknown. */
VTD_API int vtd_ev_kind_of(const char *name);

/* Invalidation type: the descriptor's (VT-d 6.5.2), 0 when not known. */
enum vtd_inv_type {
	VTD_INV_CC = 1,		/* context-cache */
	VTD_INV_IOTLB,
	VTD_INV_DEVTLB,
	VTD_INV_IEC,		/* interrupt entry cache */
	VTD_INV_WAIT,
	VTD_INV_PIOTLB,		/* PASID-based IOTLB */
	VTD_INV_PC,		/* PASID cache */
	VTD_INV_PDEVTLB,	/* PASID-based device-TLB */
	VTD_INV_PGRP_RESP,	/* page group response (not an invalidation, rides the queue) */
	VTD_INV_TYPE_N
};

/* Granularity, normalised over descriptor types. */
enum vtd_inv_gran {
	VTD_GRAN_GLOBAL = 1,	/* everything */
	VTD_GRAN_DOMAIN,	/* one domain (IOTLB/CC domain-selective) */
	VTD_GRAN_DEVICE,	/* one device (CC device-selective, device-TLB) */
	VTD_GRAN_PASID,		/* all of one PASID in one domain */
	VTD_GRAN_PAGE,		/* page-selective: addr, 2^am pages */
	VTD_GRAN_INDEX,		/* IEC index-selective */
	VTD_GRAN_N
};

VTD_API const char *vtd_inv_type_name(int t);	/* "cc", "iotlb", ... */
VTD_API const char *vtd_inv_gran_name(int g);	/* "global", "domain", ... */

/* has_* bits of struct vtd_event. */
enum {
	VTD_EVH_TS = 1u << 0,
	VTD_EVH_CPU = 1u << 1,
	VTD_EVH_SID = 1u << 2,
	VTD_EVH_PASID = 1u << 3,
	VTD_EVH_ADDR = 1u << 4,
	VTD_EVH_SIZE = 1u << 5,
	VTD_EVH_PADDR = 1u << 6,
	VTD_EVH_REASON = 1u << 7,
	VTD_EVH_DID = 1u << 8,
	VTD_EVH_DESC = 1u << 9,		/* qw[] holds the raw descriptor */
	VTD_EVH_INDEX = 1u << 10,	/* IR fault / IEC index */
	VTD_EVH_GROUP = 1u << 11,
};

/* Access of a fault or page request. */
enum { VTD_EVA_READ = 1, VTD_EVA_WRITE = 2, VTD_EVA_EXEC = 4, VTD_EVA_PRIV = 8 };

struct vtd_event {
	uint32_t has;		/* VTD_EVH_* */
	uint16_t kind;		/* enum vtd_ev_kind */
	uint64_t ts_ns;		/* time stamp (since boot, or the trace's own clock), ns */
	int32_t cpu;
	char unit[16];		/* "dmar0"; empty when the line does not say */
	char device[32];	/* "0000:00:03.0" or the driver's name for it, as the
				 * line names it; empty when the line gives only
				 * bus:dev.fn (dmesg, QEMU): that is in 'sid' */
	uint16_t sid;		/* source id (bus << 8 | devfn) */
	uint32_t pasid;
	uint64_t addr;		/* IOVA / fault address / invalidation address */
	uint64_t size;		/* bytes: map/unmap size, page-selective range */
	uint64_t paddr;		/* map: host physical; QEMU translate: gpa */
	uint16_t reason;	/* fault reason code (hex value, whatever the line's base) */
	uint8_t access;		/* VTD_EVA_* */
	uint16_t did;		/* domain id */
	uint8_t inv_type;	/* enum vtd_inv_type */
	uint8_t inv_gran;	/* enum vtd_inv_gran */
	uint8_t am;		/* page-selective: address mask (2^am pages) */
	uint8_t ih;		/* invalidation hint */
	uint64_t qw[4];		/* raw descriptor words, qw0 first (VTD_EVH_DESC) */
	uint8_t nqw;		/* 2 or 4 */
	uint64_t index;		/* IR fault index, IEC index, fault-record register
				 * index; CONFIG: the line's number (enable bit,
				 * queue size, page-table level) */
	uint32_t group;		/* iommu group */
	/* Where it came from: valid until the next vtd_trace_next(). */
	const char *text;	/* fault: the reason wording as printed; CONFIG: the
				 * stable name of what happened; may be NULL */
	const char *line;	/* the raw line (or a rendering of a binary record) */
	uint64_t lineno;	/* 1-based line (record) number in its input */
	const char *format;	/* reader name: "dmesg", "ftrace", "qemu", "jsonl", "trace-cmd" */
};

/* A reader over one input. */
struct vtd_trace;

struct vtd_trace_opts {
	/*
	 * Reader to use ("dmesg", "ftrace", "qemu", "jsonl", "trace-cmd"), or
	 * NULL: decide by content, line by line for text (files may mix
	 * dmesg and ftrace lines), trace.dat by its magic.
	 */
	const char *format;
	/* Keep this many unknown or broken lines (with line numbers) for the report. */
	unsigned keep_bad;
	/*
	 * A live source, followed as it grows: trace_pipe, /dev/kmsg, a pipe
	 * or FIFO, standard input, or a regular file still being written (as
	 * tail -f).  Opening reads nothing, so a source with no trace line yet
	 * is no error; it must be plain text (no trace.dat, no compression:
	 * a line with such bytes is bad).  vtd_trace_next() then never waits:
	 * 0 means "no complete line now" until vtd_trace_ended() says the
	 * input ended (a pipe closed; a regular file or /dev/kmsg never ends).
	 */
	int live;
	/*
	 * More than 1: this many worker threads parse blocks of lines beside
	 * the caller's, which takes the events in order (and parses a block
	 * no worker has taken yet); 0 or 1: all in the caller's.  For text
	 * that is not live and that opening did not read whole.  What
	 * vtd_trace_next() and vtd_trace_stats() say is the same, event for
	 * event, as without threads.
	 */
	unsigned threads;
};

/* Longest line a text reader accepts: a longer one is a bad line. */
#define VTD_TRACE_LINE_MAX 65536

/*
 * Open 'path' ("-" for standard input), gzip- or zstd-compressed or plain
 * (by magic).  An input that holds no trace at all (no line of any known
 * format in its first 64 KiB, or a binary file that is not trace.dat) is
 * -VTD_EFORMAT with the path (an empty input is an empty trace); -VTD_EIO
 * or -VTD_EPERM for the file; -VTD_ENOTFOUND for an unknown opts->format.
 * Memory stays bounded whatever the length of the input.
 */
VTD_API int vtd_trace_open(const char *path, const struct vtd_trace_opts *o,
			   struct vtd_trace **out, struct vtd_error *err);

/*
 * The same over 'len' bytes at 'buf' (plain or compressed), which must stay
 * valid until vtd_trace_close(); 'name' is what errors call it.  For tools
 * that hold a trace in memory, and for fuzzing.
 */
VTD_API int vtd_trace_open_mem(const void *buf, size_t len, const char *name,
			       const struct vtd_trace_opts *o, struct vtd_trace **out,
			       struct vtd_error *err);

/*
 * The next event: 1 with '*ev' filled, 0 at the end, or a negative code (an
 * I/O or decompression error, with file and line).  Lines that are not
 * events (other kernel messages, ftrace headers) are skipped silently;
 * lines that look like events of a known format but do not parse are
 * counted and kept as bad lines, never fatal.
 */
VTD_API int vtd_trace_next(struct vtd_trace *t, struct vtd_event *ev, struct vtd_error *err);

struct vtd_trace_bad {
	uint64_t lineno;
	char line[160];		/* cut */
	char why[80];
};

struct vtd_trace_stats {
	uint64_t lines, events, bad, skipped;	/* skipped: not an event, not bad */
	uint64_t bytes;				/* input bytes read (uncompressed) */
	uint64_t lost;				/* live /dev/kmsg: records overwritten
						 * before they were read */
	const struct vtd_trace_bad *first_bad;	/* up to keep_bad of them */
	unsigned nfirst_bad;
	const char *formats;			/* the readers that matched: "dmesg+ftrace" */
};

VTD_API void vtd_trace_stats(const struct vtd_trace *t, struct vtd_trace_stats *s);

/*
 * A live trace (opts.live): 1 once its input has ended and every line of
 * it was returned, so that vtd_trace_next()'s 0 is the end and not "not
 * yet".  Always 1 after a 0 from a trace that is not live.
 */
VTD_API int vtd_trace_ended(const struct vtd_trace *t);

/*
 * The descriptor a live trace reads, for poll(): it polls readable when
 * vtd_trace_next() may have more.  A regular file always polls readable
 * (follow it on a timer), but for tracefs's trace_pipe, which polls as a
 * pipe does; -1 for a trace in memory.
 */
VTD_API int vtd_trace_fd(const struct vtd_trace *t);

VTD_API void vtd_trace_close(struct vtd_trace *t);

/*
 * Do two events say the same?  Every member of the model but 'text' and
 * where they came from (line, lineno, format): readers that know a
 * wording keep it, others (JSONL without it) do not.
 */
VTD_API int vtd_event_same(const struct vtd_event *a, const struct vtd_event *b);

/*
 * One line, without a reader: 1 when it is an event of 'format' (NULL: any
 * text format), 0 when it is not an event, -VTD_EFORMAT when it looks like
 * one but does not parse ('err' says why).  'line' is a string of 'len'
 * bytes (no newline) with a NUL at line[len]; ev->line and ev->text point
 * into it or to static text (a JSONL "text" the library does not know is
 * left out: a reader keeps it).  Multi-line forms (the two-line dmesg
 * fault of old kernels) need a reader.
 */
VTD_API int vtd_trace_parse_line(const char *format, const char *line, size_t len,
				 struct vtd_event *ev, struct vtd_error *err);

/*
 * Our JSONL: one object per line, formats/trace-event.schema.json.  Writes
 * the event without a newline into 'buf' (NUL-terminated); the length, or
 * -VTD_ERANGE when 'n' is too small.  VTD_EVENT_JSONL_MAX always suffices
 * without the line (readers cut texts to 255 bytes); with it, add six
 * times the line's length.  Reading it back gives the same event.
 */
#define VTD_EVENT_JSONL_MAX 4096
VTD_API int vtd_event_jsonl(const struct vtd_event *ev, int with_line, char *buf, size_t n);

#endif
