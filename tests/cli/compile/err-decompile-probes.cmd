vtd-compile -d $VTD_DATA/compile/legacy.json --regs $VTD_DATA/regs/qemu72-default.regs --probes x
