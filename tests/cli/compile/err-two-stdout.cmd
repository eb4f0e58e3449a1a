vtd-compile -F bin -o - --probes - a.json
