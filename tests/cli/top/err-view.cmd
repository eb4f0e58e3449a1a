cd $VTD_DATA/traces && vtd-top --snapshot --view nope legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
