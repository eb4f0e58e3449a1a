vtd-decode dmar-header -f "$VTD_DATA"/dmar/qemu72-q35-default.dmar
