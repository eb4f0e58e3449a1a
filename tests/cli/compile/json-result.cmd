cd $VTD_DATA/compile && vtd-compile -j -p --stats --verify legacy.json
