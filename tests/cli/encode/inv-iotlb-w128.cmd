vtd-decode --encode -w 128 inv-iotlb type=iotlb g=page did=1 am=1 addr=0x1000
