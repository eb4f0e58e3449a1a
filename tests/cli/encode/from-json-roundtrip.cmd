vtd-decode -j context-legacy 0x10c007 0x401 > $WORK/x.json && vtd-decode --encode context-legacy --from-json $WORK/x.json
