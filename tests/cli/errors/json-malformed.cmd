cd "$WORK" && printf '{"p": true,\n "did": }\n' > bad.json && vtd-decode --encode context-legacy --from-json bad.json
