cd $VTD_DATA/traces && vtd-top --snapshot --keys '3 <Down> <Enter>' legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
