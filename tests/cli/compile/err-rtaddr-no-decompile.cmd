vtd-compile --rtaddr 0x1000 a.json
