vtd-decode --help
