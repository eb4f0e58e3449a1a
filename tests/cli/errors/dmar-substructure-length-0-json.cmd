cd "$WORK" && cp "$VTD_DATA"/dmar/qemu72-q35-default.dmar z.dmar && printf '\0\0' | dd of=z.dmar bs=1 seek=50 conv=notrunc status=none && vtd-decode -j dmar z.dmar
