cd $VTD_DATA/traces && vtd-top --keys 2 legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
