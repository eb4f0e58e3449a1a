cd $VTD_DATA/traces && vtd-top --snapshot --keys 't 10<Enter>' legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
