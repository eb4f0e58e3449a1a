cd $VTD_DATA/sim && printf '{"op":"unmap","bdf":"00:03.0","addr":"0x200000"}\n' | vtd-sim -M image:legacy.bin@0x100000 -r 0x101000 -f -
