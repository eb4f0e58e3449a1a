vtd-decode -j dmar "$VTD_DATA"/dmar/qemu72-q35-default.dmar > $WORK/j && vtd-decode dmar --encode $WORK/j
