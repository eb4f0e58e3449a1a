vtd-decode --encode inv type=iotlb
