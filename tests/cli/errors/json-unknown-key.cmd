cd "$WORK" && printf '{"p": true, "bogus": 1}\n' > unk.json && vtd-decode --encode context-legacy --from-json unk.json
