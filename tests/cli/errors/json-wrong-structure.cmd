cd "$WORK" && vtd-decode -j -w 128 inv 0x10032 0x1000 0x100000025 0x1000 > i.json; vtd-decode --encode inv-iotlb --from-json i.json
