cd $VTD_SAMPLES && printf '{"op":"regs"}\n00:03.0 read 0x1000\n' | vtd-sim --regs regs-qemu.regs -f -
