cd $VTD_DATA/compile && vtd-compile nonexistent.json
