zcat $VTD_DATA/traces/legacy-strict.ftrace.txt.gz | vtd-top --report -q --fail-if "unmap!=247" --fail-if "strict!=1" -
