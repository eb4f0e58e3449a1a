vtd-decode -w 64 inv 1 2
