cd $VTD_DATA/compile && vtd-compile --stats scalable.json
