cd $VTD_DATA/traces && vtd-top --snapshot --keys '4 s nowhere<Enter>' legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
