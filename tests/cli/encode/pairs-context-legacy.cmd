vtd-decode --encode context-legacy p=1 fpd=1 tt=multi-level-devtlb aw=39-bit ssptptr=0x10c000 did=4
