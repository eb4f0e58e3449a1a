vtd-decode root-legacy 0x101001 0
