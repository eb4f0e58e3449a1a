vtd-decode -j fs-pml4e 0x0000000012346007
