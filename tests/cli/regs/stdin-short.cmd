head -c 100 "$VTD_DATA"/regs/qemu72-default.regs | vtd-decode regs -
