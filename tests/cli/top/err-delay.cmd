cd $VTD_DATA/traces && vtd-top -b -d 0 legacy-strict.dmesg.txt
