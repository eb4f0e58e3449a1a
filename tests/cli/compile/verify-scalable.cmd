cd $VTD_DATA/compile && vtd-compile --verify scalable.json
