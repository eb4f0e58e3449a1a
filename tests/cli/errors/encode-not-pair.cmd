vtd-decode --encode context-legacy tt
