vtd-compile -q -o $WORK/t.bin $VTD_DATA/dump/scalable.json && cd $WORK && vtd-dump image:t.bin@0x200000 --rtaddr 0x200400 --profile server -j
