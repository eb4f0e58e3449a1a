# SPDX-License-Identifier: GPL-2.0-or-later
# Tables vtd-compile built from compiled-legacy.json, probed with the
# requests its --probes derives from the layout alone (mapped pages succeed
# at the layout's host address; the pages around each mapping fault).
QPROBE_ARGS=(-m 1280 --edu 00:03.0 --edu 00:04.0 --edu 00:04.1 --edu 00:05.0 --edu 00:06.0)
compiled "$1" "$(dirname "${BASH_SOURCE[0]}")/compiled-legacy.json" --faults qemu
