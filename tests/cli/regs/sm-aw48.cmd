vtd-decode regs "$VTD_DATA"/regs/qemu72-sm-aw48.regs
