/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vtdkit tests -- a client of QEMU's qtest text protocol (memory, MMIO, I/O ports) */
#ifndef VTD_QTEST_H
#define VTD_QTEST_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

struct qtest;

/*
 * Start QEMU with argv (argv[0] is the binary; "-qtest stdio" is added here)
 * and QEMU's stderr sent to 'log' (NULL: /dev/null).  Every answer must come
 * within 'timeout_ms'.  QEMU dies with us (PR_SET_PDEATHSIG) and is killed
 * by its PID in qtest_stop().  -VTD_EIO when it cannot start.
 */
int qtest_start(char *const argv[], const char *log, int timeout_ms, struct qtest **out,
		struct vtd_error *err);

/* Stop QEMU (SIGTERM, then SIGKILL) and reap it; returns its wait status. */
int qtest_stop(struct qtest *q);

pid_t qtest_pid(const struct qtest *q);

/*
 * Send one command line and wait for its answer.  On "OK ..." returns 0 and
 * points *reply at the text after "OK" (valid until the next call; may be
 * NULL).  "FAIL"/"ERR", a timeout or QEMU's exit is -VTD_EIO with the command
 * and answer in err.
 */
int qtest_cmd(struct qtest *q, const char **reply, struct vtd_error *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

int qtest_readq(struct qtest *q, uint64_t addr, uint64_t *v, struct vtd_error *err);
int qtest_readl(struct qtest *q, uint64_t addr, uint32_t *v, struct vtd_error *err);
int qtest_writeq(struct qtest *q, uint64_t addr, uint64_t v, struct vtd_error *err);
int qtest_writel(struct qtest *q, uint64_t addr, uint32_t v, struct vtd_error *err);
int qtest_outl(struct qtest *q, uint16_t port, uint32_t v, struct vtd_error *err);
int qtest_outw(struct qtest *q, uint16_t port, uint16_t v, struct vtd_error *err);
int qtest_inl(struct qtest *q, uint16_t port, uint32_t *v, struct vtd_error *err);

/* Guest-physical memory, any length (sent in bounded chunks). */
int qtest_memwrite(struct qtest *q, uint64_t addr, const void *buf, size_t len,
		   struct vtd_error *err);
int qtest_memread(struct qtest *q, uint64_t addr, void *buf, size_t len, struct vtd_error *err);

/* PCI configuration space of bus:dev.fn through ports 0xCF8/0xCFC. */
int qtest_cfg_readl(struct qtest *q, unsigned bdf, unsigned reg, uint32_t *v,
		    struct vtd_error *err);
int qtest_cfg_writel(struct qtest *q, unsigned bdf, unsigned reg, uint32_t v,
		     struct vtd_error *err);

#endif
