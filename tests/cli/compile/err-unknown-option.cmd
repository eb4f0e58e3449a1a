vtd-compile --frobnicate layout.json
