vtd-decode regs "$VTD_DATA"/regs/qemu72-ir-devtlb.regs
