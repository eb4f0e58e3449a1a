cd $WORK && printf 'abc' > r && vtd-sim --regs r 00:03.0 read 0
