cd $WORK && head -c 8192 /dev/zero | tr '\0' '\377' > ff.bin && vtd-compile -d ff.bin@0x100000 --rtaddr 0x100000 -o back.json; echo "exit $?"; ls
