#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# linux.sh -- "linux mode" of vtdkit's real-peer harness: Debian's own kernel
# owns QEMU's emulated Intel IOMMU in a real guest, and we capture what that
# real software wrote, so vtdkit's readers are tested against it.
#
# One boot per scenario (TCG, q35, intel-iommu) with devices that do DMA:
# e1000e, virtio-net-pci (iommu_platform=on), nvme and edu.  The guest
# (tests/qemu/guest/init in a busybox initramfs) brings the NICs up, reads and
# writes the NVMe disk, makes edu DMA to unmapped IOVAs (one write, one read
# fault), and prints dmesg, the ftrace buffer (iommu map/unmap since boot),
# the DMAR table and device lists to its second serial port.  Then the host
# reads the VT-d registers over QMP/HMP, takes memory dumps in every format
# this QEMU offers, and quits QEMU.
#
# Usage: tests/qemu/linux.sh [-o OUTDIR] [-t SECONDS] [-k] [-c DATADIR] [SCENARIO...]
#        tests/qemu/linux.sh -l          (list scenarios)
#
#   -o OUTDIR   artifacts go to OUTDIR/SCENARIO/ (default $VTD_QEMU_WORK/linux)
#   -t SECONDS  bound on one boot until the guest is READY (default 300);
#               QEMU is killed by 'timeout' 120 s after that in any case
#   -k          keep going: run the other scenarios after one failed
#   -c DATADIR  also copy the small text artifacts to DATADIR/SCENARIO/
#               (as kept in tests/data/linux; big ones trimmed, see README)
#   SCENARIO    legacy-strict (alias legacy), scalable-lazy (alias
#               scalable); default: both.  Exit status 0 when all succeeded.
#
# Environment:
#   VTD_QEMU_WORK   work/cache dir (default build/qemu, relative to the repo)
#   QEMU            QEMU binary (default qemu-system-x86_64)
#   KERNEL_PKG      kernel package instead of linux-image-amd64's dependency
#   CC              C compiler for the static guest helper (default cc)
#   VTDKIT_BUILD    a build tree: its vtd-dump and vtd-top (and the libraries they need)
#                   goes into the guest, which runs it on its own /proc/kcore
#
# Host needs: qemu-system-x86, busybox-static, apt/dpkg, gcc + libc6-dev
# (cc -static), binutils (readelf), gzip, xxd, coreutils.

set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TIMEOUT=300
OUTDIR=
KEEP_GOING=0
DATADIR=
CC=${CC:-cc}
# 256 MiB: the initramfs carries vtd-dump and trace-cmd with their libraries
# (libasan too for a SAN=1 tree), unpacked in RAM next to a 16 MiB trace buffer.
MEM=256M

# Where edu sits and which faults it provokes.  The IOVAs are page aligned
# (the fault record keeps only the page) and far from the MSI window.
EDU_BDF=0000:00:03.0
EDU_COUNT=256
FAULTS="write:0x12340000 read:0x56780000"
FAULT_GAP=3
NVME_MB=16
# Where on the NVMe disk the guest leaves its kallsyms and BTF (gzip'ed) for
# reading the dumps from outside: far faster than the serial line.
KFILES_MB=8

# name | kernel command-line IOMMU options | extra -device intel-iommu options
#   Lazy invalidation needs caching-mode off (QEMU's default): caching mode
#   makes Linux flush strictly.
VARIANTS=(
	"legacy-strict|intel_iommu=on,sm_off iommu.strict=1|"
	"scalable-lazy|intel_iommu=on,sm_on iommu.strict=0|x-scalable-mode=on"
)

opt_hook() {
	case $1 in
	k) KEEP_GOING=1 ;;
	c) DATADIR=$2 ;;
	esac
}
parse_opts "kc:" "$@"

if [ "$LIST" = 1 ]; then
	for v in "${VARIANTS[@]}"; do
		IFS='|' read -r n k d <<<"$v"
		echo "$n: -device intel-iommu${d:+,$d}, kernel: $k"
	done
	exit 0
fi
for i in "${!ARGS[@]}"; do
	case ${ARGS[$i]} in
	legacy) ARGS[i]=legacy-strict ;;
	scalable) ARGS[i]=scalable-lazy ;;
	esac
done
select_variants ""

VQ_HINT="apt-get install qemu-system-x86 busybox-static xxd build-essential"
need_tools "$QEMU" apt-get apt-cache dpkg-deb gzip xxd od readelf timeout "$CC" sha256sum
need_busybox
TRACE_CMD=$(command -v trace-cmd) || die "no trace-cmd on the host (apt-get install trace-cmd)"

work_dir build/qemu
[ -n "$OUTDIR" ] || OUTDIR=$WORK/linux
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
if [ -n "$DATADIR" ]; then
	mkdir -p "$DATADIR"
	DATADIR=$(cd "$DATADIR" && pwd)
fi

# --- the guest: kernel, modules, helper, initramfs -----------------------------
# Debian 12 builds these drivers as modules; module_closure adds virtio,
# virtio_ring, net_failover, nvme-core and the like in dependency order.
# qemu_fw_cfg hands the kernel's VMCOREINFO to QEMU's vmcoreinfo device, so
# that the dumps carry it (phys_base, the KASLR offset).
GUEST_MODULES=(e1000e virtio_pci virtio_net nvme qemu_fw_cfg)

build_guest() {
	local root=$OUTDIR/.initramfs ko
	get_kernel modules
	kernel_vmlinux # for the tests: a BTF in a vmlinux, as users have it
	msg "kernel: $KVER"
	QEMU_VERSION=$("$QEMU" --version 2>&1 | head -n1) || die "'$QEMU --version' failed: $QEMU_VERSION"
	msg "qemu: $QEMU_VERSION"
	module_closure "${GUEST_MODULES[@]}"

	initramfs_skel "$root"
	mkdir -p "$root/etc" "$root/lib/modules"
	cp tests/qemu/guest/init "$root/init"
	cp tests/qemu/guest/udhcpc.script "$root/etc/udhcpc.script"
	chmod 755 "$root/init" "$root/etc/udhcpc.script"
	"$CC" -static -O2 -Wall -Wextra -o "$root/bin/edu-dma" tests/qemu/guest/edu-dma.c ||
		die "cannot build the static guest helper tests/qemu/guest/edu-dma.c (libc6-dev?)"
	if [ -n "${VTDKIT_BUILD:-}" ]; then
		for t in vtd-dump vtd-top; do
			[ -x "$VTDKIT_BUILD/$t" ] || die "VTDKIT_BUILD=$VTDKIT_BUILD has no $t (make B=...)"
			guest_binary "$root" "$VTDKIT_BUILD/$t"
		done
	fi
	# trace-cmd extract: the guest's ftrace buffer as a real trace.dat.
	guest_binary "$root" "$TRACE_CMD"
	: >"$root/lib/modules/load.list"
	for ko in "${CLOSURE[@]}"; do
		cp "$MODDIR/$ko" "$root/lib/modules/"
		basename "$ko" >>"$root/lib/modules/load.list"
	done
	cat >"$root/etc/vtdkit.conf" <<-EOF
		EDU_BDF=$EDU_BDF
		EDU_COUNT=$EDU_COUNT
		FAULTS="$FAULTS"
		FAULT_GAP=$FAULT_GAP
		NVME_MB=$NVME_MB
		KFILES_MB=$KFILES_MB
	EOF
	# Per output tree: two build trees may run the harness at once.
	INITRD=$OUTDIR/initramfs.cpio.gz
	initramfs_pack "$root" "$INITRD"
	msg "initramfs: $(stat -c %s "$INITRD") bytes, modules: $(tr '\n' ' ' <"$root/lib/modules/load.list")"
}

# guest_binary ROOT BIN: a host binary in the initramfs's /bin, with every
# shared library it loads (ldd's list, the dynamic loader included) at the
# same paths, so the guest runs the very binary the host has.
guest_binary() {
	local root=$1 bin=$2 lib
	cp "$bin" "$root/bin/"
	strip --strip-debug "$root/bin/${bin##*/}" 2>/dev/null || true
	for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
	# Debian's loader path is /lib64/ld-linux-x86-64.so.2, a link into /lib.
	[ -e "$root/lib64/ld-linux-x86-64.so.2" ] || die "no dynamic loader for the guest's $bin"
}

# --- helpers for one scenario --------------------------------------------------
# section NAME: the lines of the guest's data log between its markers.
section() {
	awk -v b="@@VTDKIT-BEGIN $1@@" -v e="@@VTDKIT-END $1@@" \
		'$0 == e { exit } f { print } $0 == b { f = 1 }' "$SDIR/guest-data.log"
}

# le_bytes WORD: a 16-digit hex word as 16 hex digits in memory (LE) order.
le_bytes() {
	local w=$1 i out=
	for ((i = 14; i >= 0; i -= 2)); do out+=${w:i:2}; done
	printf '%s' "$out"
}

# reg OFFSET WIDTH: a register's value from the page read into PAGE_WORDS.
reg() {
	local off=$1 width=$2 w v
	w=${PAGE_WORDS[off / 8]}
	v=$((16#$w))
	if [ "$width" = 32 ]; then
		printf '0x%08x' $(((v >> ((off % 8) * 8)) & 0xffffffff))
	else
		printf '0x%016x' "$v"
	fi
}

# read_registers: the register page through HMP 'xp' -> regs.bin (4 KiB, the
# layout of tests/data/regs, zero past QEMU's 0x230-byte register file) and
# regs.txt (NAME = VALUE lines).
read_registers() {
	local w hex='' cap ecap fro nfr iro n off i
	# QEMU 7.2's register region is 0x230 bytes; 'xp' past it says
	# "Cannot access memory".
	xp_words 0xfed90000 70
	PAGE_WORDS=("${WORDS[@]}")
	for w in "${PAGE_WORDS[@]}"; do hex+=$(le_bytes "$w"); done
	{ printf '%s' "$hex" | xxd -r -p; head -c $((4096 - 0x230)) /dev/zero; } >"$SDIR/regs.bin"
	cap=$((16#${PAGE_WORDS[1]}))
	ecap=$((16#${PAGE_WORDS[2]}))
	fro=$((((cap >> 24) & 0x3ff) * 16))
	nfr=$((((cap >> 40) & 0xff) + 1))
	iro=$((((ecap >> 8) & 0x3ff) * 16))
	[ $((fro + nfr * 16)) -le $((0x230)) ] || die "$NAME: fault records at $fro past the register file"
	# The explicit one-register read the harness is built on, cross-checked.
	xp_words 0xfed90020 1
	[ "${WORDS[0]}" = "${PAGE_WORDS[4]}" ] || die "$NAME: RTADDR read twice differs"
	{
		echo "# VT-d registers of dmar0 at 0xfed90000, read by HMP 'xp' after the guest was READY"
		echo "# (32-bit registers taken from the 64-bit word that holds them)"
		for n in VER:0x00:32 CAP:0x08:64 ECAP:0x10:64 GCMD:0x18:32 GSTS:0x1c:32 RTADDR:0x20:64 \
			CCMD:0x28:64 FSTS:0x34:32 FECTL:0x38:32 FEDATA:0x3c:32 FEADDR:0x40:32 FEUADDR:0x44:32 \
			AFLOG:0x58:64 PMEN:0x64:32 PLMBASE:0x68:32 PLMLIMIT:0x6c:32 PHMBASE:0x70:64 \
			PHMLIMIT:0x78:64 IQH:0x80:64 IQT:0x88:64 IQA:0x90:64 ICS:0x9c:32 IECTL:0xa0:32 \
			IEDATA:0xa4:32 IEADDR:0xa8:32 IEUADDR:0xac:32 IQERCD:0xb0:64 IRTA:0xb8:64 \
			"IVA:$iro:64" "IOTLB:$((iro + 8)):64"; do
			IFS=: read -r name off width <<<"$n"
			echo "$name = $(reg $((off)) "$width")"
		done
		for ((i = 0; i < nfr; i++)); do
			echo "FRCD${i}_LO = $(reg $((fro + 16 * i)) 64)"
			echo "FRCD${i}_HI = $(reg $((fro + 16 * i + 8)) 64)"
		done
	} >"$SDIR/regs.txt"
}

# take_dumps: QEMU's own dump formats through QMP.  An ELF core, and the
# kdump formats (QEMU writes them in makedumpfile's flattened format).  A
# format this QEMU build lacks is recorded as unsupported, not skipped quietly.
take_dumps() {
	local fmt t0 f
	qmp '{"execute": "query-dump-guest-memory-capability"}' || die "$NAME: $QMP_REPLY"
	DUMP_CAPS=$(printf '%s\n' "$QMP_REPLY" | sed 's/.*"formats": \[\(.*\)\].*/\1/' | tr -d '" ' | tr ',' ' ')
	DUMP_NOTES=()
	for fmt in elf kdump-zlib kdump-lzo kdump-snappy; do
		f=$SDIR/vmcore.$fmt
		rm -f "$f" "$f.unsupported"
		if ! [[ " $DUMP_CAPS " == *" $fmt "* ]]; then
			echo "this QEMU ($QEMU_VERSION) offers only: $DUMP_CAPS" >"$f.unsupported"
			DUMP_NOTES+=("vmcore.$fmt: not offered by this QEMU build (formats: $DUMP_CAPS)")
			msg "$NAME: dump format $fmt not offered by this QEMU build"
			continue
		fi
		t0=$(now)
		qmp "{\"execute\": \"dump-guest-memory\", \"arguments\": {\"paging\": false, \"protocol\": \"file:$f\", \"format\": \"$fmt\"}}" ||
			die "$NAME: dump-guest-memory $fmt: $QMP_REPLY (log: $SDIR/qmp.log)"
		[ -s "$f" ] || die "$NAME: dump-guest-memory $fmt wrote nothing"
		DUMP_NOTES+=("vmcore.$fmt: $(stat -c %s "$f") bytes in $(elapsed "$t0")s")
	done
}

# wait_ready: poll the console and the data log until the guest is READY.
wait_ready() {
	local deadline=$1
	while :; do
		if grep -q '^VTDKIT READY' "$SDIR/serial.log" 2>/dev/null &&
		   grep -q '^@@VTDKIT-DONE@@' "$SDIR/guest-data.log" 2>/dev/null; then
			return 0
		fi
		if grep -q '^VTDKIT FATAL' "$SDIR/serial.log" 2>/dev/null; then
			die "$NAME: guest failed: $(grep -m1 '^VTDKIT FATAL' "$SDIR/serial.log" | tr -d '\r') (log: $SDIR/serial.log)"
		fi
		if grep -q 'Kernel panic' "$SDIR/serial.log" 2>/dev/null; then
			die "$NAME: kernel panic (log: $SDIR/serial.log)"
		fi
		if ! kill -0 "$QPID" 2>/dev/null; then
			die "$NAME: QEMU exited before the guest was READY: $(tail -n 3 "$SDIR/qemu-stderr.log" | tr '\n' ' ') (logs: $SDIR/serial.log, $SDIR/qemu-stderr.log)"
		fi
		if [ "$(date +%s)" -ge "$deadline" ]; then
			die "$NAME: guest not READY within ${TIMEOUT}s; last console line: '$(tail -n1 "$SDIR/serial.log" 2>/dev/null | tr -d '\r')' (log: $SDIR/serial.log)"
		fi
		sleep 0.5
	done
}

# The QEMU trace events kept: configuration, invalidations, faults.  The
# per-access events (vtd_dmar_translate, vtd_iotlb_page_hit, vtd_reg_read,
# ...) would make the log gigabytes.
QEMU_TRACE_EVENTS="vtd_dmar_fault vtd_frr_new vtd_fsts_ppf vtd_fault_disabled
vtd_reg_write_fectl vtd_irq_generate vtd_reg_dmar_root vtd_reg_ir_root
vtd_reg_write_gcmd vtd_dmar_enable vtd_ir_enable vtd_inv_qi_enable
vtd_inv_qi_setup vtd_re_not_present vtd_ce_not_present vtd_switch_address_space
vtd_context_cache_reset vtd_iotlb_reset vtd_iotlb_cc_update vtd_inv_desc
vtd_inv_desc_cc_domain vtd_inv_desc_cc_global vtd_inv_desc_cc_device
vtd_inv_desc_cc_devices vtd_inv_desc_iotlb_global vtd_inv_desc_iotlb_domain
vtd_inv_desc_iotlb_pages vtd_inv_desc_iotlb_pasid_pages vtd_inv_desc_iotlb_pasid
vtd_inv_desc_iec vtd_inv_desc_wait_write_fail vtd_warn_invalid_qi_tail"

# shell_words ARG...: one line a shell can run, quoting only where needed
# (printf %q would also escape QEMU's commas).
shell_words() {
	local a words=()
	for a; do
		if [[ $a =~ ^[A-Za-z0-9_,=:./+@%-]+$ ]]; then words+=("$a"); else words+=("'${a//\'/\'\\\'\'}'"); fi
	done
	echo "${words[*]}"
}

# --- one scenario -----------------------------------------------------------------
run_scenario() {
	local kopts=$2 dopts=$3 t0 t_ready append qemu_pid
	NAME=$1
	SDIR=$OUTDIR/$NAME
	rm -rf "$SDIR"
	mkdir -p "$SDIR"
	t0=$(now)

	# A small NVMe disk with recognisable contents, fresh for every boot.
	{ yes "vtdkit nvme $NAME" || true; } | head -c $((NVME_MB << 20)) >"$SDIR/nvme.img"
	tr ' ' '\n' <<<"$QEMU_TRACE_EVENTS" | sed '/^$/d' >"$SDIR/qemu-trace-events.txt"

	append="console=ttyS0 panic=-1 $kopts trace_event=iommu:*,intel_iommu:* trace_buf_size=16M"
	# shellcheck disable=SC2054 # the commas are QEMU's option syntax
	local cmd=("$QEMU" -machine q35 -accel tcg -smp 1 -m "$MEM" -nodefaults -display none
		-no-reboot -msg timestamp=on
		-kernel "$VMLINUZ" -initrd "$INITRD" -append "$append"
		-device "intel-iommu${dopts:+,$dopts}" -device vmcoreinfo
		-device edu,addr=03.0,dma_mask=0xffffffffffffffff
		-netdev user,id=n0 -device e1000e,netdev=n0,addr=04.0
		-netdev user,id=n1,net=10.0.3.0/24
		-device virtio-net-pci,netdev=n1,addr=05.0,iommu_platform=on,disable-legacy=on
		-drive "file=$SDIR/nvme.img,if=none,id=d0,format=raw"
		-device nvme,drive=d0,serial=vtdkit0,addr=06.0
		-serial "file:$SDIR/serial.log" -serial "file:$SDIR/guest-data.log"
		-trace "events=$SDIR/qemu-trace-events.txt" -D "$SDIR/qemu-trace.log"
		-qmp stdio)
	shell_words "${cmd[@]}" -pidfile "$SDIR/qemu.pid" >"$SDIR/qemu.cmdline"
	msg "$NAME: booting (-device intel-iommu${dopts:+,$dopts}; $kopts)"

	QMP_LOG=$SDIR/qmp.log
	: >"$QMP_LOG"
	track_pidfile "$SDIR/qemu.pid"
	# The guest must be READY within TIMEOUT; the dumps get 120 s more.
	start_coproc "$SDIR/qemu-stderr.log" timeout --kill-after=10 $((TIMEOUT + 120)) \
		"${cmd[@]}" -pidfile "$SDIR/qemu.pid"
	qmp_open || die "$NAME: QEMU did not start: $(head -n 3 "$SDIR/qemu-stderr.log" | tr '\n' ' ') (log: $SDIR/qemu-stderr.log)"
	qemu_pid=$(cat "$SDIR/qemu.pid" 2>/dev/null || echo "?")

	wait_ready $(($(date +%s) + TIMEOUT))
	t_ready=$(elapsed "$t0")
	msg "$NAME: guest READY after ${t_ready}s"

	read_registers
	take_dumps
	qmp '{"execute": "quit"}' || true
	end_coproc
	stop_pid "$QPID"
	rm -f "$SDIR/qemu.pid"

	split_artifacts
	WALL=$(elapsed "$t0")
	write_summary "$t_ready" "$qemu_pid" "$append"
	msg "$NAME: done in ${WALL}s -> $SDIR"
	[ -z "$DATADIR" ] || copy_data
}

# split_artifacts: the guest's data log into one file per artifact.
split_artifacts() {
	local f
	for f in serial.log guest-data.log qemu-stderr.log qemu-trace.log; do
		[ -f "$SDIR/$f" ] && sed -i 's/\r$//' "$SDIR/$f"
	done
	section dmesg >"$SDIR/dmesg.txt"
	section ftrace >"$SDIR/ftrace.txt"
	section info >"$SDIR/guest-info.txt"
	section iommu >"$SDIR/iommu-sysfs.txt"
	{
		echo "# PCI functions: BDF vendor:device class driver IOMMU-unit IOMMU-group"
		section devices
	} >"$SDIR/devices.txt"
	{
		echo "# DMA faults provoked with edu (tests/qemu/guest/edu-dma.c):"
		echo "# dir=write: device -> RAM (DMA write), dir=read: RAM -> device (DMA read)"
		section faults
	} >"$SDIR/faults.txt"
	section dmar-hex | xxd -r -p >"$SDIR/dmar.bin"
	kernel_files
	for f in tree json check; do
		section "vtd-dump-$f" >"$SDIR/guest-vtd-dump-$f.out"
		section "vtd-dump-$f-err" >"$SDIR/guest-vtd-dump-$f.err"
	done
	for f in kmsg pipe; do
		section "vtd-top-$f" >"$SDIR/guest-vtd-top-$f.out"
		section "vtd-top-$f-err" >"$SDIR/guest-vtd-top-$f.err"
	done
	for f in before during after; do
		section "vtd-top-events-$f" >"$SDIR/guest-vtd-top-events-$f.txt"
	done
	[ -z "${VTDKIT_BUILD:-}" ] || [ -s "$SDIR/guest-vtd-dump-tree.out" ] ||
		die "$NAME: the guest's vtd-dump printed no tree: $(head -n 3 "$SDIR/guest-vtd-dump-tree.err")"
	[ "$(head -c 4 "$SDIR/dmar.bin")" = DMAR ] || die "$NAME: dmar.bin is not a DMAR table (log: $SDIR/guest-data.log)"
	[ -s "$SDIR/dmesg.txt" ] || die "$NAME: no dmesg in $SDIR/guest-data.log"
	[ -s "$SDIR/ftrace.txt" ] || die "$NAME: no ftrace buffer in $SDIR/guest-data.log"
	grep -q '^FAULT ' "$SDIR/faults.txt" || die "$NAME: no provoked fault recorded (log: $SDIR/serial.log)"
}

# kernel_files: the guest's kallsyms, BTF and trace.dat, off the NVMe disk image where
# the guest wrote them one after the other (sizes in the data log).
kernel_files() {
	local name size off=$((KFILES_MB << 20))
	while read -r name size; do
		case $name in kallsyms.gz | btf.gz | trace.dat.gz) ;; *) die "$NAME: kernel-files: '$name'?" ;; esac
		dd if="$SDIR/nvme.img" bs=65536 iflag=skip_bytes,count_bytes skip="$off" \
			count="$size" status=none | gzip -dc >"$SDIR/${name%.gz}" ||
			die "$NAME: $name at $off on the NVMe disk does not decompress"
		off=$((off + size))
	done < <(section kernel-files)
	[ -s "$SDIR/kallsyms" ] && [ -s "$SDIR/btf" ] && [ -s "$SDIR/trace.dat" ] ||
		die "$NAME: no kallsyms, BTF or trace.dat from the guest (log: $SDIR/guest-data.log)"
}

write_summary() {
	local t_ready=$1 qemu_pid=$2 append=$3 f
	{
		echo "scenario: $NAME"
		echo "kernel: $KVER ($(basename "$VMLINUZ"))"
		echo "qemu: $QEMU_VERSION (pid $qemu_pid)"
		echo "kernel command line: $append"
		echo "guest RAM: $MEM, 1 vCPU, TCG"
		echo "wall time: ${WALL}s (boot to READY ${t_ready}s)"
		echo "iommu map events: $(grep -c ' map: IOMMU:' "$SDIR/ftrace.txt" || true)"
		echo "iommu unmap events: $(grep -c ' unmap: IOMMU:' "$SDIR/ftrace.txt" || true)"
		echo "intel_iommu qi_submit events: $(grep -c ' qi_submit: ' "$SDIR/ftrace.txt" || true)"
		echo "trace stats: $(grep '^trace stats' "$SDIR/guest-info.txt" | head -n1 | cut -d: -f2-)"
		echo "iommu groups: $(grep -c '^iommu group' "$SDIR/guest-info.txt" || true) ($(sed -n 's/^iommu group [0-9]*: type=\([^ ]*\).*/\1/p' "$SDIR/guest-info.txt" | sort | uniq -c | tr -s ' \n' '  '))"
		echo "registers: $(grep -E '^(RTADDR|GSTS|FSTS|FRCD0_HI) ' "$SDIR/regs.txt" | tr '\n' ';' | sed 's/;$//')"
		echo "provoked faults:"
		grep '^FAULT ' "$SDIR/faults.txt" | sed 's/^/  /'
		echo "dmesg fault lines:"
		grep 'DMAR: \[DMA ' "$SDIR/dmesg.txt" | sed 's/^/  /' || true
		# QEMU traces a failed DMA once per 4-byte piece: show the first of each.
		echo "qemu trace fault events: $(grep -c 'vtd_dmar_fault ' "$SDIR/qemu-trace.log" || true), first of each DMA:"
		grep 'vtd_dmar_fault .* addr 0x[0-9a-f]*000 ' "$SDIR/qemu-trace.log" | sed 's/^/  /' || true
		echo "dumps:"
		printf '  %s\n' "${DUMP_NOTES[@]}"
		echo "artifacts (bytes):"
		for f in "$SDIR"/*; do
			printf '  %-28s %s\n' "$(basename "$f")" "$(stat -c %s "$f")"
		done
	} >"$SDIR/summary.txt"
}

# copy_data: the small artifacts for tests/data/linux.  ftrace.txt is cut
# when it is larger than 300 KB: its header, the first 1000 and the last
# 1000 events, and a line saying how many were left out; the counts of the
# full buffer are in summary.txt.
copy_data() {
	local d=$DATADIR/$NAME f n
	rm -rf "$d"
	mkdir -p "$d"
	for f in dmesg.txt regs.txt regs.bin faults.txt dmar.bin devices.txt guest-info.txt \
		iommu-sysfs.txt serial.log; do
		cp "$SDIR/$f" "$d/$f"
	done
	sed -e "s|$OUTDIR/||g" -e "s|$WORK/||g" "$SDIR/qemu.cmdline" >"$d/qemu.cmdline"
	trim_log "$SDIR/ftrace.txt" "$d/ftrace.txt" '#'
	trim_log "$SDIR/qemu-trace.log" "$d/qemu-trace.log" ''
	sed -e "s|$OUTDIR/||g" -e "s|$WORK/||g" "$SDIR/summary.txt" >"$d/summary.txt"
	n=$(du -sk "$d" | cut -f1)
	msg "$NAME: small artifacts (${n} KiB) -> $d"
}

# trim_log IN OUT COMMENT: copy IN, or when over 300 KB its COMMENT-prefixed
# header lines, the first and last 1000 other lines and a note in between.
trim_log() {
	local in=$1 out=$2 c=$3 total
	if [ "$(stat -c %s "$in")" -le 300000 ]; then
		cp "$in" "$out"
		return
	fi
	total=$(grep -vc "^${c:-@@none@@}" "$in" || true)
	{
		[ -n "$c" ] && grep "^$c" "$in"
		grep -v "^${c:-@@none@@}" "$in" | head -n 1000
		echo "${c:-#} vtdkit: trimmed: $((total - 2000)) of $total lines left out here (full file: $(stat -c %s "$in") bytes)"
		grep -v "^${c:-@@none@@}" "$in" | tail -n 1000
	} >"$out"
}

# --- main ---------------------------------------------------------------------------
build_guest
failed=()
for v in "${SEL[@]}"; do
	IFS='|' read -r n k d <<<"$v"
	if [ "$KEEP_GOING" = 1 ]; then
		# A subshell, so that die ends this scenario only.  Subshells do not
		# inherit the EXIT trap: set it again so that its QEMU is killed.
		if ! (trap vq_cleanup EXIT; run_scenario "$n" "$k" "$d"); then failed+=("$n"); fi
	else
		run_scenario "$n" "$k" "$d"
	fi
done
[ ${#failed[@]} -eq 0 ] || die "failed: ${failed[*]}"
msg "all done: $(for v in "${SEL[@]}"; do printf '%s ' "${v%%|*}"; done)-> $OUTDIR"
