vtd-decode --haw 39 ss-pte 0x0000008012345003
