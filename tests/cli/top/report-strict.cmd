cd $VTD_DATA/traces && vtd-top --report legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
