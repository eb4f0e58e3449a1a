vtd-decode --encode -w 256 inv-wait type=wait sw=1 statdata=0x1 stataddr=0x1000
