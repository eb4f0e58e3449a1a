cd $VTD_DATA/compile && vtd-compile bad-types.json
