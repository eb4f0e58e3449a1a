vtd-compile -o tables a.json
