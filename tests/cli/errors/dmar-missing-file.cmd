cd "$WORK" && vtd-decode dmar nonexistent.dmar
