vtd-compile -q -o $WORK/t.bin $VTD_DATA/dump/scalable.json && vtd-dump image:$WORK/t.bin@0x200000 --rtaddr 0x200400 --profile server --raw
