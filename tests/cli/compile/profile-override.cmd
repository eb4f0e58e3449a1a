cd $VTD_DATA/compile && vtd-compile --profile client --stats legacy.json
