vtd-decode pasid-dir 0x201001
