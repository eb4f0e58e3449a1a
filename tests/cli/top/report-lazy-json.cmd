cd $VTD_DATA/traces && vtd-top --report -p scalable-lazy.dmesg.txt.gz scalable-lazy.ftrace.txt.zst
