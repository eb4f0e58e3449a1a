cd $WORK && vtd-compile -q -o t.bin $VTD_DATA/dump/rmrr.json && vtd-decode dmar --encode $VTD_DATA/dump/rmrr-ok.dmar.json -o d.bin && vtd-dump t.bin@0x100000 --rtaddr 0x100000 --check --dmar d.bin
