cd $VTD_DATA/traces && vtd-top --snapshot --size 100x30 --keys '<F3> <Down> d' legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
