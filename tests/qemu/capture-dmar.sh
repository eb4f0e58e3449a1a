#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# capture-dmar.sh -- capture the ACPI DMAR table that QEMU's intel-iommu
# model generates, exactly as a real Linux guest sees it in
# /sys/firmware/acpi/tables/DMAR, for vtdkit's test data.
#
# The guest is Debian's own kernel (downloaded with apt-get download and
# unpacked with dpkg-deb into the work dir -- nothing is installed on the
# host) plus a tiny busybox initramfs whose /init hex-dumps the DMAR table
# and the DMAR/IOMMU dmesg lines to the serial console and powers off.
# QEMU runs under TCG (no KVM needed).
#
# Usage: tests/qemu/capture-dmar.sh [-o OUTDIR] [-t SECONDS] [VARIANT...]
#        tests/qemu/capture-dmar.sh -l          (list variants)
#
#   With no VARIANT, all variants are captured. For each VARIANT NAME this
#   writes OUTDIR/NAME.dmar (the raw table) and OUTDIR/NAME.dmesg.txt (the
#   guest's `dmesg | grep -i -e DMAR -e IOMMU`), after checking the table's
#   signature, length field and checksum.
#
# Environment:
#   VTD_QEMU_WORK   work/cache dir (default build/qemu, relative to the repo)
#   QEMU            QEMU binary (default qemu-system-x86_64)
#   KERNEL_PKG      kernel package to use instead of resolving the
#                   linux-image-amd64 metapackage (e.g. linux-image-6.1.0-56-amd64)
#
# Host needs: qemu-system-x86, busybox-static, apt/dpkg, gzip, xxd, and cpio
# (or busybox's cpio applet, which is used when cpio is absent).

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"

WORK=${VTD_QEMU_WORK:-build/qemu}
OUTDIR=tests/data/dmar
TIMEOUT=300
QEMU=${QEMU:-qemu-system-x86_64}

# name | extra -machine options | -device intel-iommu options
VARIANTS=(
	"qemu72-q35-default||"
	"qemu72-q35-ir-devtlb|kernel-irqchip=split|intremap=on,device-iotlb=on"
	"qemu72-q35-aw48-sm||aw-bits=48,x-scalable-mode=on"
	"qemu72-q35-noir||intremap=off"
)

die() { echo "capture-dmar: error: $*" >&2; exit 1; }
msg() { echo "capture-dmar: $*" >&2; }

usage() { sed -n '/^# Usage:/,/^# Host needs/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit "${1:-2}"; }

list=0
while getopts "o:t:lh" opt; do
	case $opt in
	o) OUTDIR=$OPTARG ;;
	t) TIMEOUT=$OPTARG ;;
	l) list=1 ;;
	h) usage 0 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))

if [ "$list" = 1 ]; then
	for v in "${VARIANTS[@]}"; do
		IFS='|' read -r n m d <<<"$v"
		echo "$n: -machine q35${m:+,$m} -device intel-iommu${d:+,$d}"
	done
	exit 0
fi

for t in "$QEMU" apt-get apt-cache dpkg-deb gzip xxd od timeout; do
	command -v "$t" >/dev/null || die "'$t' not found (apt-get install qemu-system-x86 xxd)"
done
BUSYBOX=/bin/busybox
file_is_static() { ! LC_ALL=C ldd "$1" >/dev/null 2>&1; }
if ! [ -x "$BUSYBOX" ] || ! file_is_static "$BUSYBOX"; then
	die "$BUSYBOX is missing or not static (apt-get install busybox-static)"
fi
if command -v cpio >/dev/null; then CPIO=(cpio); else CPIO=("$BUSYBOX" cpio); fi

mkdir -p "$WORK" "$OUTDIR"
WORK=$(cd "$WORK" && pwd)
OUTDIR=$(cd "$OUTDIR" && pwd)

# --- cleanup: every QEMU we start is killed by PID, whatever happens -------
QPIDS=()
cleanup() {
	local p
	for p in "${QPIDS[@]:+${QPIDS[@]}}"; do
		kill -TERM "$p" 2>/dev/null || true
	done
	if [ -f "$WORK/qemu.pid" ]; then
		p=$(cat "$WORK/qemu.pid" 2>/dev/null || true)
		if [ -n "$p" ] && [ -r "/proc/$p/comm" ] &&
		   grep -q '^qemu-system' "/proc/$p/comm" 2>/dev/null; then
			kill -KILL "$p" 2>/dev/null || true
		fi
		rm -f "$WORK/qemu.pid"
	fi
	for p in "${QPIDS[@]:+${QPIDS[@]}}"; do
		wait "$p" 2>/dev/null || true
	done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# --- 1. the kernel ----------------------------------------------------------
get_kernel() {
	local pkg deb
	cd "$WORK"
	pkg=${KERNEL_PKG:-}
	if [ -z "$pkg" ]; then
		pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
		      sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n1)
		[ -n "$pkg" ] || die "cannot resolve linux-image-amd64 to a kernel package (apt-get update?)"
	fi
	VMLINUZ=$(ls -1 "$WORK"/kernel/boot/vmlinuz-"${pkg#linux-image-}" 2>/dev/null | head -n1 || true)
	if [ -z "$VMLINUZ" ]; then
		deb=$(ls -1 "${pkg}"_*.deb 2>/dev/null | head -n1 || true)
		if [ -z "$deb" ]; then
			msg "downloading $pkg (not installed on the host)"
			apt-get download -q "$pkg" >&2 || die "apt-get download $pkg failed"
			deb=$(ls -1 "${pkg}"_*.deb | head -n1)
		fi
		msg "unpacking $deb"
		rm -rf kernel.tmp
		dpkg-deb -x "$deb" kernel.tmp
		mkdir -p kernel/boot
		cp -p kernel.tmp/boot/vmlinuz-* kernel.tmp/boot/config-* kernel/boot/
		rm -rf kernel.tmp
		VMLINUZ=$(ls -1 "$WORK"/kernel/boot/vmlinuz-"${pkg#linux-image-}")
	fi
	deb=$(ls -1 "$WORK/${pkg}"_*.deb 2>/dev/null | head -n1 || true)
	if [ -n "$deb" ]; then
		KVER="$(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version)"
	else
		KVER="$pkg (version unknown: .deb removed from cache)"
	fi
	cd "$REPO"
}

# --- 2. the initramfs -------------------------------------------------------
make_initrd() {
	local root=$WORK/initramfs
	INITRD=$WORK/initramfs.cpio.gz
	rm -rf "$root"
	mkdir -p "$root"/{bin,dev,proc,sys,tmp}
	cp "$BUSYBOX" "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	if [ "$(id -u)" = 0 ]; then
		mknod -m 600 "$root/dev/console" c 5 1
	fi
	cat >"$root/init" <<'EOF'
#!/bin/busybox sh
# vtdkit capture-dmar guest init: dump the DMAR table and power off.
B=/bin/busybox
$B mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
$B mount -t proc proc /proc
$B mount -t sysfs sysfs /sys
$B dmesg -n 1                       # keep printk off the console from now on
T=/sys/firmware/acpi/tables/DMAR
echo
echo "KERNEL-RELEASE $($B uname -r)"
echo "ACPI-TABLES $($B ls /sys/firmware/acpi/tables | $B tr '\n' ' ')"
if [ -r $T ]; then
	echo "DMAR-SIZE $($B cat $T | $B wc -c)"
	echo "DMAR-BEGIN"
	$B cat $T | $B hexdump -v -e '"DMARHEX " 16/1 "%02x" "\n"'
	echo "DMAR-END"
else
	echo "DMAR-MISSING"
fi
echo "DMESG-BEGIN"
$B dmesg | $B grep -i -e DMAR -e IOMMU
echo "DMESG-END"
$B sync
$B poweroff -f
EOF
	chmod 755 "$root/init"
	# Fixed mtimes + gzip -n: the initramfs is byte-for-byte reproducible.
	find "$root" -exec touch -h -d @0 {} +
	(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
		"${CPIO[@]}" -o -H newc -R 0:0 2>/dev/null) | gzip -9 -n >"$INITRD.tmp"
	mv "$INITRD.tmp" "$INITRD"
}

# --- 3. boot + extract + verify ---------------------------------------------
# verify_dmar FILE: signature, length field, checksum. Prints a summary.
verify_dmar() {
	local f=$1 size sig len sum
	size=$(stat -c %s "$f")
	[ "$size" -ge 48 ] || die "$f: only $size bytes (DMAR header is 48)"
	sig=$(head -c 4 "$f")
	[ "$sig" = DMAR ] || die "$f: signature is '$sig', not DMAR"
	len=$(od -An -v -t u4 -j 4 -N 4 --endian=little "$f" | tr -d ' ')
	[ "$len" = "$size" ] || die "$f: header length $len != $size bytes captured"
	sum=$(od -An -v -t u1 "$f" | tr -s ' ' '\n' | awk 'NF { s += $1 } END { print s % 256 }')
	[ "$sum" = 0 ] || die "$f: checksum does not sum to 0 (got $sum)"
	msg "$(basename "$f"): DMAR, length $len, checksum ok, sha256 $(sha256sum "$f" | cut -d' ' -f1)"
}

capture() {
	local name=$1 mopts=$2 dopts=$3 log hex qpid rc t0 t1
	log=$WORK/$name.serial.log
	local cmd=("$QEMU" -machine "q35${mopts:+,$mopts}" -accel tcg -m 512M
		-nodefaults -display none -serial stdio -no-reboot
		-kernel "$VMLINUZ" -initrd "$INITRD"
		-append "console=ttyS0 intel_iommu=on panic=-1"
		-device "intel-iommu${dopts:+,$dopts}")
	msg "booting $name: ${cmd[*]##*/}"
	echo "${cmd[*]}" >"$WORK/$name.cmdline"
	t0=$(date +%s.%N)
	timeout --kill-after=10 "$TIMEOUT" "${cmd[@]}" -pidfile "$WORK/qemu.pid" \
		</dev/null >"$log" 2>&1 &
	qpid=$!
	QPIDS+=("$qpid")
	rc=0
	wait "$qpid" || rc=$?
	QPIDS=()
	rm -f "$WORK/qemu.pid"
	t1=$(date +%s.%N)
	BOOT_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		die "$name: QEMU timed out after ${TIMEOUT}s (log: $log)"
	fi
	[ "$rc" = 0 ] || die "$name: QEMU exited with status $rc (log: $log)"
	if grep -q '^DMAR-MISSING' "$log"; then
		die "$name: guest has no /sys/firmware/acpi/tables/DMAR (log: $log)"
	fi
	grep -q '^DMAR-END' "$log" || die "$name: no DMAR dump in the serial output (log: $log)"

	hex=$WORK/$name.hex
	sed -n '/^DMAR-BEGIN$/,/^DMAR-END$/s/^DMARHEX \([0-9a-f ]*\)$/\1/p' "$log" | tr -d ' ' >"$hex"
	xxd -r -p "$hex" >"$WORK/$name.dmar"
	local want
	want=$(sed -n 's/^DMAR-SIZE \([0-9]*\)$/\1/p' "$log")
	[ "$(stat -c %s "$WORK/$name.dmar")" = "$want" ] ||
		die "$name: got $(stat -c %s "$WORK/$name.dmar") bytes, guest reported $want"
	verify_dmar "$WORK/$name.dmar"
	sed -n '/^DMESG-BEGIN$/,/^DMESG-END$/{/^DMESG-/d;p}' "$log" >"$WORK/$name.dmesg.txt"

	cp "$WORK/$name.dmar" "$OUTDIR/$name.dmar"
	cp "$WORK/$name.dmesg.txt" "$OUTDIR/$name.dmesg.txt"
	msg "$name: done in ${BOOT_SECS}s -> $OUTDIR/$name.dmar"
}

# --- main -------------------------------------------------------------------
want=("$@")
if [ ${#want[@]} -eq 0 ]; then
	for v in "${VARIANTS[@]}"; do want+=("${v%%|*}"); done
fi
sel=()
for w in "${want[@]}"; do
	found=
	for v in "${VARIANTS[@]}"; do
		[ "${v%%|*}" = "$w" ] && { sel+=("$v"); found=1; }
	done
	[ -n "$found" ] || die "unknown variant '$w' (see -l)"
done

get_kernel
msg "kernel: $KVER ($VMLINUZ)"
msg "qemu: $("$QEMU" --version | head -n1)"
make_initrd
for v in "${sel[@]}"; do
	IFS='|' read -r n m d <<<"$v"
	capture "$n" "$m" "$d"
done
