cd $VTD_DATA/traces && vtd-top --report -q --fail-if "unmap_to_inv.p99>1s" --fail-if "faults.storms>0" --fail-if "live.bytes_peak>1G" legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
