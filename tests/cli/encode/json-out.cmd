vtd-decode --encode -j fs-pte p=1 rw=1 us=1 a=1 d=1 addr=0x12345000 xd=1
