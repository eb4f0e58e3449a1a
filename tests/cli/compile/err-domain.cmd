cd $VTD_DATA/compile && vtd-compile bad-domain.json
