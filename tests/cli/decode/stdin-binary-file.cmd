head -c 16 "$VTD_DATA"/regs/qemu72-default.regs | tail -c 8 | vtd-decode -1 -f - cap
