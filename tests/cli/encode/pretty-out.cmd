vtd-decode --encode -p gsts tes=1 rtps=1
