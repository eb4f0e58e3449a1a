vtd-decode -1 cont 1 0
