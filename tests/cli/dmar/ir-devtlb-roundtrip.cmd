vtd-decode -j dmar "$VTD_DATA"/dmar/qemu72-q35-ir-devtlb.dmar > $WORK/j && vtd-decode dmar --encode $WORK/j -o $WORK/b && cmp "$VTD_DATA"/dmar/qemu72-q35-ir-devtlb.dmar $WORK/b && echo identical
