vtd-decode -j -f "$VTD_SAMPLES"/context-table.bin --offset 0x100 -n 4 context-legacy > $WORK/x.json && vtd-decode --encode context-legacy --from-json $WORK/x.json
