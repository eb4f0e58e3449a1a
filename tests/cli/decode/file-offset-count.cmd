vtd-decode -1 -f "$VTD_SAMPLES"/context-table.bin --offset 0x100 -n 4 context-legacy
