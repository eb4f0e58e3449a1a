cd $VTD_DATA/traces && vtd-top legacy-strict.dmesg.txt
