/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The tools -- names of this host's PCI devices, through libpci when built with it */
#ifndef VTD_CLI_PCI_NAMES_H
#define VTD_CLI_PCI_NAMES_H

#include <stddef.h>
#include <stdint.h>

/*
 * "Vendor Device" of the segment-0 device 'sid' (bus << 8 | devfn) in
 * 'buf', or NULL when there is no such device, no libpci, or libpci
 * failed (then it is not asked again).
 */
const char *cli_pci_name(uint16_t sid, char *buf, size_t n);
/* Let go of libpci. */
void cli_pci_done(void);

#endif
