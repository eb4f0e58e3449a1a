cd $VTD_DATA/traces && vtd-top --snapshot --keys 't x<Enter>' legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
