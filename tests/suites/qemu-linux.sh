#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# qemu-linux: the linux mode of the real-peer harness.  Runs
# tests/qemu/linux.sh once for both scenarios (Debian's kernel driving QEMU's
# intel-iommu, legacy+strict and scalable+lazy), then checks what it captured
# against itself: guest marker, provoked faults in dmesg and in QEMU's trace,
# the ftrace buffer, the registers, the ELF and kdump dumps, and the root and
# context entries read out of the ELF dump at the address RTADDR names,
# what vtd-top makes of the traces (mode, faults, invalidations), and
# vtd-top inside the guest on /dev/kmsg and the real tracefs (--enable).
# Prints "ok ..." / "not ok ..." lines for tests/run-tests.sh.
#   B=build-dir (vtd-decode is $B/vtd-decode; artifacts in $B/qemu-linux);
#   VTD_QEMU_WORK=the kernel cache (default build/qemu, shared by all trees)
#   QEMU_LINUX_REUSE=1 checks the artifacts of an earlier run without booting.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-build}
tool="$top/$B/vtd-decode"
sim="$top/$B/vtd-sim"
# The kernel cache is shared by every build tree; the artifacts are per tree.
export VTD_QEMU_WORK=${VTD_QEMU_WORK:-$top/build/qemu}
out=$top/$B/qemu-linux
SCENARIOS=(legacy-strict scalable-lazy)
EDU_DEVFN=$((0x03 << 3))
. "$top/tests/tap.sh"
# An unexpected failing command is a failed check too, not a silent stop.
# shellcheck disable=SC2154 # erc is set by the trap itself
trap 'erc=$?; not_ok "internal error in qemu-linux.sh line $LINENO (status $erc)"' ERR

if [ ! -x "$tool" ]; then
	not_ok "vtd-decode is built" "no $tool (run make B=$B)"
	exit 1
fi
for t in readelf od dd; do
	command -v "$t" >/dev/null || { not_ok "host tool $t exists"; exit 1; }
done

# --- run the harness once --------------------------------------------------------
mkdir -p "$VTD_QEMU_WORK"
log=$top/$B/qemu-linux.log
t0=$(date +%s)
if [ "${QEMU_LINUX_REUSE:-0}" = 1 ] && [ -d "$out" ]; then
	echo "# QEMU_LINUX_REUSE=1: checking the artifacts already in $out"
elif VTDKIT_BUILD=$top/$B bash "$top/tests/qemu/linux.sh" -k -o "$out" "${SCENARIOS[@]}" >"$log" 2>&1; then
	ok "linux.sh ran ${SCENARIOS[*]} in $(($(date +%s) - t0))s"
else
	not_ok "linux.sh ran ${SCENARIOS[*]}" "$(grep 'error:' "$log" | head -n 3)" "log: $log"
fi

# --- helpers ------------------------------------------------------------------------
# kernel_route: vtd-dump finds the units through the kernel's own
# structures (libvtd kernel.h), for scenario $s in $d: from the dump alone
# (VMCOREINFO, and the kallsyms tables and BTF in the kernel's memory), from
# the guest's /proc/kallsyms and BTF files, and from the BTF of the vmlinux
# inside Debian's vmlinuz; and inside the guest itself on its /proc/kcore.
# Each must give the tables and registers that the register page gives.
kernel_route() {
	local ref=$tmp/ref.json how src args shown same vmlinux g
	# IQA is not compared: QEMU 7.2 keeps no IQA.DW, which Linux sets in
	# scalable mode; the queue's base, width and tail are.
	local keys="rtaddr irta cap ecap enabled interrupt_remapping invalidation_queue.base
		invalidation_queue.width invalidation_queue.tail invalidation_queue.iqt"
	# shellcheck disable=SC2086 # keys are words
	if ! "$dump" "elf:$elf" --regs "$d/regs.bin" --json >"$ref" 2>"$tmp/ref.err"; then
		not_ok "$s: vtd-dump --regs --json (the kernel route's reference)" "$(head -n 2 "$tmp/ref.err")"
		return
	fi
	vmlinux=$(ls "$VTD_QEMU_WORK"/kernel/boot/vmlinux-* 2>/dev/null | head -n1 || true)
	for how in "elf:$elf|" "kdump:$d/vmcore.kdump-zlib|" \
		"elf:$elf|--btf $d/btf --symbols $d/kallsyms" "kdump:$d/vmcore.kdump-zlib|--btf $vmlinux"; do
		src=${how%%|*} args=${how#*|}
		shown=$(sed 's|[^ ]*/||g' <<<"$args")
		# shellcheck disable=SC2086 # args are words
		if ! "$dump" "$src" --kernel $args --json >"$tmp/k.json" 2>"$tmp/k.err"; then
			not_ok "$s: vtd-dump ${src%%:*} --kernel $shown" "$(head -n 2 "$tmp/k.err")"
		elif same=$(python3 "$top/tests/suites/dump-same.py" "$ref" "$tmp/k.json" $keys); then
			ok "$s: vtd-dump ${src%%:*} --kernel $shown: as the register page says: $same"
		else
			not_ok "$s: vtd-dump ${src%%:*} --kernel $shown agrees with the register page" "$same"
		fi
	done
	g=$d/guest-vtd-dump-json.out
	if ! [ -s "$g" ]; then
		not_ok "$s: vtd-dump ran inside the guest" "$(tail -n 2 "$d/guest-vtd-dump-json.err" 2>/dev/null)"
	# The queue moves on between the guest's run and the dump: not its tail.
	elif same=$(python3 "$top/tests/suites/dump-same.py" "$ref" "$g" ${keys//invalidation_queue.t*/}); then
		ok "$s: vtd-dump inside the guest (kallsyms, BTF, /proc/kcore) sees what the dump shows: $same"
	else
		not_ok "$s: vtd-dump inside the guest agrees with the dump" "$same"
	fi
	# --check: the same findings inside as from outside (Linux's ISA-bridge
	# identity map of 0-16 MiB can cover a page-table page: a real finding).
	local want got wexit gexit
	want=$("$dump" "elf:$elf" --regs "$d/regs.bin" --check 2>/dev/null) && wexit=0 || wexit=$?
	got=$(cat "$d/guest-vtd-dump-check.out" 2>/dev/null || true)
	gexit=$(sed -n 's/^exit //p' "$d/guest-vtd-dump-check.err" 2>/dev/null || true)
	if [ "$got" = "$want" ] && [ "$gexit" = "$wexit" ]; then
		ok "$s: vtd-dump --check inside the guest finds what it finds from outside: $(grep -c . <<<"$want" || true) finding(s) ($(cut -d: -f1 <<<"$want" | sort | uniq -c | tr -s ' \n' '  ')), exit $wexit"
	else
		not_ok "$s: vtd-dump --check inside the guest finds what it finds from outside" \
			"exit $gexit inside, $wexit outside" "$(diff <(echo "$want") <(echo "$got") | head -n 4)"
	fi
}


# regval NAME: a value from regs.txt ("NAME = 0x...").
regval() { sed -n "s/^$1 = //p" "$d/regs.txt" 2>/dev/null | head -n1 || true; }

# be_u64 FILE OFFSET / le_u32 FILE OFFSET: integers out of a binary file.
be_u64() { od -An -t x1 -j "$2" -N 8 "$1" | tr -d ' \n' | sed 's/^/0x/'; }
le_u32() { od -An -t u4 -j "$2" -N 4 --endian=little "$1" | tr -d ' '; }

# phys_read ELF ADDR LEN OUT: guest-physical memory out of the ELF dump, via
# the PT_LOAD segment that holds ADDR (readelf -lW: Offset VirtAddr PhysAddr
# FileSiz ...).  Fails when no segment holds it.
phys_read() {
	local elf=$1 addr=$2 len=$3 dst=$4 type off pa fsz rest
	while read -r type off _ pa fsz rest; do
		[ "$type" = LOAD ] || continue
		if [ $((addr)) -ge $((pa)) ] && [ $((addr + len)) -le $((pa + fsz)) ]; then
			dd if="$elf" of="$dst" bs=65536 iflag=skip_bytes,count_bytes \
				skip=$((off + addr - pa)) count="$len" status=none
			return 0
		fi
	done < <(readelf -lW "$elf" 2>/dev/null)
	return 1
}

# field TEXT NAME: the value of NAME=... in vtd-decode's one-line output;
# flag TEXT NAME: + or - of a one-bit field printed as NAME+ / NAME-.
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1" | head -n1; }
flag() { sed -n "s/.* $2\([+-]\)\( .*\)*$/\1/p" <<<" $1" | head -n1; }

# qword FILE OFFSET: one little-endian 64-bit word, as 0x...
qword() { od -An -t x8 -j "$2" -N 8 --endian=little "$1" | tr -d ' ' | sed 's/^/0x/'; }

# ss_walk ELF TABLE LEVELS IOVA: walk a second-stage table in the dump;
# prints the physical address IOVA translates to, or "np@LEVEL" where the
# walk met a not-present entry (neither R nor W), or "unreadable".
ss_walk() {
	local elf=$1 tbl=$(($2)) lvl=$3 iova=$(($4)) idx e shift
	while [ "$lvl" -ge 1 ]; do
		shift=$((12 + 9 * (lvl - 1)))
		idx=$(((iova >> shift) & 0x1ff))
		phys_read "$elf" $((tbl + idx * 8)) 8 "$tmp/pte.bin" || { echo unreadable; return 0; }
		e=$(($(qword "$tmp/pte.bin" 0)))
		if [ $((e & 3)) -eq 0 ]; then echo "np@$lvl"; return 0; fi
		if [ "$lvl" -eq 1 ] || { [ "$lvl" -le 3 ] && [ $((e >> 7 & 1)) -eq 1 ]; }; then
			printf '0x%x\n' $(((e & 0x000ffffffffff000 & ~((1 << shift) - 1)) | (iova & ((1 << shift) - 1))))
			return 0
		fi
		tbl=$((e & 0x000ffffffffff000))
		lvl=$((lvl - 1))
	done
}

# dev_ss DEVFN: for the bus-0 device DEVFN, through the context table read
# into ctx.bin (scalable mode: ctx.bin for devfn 0-127, ctxu.bin above): DEV_CTX (its context entry, decoded), DEV_PASID (scalable:
# the PASID entry of its RID_PASID), DEV_SS and DEV_AW (second-stage table
# and width).  Returns 1 with DEV_WHY when an entry is absent.
dev_ss() {
	local devfn=$1 e dir rp pt
	DEV_CTX='' DEV_PASID='' DEV_SS='' DEV_AW='' DEV_WHY=''
	if [ "$mode" = legacy ]; then
		DEV_CTX=$("$tool" -1 context-legacy -f "$tmp/ctx.bin" --offset $((devfn * 16)) 2>&1 || true)
		[ "$(flag "$DEV_CTX" P)" = + ] || { DEV_WHY="context entry not present"; return 1; }
		DEV_SS=$(field "$DEV_CTX" SSPTPTR) DEV_AW=$(field "$DEV_CTX" AW)
		return 0
	fi
	if [ "$devfn" -ge 128 ]; then
		[ -f "$tmp/ctxu.bin" ] || { DEV_WHY="no upper context table"; return 1; }
		DEV_CTX=$("$tool" -1 context-sm -f "$tmp/ctxu.bin" --offset $(((devfn & 0x7f) * 32)) 2>&1 || true)
	else
		DEV_CTX=$("$tool" -1 context-sm -f "$tmp/ctx.bin" --offset $(((devfn & 0x7f) * 32)) 2>&1 || true)
	fi
	[ "$(flag "$DEV_CTX" P)" = + ] || { DEV_WHY="context entry not present"; return 1; }
	dir=$(field "$DEV_CTX" PASIDDIRPTR) rp=$(field "$DEV_CTX" RID_PASID)
	phys_read "$elf" $((dir + (rp >> 6) * 8)) 8 "$tmp/pde.bin" ||
		{ DEV_WHY="PASID directory $dir not in the dump"; return 1; }
	e=$("$tool" -1 pasid-dir "$(qword "$tmp/pde.bin" 0)" 2>&1 || true)
	[ "$(flag "$e" P)" = + ] || { DEV_WHY="PASID directory entry not present: $e"; return 1; }
	pt=$(field "$e" SMPTBLPTR)
	phys_read "$elf" $((pt + (rp & 0x3f) * 64)) 64 "$tmp/pe.bin" ||
		{ DEV_WHY="PASID table $pt not in the dump"; return 1; }
	DEV_PASID=$("$tool" -1 pasid-entry -f "$tmp/pe.bin" 2>&1 || true)
	[ "$(flag "$DEV_PASID" P)" = + ] || { DEV_WHY="PASID entry not present: $DEV_PASID"; return 1; }
	[ "$(field "$DEV_PASID" PGTT)" = second-stage ] ||
		{ DEV_WHY="PASID entry is not second-stage: $DEV_PASID"; return 1; }
	DEV_SS=$(field "$DEV_PASID" SSPTPTR) DEV_AW=$(field "$DEV_PASID" AW)
}

# levels AW: second-stage levels from vtd-decode's AW field (39-bit -> 3).
levels() { echo $(((${1%-bit} - 12) / 9)); }

# surviving_maps FTRACE: "iova paddr" of the map events that no later unmap
# event covered, i.e. what the page tables should still hold.  IOVAs are
# below 2^53, so awk's doubles hold them exactly; the hex strings are the
# keys, as mawk turns large numbers into strings (and %x) wrongly.
surviving_maps() {
	awk '
	function hex(s,   i, v, c) {
		v = 0; s = tolower(substr(s, 3))
		for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; v = v * 16 + c }
		return v
	}
	/ map: IOMMU: iova=0x/ {
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^iova=/) { h = substr($i, 6); a = hex(h) }
			if ($i ~ /^paddr=/) p = substr($i, 7)
		}
		m[h] = p; v[h] = a
	}
	/ unmap: IOMMU: iova=0x/ {
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^iova=/) a = hex(substr($i, 6))
			if ($i ~ /^size=/) z = substr($i, 6) + 0
		}
		for (k in m) if (v[k] >= a && v[k] < a + z) delete m[k]
	}
	END { for (k in m) print k, m[k] }' "$1"
}

# --- per scenario ---------------------------------------------------------------------
tmp=$(mktemp -d "$VTD_QEMU_WORK/suite.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for s in "${SCENARIOS[@]}"; do
	d=$out/$s
	case $s in
	legacy-*) mode=legacy want_ttm=0 ;;
	scalable-*) mode=scalable want_ttm=1 ;;
	esac
	case $s in
	*-strict) want_group=DMA want_policy="strict mode" ;;
	*-lazy) want_group=DMA-FQ want_policy="lazy mode" ;;
	esac
	if [ ! -d "$d" ]; then
		not_ok "$s: artifacts exist" "no $d (see $log)"
		continue
	fi

	# The guest got through its whole script.
	if grep -q '^VTDKIT READY' "$d/serial.log" 2>/dev/null; then
		ok "$s: guest reached READY ($(grep -m1 '^VTDKIT READY' "$d/serial.log"))"
	else
		not_ok "$s: guest reached READY" "last marker: $(grep '^VTDKIT' "$d/serial.log" 2>/dev/null | tail -n1)" "log: $d/serial.log"
	fi

	# The IOMMU mode and invalidation policy asked for are the ones in force.
	if grep -q "DMA domain TLB invalidation policy: $want_policy" "$d/dmesg.txt" 2>/dev/null &&
	   grep '^iommu group' "$d/guest-info.txt" 2>/dev/null | grep -q "type=$want_group " &&
	   ! grep '^iommu group' "$d/guest-info.txt" | grep -vq "type=$want_group "; then
		ok "$s: Linux uses $want_policy, every IOMMU group has type $want_group"
	else
		not_ok "$s: Linux uses $want_policy and group type $want_group" "see $d/dmesg.txt, $d/guest-info.txt"
	fi

	# Each provoked fault shows in dmesg and in QEMU's trace, with the right
	# direction, device, IOVA and reason (QEMU reports a missing
	# second-stage mapping as 0x05 on writes and 0x06 on reads, in both modes).
	nf=0
	while read -r _ dirf iovaf _ bdff _; do
		dir=${dirf#dir=}
		iova=${iovaf#iova=}
		bdf=${bdff#bdf=}
		short=${bdf#0000:}
		bus=$((16#${short%%:*}))
		dev=${short#*:}
		fn=$((16#${dev#*.}))
		dev=$((16#${dev%.*}))
		sid=$(printf '0x%x' $(((bus << 8) | (dev << 3) | fn)))
		case $dir in
		write) Dir=Write reason=0x05 qreason=5 wbit=1 ;;
		read) Dir=Read reason=0x06 qreason=6 wbit=0 ;;
		*) not_ok "$s: faults.txt names direction write or read" "got '$dir'"; continue ;;
		esac
		nf=$((nf + 1))
		re="DMAR: \[DMA $Dir (NO_PASID|PASID 0x[0-9a-f]+)\] Request device \[$short\] fault addr $iova \[fault reason $reason\] [A-Za-z]"
		if line=$(grep -E -m1 "$re" "$d/dmesg.txt"); then
			ok "$s: dmesg reports the $dir fault: ${line#*DMAR: }"
		else
			not_ok "$s: dmesg reports the $dir fault of $short at $iova with reason $reason" \
				"fault lines: $(grep 'DMAR: \[DMA' "$d/dmesg.txt" | tr '\n' '|')"
		fi
		q=$(grep -c "vtd_dmar_fault sid $sid fault $qreason addr $iova write $wbit\$" "$d/qemu-trace.log" || true)
		if [ "$q" -ge 1 ]; then
			ok "$s: QEMU trace has vtd_dmar_fault sid $sid fault $qreason addr $iova write $wbit"
		else
			not_ok "$s: QEMU trace has the $dir fault of sid $sid at $iova" \
				"$(grep -m3 vtd_dmar_fault "$d/qemu-trace.log" | tr '\n' '|')"
		fi
		last_dir=$dir last_iova=$iova last_sid=$sid last_reason=$reason
	done < <(grep '^FAULT ' "$d/faults.txt" 2>/dev/null)
	if [ "$nf" -ge 2 ]; then
		ok "$s: $nf faults provoked (faults.txt)"
	else
		not_ok "$s: a write and a read fault provoked" "faults.txt has $nf"
	fi
	# The fault-recording register still holds the last fault (F cleared by Linux).
	if [ "$nf" -ge 1 ]; then
		fr=$("$tool" -1 frcd "$(regval FRCD0_LO)" "$(regval FRCD0_HI)" 2>&1 || true)
		if [ $(($(field "$fr" FI))) = $((last_iova)) ] && [ $(($(field "$fr" SID))) = $((last_sid)) ] &&
		   [ "$(field "$fr" T)" = "$last_dir" ] && [ $(($(field "$fr" FR))) = $((last_reason)) ]; then
			ok "$s: FRCD0 holds the last fault: $fr"
		else
			not_ok "$s: FRCD0 holds the last fault ($last_dir $last_iova sid $last_sid)" "$fr"
		fi
	fi

	# ftrace: every map and unmap since boot is in the buffer.
	maps=$(grep -c ' map: IOMMU: iova=0x' "$d/ftrace.txt" 2>/dev/null || true)
	unmaps=$(grep -c ' unmap: IOMMU: iova=0x' "$d/ftrace.txt" 2>/dev/null || true)
	if [ "${maps:-0}" -gt 0 ] && [ "${unmaps:-0}" -gt 0 ]; then
		ok "$s: ftrace has $maps iommu map and $unmaps unmap events"
	else
		not_ok "$s: ftrace has iommu map and unmap events" "map: ${maps:-0}, unmap: ${unmaps:-0} in $d/ftrace.txt"
	fi
	ew=$(sed -n 's/^# entries-in-buffer\/entries-written: \([0-9]*\/[0-9]*\).*/\1/p' "$d/ftrace.txt" 2>/dev/null || true)
	if [ -n "$ew" ] && [ "${ew%/*}" = "${ew#*/}" ]; then
		ok "$s: ftrace buffer lost nothing (entries-in-buffer/entries-written $ew)"
	else
		not_ok "$s: ftrace buffer lost nothing" "entries-in-buffer/entries-written: ${ew:-missing}"
	fi

	# Registers: root table pointer, mode, translation enabled, decodable.
	rtaddr=$(regval RTADDR)
	gsts=$(regval GSTS)
	if [ -n "$rtaddr" ] && [ $((rtaddr & ~0xfff)) -ne 0 ]; then
		ttm=$(((rtaddr >> 10) & 3))
		if [ "$ttm" = "$want_ttm" ]; then
			ok "$s: RTADDR $rtaddr is non-zero with TTM $ttm ($mode)"
		else
			not_ok "$s: RTADDR TTM (bits 11:10) is $want_ttm for $mode" "RTADDR $rtaddr has TTM $ttm"
		fi
	else
		not_ok "$s: RTADDR is non-zero" "RTADDR '${rtaddr}' in $d/regs.txt"
	fi
	if [ -n "$gsts" ] && [ $((gsts >> 31 & 1)) = 1 ]; then
		ok "$s: GSTS $gsts has TES (translation enabled)"
	else
		not_ok "$s: GSTS has TES" "GSTS '$gsts'"
	fi
	bad=
	for r in VER CAP ECAP GSTS RTADDR FSTS IQA IRTA; do
		v=$(regval $r)
		lc=$(tr '[:upper:]' '[:lower:]' <<<"$r")
		if [ -z "$v" ] || ! o=$("$tool" -1 "$lc" "$v" 2>&1); then bad+=" $r=$v:${o:-missing}"; fi
	done
	if o=$("$tool" -1 rtaddr "$rtaddr" 2>&1) && [ "$(field "$o" TTM)" = "$mode" ]; then :; else bad+=" rtaddr-decode:$o"; fi
	if [ -z "$bad" ]; then
		ok "$s: vtd-decode decodes VER CAP ECAP GSTS RTADDR FSTS IQA IRTA (rtaddr: TTM=$mode)"
	else
		not_ok "$s: vtd-decode decodes the captured registers" "$bad"
	fi
	if o=$("$tool" regs "$d/regs.bin" 2>&1) && grep -q "^RTADDR .*$(printf '%016x' $((rtaddr)))" <<<"$o"; then
		ok "$s: vtd-decode regs decodes regs.bin ($(grep -c '^[A-Z]' <<<"$o") registers)"
	else
		not_ok "$s: vtd-decode regs decodes regs.bin" "$(head -n 3 <<<"$o")"
	fi
	# The guest's view (sysfs) and the monitor's view of CAP/ECAP agree.
	gcap=$(sed -n 's/^dmar0 cap //p' "$d/iommu-sysfs.txt" 2>/dev/null || true)
	gecap=$(sed -n 's/^dmar0 ecap //p' "$d/iommu-sysfs.txt" 2>/dev/null || true)
	if [ -n "$gcap" ] && [ $((0x$gcap)) = $(($(regval CAP))) ] && [ $((0x$gecap)) = $(($(regval ECAP))) ]; then
		ok "$s: CAP/ECAP from the monitor equal the guest's /sys/class/iommu/dmar0 (cap $gcap ecap $gecap)"
	else
		not_ok "$s: CAP/ECAP agree between monitor and guest sysfs" "sysfs: $gcap $gecap regs: $(regval CAP) $(regval ECAP)"
	fi
	if o=$("$tool" dmar "$d/dmar.bin" 2>&1) && grep -q 'REG_BASE .*0xfed90000' <<<"$o"; then
		ok "$s: vtd-decode dmar decodes the guest's DMAR table ($(stat -c %s "$d/dmar.bin") bytes)"
	else
		not_ok "$s: vtd-decode dmar decodes dmar.bin" "$(head -n 2 <<<"$o")"
	fi

	# The ELF dump, and the root/context entries it holds at RTADDR.
	elf=$d/vmcore.elf
	if [ -f "$elf" ] && readelf -h "$elf" 2>/dev/null | grep -q 'Type: *CORE'; then
		ok "$s: vmcore.elf is an ELF core ($(stat -c %s "$elf") bytes, $(readelf -lW "$elf" | grep -c LOAD) PT_LOAD)"
	else
		not_ok "$s: vmcore.elf is an ELF core" "$(readelf -h "$elf" 2>&1 | head -n 2)"
	fi
	ctx_ok=
	if [ -n "$rtaddr" ] && phys_read "$elf" $((rtaddr & ~0xfff)) 4096 "$tmp/root.bin"; then
		if [ "$mode" = legacy ]; then
			e=$("$tool" -1 root-legacy -f "$tmp/root.bin" 2>&1 || true)
			present=$(flag "$e" P) ctp=$(field "$e" CTP)
		else
			e=$("$tool" -1 root-sm -f "$tmp/root.bin" 2>&1 || true)
			present=$(flag "$e" LP) ctp=$(field "$e" LCTP)
			rm -f "$tmp/ctxu.bin"
			if [ "$(flag "$e" UP)" = + ]; then
				phys_read "$elf" $(($(field "$e" UCTP))) 4096 "$tmp/ctxu.bin" || true
			fi
		fi
		if [ "$present" = + ] && [ $((ctp)) -ne 0 ]; then
			ok "$s: root table from the ELF dump at RTADDR: bus 0 entry present ($e)"
			ctx_ok=1
		else
			not_ok "$s: root entry for bus 0 is present in the dump" "$e"
		fi
	else
		not_ok "$s: root table page at RTADDR ${rtaddr:-?} is in a PT_LOAD segment of vmcore.elf"
	fi
	if [ -n "$ctx_ok" ] && phys_read "$elf" $((ctp)) 4096 "$tmp/ctx.bin"; then
		if dev_ss "$EDU_DEVFN"; then
			ok "$s: context entry of edu (00:03.0, devfn 0x18) is present: $DEV_CTX"
			[ -z "$DEV_PASID" ] || ok "$s: edu's PASID entry (RID_PASID) is present: $DEV_PASID"
			# The faulting IOVAs are not mapped for edu: that is why it faulted.
			while read -r iova; do
				w=$(ss_walk "$elf" "$DEV_SS" "$(levels "$DEV_AW")" "$iova")
				case $w in
				np@*) ok "$s: fault IOVA $iova is not mapped in edu's second-stage table (not present at level ${w#np@})" ;;
				*) not_ok "$s: fault IOVA $iova is not mapped in edu's second-stage table" "walk gave $w" ;;
				esac
			done < <(sed -n 's/^FAULT .*iova=\(0x[0-9a-f]*\).*/\1/p' "$d/faults.txt")
		else
			not_ok "$s: edu's (devfn 0x18) entries are present in the dump" "$DEV_WHY" "context: $DEV_CTX"
		fi
		# What ftrace says is still mapped is in the dump's page tables of
		# one of the bus-0 devices (ftrace does not name the device; the
		# 0-16 MiB identity map at boot is the LPC bridge's floppy workaround).
		roots=()
		while read -r bdf; do
			devfn=$(((16#${bdf:8:2} << 3) | ${bdf:11:1}))
			if dev_ss "$devfn"; then
				r="$DEV_SS:$(levels "$DEV_AW")"
				[[ " ${roots[*]} " == *" $r "* ]] || roots+=("$r")
			fi
		done < <(grep -o '^0000:00:[0-9a-f][0-9a-f]\.[0-7]' "$d/devices.txt" 2>/dev/null || true)
		nmap=0 nhit=0 miss=
		while read -r iova paddr; do
			nmap=$((nmap + 1))
			for r in "${roots[@]}"; do
				w=$(ss_walk "$elf" "${r%:*}" "${r#*:}" "$iova")
				if [[ $w == 0x* ]] && [ $((w)) = $((paddr & ~0xfff)) ]; then
					nhit=$((nhit + 1))
					continue 2
				fi
			done
			miss+=" $iova->$paddr"
		done < <(surviving_maps "$d/ftrace.txt" | sort)
		if [ "$nmap" -gt 0 ] && [ "$nhit" = "$nmap" ]; then
			ok "$s: all $nhit mappings ftrace leaves in place translate to their paddr in the dump (${#roots[@]} domains)"
		else
			not_ok "$s: mappings ftrace leaves in place are in the dump's page tables" \
				"$nhit of $nmap found; missing:${miss:0:300}"
		fi
	elif [ -n "$ctx_ok" ]; then
		not_ok "$s: context table at $ctp is in vmcore.elf"
	fi

	# vtd-sim over the same dump and registers, QEMU's numbering: the fault
	# reason Linux printed for each provoked fault, and the paddr of every
	# mapping ftrace leaves in place (for one of the bus-0 devices).
	simargs=(--faults qemu -M "elf:$elf" --regs "$d/regs.bin")
	while read -r dir iova; do
		want=$(sed -n "s/.*fault addr $iova \[fault reason \(0x[0-9a-f]*\)\].*/\1/p" \
			"$d/dmesg.txt" | head -n1)
		# A fault is exit status 1: an answer here, not an error.
		got=$("$sim" "${simargs[@]}" 00:03.0 "$dir" "$iova" 2>&1) || true
		if [ -n "$want" ] && [[ $got == *": fault $want "* ]]; then
			ok "$s: vtd-sim on the dump predicts Linux's fault line for $dir $iova: reason $want"
		else
			not_ok "$s: vtd-sim on the dump predicts Linux's fault line for $dir $iova" \
				"dmesg: ${want:-no line}" "vtd-sim: $got"
		fi
	done < <(sed -n 's/^FAULT dir=\([a-z]*\) iova=\(0x[0-9a-f]*\).*/\1 \2/p' "$d/faults.txt")
	bdfs=$(grep -o '^0000:00:[0-9a-f][0-9a-f]\.[0-7]' "$d/devices.txt" 2>/dev/null | cut -c6- || true)
	surviving_maps "$d/ftrace.txt" | sort >"$tmp/maps"
	while read -r iova _; do
		for b in $bdfs; do echo "$b read $iova"; done
	done <"$tmp/maps" | "$sim" "${simargs[@]}" --json -f - >"$tmp/sim.jsonl" 2>"$tmp/sim.err" || true
	nmap=$(wc -l <"$tmp/maps") nhit=0 miss=
	while read -r iova paddr; do
		want=$(printf '0x%x' $((paddr)))
		if grep -q "\"addr\":\"$(printf '0x%x' $((iova)))\",\"result\":\"ok\".*\"out\":\"$want\"" "$tmp/sim.jsonl"; then
			nhit=$((nhit + 1))
		else
			miss+=" $iova->$paddr"
		fi
	done <"$tmp/maps"
	if [ "$nmap" -gt 0 ] && [ "$nhit" = "$nmap" ]; then
		ok "$s: vtd-sim on the dump translates all $nhit mappings ftrace leaves in place to their paddr"
	else
		not_ok "$s: vtd-sim on the dump translates the mappings ftrace leaves in place" \
			"$nhit of $nmap; missing:${miss:0:300}" "$(head -n 2 "$tmp/sim.err")"
	fi

	# vtd-compile over the same dump: Linux's tables read back into a layout
	# that describes them (--verify walks the dump's own tables), the layout
	# built again elsewhere (--verify walks the new tables), and the probes
	# derived from that layout pass on the dump's tables through vtd-sim and
	# on the rebuilt tables in QEMU's intel-iommu with edu DMA.
	compile=$top/$B/vtd-compile
	if "$compile" -q -d "elf:$elf" --regs "$d/regs.bin" --faults qemu --verify \
		-o "$tmp/dec.json" 2>"$tmp/dec.err"; then
		ok "$s: vtd-compile -d reads Linux's tables from the dump into a layout that describes them ($(grep -c '"iova"' "$tmp/dec.json") mapping runs)"
	else
		not_ok "$s: vtd-compile -d reads Linux's tables from the dump" "$(head -n 3 "$tmp/dec.err")"
	fi
	python3 -c 'import json, sys
l = json.load(open(sys.argv[1]))
l["placement"] = {"base": "0x10000000", "size": "64M"}
json.dump(l, open(sys.argv[2], "w"), indent=1)' "$tmp/dec.json" "$tmp/moved.json" 2>"$tmp/moved.err" || true
	if "$compile" -q --verify --faults qemu "$tmp/moved.json" -o "$tmp/moved.bin" \
		--probes "$tmp/moved.probes" 2>"$tmp/moved.err"; then
		ok "$s: the layout builds again at 0x10000000 and the new tables verify"
	else
		not_ok "$s: the decompiled layout builds again at 0x10000000" "$(head -n 3 "$tmp/moved.err")"
	fi
	grep -v '"op":"enable"' "$tmp/moved.probes" >"$tmp/orig.probes" 2>/dev/null || true
	cout=$("$sim" "${simargs[@]}" --tap -f "$tmp/orig.probes" 2>&1 || true)
	np=$(grep -c '^ok' <<<"$cout" || true) nf=$(grep -c '^not ok' <<<"$cout" || true)
	if [ "$np" -gt 0 ] && [ "$nf" = 0 ]; then
		ok "$s: all $np probes of the rebuilt layout pass on the dump's own tables (vtd-sim)"
	else
		not_ok "$s: the probes of the rebuilt layout pass on the dump's own tables" \
			"$np ok, $nf not ok" "$(grep -m 2 '^not ok' <<<"$cout")"
	fi
	# edu can stand in for the guest's devices on slots 3 to 6, not for the
	# chipset's own functions (00:1f.x); QEMU's units are the guest's.
	qargs=(-m 512 --edu 00:03.0 --edu 00:04.0 --edu 00:05.0 --edu 00:06.0)
	grep -q x-scalable-mode=on "$d/qemu.cmdline" && qargs+=(--scalable)
	{ grep -m 1 '"op":"enable"' "$tmp/moved.probes"
	  grep -E '"bdf":"00:0[3-6]\.0"|"op":"inv"' "$tmp/orig.probes"; } >"$tmp/edu.probes" 2>/dev/null
	cout=$("$top/$B/tests/qprobe" --tap "${qargs[@]}" -l "$tmp/moved.bin@0x10000000" \
		"$tmp/edu.probes" 2>&1 || true)
	np=$(grep -c '^ok' <<<"$cout" || true) nf=$(grep -c '^not ok' <<<"$cout" || true)
	if [ "$np" -gt 0 ] && [ "$nf" = 0 ]; then
		ok "$s: the rebuilt tables, loaded into QEMU, answer all $np edu probes as the layout says"
	else
		not_ok "$s: the rebuilt tables answer the edu probes in QEMU" "$np ok, $nf not ok" \
			"$(grep -v '^ok' <<<"$cout" | head -n 3)"
	fi

	# The same machine over QEMU's kdump (flattened, zlib) of the same guest
	# through the "kdump:" source: the fault line, every entry the walk read
	# (--explain: root table at RTADDR, context table, paging structures)
	# and the whole batch of translations above must match the ELF dump's.
	kd=$d/vmcore.kdump-zlib
	if [ -f "$kd" ]; then
		kargs=(--faults qemu -M "kdump:$kd" --regs "$d/regs.bin")
		want=$("$sim" "${simargs[@]}" --explain 00:03.0 write 0x12340000 2>&1) || true
		got=$("$sim" "${kargs[@]}" --explain 00:03.0 write 0x12340000 2>&1) || true
		if [ -n "$got" ] && [ "$got" = "$want" ] && [[ $got == *"root-"* ]]; then
			ok "$s: vtd-sim on kdump:vmcore.kdump-zlib gives the ELF dump's answer and entries for write 0x12340000 ($(head -n1 <<<"$got" | cut -d: -f3-))"
		else
			not_ok "$s: vtd-sim on kdump:vmcore.kdump-zlib matches the ELF dump for write 0x12340000" \
				"elf: ${want:0:300}" "kdump: ${got:0:300}"
		fi
		while read -r iova _; do
			for b in $bdfs; do echo "$b read $iova"; done
		done <"$tmp/maps" | "$sim" "${kargs[@]}" --json -f - >"$tmp/simk.jsonl" 2>"$tmp/simk.err" || true
		if [ -s "$tmp/simk.jsonl" ] && cmp -s "$tmp/sim.jsonl" "$tmp/simk.jsonl"; then
			ok "$s: vtd-sim on kdump:vmcore.kdump-zlib translates all $(wc -l <"$tmp/simk.jsonl") lookups as on the ELF dump"
		else
			not_ok "$s: vtd-sim on kdump:vmcore.kdump-zlib translates as on the ELF dump" \
				"$(diff "$tmp/sim.jsonl" "$tmp/simk.jsonl" | head -n 4)" "$(head -n 2 "$tmp/simk.err")"
		fi
	else
		not_ok "$s: vmcore.kdump-zlib for the kdump: source" "missing"
	fi

	# kdump: QEMU writes makedumpfile's flattened format: a 4 KiB header
	# "makedumpfile", type 1, version 1 (big-endian), then blocks of
	# (offset, size) big-endian + data; the first block, at offset 0, starts
	# with the disk_dump_header "KDUMP   " (block_size at 428, max_mapnr at
	# 440).  max_mapnr covers up to the top of the highest ELF segment (the
	# BIOS at 4 GiB), not just RAM.
	top_pfn=0 ram=0
	while read -r type _ _ pa fsz msz _; do
		[ "$type" = LOAD ] || continue
		ram=$((ram + fsz))
		[ $(((pa + msz) >> 12)) -le "$top_pfn" ] || top_pfn=$(((pa + msz) >> 12))
	done < <(readelf -lW "$elf" 2>/dev/null || true)
	for fmt in kdump-zlib kdump-lzo kdump-snappy; do
		f=$d/vmcore.$fmt
		if [ -f "$f.unsupported" ] && [ ! -f "$f" ]; then
			skip "$s: vmcore.$fmt" "$(cat "$f.unsupported")"
			continue
		fi
		why=
		[ -f "$f" ] || why="missing"
		[ -n "$why" ] || [ "$(head -c 12 "$f")" = makedumpfile ] || why="no 'makedumpfile' signature"
		[ -n "$why" ] || { [ "$(be_u64 "$f" 16)" = 0x0000000000000001 ] && [ "$(be_u64 "$f" 24)" = 0x0000000000000001 ]; } ||
			why="flattened header type/version not 1/1"
		[ -n "$why" ] || [ "$(be_u64 "$f" 4096)" = 0x0000000000000000 ] || why="first block not at offset 0"
		[ -n "$why" ] || [ "$(dd if="$f" bs=1 skip=$((4096 + 16)) count=8 status=none)" = "KDUMP   " ] ||
			why="no 'KDUMP   ' disk_dump_header in the first block"
		if [ -z "$why" ]; then
			bs=$(le_u32 "$f" $((4096 + 16 + 428)))
			mapnr=$(le_u32 "$f" $((4096 + 16 + 440)))
			size=$(stat -c %s "$f")
			[ "$bs" = 4096 ] || why="block_size $bs"
			[ -n "$why" ] || [ "$mapnr" = "$top_pfn" ] ||
				why="max_mapnr $mapnr != top page frame $top_pfn of the ELF dump"
			[ -n "$why" ] || { [ "$size" -gt $((1 << 20)) ] && [ "$size" -lt $((ram + (16 << 20))) ]; } ||
				why="implausible size $size for $ram bytes of memory"
		fi
		if [ -z "$why" ]; then
			ok "$s: vmcore.$fmt is a flattened kdump ($size bytes, block_size $bs, max_mapnr $mapnr)"
		else
			not_ok "$s: vmcore.$fmt is a flattened kdump" "$why"
		fi
	done

	# vtd-dump over the same dumps (ELF and kdump): with the registers, the
	# tree names every PCI function the guest had (devices.txt); without
	# them, --scan ranks first the root table RTADDR names.
	dump=$top/$B/vtd-dump
	want_bdfs=$(grep -o '^0000:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]\.[0-7]' "$d/devices.txt" 2>/dev/null | cut -c6- | sort || true)
	for src in "elf:$elf" "kdump:$d/vmcore.kdump-zlib"; do
		what=${src%%:*}
		if dout=$("$dump" "$src" --regs "$d/regs.bin" 2>"$tmp/dump.err"); then
			got=$(sed -n 's/^    \([0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]\.[0-7]\)\( .*\)*$/\1/p' <<<"$dout" | sort)
			missing=$(comm -23 <(echo "$want_bdfs") <(echo "$got") | tr '\n' ' ')
			if [ -n "$want_bdfs" ] && [ -z "$missing" ]; then
				ok "$s: vtd-dump $what --regs prints all $(wc -l <<<"$want_bdfs") devices of devices.txt ($(grep -c ' domain [0-9]*:' <<<"$dout") domain lines)"
			else
				not_ok "$s: vtd-dump $what --regs prints the devices of devices.txt" "missing: ${missing:-devices.txt empty}"
			fi
		else
			not_ok "$s: vtd-dump $what --regs prints the tree" "$(head -n 2 "$tmp/dump.err")"
		fi
		first=$("$dump" "$src" --regs "$d/regs.bin" --scan -q 2>"$tmp/scan.err" | head -n 1 || true)
		hit=$(sed -n 's/^ *1\. 0x[0-9a-f]* [a-z]* score [0-9]*: rtaddr \(0x[0-9a-f]*\);.*/\1/p' <<<"$first")
		if [ -n "$hit" ] && [ -n "$rtaddr" ] && [ $((hit)) = $((rtaddr)) ]; then
			ok "$s: vtd-dump $what --scan ranks the root table of RTADDR first: $first"
		else
			not_ok "$s: vtd-dump $what --scan ranks the root table of RTADDR ($rtaddr) first" \
				"first: ${first:-none}" "$(head -n 2 "$tmp/scan.err")"
		fi
	done
	kernel_route
done
# ---- dump_queue_irt: vtd-dump's invalidation queue and IRT over each guest's dump ----------
# The tree's queue section puts the tail where IQT says; the ring holds what
# Linux issues: invalidation waits that write a status, and IOTLB
# invalidations (page-selective in strict mode, domain-selective from the
# lazy flush queue); the IRT section lists the present IRTEs, each
# validating a source id (Linux never leaves SVT 0).
dump_queue_irt() {
	local s=$1 d=$out/$1 o raw iqt bits want tail cnt
	if ! o=$("$top/$B/vtd-dump" "elf:$d/vmcore.elf" --regs "$d/regs.bin" 2>&1) ||
	   ! raw=$("$top/$B/vtd-dump" "elf:$d/vmcore.elf" --regs "$d/regs.bin" --raw 2>&1); then
		not_ok "$s: vtd-dump shows the invalidation queue and the IRT" "$(head -n 2 <<<"$o$raw")"
		return
	fi
	iqt=$(sed -n 's/^IQT = //p' "$d/regs.txt" | head -n 1)
	bits=$(sed -n 's/^  invalidation queue: .* slots of \([0-9]*\) bits.*/\1/p' <<<"$o")
	tail=$(sed -n 's/^    \[\(0x[0-9a-f]*\)\] @0x[0-9a-f]*: <- tail.*/\1/p' <<<"$o")
	want=$([ -n "$iqt" ] && [ -n "$bits" ] && printf '0x%x' $((iqt / (bits / 8))))
	if [ -n "$tail" ] && [ "$tail" = "$want" ]; then
		ok "$s: vtd-dump marks the queue's tail at IQT $iqt (slot $tail of $bits bits)"
	else
		not_ok "$s: vtd-dump marks the queue's tail at IQT" "IQT ${iqt:-?}, ${bits:-?} bits, tail '${tail}'"
	fi
	case $s in
	*-strict) want='inv-iotlb\[0x[0-9a-f]*\]: .*G=page' ;;
	*) want='inv-iotlb\[0x[0-9a-f]*\]: .*G=\(domain\|page\)' ;;
	esac
	cnt=$(grep -c "$want" <<<"$raw" || true)
	if [ "$cnt" -gt 0 ] && grep -q 'inv-wait\[0x[0-9a-f]*\]: .*SW+' <<<"$raw"; then
		ok "$s: the queue holds status-writing waits and $cnt IOTLB invalidations ($want)"
	else
		not_ok "$s: the queue holds waits and IOTLB invalidations" "$cnt matching '$want'"
	fi
	cnt=$(grep -c '^    irte\[' <<<"$o" || true)
	if [ "$cnt" -gt 0 ] && ! grep '^    irte\[' <<<"$o" | grep -qv 'validates [0-9a-f][0-9a-f]:'; then
		ok "$s: vtd-dump lists $cnt present IRTEs, each validating a source id"
	else
		not_ok "$s: vtd-dump lists the present IRTEs with their source-id validation" \
			"$(grep '^    irte\[' <<<"$o" | grep -v 'validates [0-9a-f][0-9a-f]:' | head -n 2)"
	fi
}
for s in "${SCENARIOS[@]}"; do
	[ -f "$out/$s/vmcore.elf" ] && dump_queue_irt "$s"
done
# vtd-top over the traces of this run: the mode Linux ran in, the faults
# the guest provoked, and the invalidations and unmaps grep counts.
top_trace() {
	local s=$1 d=$out/$1 want nf ni nu got
	case $s in
	*-strict) want=strict ;;
	*) want=lazy ;;
	esac
	nf=$(grep -c '^FAULT ' "$d/faults.txt" || true)
	ni=$(grep -c ' qi_submit: ' "$d/ftrace.txt" || true)
	nu=$(grep -c ' unmap: IOMMU:' "$d/ftrace.txt" || true)
	if got=$("$top/$B/vtd-top" --report -q --fail-if "$want!=1" --fail-if "faults!=$nf" \
		--fail-if "inv!=$ni" --fail-if "unmap!=$nu" "$d/dmesg.txt" "$d/ftrace.txt" 2>&1); then
		ok "$s: vtd-top finds $want mode, $nf faults, $ni invalidations, $nu unmaps"
	else
		not_ok "$s: vtd-top finds $want mode, $nf faults, $ni invalidations, $nu unmaps" "$got"
	fi
}
for s in "${SCENARIOS[@]}"; do
	[ -f "$out/$s/ftrace.txt" ] && top_trace "$s"
done
# vtd-top run inside the guest on its live sources: --kmsg must show the
# faults the host finds in the guest's dmesg; -b --trace-pipe --enable must
# read the real trace_pipe and switch the real tracefs's events on, then
# put every switch back as it was.
top_live() {
	local s=$1 d=$out/$1 want got
	if [ "$(tail -n1 "$d/guest-vtd-top-kmsg.err" 2>/dev/null)" != "exit 0" ]; then
		not_ok "$s: vtd-top --snapshot --kmsg inside the guest" "$(head -n 2 "$d/guest-vtd-top-kmsg.err")"
	else
		# The faults' rows: the title and the sources differ, the faults may not.
		want=$(LC_ALL=C "$top/$B/vtd-top" --snapshot --view faults --size 120x30 \
			"$d/dmesg.txt" | sed -n '/^ DEVICE/,/^$/p')
		got=$(sed -n '/^ DEVICE/,/^$/p' "$d/guest-vtd-top-kmsg.out")
		if [ -n "$got" ] && [ "$got" = "$want" ]; then
			ok "$s: vtd-top --kmsg inside the guest shows the faults of its dmesg: $(($(grep -c . <<<"$got") - 1)) distinct"
		else
			not_ok "$s: vtd-top --kmsg inside the guest shows the faults of its dmesg" \
				"$(diff <(echo "$want") <(echo "$got") | head -n 6)"
		fi
	fi
	got=$(tail -n1 "$d/guest-vtd-top-pipe.err" 2>/dev/null || true)
	if [ "$got" = "exit 0" ] && [ "$(grep -c '^vtd-top ' "$d/guest-vtd-top-pipe.out")" = 2 ] &&
		grep -q '^Map .* [1-9][0-9]* maps' "$d/guest-vtd-top-pipe.out"; then
		ok "$s: vtd-top -b --trace-pipe --enable inside the guest: 2 frames of the real trace_pipe, $(grep -o '[0-9]* maps' "$d/guest-vtd-top-pipe.out" | tail -n1)"
	else
		not_ok "$s: vtd-top -b --trace-pipe --enable inside the guest" "$got" \
			"$(head -n 3 "$d/guest-vtd-top-pipe.err")" "$(grep '^Map ' "$d/guest-vtd-top-pipe.out" | head -n 2)"
	fi
	if [ -s "$d/guest-vtd-top-events-before.txt" ] &&
		! grep -q ':1$' "$d/guest-vtd-top-events-before.txt" &&
		! grep -q ':0$' "$d/guest-vtd-top-events-during.txt" &&
		cmp -s "$d/guest-vtd-top-events-before.txt" "$d/guest-vtd-top-events-after.txt"; then
		ok "$s: --enable switched the guest's $(($(grep -c . "$d/guest-vtd-top-events-before.txt") - 1)) iommu events and tracing_on on, and back off on exit"
	else
		not_ok "$s: --enable switched the guest's iommu events on and put them back" \
			"$(diff "$d/guest-vtd-top-events-before.txt" "$d/guest-vtd-top-events-after.txt" | head -n 4)"
	fi
}
for s in "${SCENARIOS[@]}"; do
	[ -f "$out/$s/dmesg.txt" ] && top_live "$s"
done
trap - ERR
echo "# $n checks, $nfail failed; artifacts in $out, harness log $log"
[ "$nfail" -eq 0 ]
