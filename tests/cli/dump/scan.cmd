vtd-compile -q -o $WORK/t.bin $VTD_DATA/dump/legacy.json && cd $WORK && head -c 1M /dev/zero > img && cat t.bin >> img && head -c 256K /dev/zero >> img && vtd-dump img --scan
