cd $VTD_DATA/sim && vtd-sim -l legacy.bin@0x100000 -r 0x101000 --cache iotlb=many 00:03.0 read 0
