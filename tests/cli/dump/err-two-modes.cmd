vtd-dump $WORK/t.bin --rtaddr 0x100000 --raw --check
