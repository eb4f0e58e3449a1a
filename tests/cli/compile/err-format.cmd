vtd-compile -F hex -o x a.json
