cd $VTD_DATA/traces && vtd-top --snapshot --size 132x40 legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
