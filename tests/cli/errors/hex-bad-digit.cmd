vtd-decode cap 0xZZ
