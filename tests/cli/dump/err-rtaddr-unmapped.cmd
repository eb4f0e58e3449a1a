vtd-compile -q -o $WORK/t.bin $VTD_DATA/dump/legacy.json && vtd-dump $WORK/t.bin@0x100000 --rtaddr 0x900000
