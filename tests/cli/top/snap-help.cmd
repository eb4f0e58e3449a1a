cd $VTD_DATA/traces && vtd-top --snapshot --size 100x40 --keys '<F1>' legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
