vtd-compile --help
