vtd-decode inv 0xf 0
