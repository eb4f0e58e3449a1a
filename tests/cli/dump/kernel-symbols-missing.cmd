cd $WORK && vtd-compile -q -o t.bin $VTD_DATA/dump/legacy.json && vtd-dump t.bin --symbols no-such-kallsyms
