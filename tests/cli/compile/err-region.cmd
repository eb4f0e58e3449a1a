cd $VTD_DATA/compile && vtd-compile bad-region.json
