cd $VTD_DATA/compile && vtd-compile bad-not-object.json
