cd $VTD_DATA/traces && vtd-top --report --fail-if "faults>inf" legacy-strict.dmesg.txt
