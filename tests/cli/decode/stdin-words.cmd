printf '0x00d2008c22260206\n' | vtd-decode -1 cap
