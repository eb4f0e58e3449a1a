vtd-compile -q -o $WORK/t.bin $VTD_DATA/dump/legacy.json && vtd-dump $WORK/t.bin@0x100000 --regs $VTD_DATA/regs/qemu72-enabled.regs --device 00:05.0
