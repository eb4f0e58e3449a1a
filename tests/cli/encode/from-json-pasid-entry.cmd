vtd-decode -j pasid-entry 0x300089 5 0 0 0 0 0 0 > $WORK/x.json && vtd-decode --encode pasid-entry --from-json $WORK/x.json
