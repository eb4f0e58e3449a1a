vtd-dump $WORK/t.bin
