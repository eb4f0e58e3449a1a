#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Bare mode of the real-peer harness: each tests/qemu/bare/*.sh scenario
# builds tables with vtd-decode, qprobe loads them into QEMU's intel-iommu
# and fires edu DMA; every probe's outcome must match its expectation.
# vtd-sim --faults qemu then runs the same script through libvtd's engine and
# cache model, whose prediction must match the same (QEMU-verified)
# expectation: a difference is a failure, never a skip.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-build}
QPROBE=$top/$B/tests/qprobe
VTD_SIM=$top/$B/vtd-sim
export VTD_DECODE=$top/$B/vtd-decode VTD_COMPILE=$top/$B/vtd-compile
out=$top/$B/tests/qemu-bare
. "$top/tests/qemu/bare-lib.sh"

if ! command -v "${QEMU:-qemu-system-x86_64}" >/dev/null; then
	echo "not ok - qemu-bare: qemu-system-x86_64 not found (apt-get install qemu-system-x86)"
	exit 1
fi
for sc in "$top"/tests/qemu/bare/*.sh; do
	name=$(basename "$sc" .sh)
	dir=$out/$name
	rm -rf "$dir" && mkdir -p "$dir"
	QPROBE_ARGS=()
	# A process of its own: 'set -e' is ignored in a subshell that 'if' tests.
	if ! bash -euc '. "$1"; QPROBE_ARGS=(); . "$2" "$3"; declare -p QPROBE_ARGS IMG_BASE >"$3/args"' \
		_ "$top/tests/qemu/bare-lib.sh" "$sc" "$dir" 2>"$dir/build.err"; then
		echo "not ok - $name: building the tables failed: $(tail -1 "$dir/build.err")"
		continue
	fi
	. "$dir/args"
	t0=$(date +%s%N)
	"$QPROBE" --tap "${QPROBE_ARGS[@]}" -l "$dir/tables.bin@$IMG_BASE" \
		-t "$dir/qemu-trace.log" -L "$dir/qemu.log" -o "$dir/results.jsonl" \
		"$dir/script.jsonl" >"$dir/tap" 2>"$dir/qprobe.err"
	rc=$?
	t1=$(date +%s%N)
	sed "s/^\(\(not \)\{0,1\}ok - \)/\1$name: /" "$dir/tap"
	if [ $rc -gt 1 ]; then
		echo "not ok - $name: qprobe exited $rc: $(head -1 "$dir/qprobe.err")"
	fi
	echo "# $name: $(grep -c '^ok' "$dir/tap") probes agree, $(( (t1 - t0) / 1000000 )) ms"
	# The simulator's prediction of the same probes (QEMU 7.2's numbering and
	# caches); the edu devices are the harness's business, not the machine's.
	sim_args=()
	for ((i = 0; i < ${#QPROBE_ARGS[@]}; i++)); do
		case ${QPROBE_ARGS[i]} in
		-e | --edu) i=$((i + 1)) ;;
		*) sim_args+=("${QPROBE_ARGS[i]}") ;;
		esac
	done
	"$VTD_SIM" --faults qemu --tap "${sim_args[@]}" -l "$dir/tables.bin@$IMG_BASE" \
		-f "$dir/script.jsonl" >"$dir/predict.tap" 2>"$dir/vtd-sim.err"
	rc=$?
	sed -e "s/^\(\(not \)\{0,1\}ok - \)/\1$name predicted: /" "$dir/predict.tap"
	if [ $rc -gt 1 ]; then
		echo "not ok - $name: vtd-sim exited $rc: $(head -1 "$dir/vtd-sim.err")"
	fi
	echo "# $name: $(grep -c '^ok' "$dir/predict.tap") predictions agree"
done
