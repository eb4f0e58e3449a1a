vtd-decode root-legacy 0x101003 0
