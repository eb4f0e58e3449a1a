vtd-decode dmar "$VTD_DATA"/dmar/qemu72-q35-noir.dmar
