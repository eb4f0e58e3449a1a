cd $WORK && vtd-dump nosuch.bin --rtaddr 0x100000
