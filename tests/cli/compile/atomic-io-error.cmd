cd $WORK && cp $VTD_DATA/compile/legacy.json . && vtd-compile -o ok.bin -o missing/dir/t.json legacy.json; echo "exit $?"; ls
