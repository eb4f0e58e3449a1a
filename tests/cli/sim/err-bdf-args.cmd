cd $VTD_DATA/sim && vtd-sim -l legacy.bin@0x100000 -r 0x101000 0:3 write 0x1000
