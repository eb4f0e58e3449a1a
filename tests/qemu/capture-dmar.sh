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
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

OUTDIR=tests/data/dmar
TIMEOUT=300

# name | extra -machine options | -device intel-iommu options
VARIANTS=(
	"qemu72-q35-default||"
	"qemu72-q35-ir-devtlb|kernel-irqchip=split|intremap=on,device-iotlb=on"
	"qemu72-q35-aw48-sm||aw-bits=48,x-scalable-mode=on"
	"qemu72-q35-noir||intremap=off"
)

parse_opts "" "$@"

if [ "$LIST" = 1 ]; then
	for v in "${VARIANTS[@]}"; do
		IFS='|' read -r n m d <<<"$v"
		echo "$n: -machine q35${m:+,$m} -device intel-iommu${d:+,$d}"
	done
	exit 0
fi

VQ_HINT="apt-get install qemu-system-x86 xxd"
need_tools "$QEMU" apt-get apt-cache dpkg-deb gzip xxd od timeout
need_busybox

work_dir build/qemu
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)

# --- 1. the initramfs -------------------------------------------------------
make_initrd() {
	local root=$WORK/initramfs
	INITRD=$WORK/initramfs.cpio.gz
	initramfs_skel "$root"
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
	initramfs_pack "$root" "$INITRD"
}

# --- 2. boot + extract + verify ---------------------------------------------
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
	local name=$1 mopts=$2 dopts=$3 log hex rc t0
	log=$WORK/$name.serial.log
	local cmd=("$QEMU" -machine "q35${mopts:+,$mopts}" -accel tcg -m 512M
		-nodefaults -display none -serial stdio -no-reboot
		-kernel "$VMLINUZ" -initrd "$INITRD"
		-append "console=ttyS0 intel_iommu=on panic=-1"
		-device "intel-iommu${dopts:+,$dopts}")
	msg "booting $name: ${cmd[*]##*/}"
	echo "${cmd[*]}" >"$WORK/$name.cmdline"
	t0=$(now)
	track_pidfile "$WORK/qemu.pid"
	run_bg "$log" "$TIMEOUT" "${cmd[@]}" -pidfile "$WORK/qemu.pid"
	rc=0
	wait_pid "$QPID" || rc=$?
	rm -f "$WORK/qemu.pid"
	BOOT_SECS=$(elapsed "$t0")
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
select_variants ""

get_kernel boot
msg "kernel: $KVER ($VMLINUZ)"
msg "qemu: $("$QEMU" --version | head -n1)"
make_initrd
for v in "${SEL[@]}"; do
	IFS='|' read -r n m d <<<"$v"
	capture "$n" "$m" "$d"
done
