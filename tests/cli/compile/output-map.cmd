cd $VTD_DATA/compile && vtd-compile -q -o $WORK/t.json irq.json && head -20 $WORK/t.json
