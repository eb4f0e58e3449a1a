vtd-decode
