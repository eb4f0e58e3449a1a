cd $VTD_DATA/traces && vtd-top --snapshot --keys '/iotlb<Space>page<Space>did<Space>4<Enter>' legacy-strict.dmesg.txt legacy-strict.ftrace.txt.gz
