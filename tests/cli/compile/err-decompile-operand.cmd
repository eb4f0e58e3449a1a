vtd-compile -d x.bin@0x1000 --rtaddr 0x1000 a.json
