cd "$WORK" && vtd-decode -f nonexistent.bin cap
