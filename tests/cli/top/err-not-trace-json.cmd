cd $VTD_DATA/sim && vtd-top --report -j legacy.bin
