cd $VTD_DATA/traces && vtd-top --snapshot --size 100x30 legacy-strict.qemu-trace.log.gz
