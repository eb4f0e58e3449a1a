vtd-decode -p dmar "$VTD_DATA"/dmar/qemu72-q35-ir-devtlb.dmar
