vtd-decode -1 context-legacy 0x10a00d 0x101
