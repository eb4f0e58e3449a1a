cd $VTD_DATA/traces && vtd-top -b -d 0.5 -n 3 scalable-lazy.ftrace.txt.zst
