cd "$WORK" && cp "$VTD_DATA"/dmar/qemu72-q35-default.dmar p.dmar && printf '\xff' | dd of=p.dmar bs=1 seek=4 conv=notrunc status=none && vtd-decode dmar p.dmar
