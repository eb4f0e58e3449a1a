cd $VTD_DATA/compile && vtd-compile bad-sizes.json
