cd $VTD_DATA/traces && vtd-top --snapshot --keys 'z' legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
