cd $VTD_DATA/traces && vtd-top --report --fail-if "faults>5ms" legacy-strict.dmesg.txt
