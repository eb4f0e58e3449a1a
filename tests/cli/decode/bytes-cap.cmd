vtd-decode -1 -b cap 06 02 26 22 8c 00 d2 00
