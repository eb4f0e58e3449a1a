cd $VTD_DATA/sim && vtd-sim -l legacy.bin@0x100000 -r 0x101000 --faults qemu --write-ad --json 00:03.0 write 0x200000
