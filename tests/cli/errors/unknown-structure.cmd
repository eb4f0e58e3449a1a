vtd-decode nosuch 1
