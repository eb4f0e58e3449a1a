vtd-compile -q $VTD_DATA/top/edu-tables.json -o $WORK/t.bin && cd $VTD_DATA/traces && vtd-top --report --tables image:$WORK/t.bin@0x100000 --rtaddr 0x100000 legacy-strict.dmesg.txt
