vtd-compile --list-profiles
