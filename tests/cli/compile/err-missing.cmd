cd $VTD_DATA/compile && vtd-compile bad-missing.json
