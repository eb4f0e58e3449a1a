cd $VTD_DATA/traces && vtd-top --snapshot --view faults --keys 's <Down>' legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
