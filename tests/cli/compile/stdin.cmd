cd $VTD_DATA/compile && vtd-compile -F bin -o - - < legacy.json | od -A x -t x8 | head -4
