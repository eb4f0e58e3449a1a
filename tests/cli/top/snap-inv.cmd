cd $VTD_DATA/traces && vtd-top --snapshot --size 100x36 --keys '3' legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
