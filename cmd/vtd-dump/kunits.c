/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd-dump -- the units as the kernel's intel-iommu driver holds them
 * (libvtd kernel.h): the route on stock kernels and on dumps with no saved
 * register page.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "dump.h"
#include "kernel.h"
#include "regpage.h"

int kernel_units(struct vtd_mem *m, const char *btf, const char *symbols, struct unit **out,
		 size_t *n, char *how, size_t hown, struct vtd_error *err)
{
	struct vtd_kernel_opts ko = { .btf = btf, .symbols = symbols };
	struct vtd_kernel_map map;
	struct vtd_kunit *k;
	struct unit *u;
	size_t nk, i;
	int rc;

	/* libbpf's own warnings would be a second, rawer line for the error we report. */
	libbpf_set_print(NULL);
	if ((rc = vtd_kernel_units(m, &ko, &k, &nk, &map, err)))
		return rc;
	if (!(u = calloc(nk ? nk : 1, sizeof(*u)))) {
		free(k);
		return vtd_fail(err, VTD_ENOMEM, "out of memory");
	}
	for (i = 0; i < nk; i++) {
		snprintf(u[i].name, sizeof(u[i].name), "%s", k[i].name);
		u[i].base = k[i].reg_phys;
		u[i].cap = k[i].cap;
		u[i].ecap = k[i].ecap;
		u[i].rtaddr = k[i].rtaddr;
		u[i].irta = k[i].irta;
		u[i].iqa = k[i].iqa;
		u[i].iqt = k[i].iqt;
		u[i].has_iq = k[i].iqa != 0;
		/* The driver's GCMD copy: what it turned on (GSTS follows it). */
		u[i].te = (uint8_t)(k[i].gcmd >> 31 & 1);
		u[i].has_te = 1;
		u[i].haw = regpage_haw(k[i].cap, k[i].ecap);
		u[i].from = "kernel";
	}
	/* phys_base is often negative: the image sits below where it was linked. */
	if (how)
		snprintf(how, hown, "kernel image placed by %s (KASLR offset 0x%" PRIx64
			 ", phys_base %s0x%" PRIx64 ", direct map at 0x%" PRIx64 ")", map.how,
			 map.kaslr, map.phys_base >> 63 ? "-" : "",
			 map.phys_base >> 63 ? -map.phys_base : map.phys_base, map.page_offset);
	free(k);
	*out = u;
	*n = nk;
	return 0;
}
