cd $WORK && vtd-compile -d none.bin@0x1000 --rtaddr 0x1000
