cd $VTD_DATA/sim && vtd-sim -s --faults qemu -r 0x100000 00:03.0 read 0x1000; vtd-sim -s -r 0x100000 00:03.0 read 0x1000
