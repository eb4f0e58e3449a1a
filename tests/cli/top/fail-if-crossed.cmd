cd $VTD_DATA/traces && vtd-top --report -q --fail-if "faults>0" --fail-if "inv.domain_share > 10%" --fail-if "unmap_to_inv.p99>=50us" legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
