cd $VTD_DATA/traces && vtd-top --snapshot legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
