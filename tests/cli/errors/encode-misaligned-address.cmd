vtd-decode --encode context-legacy ssptptr=0x10a123
