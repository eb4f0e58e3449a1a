cd $VTD_DATA/compile && vtd-compile bad-plan.json
