cd $VTD_DATA/compile && vtd-compile bad-jpos.json
