vtd-top --list-metrics -j | python3 -c "import json,sys; d=json.load(sys.stdin); print(len(d), d[0])"
