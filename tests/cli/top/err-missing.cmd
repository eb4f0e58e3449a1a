cd $WORK && vtd-top --report none.txt
