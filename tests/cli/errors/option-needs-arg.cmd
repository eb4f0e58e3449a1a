vtd-decode cap -f
