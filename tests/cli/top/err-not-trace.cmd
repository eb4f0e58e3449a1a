cd $VTD_DATA/traces && vtd-top --report README.md
