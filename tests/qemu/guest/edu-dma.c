// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * edu-dma -- start one DMA on QEMU's "edu" test device from guest user space,
 * to provoke a real DMA-remapping fault for vtdkit's linux-mode harness.
 *
 *   edu-dma BDF write|read IOVA [COUNT]
 *
 * No kernel driver owns edu, so its IOMMU domain maps nothing and any IOVA
 * faults.  'write' makes the device copy COUNT bytes from its internal buffer
 * to IOVA (a DMA write: fault reason 5 in QEMU), 'read' makes it fetch COUNT
 * bytes from IOVA into its buffer (a DMA read: fault reason 6).
 *
 * Built statically by tests/qemu/linux.sh (cc -static) and copied into the
 * initramfs.  Register facts used (QEMU's docs/specs/edu.txt):
 *   BAR0 + 0x00 identification (0xRRrr00ed), + 0x04 liveness (reads ~value),
 *   + 0x80 DMA source, + 0x88 DMA destination, + 0x90 DMA count,
 *   + 0x98 DMA command: bit 0 start (reads 1 while busy), bit 1 direction
 *   (1: device buffer -> RAM, 0: RAM -> device buffer), bit 2 interrupt.
 *   The device buffer sits at 0x40000 in the device's own address space and
 *   is 4 KiB long; QEMU aborts on transfers outside it, hence the limits here.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define EDU_ID		0x00
#define EDU_LIVENESS	0x04
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_CNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_CMD_RUN	0x1
#define EDU_CMD_TO_RAM	0x2
#define EDU_BUF		0x40000ULL
#define EDU_BUF_SIZE	4096

static const char *bdf;

static void fail(const char *what)
{
	fprintf(stderr, "edu-dma: %s: %s: %s\n", bdf, what, strerror(errno));
	exit(1);
}

static void sysfs_write(const char *file, const char *val)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, file);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		fail(path);
	close(fd);
}

static unsigned long sysfs_read_hex(const char *file)
{
	char path[256], buf[64] = "";
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, file);
	fd = open(path, O_RDONLY);
	if (fd < 0 || (n = read(fd, buf, sizeof(buf) - 1)) < 0)
		fail(path);
	buf[n] = 0;
	close(fd);
	return strtoul(buf, NULL, 16);
}

static volatile uint32_t *reg32(volatile uint8_t *bar, unsigned off)
{
	return (volatile uint32_t *)(bar + off);
}

static volatile uint64_t *reg64(volatile uint8_t *bar, unsigned off)
{
	return (volatile uint64_t *)(bar + off);
}

int main(int argc, char **argv)
{
	char path[256];
	uint64_t iova, count = 256, cmd;
	uint16_t command;
	volatile uint8_t *bar;
	int fd, to_ram, i;
	uint32_t id;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: edu-dma BDF write|read IOVA [COUNT]\n");
		return 2;
	}
	bdf = argv[1];
	if (!strcmp(argv[2], "write"))
		to_ram = 1;
	else if (!strcmp(argv[2], "read"))
		to_ram = 0;
	else {
		fprintf(stderr, "edu-dma: direction must be 'write' or 'read'\n");
		return 2;
	}
	iova = strtoull(argv[3], NULL, 0);
	if (argc == 5)
		count = strtoull(argv[4], NULL, 0);
	if (count == 0 || count >= EDU_BUF_SIZE) {
		fprintf(stderr, "edu-dma: COUNT must be 1..%d\n", EDU_BUF_SIZE - 1);
		return 2;
	}
	/* That range is the interrupt window: a DMA there is an MSI, not memory. */
	if (iova + count > 0xfee00000ULL && iova <= 0xfeefffffULL) {
		fprintf(stderr, "edu-dma: refusing IOVA 0x%llx in 0xfee00000-0xfeefffff\n",
			(unsigned long long)iova);
		return 2;
	}
	if (sysfs_read_hex("vendor") != 0x1234 || sysfs_read_hex("device") != 0x11e8) {
		fprintf(stderr, "edu-dma: %s is not QEMU's edu device (1234:11e8)\n", bdf);
		return 1;
	}

	/* No driver will do it for us: enable memory decoding, then bus mastering. */
	sysfs_write("enable", "1");
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	fd = open(path, O_RDWR);
	if (fd < 0 || pread(fd, &command, 2, 4) != 2)
		fail("read PCI command register");
	command |= 0x6; /* memory space, bus master */
	if (pwrite(fd, &command, 2, 4) != 2)
		fail("write PCI command register");
	close(fd);

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource0", bdf);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0)
		fail("open resource0");
	bar = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (bar == MAP_FAILED)
		fail("mmap resource0");
	id = *reg32(bar, EDU_ID);
	if ((id & 0xffff) != 0x00ed) {
		fprintf(stderr, "edu-dma: %s: BAR0 id register reads 0x%08x\n", bdf, id);
		return 1;
	}
	*reg32(bar, EDU_LIVENESS) = 0x12345678;
	if (*reg32(bar, EDU_LIVENESS) != ~0x12345678u) {
		fprintf(stderr, "edu-dma: %s: liveness check failed\n", bdf);
		return 1;
	}
	for (i = 0; i < 500 && (*reg64(bar, EDU_DMA_CMD) & EDU_CMD_RUN); i++)
		usleep(10000);
	if (to_ram) {
		*reg64(bar, EDU_DMA_SRC) = EDU_BUF;
		*reg64(bar, EDU_DMA_DST) = iova;
	} else {
		*reg64(bar, EDU_DMA_SRC) = iova;
		*reg64(bar, EDU_DMA_DST) = EDU_BUF;
	}
	*reg64(bar, EDU_DMA_CNT) = count;
	cmd = EDU_CMD_RUN | (to_ram ? EDU_CMD_TO_RAM : 0);
	*reg64(bar, EDU_DMA_CMD) = cmd;
	/* edu runs the transfer from a 100 ms timer; wait until it is done. */
	for (i = 0; i < 500 && (*reg64(bar, EDU_DMA_CMD) & EDU_CMD_RUN); i++)
		usleep(10000);
	if (*reg64(bar, EDU_DMA_CMD) & EDU_CMD_RUN) {
		fprintf(stderr, "edu-dma: %s: DMA still busy after 5 s\n", bdf);
		return 1;
	}
	printf("edu-dma: id=0x%08x bdf=%s dir=%s iova=0x%llx count=%llu cmd=0x%llx done\n",
	       id, bdf, to_ram ? "write" : "read", (unsigned long long)iova,
	       (unsigned long long)count, (unsigned long long)cmd);
	munmap((void *)bar, 4096);
	close(fd);
	return 0;
}
