cd $VTD_DATA/traces && vtd-top -b --report legacy-strict.dmesg.txt
