cd $WORK && mkdir -p root && VTD_DUMP_SYSROOT=root vtd-dump
