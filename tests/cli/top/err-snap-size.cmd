cd $VTD_DATA/traces && vtd-top --snapshot --size 60x20 legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
