vtd-compile --name 9lives a.json
