vtd-decode -1 ecap 0x0000480080f00f4a
