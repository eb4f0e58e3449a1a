cd $VTD_DATA/traces && vtd-top --report --fail-if "fautls>0" legacy-strict.dmesg.txt
