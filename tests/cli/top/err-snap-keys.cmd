cd $VTD_DATA/traces && vtd-top --snapshot --keys '<Nope>' legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
