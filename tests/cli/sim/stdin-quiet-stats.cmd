cd $VTD_DATA/sim && printf '00:03.0 read 0x200000\n00:03.0 read 0x200008\n00:03.0 read 0x201000\n' | vtd-sim -l legacy.bin@0x100000 -r 0x101000 -q --stats -f -
