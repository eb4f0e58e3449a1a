cd $VTD_DATA/compile && vtd-compile --verify legacy.json
