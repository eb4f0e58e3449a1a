cd $VTD_DATA/traces && vtd-top -b -d 4 --view faults legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
