# SPDX-License-Identifier: GPL-2.0-or-later
# Scalable-mode tables vtd-compile built from compiled-scalable.json, probed
# with the requests its --probes derives from the layout.
QPROBE_ARGS=(--scalable --aw-bits 48 --edu 00:03.0 --edu 00:04.0 --edu 00:05.0 --edu 00:06.0)
compiled "$1" "$(dirname "${BASH_SOURCE[0]}")/compiled-scalable.json" --faults qemu
