cd $WORK && vtd-sim -l none.bin@0x1000 00:03.0 read 0
