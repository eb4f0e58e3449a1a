cd $VTD_DATA/compile && vtd-compile bad-syntax.json
