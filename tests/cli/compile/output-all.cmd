cd $WORK && cp $VTD_DATA/compile/legacy.json . && vtd-compile -o a.bin -o a.c -o a.o -o a.json --probes a.scenario legacy.json && ls
