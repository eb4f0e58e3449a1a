vtd-decode --encode context-legacy did=70000
