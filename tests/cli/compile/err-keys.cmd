cd $VTD_DATA/compile && vtd-compile bad-keys.json
