vtd-compile -o x.bin
