cd "$VTD_SAMPLES" && vtd-decode -f context-table.bin --offset 0x1000 context-legacy
