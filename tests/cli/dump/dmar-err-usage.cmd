cd $WORK && vtd-compile -q -o t.bin $VTD_DATA/dump/rmrr.json && vtd-dump t.bin@0x100000 --rtaddr 0x100000 --dmar $VTD_DATA/dmar/qemu72-q35-default.dmar
