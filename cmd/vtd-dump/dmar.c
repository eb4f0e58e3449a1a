/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-dump -- the ACPI DMAR table behind --check: the RMRRs each unit's
 * tables must identity-map, and which unit translates which device.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dmar.h"
#include "dump.h"

/* Where Linux shows the firmware's table (this host's default). */
#define LIVE_DMAR	"/sys/firmware/acpi/tables/DMAR"
/* Real tables are a few KiB; the length field would allow 4 GiB. */
#define DMAR_MAX	(16u << 20)

/* The RMRRs of one segment, resolved once however many units ask. */
struct segrmrr {
	uint16_t seg;
	struct vtd_rmrr *r;
	size_t n;
};

/* The table of this run, read at the first --check of a unit. */
static struct {
	int loaded;
	char name[4200];		/* the file, for messages; "" when there is none */
	uint8_t *buf;
	size_t len;
	struct vtd_dmar_drhd *drhd;
	size_t ndrhd;
	struct segrmrr *seg;
	size_t nseg;
	const struct vtd_dmar_pci *pci;
	const char *prog;
} T;

/*
 * Byte 'off' of a device's configuration space from sysfs (the first 64
 * bytes, where the bridge bus numbers are, can be read without root).
 */
static int sysfs_cfg(void *ctx, uint16_t seg, uint16_t sid, unsigned off, uint8_t *val)
{
	const char *root = getenv("VTD_DUMP_SYSROOT");
	char path[4200];
	ssize_t r;
	int fd, e;

	(void)ctx;
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%04x:%02x:%02x.%x/config",
		 root ? root : "", seg, sid >> 8, sid >> 3 & 31, sid & 7);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		e = errno;
		return e == ENOENT ? -VTD_ENOTFOUND : e == EACCES ? -VTD_EPERM : -VTD_EIO;
	}
	r = pread(fd, val, 1, off);
	close(fd);
	return r == 1 ? 0 : -VTD_EIO;
}

/* A scope no device could be found for: said, and left out of the check. */
static void skipped(void *ctx, const struct vtd_error *why)
{
	(void)ctx;
	fprintf(stderr, "%s: %s: %s: %s; left out\n", T.prog, T.name, why->where, why->msg);
}

static const struct vtd_dmar_pci live_pci = { sysfs_cfg, skipped, NULL };
static const struct vtd_dmar_pci file_pci = { NULL, skipped, NULL };

/* The file's name in front of a library error's location. */
static int fail_in_file(struct vtd_error *err, int rc)
{
	char where[sizeof(err->where)];

	snprintf(where, sizeof(where), "%s", err->where);
	vtd_error_where(err, "%.80s: %.78s", T.name, where);
	return rc;
}

/*
 * Read and check the table: --dmar's, or this host's when the memory is
 * this host's.  No table is no error when none was asked for.
 */
static int load(struct dump *d, struct vtd_error *err)
{
	const struct dopts *o = d->o;
	int host = o->live || !strncmp(d->source, "kcore:", 6) || !strncmp(d->source, "devmem:", 7);
	uint8_t sum;
	int rc;

	T.loaded = 1;
	T.prog = d->c->prog;
	T.pci = host ? &live_pci : &file_pci;
	if (o->dmar) {
		snprintf(T.name, sizeof(T.name), "%s", o->dmar);
	} else if (host) {
		const char *root = getenv("VTD_DUMP_SYSROOT");

		snprintf(T.name, sizeof(T.name), "%s" LIVE_DMAR, root ? root : "");
		if (access(T.name, F_OK)) {
			T.name[0] = '\0';
			return 0;
		}
	} else {
		return 0;
	}
	if ((rc = cli_read_file(T.name, DMAR_MAX, &T.buf, &T.len, err))) {
		if (o->dmar)
			return rc;
		/* The firmware's table is root's to read: check without RMRRs. */
		fprintf(stderr, "%s: %s; RMRRs are not checked\n", T.prog, err->msg);
		vtd_error_clear(err);
		T.name[0] = '\0';
		return 0;
	}
	/* The structure first: a cut table has a wrong sum too, but the length says more. */
	if ((rc = vtd_dmar_drhds(T.buf, T.len, T.pci, &T.drhd, &T.ndrhd, err)))
		return fail_in_file(err, rc);
	if ((sum = vtd_dmar_sum(T.buf, T.len))) {
		vtd_error_where(err, "offset 0x9: $.header.checksum");
		return fail_in_file(err, vtd_fail(err, VTD_EFORMAT, "checksum 0x%02x is wrong: the "
						  "table's bytes sum to 0x%02x, not 0", T.buf[9],
						  sum));
	}
	return 0;
}

static const struct segrmrr *seg_rmrrs(uint16_t seg, struct vtd_error *err)
{
	struct segrmrr *s;
	int rc;

	for (size_t i = 0; i < T.nseg; i++)
		if (T.seg[i].seg == seg)
			return &T.seg[i];
	if (!(s = realloc(T.seg, (T.nseg + 1) * sizeof(*s)))) {
		vtd_fail(err, VTD_ENOMEM, "out of memory");
		return NULL;
	}
	T.seg = s;
	s = &T.seg[T.nseg];
	s->seg = seg;
	if ((rc = vtd_dmar_rmrrs(T.buf, T.len, seg, T.pci, &s->r, &s->n, err))) {
		fail_in_file(err, rc);
		return NULL;
	}
	T.nseg++;
	return s;
}

static int cmp_sid(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static int has_sid(const struct vtd_dmar_drhd *h, uint16_t sid)
{
	return h->nsids && bsearch(&sid, h->sids, h->nsids, sizeof(sid), cmp_sid);
}

/* Does unit 'h' translate the requests of 'sid' (VT-d 8.3: scopes, then INCLUDE_PCI_ALL)? */
static int translates(const struct vtd_dmar_drhd *h, uint16_t sid)
{
	if (has_sid(h, sid))
		return 1;
	if (!h->include_all)
		return 0;
	for (size_t i = 0; i < T.ndrhd; i++)
		if (&T.drhd[i] != h && T.drhd[i].segment == h->segment && has_sid(&T.drhd[i], sid))
			return 0;
	return 1;
}

/* The DRHD of unit 'u': by register base, or the segment's only one when the base is unknown. */
static const struct vtd_dmar_drhd *unit_drhd(const struct unit *u, int *note)
{
	const struct vtd_dmar_drhd *h = NULL;
	size_t n = 0;

	for (size_t i = 0; i < T.ndrhd; i++) {
		if (u->base && T.drhd[i].reg_base == u->base)
			return &T.drhd[i];
		if (!u->base && !T.drhd[i].segment) {
			h = &T.drhd[i];
			n++;
		}
	}
	if (u->base) {
		fprintf(stderr, "%s: %s: register base 0x%" PRIx64 " is no DRHD of %s: no RMRR is "
			"checked\n", T.prog, u->name, u->base, T.name);
		*note = 1;
		return NULL;
	}
	if (n > 1)
		fprintf(stderr, "%s: %s: %s has %zu units in segment 0 and this one's register "
			"base is unknown: every RMRR of the segment is checked\n", T.prog, u->name,
			T.name, n);
	return n == 1 ? h : NULL;
}

int dmar_unit_rmrrs(struct dump *d, const struct unit *u, struct vtd_rmrr **out, size_t *nout,
		    const char **from, struct vtd_error *err)
{
	const struct vtd_dmar_drhd *h;
	const struct segrmrr *s;
	struct vtd_rmrr *r;
	int rc, note = 0;

	*out = NULL;
	*nout = 0;
	*from = NULL;
	if (!T.loaded && (rc = load(d, err)))
		return rc;
	if (!T.buf || !T.name[0])
		return 0;
	*from = T.name;
	h = unit_drhd(u, &note);
	if (note)
		return 0;
	if (!(s = seg_rmrrs(h ? h->segment : 0, err)))
		return -err->code;
	if (!s->n)
		return 0;
	if (!(r = calloc(s->n, sizeof(*r))))
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	/* Each RMRR with the devices this unit translates. */
	for (size_t i = 0; i < s->n; i++) {
		uint16_t *v = malloc((s->r[i].nsids ? s->r[i].nsids : 1) * sizeof(*v));
		size_t k = 0;

		if (!v) {
			vtd_dmar_rmrrs_free(r, i);
			return vtd_fail(err, VTD_ENOMEM, "out of memory");
		}
		for (size_t j = 0; j < s->r[i].nsids; j++)
			if (!h || translates(h, s->r[i].sids[j]))
				v[k++] = s->r[i].sids[j];
		r[i] = s->r[i];
		r[i].sids = v;
		r[i].nsids = k;
	}
	*out = r;
	*nout = s->n;
	return 0;
}
