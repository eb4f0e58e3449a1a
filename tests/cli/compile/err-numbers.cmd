cd $VTD_DATA/compile && vtd-compile bad-numbers.json
