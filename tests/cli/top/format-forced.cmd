cd $VTD_DATA/traces && vtd-top --report -q -F ftrace --fail-if "faults>0" --fail-if "inv!=299" legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
