vtd-decode regs "$VTD_DATA"/regs/qemu72-default.regs
