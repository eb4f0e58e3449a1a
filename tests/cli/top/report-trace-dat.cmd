cd $VTD_DATA/traces && vtd-top --report --fail-if "inv.page!=247" --fail-if "unmap!=247" legacy-strict.trace.dat.gz
