vtd-decode -w 256 inv 0x2 0
