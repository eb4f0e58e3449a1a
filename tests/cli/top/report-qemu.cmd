cd $VTD_DATA/traces && vtd-top --report legacy-strict.qemu-trace.log.gz
