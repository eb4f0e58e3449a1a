vtd-decode --encode irte-remapped p=1 v=0x30 dst=0x1 | vtd-decode -1 irte
