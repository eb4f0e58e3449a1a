cd $VTD_DATA/traces && vtd-top --report -f legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
