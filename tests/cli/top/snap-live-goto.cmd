cd $VTD_DATA/traces && zcat legacy-strict.ftrace.txt.gz | vtd-top --snapshot --keys 't 12.4<Enter>' -
