cd $VTD_DATA/compile && vtd-compile --verify irq.json
