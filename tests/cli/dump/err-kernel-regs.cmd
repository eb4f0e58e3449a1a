vtd-dump $WORK/t.bin --kernel --regs $VTD_DATA/regs/qemu72-q35-default.bin
