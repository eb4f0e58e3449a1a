vtd-decode -1 pasid-entry 0x41 5 0x400001 0 0 0 0 0
