cd $VTD_DATA/traces && vtd-top --report -q --storm 50 --window 0.01 --fail-if "faults.storms>=2" --fail-if "faults.peak_rate>1000/s" legacy-strict.qemu-trace.log.gz
