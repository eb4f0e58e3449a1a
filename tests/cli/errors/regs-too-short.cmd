cd "$WORK" && head -c 16 "$VTD_DATA"/regs/qemu72-default.regs > short.regs && vtd-decode regs short.regs
