vtd-decode context-legacy 1 2 3
