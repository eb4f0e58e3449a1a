cd $VTD_DATA/compile && vtd-compile -q -o $WORK/t.bin legacy.json && wc -c < $WORK/t.bin && vtd-sim -l $WORK/t.bin@0x100000 -r 0x100000 00:04.2 write 0x201000
