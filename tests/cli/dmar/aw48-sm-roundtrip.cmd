vtd-decode -j dmar "$VTD_DATA"/dmar/qemu72-q35-aw48-sm.dmar > $WORK/j && vtd-decode dmar --encode $WORK/j -o $WORK/b && cmp "$VTD_DATA"/dmar/qemu72-q35-aw48-sm.dmar $WORK/b && echo identical
