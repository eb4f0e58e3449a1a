cd $VTD_DATA/traces && vtd-top --snapshot --keys '4 <Home> n' legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
