cd $VTD_DATA/traces && vtd-top -b -n 2 --size 100x30 legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
