vtd-decode --list
