vtd-decode -r context-legacy 0x102001 0x101
