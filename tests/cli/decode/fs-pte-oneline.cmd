vtd-decode -1 fs-pte 0x8000000012345067
