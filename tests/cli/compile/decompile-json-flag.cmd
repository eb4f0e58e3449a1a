cd $WORK && cp $VTD_DATA/compile/irq.json . && vtd-compile -q -o t.bin irq.json && vtd-compile -j -d t.bin@0x100000 --rtaddr 0x100000 --irta 0x107802 -o back.json
