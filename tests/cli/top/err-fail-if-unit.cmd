cd $VTD_DATA/traces && vtd-top --report --fail-if "unmap_to_inv.p99>50" legacy-strict.dmesg.txt
