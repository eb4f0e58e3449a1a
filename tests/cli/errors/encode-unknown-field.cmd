vtd-decode --encode context-legacy bogus=1
