vtd-decode -p gsts 0xc0000000
