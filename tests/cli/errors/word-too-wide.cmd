vtd-decode cap 0x1ffffffffffffffff
