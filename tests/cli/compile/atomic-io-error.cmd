cd $WORK && cp $VTD_DATA/compile/legacy.json . && echo keep > ok.bin && vtd-compile -o ok.bin -o missing/dir/t.json legacy.json; echo "exit $?"; cat ok.bin; ls
