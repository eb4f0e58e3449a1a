vtd-decode context-sm 0x200205 0 0 0
