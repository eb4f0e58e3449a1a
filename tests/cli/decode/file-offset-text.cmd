vtd-decode -f "$VTD_SAMPLES"/context-table.bin --offset 0xfb0 context-legacy
