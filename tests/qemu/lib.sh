# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# lib.sh -- shared code of vtdkit's QEMU harness scripts (capture-dmar.sh,
# capture-regs.sh, linux.sh, ...).  Source it from a script that has set
# 'set -euo pipefail':
#
#     . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# It provides messages (msg, die, usage), the common option parsing
# (-o OUTDIR -t SECONDS -l -h), variant selection, Debian's kernel
# (downloaded with 'apt-get download' and unpacked with dpkg-deb into the work
# dir, never installed on the host) and the closure of its modules, a
# reproducible busybox initramfs, the HALT.bin BIOS, QEMU processes that are
# tracked by PID and killed by an EXIT trap whatever happens, and a QMP client
# over a bash coproc.  Every name it defines is listed in tests/qemu/README.md.
#
# Sourcing changes to the repository's top directory and installs the trap.

VQ_PROG=${VQ_PROG:-$(basename "$0" .sh)}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO" || exit 1
QEMU=${QEMU:-qemu-system-x86_64}

# --- messages -----------------------------------------------------------------
die() { echo "$VQ_PROG: error: $*" >&2; exit 1; }
msg() { echo "$VQ_PROG: $*" >&2; }
# usage [STATUS]: the script's own header comment, from '# Usage:' to '# Host needs'.
usage() { sed -n '/^# Usage:/,/^# Host needs/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit "${1:-2}"; }

# need_tools TOOL...: die naming the first one that is missing ($VQ_HINT is
# appended, e.g. the packages to install).
need_tools() {
	local t
	for t; do
		command -v "$t" >/dev/null || die "'$t' not found${VQ_HINT:+ ($VQ_HINT)}"
	done
}

# now: seconds since the epoch with a fraction; elapsed T0: seconds since T0, one decimal.
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# --- options and variants -----------------------------------------------------
# parse_opts EXTRA "$@": the options every script shares, -o OUTDIR,
# -t SECONDS, -l (sets LIST=1), -h; letters in EXTRA (getopts syntax) are
# handed to the script's own opt_hook LETTER ARG.  Operands end up in ARGS.
parse_opts() {
	local extra=$1 opt OPTIND=1 OPTARG=
	shift
	LIST=0
	# shellcheck disable=SC2034 # OUTDIR and LIST are for the caller
	while getopts ":o:t:lh$extra" opt; do
		case $opt in
		o) OUTDIR=$OPTARG ;;
		t) TIMEOUT=$OPTARG ;;
		l) LIST=1 ;;
		h) usage 0 ;;
		:) echo "$VQ_PROG: option -$OPTARG needs an argument" >&2; usage ;;
		\?) echo "$VQ_PROG: unknown option -$OPTARG" >&2; usage ;;
		*) opt_hook "$opt" "${OPTARG:-}" ;;
		esac
	done
	shift $((OPTIND - 1))
	ARGS=("$@")
	case ${TIMEOUT:-x} in
	'' | *[!0-9]*) die "-t wants a number of seconds, not '${TIMEOUT:-}'" ;;
	esac
}

# select_variants STRIP: VARIANTS holds "name|field|..." lines; pick the
# ones named in ARGS (all when ARGS is empty) into SEL, in the order asked.
# STRIP is a prefix that may be given in front of a name (e.g. "qemu72-").
select_variants() {
	local strip=$1 w v found want=("${ARGS[@]}")
	if [ ${#want[@]} -eq 0 ]; then
		for v in "${VARIANTS[@]}"; do want+=("${v%%|*}"); done
	fi
	SEL=()
	for w in "${want[@]}"; do
		[ -n "$strip" ] && w=${w#"$strip"}
		found=
		for v in "${VARIANTS[@]}"; do
			[ "${v%%|*}" = "$w" ] && { SEL+=("$v"); found=1; }
		done
		[ -n "$found" ] || die "unknown variant '$w' (see -l)"
	done
}

# work_dir DEFAULT: WORK = $VTD_QEMU_WORK or DEFAULT (build/qemu), created
# and made absolute.  It caches the kernel package and its unpacked files.
work_dir() {
	WORK=${VTD_QEMU_WORK:-$1}
	mkdir -p "$WORK"
	WORK=$(cd "$WORK" && pwd)
}

# --- processes: every QEMU we start is killed by PID, whatever happens ------
VQ_PIDS=()     # PIDs of what we started (QEMU, or 'timeout' in front of it)
VQ_PIDFILES=() # QEMU -pidfile files: the real QEMU PID behind a wrapper
VQ_AT_EXIT=()  # commands run last by the trap (e.g. removing a temp dir)

# track_pid PID / untrack_pid PID / track_pidfile FILE (a QEMU -pidfile)
track_pid() { VQ_PIDS+=("$1"); }
track_pidfile() { VQ_PIDFILES+=("$1"); }
untrack_pid() {
	local p keep=()
	for p in "${VQ_PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
	VQ_PIDS=("${keep[@]}")
}

# is_qemu PID: PID is alive and is a QEMU (guards against PID reuse).
is_qemu() { grep -q '^qemu-system' "/proc/$1/comm" 2>/dev/null; }

# stop_pid PID: TERM, up to 5 s of grace, then KILL; reaps it when it is our child.
stop_pid() {
	local p=$1 i
	kill -TERM "$p" 2>/dev/null || true
	for ((i = 0; i < 50; i++)); do
		kill -0 "$p" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$p" 2>/dev/null || true
	wait "$p" 2>/dev/null || true
	untrack_pid "$p"
}

vq_cleanup() {
	local p f c
	for p in "${VQ_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	for f in "${VQ_PIDFILES[@]}"; do
		[ -f "$f" ] || continue
		p=$(cat "$f" 2>/dev/null || true)
		if [ -n "$p" ] && is_qemu "$p"; then
			kill -TERM "$p" 2>/dev/null || true
			sleep 1
			is_qemu "$p" && kill -KILL "$p" 2>/dev/null
		fi
		rm -f "$f"
	done
	for p in "${VQ_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	VQ_PIDS=()
	for c in "${VQ_AT_EXIT[@]}"; do eval "$c" || true; done
}
trap vq_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# run_bg LOG SECONDS CMD...: start CMD under 'timeout' in the background
# with stdout+stderr to LOG and stdin from /dev/null; QPID is its PID.
run_bg() {
	local log=$1 secs=$2
	shift 2
	timeout --kill-after=10 "$secs" "$@" </dev/null >"$log" 2>&1 &
	QPID=$!
	track_pid "$QPID"
}

# wait_pid PID: wait for it, untrack it, and return its exit status.
wait_pid() {
	local rc=0
	wait "$1" || rc=$?
	untrack_pid "$1"
	return "$rc"
}

# start_coproc ERRFILE CMD...: CMD as a coproc, stdin/stdout connected to the
# fds QIN (write) and QOUT (read), stderr to ERRFILE; QPID is its PID.  The
# fds are copies, so they stay valid after bash reaps the coproc.
start_coproc() {
	local err=$1
	shift
	coproc VQ_CO { exec "$@" 2>"$err"; }
	QPID=$VQ_CO_PID
	track_pid "$QPID"
	exec {QIN}>&"${VQ_CO[1]}" {QOUT}<&"${VQ_CO[0]}"
}

# end_coproc: close our copies of the coproc fds.
end_coproc() {
	[ -n "${QIN:-}" ] && exec {QIN}>&-
	[ -n "${QOUT:-}" ] && exec {QOUT}<&-
	QIN='' QOUT=''
}

# --- QMP over the coproc -------------------------------------------------------
# QEMU runs with '-qmp stdio' under start_coproc: one JSON object a line.
# QMP_TIMEOUT bounds each answer; QMP_LOG (optional) records the conversation.
QMP_TIMEOUT=${QMP_TIMEOUT:-120}

# qmp_open: read the greeting and leave capabilities negotiation mode.
qmp_open() {
	local line
	IFS= read -r -t "$QMP_TIMEOUT" line <&"$QOUT" || return 1
	[ -n "${QMP_LOG:-}" ] && printf '< %s\n' "${line%$'\r'}" >>"$QMP_LOG"
	case $line in '{"QMP"'*) ;; *) return 1 ;; esac
	qmp '{"execute": "qmp_capabilities"}'
}

# qmp JSON: send one command and wait for its answer, skipping events; the
# answer line is left in QMP_REPLY.  Returns 1 when QEMU answered an error.
qmp() {
	local line
	[ -n "${QMP_LOG:-}" ] && printf '> %s\n' "$1" >>"$QMP_LOG"
	# Writing into a dead coproc's pipe would kill us with SIGPIPE, silently.
	kill -0 "$QPID" 2>/dev/null || die "qmp: QEMU is gone (sending $1)"
	printf '%s\n' "$1" >&"$QIN"
	while IFS= read -r -t "$QMP_TIMEOUT" line <&"$QOUT"; do
		line=${line%$'\r'}
		[ -n "${QMP_LOG:-}" ] && printf '< %s\n' "$line" >>"$QMP_LOG"
		case $line in
		'{"return"'*) QMP_REPLY=$line; return 0 ;;
		'{"error"'*) QMP_REPLY=$line; return 1 ;;
		*) ;; # asynchronous events
		esac
	done
	die "qmp: no answer to $1 within ${QMP_TIMEOUT}s (QEMU gone or hung)"
}

# hmp COMMAND: a human-monitor command through QMP; its text (with real
# newlines) is left in HMP_OUT.  COMMAND must not contain '"' or '\'.
hmp() {
	qmp "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": \"$1\"}}" ||
		die "hmp '$1': $QMP_REPLY"
	HMP_OUT=$(printf '%s\n' "$QMP_REPLY" |
		sed -e 's/^{"return": "//' -e 's/"}$//' -e 's/\\r\\n/\n/g' -e 's/\\r//g' -e 's/\\n/\n/g')
}

# xp_words ADDR COUNT: COUNT 64-bit words of guest-physical memory (or MMIO)
# at ADDR through HMP 'xp', as 16-digit hex without 0x, into WORDS.
xp_words() {
	hmp "xp /$2gx $1"
	# shellcheck disable=SC2207 # words are plain hex tokens
	WORDS=($(printf '%s\n' "$HMP_OUT" | sed -n 's/^[0-9a-f]*: //p' | tr ' ' '\n' | sed -n 's/^0x//p'))
	[ "${#WORDS[@]}" = "$2" ] || die "xp /$2gx $1: got ${#WORDS[@]} words: $HMP_OUT"
}

# --- the BIOS for guest-less runs ----------------------------------------------
# make_halt_bios OUT: 64 KiB of zeros with 'cli; hlt; jmp $-1' at the reset vector.
make_halt_bios() {
	dd if=/dev/zero of="$1" bs=1024 count=64 status=none
	printf '\xfa\xf4\xeb\xfd' | dd of="$1" bs=1 seek=$((0xfff0)) conv=notrunc status=none
	[ "$(stat -c %s "$1")" = 65536 ] || die "$1 is not 64 KiB"
}

# --- Debian's kernel -------------------------------------------------------------
# _vq_resolve_kernel: the versioned package linux-image-amd64 depends on.
_vq_resolve_kernel() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n1 || true
}

# _vq_cached_deb: the kernel package's .deb in WORK, if there is one.
_vq_cached_deb() {
	local f
	for f in "$WORK/${KPKG}"_*.deb; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	return 0
}

# get_kernel boot|modules: make sure the kernel of the linux-image-amd64
# metapackage (or $KERNEL_PKG) is unpacked under $WORK/kernel; with
# 'modules' also its module tree.  Sets KPKG, KREL, VMLINUZ, KVER ("package
# version") and MODDIR.  Needs WORK (work_dir).
get_kernel() {
	local want_mods='' deb
	[ "$1" = modules ] && want_mods=1
	KPKG=${KERNEL_PKG:-}
	if [ -z "$KPKG" ]; then
		KPKG=$(_vq_resolve_kernel)
		# A fresh machine may have no package lists yet; root can fetch them.
		if [ -z "$KPKG" ] && [ "$(id -u)" = 0 ]; then
			msg "apt has no linux-image-amd64: running apt-get update"
			apt-get update -qq >&2 || true
			KPKG=$(_vq_resolve_kernel)
		fi
		[ -n "$KPKG" ] || die "cannot resolve linux-image-amd64 to a kernel package (apt-get update?)"
	fi
	KREL=${KPKG#linux-image-}
	VMLINUZ=$WORK/kernel/boot/vmlinuz-$KREL
	MODDIR=$WORK/kernel/lib/modules/$KREL
	SYSTEM_MAP=$WORK/kernel/boot/System.map-$KREL
	if ! [ -f "$VMLINUZ" ] || ! [ -f "$SYSTEM_MAP" ] ||
	   { [ -n "$want_mods" ] && ! [ -d "$MODDIR/kernel" ]; }; then
		deb=$(_vq_cached_deb)
		if [ -z "$deb" ]; then
			msg "downloading $KPKG (not installed on the host)"
			(cd "$WORK" && apt-get download -q "$KPKG" >&2) || die "apt-get download $KPKG failed"
			deb=$(_vq_cached_deb)
			[ -n "$deb" ] || die "apt-get download $KPKG left no .deb in $WORK"
		fi
		msg "unpacking $(basename "$deb")"
		rm -rf "$WORK/kernel.tmp"
		dpkg-deb -x "$deb" "$WORK/kernel.tmp" || die "dpkg-deb -x $deb failed"
		mkdir -p "$WORK/kernel/boot"
		cp -p "$WORK"/kernel.tmp/boot/vmlinuz-* "$WORK"/kernel.tmp/boot/config-* \
			"$WORK"/kernel.tmp/boot/System.map-* "$WORK/kernel/boot/"
		if [ -n "$want_mods" ]; then
			[ -d "$WORK/kernel.tmp/lib/modules/$KREL/kernel" ] || die "$deb has no lib/modules/$KREL"
			rm -rf "$MODDIR"
			mkdir -p "$(dirname "$MODDIR")"
			mv "$WORK/kernel.tmp/lib/modules/$KREL" "$MODDIR"
		fi
		rm -rf "$WORK/kernel.tmp"
		[ -f "$VMLINUZ" ] || die "$deb has no boot/vmlinuz-$KREL"
	fi
	deb=$(_vq_cached_deb)
	# shellcheck disable=SC2034 # KVER is for the caller
	if [ -n "$deb" ]; then
		KVER="$(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version)"
	else
		KVER="$KPKG (version unknown: .deb removed from cache)"
	fi
}

# kernel_vmlinux: VMLINUX = the ELF vmlinux inside VMLINUZ (what a user with
# only the installed kernel has: its .BTF section is kept in the compressed
# payload).  Debian compresses it with xz; the payload is the first xz stream.
kernel_vmlinux() {
	local off
	VMLINUX=$WORK/kernel/boot/vmlinux-$KREL
	[ -s "$VMLINUX" ] && return 0
	off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$VMLINUZ" | head -n1 | cut -d: -f1)
	[ -n "$off" ] || die "$VMLINUZ: no xz payload (not an xz-compressed bzImage)"
	# xz stops at the end of the stream: tail's SIGPIPE is no failure.
	xz -dc --single-stream < <(tail -c +$((off + 1)) "$VMLINUZ") >"$VMLINUX.tmp" 2>/dev/null ||
		die "$VMLINUZ: the xz payload at $off does not decompress"
	[ "$(head -c 4 "$VMLINUX.tmp" | od -An -c | tr -d ' ')" = '177ELF' ] ||
		die "$VMLINUZ: the payload is not an ELF vmlinux"
	mv "$VMLINUX.tmp" "$VMLINUX"
}

# module_closure NAME...: CLOSURE = the .ko files (paths under MODDIR) that
# loading the modules NAMEs needs, each after its dependencies.  The .deb carries no
# modules.dep (depmod makes it at install time), so dependencies come from
# each module's own .modinfo 'depends=' field.
module_closure() {
	local -A path=() seen=()
	local f n
	CLOSURE=()
	while IFS= read -r f; do
		n=$(basename "$f")
		n=${n%%.ko*}
		path[${n//-/_}]=$f
	done < <(cd "$MODDIR" && find kernel -name '*.ko*')
	_vq_visit() {
		local m=${1//-/_} ko d deps
		[ -n "${seen[$m]:-}" ] && return 0
		seen[$m]=1
		ko=${path[$m]:-}
		[ -n "$ko" ] || die "module $1 is not in $MODDIR"
		case $ko in
		*.ko) ;;
		*) die "module $ko is compressed; this harness expects plain .ko files" ;;
		esac
		deps=$(readelf -p .modinfo "$MODDIR/$ko" | sed -n 's/^ *\[ *[0-9a-f]*\]  depends=//p')
		for d in ${deps//,/ }; do _vq_visit "$d"; done
		CLOSURE+=("$ko")
	}
	for n; do _vq_visit "$n"; done
	unset -f _vq_visit
}

# --- the busybox initramfs ---------------------------------------------------------
# need_busybox: BUSYBOX = a static busybox; CPIO = cpio, or busybox's applet.
need_busybox() {
	BUSYBOX=/bin/busybox
	if ! [ -x "$BUSYBOX" ] || LC_ALL=C ldd "$BUSYBOX" >/dev/null 2>&1; then
		die "$BUSYBOX is missing or not static (apt-get install busybox-static)"
	fi
	if command -v cpio >/dev/null; then CPIO=(cpio); else CPIO=("$BUSYBOX" cpio); fi
}

# initramfs_skel ROOT: a fresh tree with busybox, /bin/sh and /dev/console.
initramfs_skel() {
	local root=$1
	rm -rf "$root"
	mkdir -p "$root"/{bin,dev,proc,sys,tmp}
	cp "$BUSYBOX" "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	if [ "$(id -u)" = 0 ]; then
		mknod -m 600 "$root/dev/console" c 5 1
	fi
}

# initramfs_pack ROOT OUT: a newc cpio, gzip'ed.  Fixed mtimes, owner 0:0,
# sorted names and gzip -n: byte-for-byte reproducible from the same tree.
initramfs_pack() {
	local root=$1 out=$2
	find "$root" -exec touch -h -d @0 {} +
	(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
		"${CPIO[@]}" -o -H newc -R 0:0 2>/dev/null) | gzip -9 -n >"$out.tmp"
	mv "$out.tmp" "$out"
}
