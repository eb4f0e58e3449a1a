cd $VTD_DATA/traces && vtd-top --snapshot --size 100x30 scalable-lazy.dmesg.txt.gz scalable-lazy.ftrace.txt.zst
