/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tools -- names of this host's PCI devices through libpci (pciutils),
 * for what they show of a live host (vtd-dump's tree, vtd-top's devices);
 * nothing without libpci (built with HAVE_LIBPCI).  Segment 0 only: the
 * tables and traces name bus, device and function.
 */
#include <setjmp.h>
#include <stdio.h>

#include "pci-names.h"

#ifdef HAVE_LIBPCI
#include <pci/pci.h>

static struct pci_access *acc;
static int tried;
static jmp_buf back;

/* libpci's errors must not return: back to cli_pci_name, which gives up on names. */
__attribute__((noreturn, format(printf, 1, 2))) static void fatal(char *msg, ...)
{
	(void)msg;
	longjmp(back, 1);
}

__attribute__((format(printf, 1, 2))) static void quiet(char *msg, ...)
{
	(void)msg;
}

static uint16_t want;
static char found[256];

/* 1 with the name of device 'want' in 'found'; 0 when unknown or libpci failed. */
static int find(void)
{
	struct pci_dev *dv;

	if (setjmp(back)) {
		acc = NULL;	/* half set up or broken: left alone */
		return 0;
	}
	if (!tried) {
		tried = 1;
		if ((acc = pci_alloc())) {
			acc->error = fatal;
			acc->warning = quiet;
			acc->debug = quiet;
			pci_init(acc);
			pci_scan_bus(acc);
		}
	}
	for (dv = acc ? acc->devices : NULL; dv; dv = dv->next) {
		if (dv->domain != 0 || dv->bus != (want >> 8) || dv->dev != ((want >> 3) & 0x1f) ||
		    dv->func != (want & 7))
			continue;
		pci_fill_info(dv, PCI_FILL_IDENT);
		return pci_lookup_name(acc, found, sizeof(found), PCI_LOOKUP_VENDOR |
				       PCI_LOOKUP_DEVICE, dv->vendor_id, dv->device_id) != NULL;
	}
	return 0;
}

const char *cli_pci_name(uint16_t sid, char *buf, size_t n)
{
	want = sid;
	if (!find())
		return NULL;
	snprintf(buf, n, "%s", found);
	return buf;
}

void cli_pci_done(void)
{
	if (acc)
		pci_cleanup(acc);
	acc = NULL;
}
#else
const char *cli_pci_name(uint16_t sid, char *buf, size_t n)
{
	(void)sid;
	(void)buf;
	(void)n;
	return NULL;
}

void cli_pci_done(void)
{
}
#endif
