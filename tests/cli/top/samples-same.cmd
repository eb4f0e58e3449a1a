cd $VTD_SAMPLES/traces && for f in *.txt *.gz *.zst; do cmp $f $VTD_DATA/traces/$f && echo "$f: the same as tests/data/traces"; done; ls *.NOTE
