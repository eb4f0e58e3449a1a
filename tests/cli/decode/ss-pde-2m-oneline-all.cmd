vtd-decode -1 -a ss-pde-2m 0x0000000040200083
