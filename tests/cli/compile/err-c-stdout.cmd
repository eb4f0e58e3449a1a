vtd-compile -F c -o - a.json
