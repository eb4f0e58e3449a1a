cd $VTD_DATA/sim && vtd-sim -M image:legacy.bin@0x100000 -l legacy.bin@0x100000 00:03.0 read 0
