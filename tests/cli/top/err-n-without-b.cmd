cd $VTD_DATA/traces && vtd-top --report -n 3 legacy-strict.dmesg.txt
