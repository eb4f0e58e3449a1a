vtd-compile --faults linux a.json
