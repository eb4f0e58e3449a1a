vtd-compile -q -o $WORK/t.bin $VTD_DATA/dump/faulty.json && cd $WORK && vtd-dump t.bin@0x100000 --rtaddr 0x100000 --check -j -q
