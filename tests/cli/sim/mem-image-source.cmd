cd $VTD_DATA/sim && vtd-sim -M image:legacy.bin@0x100000 -r 0x101000 --explain 00:03.0 write 0x201000
