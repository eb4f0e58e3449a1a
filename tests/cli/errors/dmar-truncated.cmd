cd "$WORK" && head -c 40 "$VTD_DATA"/dmar/qemu72-q35-default.dmar > t.dmar && vtd-decode dmar t.dmar
