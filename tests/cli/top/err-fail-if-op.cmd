cd $VTD_DATA/traces && vtd-top --report --fail-if "faults=>1" legacy-strict.dmesg.txt
