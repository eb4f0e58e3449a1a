vtd-decode cap 0x00d2008c22260206
