cd $VTD_DATA/traces && vtd-top --report -F syslog legacy-strict.dmesg.txt
