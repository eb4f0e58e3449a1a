vtd-decode context-legacy 0x10c007 0x401
