cd $VTD_DATA/traces && vtd-top --snapshot --keys '< < < <' legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
