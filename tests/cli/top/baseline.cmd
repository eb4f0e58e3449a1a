cd $VTD_DATA/traces && vtd-top --report --baseline legacy-strict.dmesg.txt --baseline legacy-strict.ftrace.txt.gz scalable-lazy.dmesg.txt.gz scalable-lazy.ftrace.txt.zst
