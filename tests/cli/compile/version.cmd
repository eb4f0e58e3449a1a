vtd-compile --version
