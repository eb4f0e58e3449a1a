cd $VTD_DATA/traces && vtd-top --snapshot --view log legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
