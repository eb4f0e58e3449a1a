vtd-decode -1 pasid-entry 0x49 5 0x400001 0 0 0 0 0
