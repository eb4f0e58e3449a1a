vtd-decode -n 0 -f "$VTD_SAMPLES"/context-table.bin context-legacy
