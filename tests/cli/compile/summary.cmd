cd $VTD_DATA/compile && vtd-compile legacy.json
