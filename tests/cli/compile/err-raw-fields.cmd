cd $VTD_DATA/compile && vtd-compile bad-raw-fields.json
