vtd-decode --encode context-legacy tt=bogus
