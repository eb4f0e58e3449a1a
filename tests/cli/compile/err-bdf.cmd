cd $VTD_DATA/compile && vtd-compile bad-bdf.json
