cd $VTD_DATA/compile && vtd-compile -j bad-syntax.json
