vtd-compile --profile skylake a.json
