vtd-decode pasid-entry 0x300089 5 0 0 0 0 0 0
