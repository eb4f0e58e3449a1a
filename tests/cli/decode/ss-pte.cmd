vtd-decode ss-pte 0x0000000012345003
