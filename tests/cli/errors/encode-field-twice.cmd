vtd-decode --encode context-legacy p=1 P=0
