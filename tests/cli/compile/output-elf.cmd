cd $VTD_DATA/compile && vtd-compile -q -o $WORK/t.o legacy.json && ls $WORK && nm $WORK/t.o
