vtd-decode --bogus cap 0
