vtd-decode gsts 0xc0000000
