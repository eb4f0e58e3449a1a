cd $VTD_DATA/compile && vtd-compile -q -o $WORK/t.bin legacy.json && vtd-compile -d $WORK/t.bin@0x100000 --rtaddr 0x100000
