cd $VTD_DATA/compile && vtd-compile bad-irq.json
