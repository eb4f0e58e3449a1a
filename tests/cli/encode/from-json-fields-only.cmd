printf '{"p": true, "tt": "pass-through", "aw": "39-bit", "did": 3}\n' > $WORK/f.json && vtd-decode --encode context-legacy --from-json $WORK/f.json
