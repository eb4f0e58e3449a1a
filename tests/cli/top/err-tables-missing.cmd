cd $WORK && vtd-top --report --tables image:nope.bin@0 --rtaddr 0 $VTD_DATA/traces/legacy-strict.dmesg.txt
