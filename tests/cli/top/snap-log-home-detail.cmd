cd $VTD_DATA/traces && vtd-top --snapshot --keys '4 <Home> <Down> <Down> <Down> <Down> <Down> <Enter>' legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
