cd $VTD_DATA/traces && vtd-top --snapshot --keys '2 <Enter> <Esc>' legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
