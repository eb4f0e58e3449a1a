cd $WORK && cp $VTD_DATA/compile/legacy.json . && vtd-compile -q -o t.o legacy.json && vtd-compile -d elf:t.o --rtaddr 0x100000
