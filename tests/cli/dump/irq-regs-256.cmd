bash $VTD_DATA/dump/mkirq.sh $WORK && cd $WORK && vtd-dump image:irq.img@0x100000 --regs q256.regs
