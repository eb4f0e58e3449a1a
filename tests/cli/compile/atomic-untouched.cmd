cd $WORK && cp $VTD_DATA/compile/bad-sizes.json . && echo keep > t.bin && vtd-compile -o t.bin -o t.c bad-sizes.json; echo "exit $?"; cat t.bin; ls
