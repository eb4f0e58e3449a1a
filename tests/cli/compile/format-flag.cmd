cd $WORK && cp $VTD_DATA/compile/legacy.json . && vtd-compile -q -F bin -o tables.img -F map -o - legacy.json > map.out && head -5 map.out && wc -c < tables.img
