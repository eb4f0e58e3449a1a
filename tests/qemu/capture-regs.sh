#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# capture-regs.sh -- capture the 4 KiB register page of QEMU's intel-iommu
# model (DMAR unit at 0xfed90000) as raw bytes, for vtdkit's test data.
#
# No guest runs: QEMU is started with '-qtest stdio' and a 64 KiB BIOS image
# that only does 'cli; hlt; jmp $-1'.  The script speaks the qtest text
# protocol to QEMU over a coprocess: 'read 0xfed90000 0x1000' answers
# 'OK 0x<8192 hex digits>' (bytes in memory order), which is turned back
# into binary with xxd -r -p.
#
# Usage: tests/qemu/capture-regs.sh [-o OUTDIR] [-t SECONDS] [VARIANT...]
#        tests/qemu/capture-regs.sh -l          (list variants)
#
#   With no VARIANT, all variants are captured into OUTDIR/qemu72-VARIANT.regs
#   (default OUTDIR: tests/data/regs).  Each QEMU run is bounded by
#   'timeout SECONDS' (default 30) and is killed by PID when the script exits.
#
# Environment:
#   QEMU   QEMU binary (default qemu-system-x86_64)
#
# Host needs: qemu-system-x86, python3 (or printf+dd), xxd, timeout.

set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

OUTDIR=tests/data/regs
TIMEOUT=30
BASE=0xfed90000

# name | extra -machine options | -device intel-iommu options | action
#   action 'plain'  : read the page as the model comes out of reset
#   action 'enable' : program RTADDR, SRTP, then TE, and read it again
VARIANTS=(
	"default|||plain"
	"sm-aw48||x-scalable-mode=on,aw-bits=48|plain"
	"ir-devtlb|kernel-irqchip=split|intremap=on,device-iotlb=on|plain"
	"caching-mode||caching-mode=on|plain"
	"enabled|||enable"
)

parse_opts "" "$@"

if [ "$LIST" = 1 ]; then
	for v in "${VARIANTS[@]}"; do
		IFS='|' read -r n m d a <<<"$v"
		echo "qemu72-$n: -machine q35${m:+,$m} -device intel-iommu${d:+,$d} ($a)"
	done
	exit 0
fi

need_tools "$QEMU" xxd timeout sha256sum

mkdir -p "$OUTDIR"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/capture-regs.XXXXXX")
# shellcheck disable=SC2016 # expanded when the trap runs
VQ_AT_EXIT+=('rm -rf "$WORK"')

# --- qtest conversation ------------------------------------------------------
# qt CMD: send one command, wait for its answer line, leave it in $REPLY_LINE.
qt() {
	local line
	printf '%s\n' "$1" >&"$QIN"
	while IFS= read -r -t "$TIMEOUT" line <&"$QOUT"; do
		line=${line%$'\r'}
		case $line in
		OK*) REPLY_LINE=$line; return 0 ;;
		FAIL* | ERR*) die "qtest: '$1' answered '$line'" ;;
		*) ;; # asynchronous 'IRQ ...' notes and the like
		esac
	done
	die "qtest: no answer to '$1' (QEMU gone or timed out)"
}

# read_page OUT: read the 4 KiB page at $BASE into OUT.
read_page() {
	qt "read $BASE 0x1000"
	local hex=${REPLY_LINE#OK 0x}
	[ "${#hex}" = 8192 ] || die "read: expected 8192 hex digits, got ${#hex}"
	printf '%s' "$hex" | xxd -r -p >"$1"
	[ "$(stat -c %s "$1")" = 4096 ] || die "$1: not 4096 bytes"
}

capture() {
	local name=$1 mopts=$2 dopts=$3 action=$4 out
	out=$OUTDIR/qemu72-$name.regs
	local cmd=(timeout --kill-after=5 "$TIMEOUT" "$QEMU" -machine "q35${mopts:+,$mopts}"
		-nodefaults -display none -m 64M -qtest stdio -qtest-log /dev/null
		-bios "$BIOS" -device "intel-iommu${dopts:+,$dopts}")
	msg "qemu72-$name: ${cmd[*]:3}"
	start_coproc "$WORK/qemu.stderr" "${cmd[@]}"
	if [ "$action" = enable ]; then
		qt "writeq $((BASE + 0x20)) 0x100000"   # RTADDR = 1 MiB, legacy format
		qt "writel $((BASE + 0x18)) 0x40000000" # GCMD.SRTP
		qt "writel $((BASE + 0x18)) 0xc0000000" # GCMD.TE (SRTP kept set)
	fi
	read_page "$WORK/page"
	# Done: stop QEMU by its PID (timeout passes the TERM on to QEMU).
	end_coproc
	stop_pid "$QPID"
	cp "$WORK/page" "$out"
	msg "qemu72-$name: 4096 bytes, sha256 $(sha256sum "$out" | cut -d' ' -f1)"
}

select_variants qemu72-

msg "qemu: $("$QEMU" --version | head -n1)"
BIOS=$WORK/HALT.bin
make_halt_bios "$BIOS"
for v in "${SEL[@]}"; do
	IFS='|' read -r n m d a <<<"$v"
	capture "$n" "$m" "$d" "$a"
done
