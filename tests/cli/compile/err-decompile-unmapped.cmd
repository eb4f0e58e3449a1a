cd $WORK && printf 'short' > s.bin && vtd-compile -d s.bin@0x100000 --rtaddr 0x100000
