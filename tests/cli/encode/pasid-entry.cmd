vtd-decode --encode pasid-entry p=1 pgtt=second-stage aw=48-bit ssptptr=0x300000 did=5
