vtd-compile -d x.bin@0x1000
