vtd-decode -j -f "$VTD_SAMPLES"/context-table.bin --offset 0x180 context-legacy
