cd $VTD_DATA/compile && vtd-compile -q legacy.json
