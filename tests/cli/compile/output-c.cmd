cd $VTD_DATA/compile && vtd-compile -q --name nic_tables -o $WORK/tables.c legacy.json && ls $WORK && cat $WORK/tables.h && head -12 $WORK/tables.c
