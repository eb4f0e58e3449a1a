vtd-decode --encode cap sagaw=0x6
