cd "$WORK" && vtd-decode --encode context-legacy --from-json nonexistent.json
