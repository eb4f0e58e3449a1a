vtd-compile a.json b.json
