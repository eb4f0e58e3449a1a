cd "$WORK" && printf '{"format":"vtd-dmar/1","header":{"bogus":1},"structures":[]}' > d.json && vtd-decode dmar --encode d.json -o d.bin
