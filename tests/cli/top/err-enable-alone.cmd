cd $VTD_DATA/traces && vtd-top -b --enable legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
