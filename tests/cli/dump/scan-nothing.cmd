cd $WORK && head -c 64K /dev/zero > img && vtd-dump img --scan
