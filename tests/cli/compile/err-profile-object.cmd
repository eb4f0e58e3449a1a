cd $VTD_DATA/compile && vtd-compile bad-profile-object.json
