cd $VTD_DATA/traces && vtd-top --report --tables image:x@0 legacy-strict.dmesg.txt
