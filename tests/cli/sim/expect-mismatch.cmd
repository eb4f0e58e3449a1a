cd $VTD_DATA/sim && printf '00:03.0 write 0x200000 expect=0x05\n' | vtd-sim -l legacy.bin@0x100000 -r 0x101000 -f -
