vtd-compile --list-profiles -j -p
