vtd-compile -q -o $WORK/t.bin $VTD_DATA/dump/legacy.json && cd $WORK && vtd-dump t.bin@0x100000 --rtaddr 0x100000 --json --pretty --address 0x1000 --device 00:03.0 --device 00:05.0
