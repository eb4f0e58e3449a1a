cd $VTD_DATA/traces && vtd-top --threads 0 --report legacy-strict.dmesg.txt
