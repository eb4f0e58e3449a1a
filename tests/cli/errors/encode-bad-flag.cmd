vtd-decode --encode context-legacy p=2
