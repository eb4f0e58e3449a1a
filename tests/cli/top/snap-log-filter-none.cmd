cd $VTD_DATA/traces && vtd-top --snapshot --keys '/nothing-matches<Enter>' legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
