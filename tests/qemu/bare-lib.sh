# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for bare-mode scenarios (tests/qemu/bare/*.sh): build a table image
# with vtd-decode --encode and write the probe script that qprobe runs.
# A scenario sets QPROBE_ARGS and calls img_init, put, op and probe.

# img_init DIR BASE SIZE: a zeroed image that will be loaded at BASE.
img_init() {
	SC_DIR=$1 IMG_BASE=$(($2)) IMG_SIZE=$(($3))
	IMG=$SC_DIR/tables.bin
	SCRIPT=$SC_DIR/script.jsonl
	head -c "$IMG_SIZE" /dev/zero >"$IMG"
	: >"$SCRIPT"
}

# put PA LAYOUT FIELD=VALUE...: encode one structure and place it at PA.
put() {
	local at=$1 pa=$(($1)) layout=$2 enc
	shift 2
	enc=$SC_DIR/enc.bin
	"$VTD_DECODE" --encode "$layout" "$@" -o "$enc" ||
		{ echo "put: cannot encode $layout $*" >&2; return 1; }
	if [ "$pa" -lt "$IMG_BASE" ] ||
	   [ $((pa + $(stat -c %s "$enc"))) -gt $((IMG_BASE + IMG_SIZE)) ]; then
		echo "put: $layout at $at is outside the image" >&2
		return 1
	fi
	dd if="$enc" of="$IMG" bs=1 seek=$((pa - IMG_BASE)) conv=notrunc status=none
}

# op JSON: one raw script line.
op() { printf '%s\n' "$1" >>"$SCRIPT"; }

# probe NAME BDF read|write IOVA EXPECT [EXPECT_PA [LEN]]
#   EXPECT is "ok" or a fault reason ("0x05"); with EXPECT_PA the bytes must
#   land at (writes) or come from (reads) that host address.
#   CACHE=1 probe ...: the outcome depends on QEMU's IOTLB or context cache
#   (a stale entry, a hit): the line gets "cache": true, a note for readers
#   that vtd-sim predicts it with its cache model, not the walk alone.
probe() {
	local pa=${6:+,\"expect_pa\":\"$6\"} len=${7:+,\"len\":$7} cache=${CACHE:+,\"cache\":true}
	op "{\"op\":\"probe\",\"name\":\"$1\",\"bdf\":\"$2\",\"dir\":\"$3\",\"iova\":\"$4\",\"expect\":\"$5\"$pa$len$cache}"
}

# fill PA HEX: plain memory contents (data a read probe should fetch).
fill() { op "{\"op\":\"write\",\"pa\":\"$1\",\"hex\":\"$2\"}"; }

# setq PA VALUE: a 64-bit little-endian store (change a live entry).
setq() {
	local v hex="" i
	v=$(printf '%016x' $(($2)))
	for i in 14 12 10 8 6 4 2 0; do hex+=${v:i:2}; done
	fill "$1" "$hex"
}

# qi LAYOUT FIELD=VALUE...: submit one descriptor through the invalidation
# queue (QI_WIDTH=256 in scalable mode, where the queue holds 256-bit slots).
qi() {
	local layout=$1 words
	shift
	words=$("$VTD_DECODE" --encode -w "${QI_WIDTH:-128}" "$layout" "$@") ||
		{ echo "qi: cannot encode $layout $*" >&2; return 1; }
	op "{\"op\":\"qi\",\"desc\":\"$words\"}"
}

# compiled DIR LAYOUT [VTD-COMPILE OPTION...]: tables and probes from a
# layout: vtd-compile writes the image, its map (for the base address) and
# the probe script its --probes derives from the layout.
compiled() {
	local dir=$1 layout=$2
	shift 2
	SC_DIR=$dir IMG=$dir/tables.bin SCRIPT=$dir/script.jsonl
	"$VTD_COMPILE" -q "$layout" -o "$IMG" -o "$dir/map.json" --probes "$SCRIPT" "$@" ||
		{ echo "compiled: vtd-compile $layout failed" >&2; return 1; }
	IMG_BASE=$(($(grep -o '"base": *"0x[0-9a-f]*"' "$dir/map.json" | head -1 | grep -o '0x[0-9a-f]*')))
	IMG_SIZE=$(stat -c %s "$IMG")
}
