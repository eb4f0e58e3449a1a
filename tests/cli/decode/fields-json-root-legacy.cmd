vtd-decode -j --fields root-legacy
