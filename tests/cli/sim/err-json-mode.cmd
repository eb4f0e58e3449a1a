cd $VTD_DATA/sim && vtd-sim --json -l legacy.bin@0x100000 -r 0x101000 -f bad-pasid.scenario
