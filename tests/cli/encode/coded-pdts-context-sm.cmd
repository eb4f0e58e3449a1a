vtd-decode --encode context-sm p=1 dte=1 pdts=256 pasiddirptr=0x200000
