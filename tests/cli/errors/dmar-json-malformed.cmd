cd "$WORK" && printf '{"format":"vtd-dmar/1",' > d.json && vtd-decode dmar --encode d.json -o d.bin
