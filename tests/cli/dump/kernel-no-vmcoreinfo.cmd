vtd-compile -q -o $WORK/t.bin $VTD_DATA/dump/legacy.json && vtd-dump $WORK/t.bin --kernel
