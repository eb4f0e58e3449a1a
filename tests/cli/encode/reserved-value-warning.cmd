vtd-decode --encode context-legacy p=1 tt=reserved aw=39-bit
